"""Reporters: turn a :class:`~rceguard.findings.ScanResult` into text, JSON, SARIF, GitHub
workflow commands or the per-file triage report. Every reporter is a pure function of its input."""
from __future__ import annotations

from typing import TYPE_CHECKING, List

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding, Notice, ScanResult

FORMATS = ("text", "json", "sarif", "github", "report")

TOOL_NAME = "rceguard"
# No informationUri in SARIF: rceguard has no published home page that anybody has checked.


def tool_version() -> str:
    """``rceguard.__version__``, or ``"0.0.0"`` when the package does not define it."""
    try:
        from .. import __version__ as version  # type: ignore[attr-defined]
    except ImportError:
        return "0.0.0"
    return str(version) if version else "0.0.0"


def sorted_findings(result: "ScanResult") -> "List[Finding]":
    return sorted(result.findings, key=lambda f: f.sort_key())


def sorted_notices(result: "ScanResult") -> "List[Notice]":
    return sorted(result.notices, key=lambda n: (n.path, n.line, n.kind, n.message))


def render(fmt: str, result: "ScanResult", *, color: bool = False) -> str:
    """Render ``result`` in ``fmt`` (one of :data:`FORMATS`); ``color`` only affects text.

    Raises ``ValueError`` for an unknown format.
    """
    if fmt == "text":
        from . import text

        return text.render(result, color=color)
    if fmt == "json":
        from . import json as json_report

        return json_report.render(result)
    if fmt == "sarif":
        from . import sarif

        return sarif.render(result)
    if fmt == "github":
        from . import github

        return github.render(result)
    if fmt == "report":
        from . import report

        return report.render(result)
    raise ValueError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")


__all__ = ["FORMATS", "render", "tool_version", "TOOL_NAME"]
