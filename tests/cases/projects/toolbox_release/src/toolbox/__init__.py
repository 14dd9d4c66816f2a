"""A small CLI toolbox."""
__version__ = "0.3.0"
