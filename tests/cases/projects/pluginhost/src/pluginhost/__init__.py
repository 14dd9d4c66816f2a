"""A small plugin host: plugins are listed in a remote index and run in a namespace."""
__version__ = "1.4.0"
