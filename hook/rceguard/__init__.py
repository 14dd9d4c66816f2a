"""rceguard: find network data reaching code execution in Python code.

Keep this module free of imports: ``rceguard --version`` and pre-commit batches should start fast.
"""
from __future__ import annotations

__version__ = "0.3.0"
