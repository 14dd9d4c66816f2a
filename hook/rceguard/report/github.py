"""GitHub Actions workflow commands (``--format github``): one annotation per finding.

    ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RCE001 remote-code-exec::MESSAGE

The message carries the flow on further lines. Escaping follows the runner: in the message
``%``, CR and LF become ``%25``, ``%0D``, ``%0A``; property values additionally escape ``:``
and ``,`` as ``%3A`` and ``%2C``. So every command is exactly one physical line and text from
the scanned code cannot start a command of its own. Files that could not be read or parsed
become ``::warning`` commands; a plain summary line ends the output.
"""
from __future__ import annotations

from typing import Dict, List

from ..findings import Finding, Notice, ScanResult
from ..rules import RULES
from . import sorted_findings, sorted_notices
from .sarif import region
from .text import clean, first_line, summary

_COMMAND = {"error": "error", "warning": "warning", "note": "notice", "none": "notice"}
_NOTICE_PREFIX = {"read": "could not read: ", "parse": "could not parse: "}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _clean_lines(text: str) -> str:
    """Escape control characters (ANSI escapes, bidi overrides) line by line; keep LF."""
    return "\n".join(clean(line) for line in text.splitlines())


def command(name: str, props: Dict[str, object], message: str) -> str:
    rendered = ",".join(f"{key}={escape_property(str(val))}" for key, val in props.items())
    head = f"::{name} {rendered}" if rendered else f"::{name}"
    return f"{head}::{escape_data(message)}"


def finding_message(f: Finding) -> str:
    lines = [f.message.strip()]
    sink = first_line(f.sink_text)
    if sink:
        lines.append(f"Sink: {sink}")
    if f.steps:
        lines.append("Flow:")
        lines += [f"  {i}. {s.location.short()}  {s.message}" for i, s in enumerate(f.steps, 1)]
    lines += [f"Note: {note}" for note in f.notes]
    return "\n".join(lines)


def finding_command(f: Finding) -> str:
    reg = region(f.location)
    rule = RULES.get(f.rule_id)
    title = f"{f.rule_id} {rule.name}" if rule else f.rule_id
    props: Dict[str, object] = {
        "file": f.location.path,
        "line": reg["startLine"],
        "col": reg["startColumn"],
        "endLine": reg["endLine"],
        "endColumn": reg["endColumn"],
        "title": title,
    }
    return command(_COMMAND.get(f.level, "warning"), props, _clean_lines(finding_message(f)))


def notice_command(n: Notice) -> str:
    props: Dict[str, object] = {}
    if n.path:
        props["file"] = n.path
        if n.line > 0:
            props["line"] = n.line
    return command("warning", props, _clean_lines(_NOTICE_PREFIX.get(n.kind, "") + n.message))


def render(result: ScanResult) -> str:
    lines: List[str] = [finding_command(f) for f in sorted_findings(result)]
    lines += [notice_command(n) for n in sorted_notices(result)]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
