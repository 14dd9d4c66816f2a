"""widget: small widgets."""
from .core import Widget

__all__ = ["Widget"]
