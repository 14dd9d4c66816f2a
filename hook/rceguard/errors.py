"""Exceptions shared by the CLI and the modules it loads lazily (kept import-free so that
``rceguard --version`` does not pay for the configuration machinery)."""
from __future__ import annotations


class UsageError(Exception):
    """Bad command line, configuration or path: exit status 2 with a one-line message."""
