"""Precision rules: small decisions that keep ordinary code out of the findings.

Each function here answers one question for a hook in :mod:`.flow` or :mod:`.engine`; API names
stay in the knowledge tables and model rows.
"""
from __future__ import annotations

from typing import Optional

from ..knowledge import propagators as P
from .models import ModelIndex, source_kind
from .values import REMOTE, RFILE, Value


def clean_attribute(v: Value, attr: str, index: Optional[ModelIndex] = None) -> bool:
    """Is ``v.<attr>`` free of ``v``'s outside data? ``status_code`` / ``ok`` always are (nothing
    else calls a field that); ``code``, ``status``, ``reason`` ... only when ``v`` is an HTTP response
    (its network data comes from an HTTP client), not an LLM reply, a request body or a parameter."""
    if attr not in P.CLEAN_ATTRS:
        return False
    if attr not in P.RESPONSE_ONLY_ATTRS:
        return True
    if not v.labels:
        return True
    for lab, t in v.labels.items():
        if lab not in (REMOTE, RFILE):
            return False
        if source_kind(t.source_api, index) not in P.RESPONSE_KINDS:
            return False
    return True
