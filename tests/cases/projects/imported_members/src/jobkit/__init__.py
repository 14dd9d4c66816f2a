"""jobkit: run small jobs described by a remote manifest."""
from .clients import default_client

__all__ = ["default_client"]
