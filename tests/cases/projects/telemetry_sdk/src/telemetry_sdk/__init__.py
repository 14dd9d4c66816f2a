"""telemetry_sdk: send usage events to a collector."""
from .client import Client

__all__ = ["Client"]
