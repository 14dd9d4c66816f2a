"""A small coding agent: asks a model for a plan or a Python snippet and runs the snippet."""
__version__ = "0.3.1"
