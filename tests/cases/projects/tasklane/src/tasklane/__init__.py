"""tasklane: small tasks that produce Python code, and a message worker."""
__version__ = "0.4.1"
