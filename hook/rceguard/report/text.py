"""Human-readable report.

For each finding::

    path:line:col: RCE001 message
        <first line of the sink call>
      1. path:line:col  step message
      2. path:line:col  step message
      note: remark

then one ``path: message`` line per file that could not be read or parsed, and a one-line
summary. Colour (ANSI) is used only when the caller asks for it. Text that comes from the
scanned code (paths, sink text, messages quoting code) is printed with control and
bidirectional-override characters escaped, so a hostile file cannot rewrite the terminal.
"""
from __future__ import annotations

from typing import Dict, List

from ..findings import LEVELS, Finding, ScanResult
from . import sorted_findings, sorted_notices

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_LEVEL_COLOR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}
_GREEN = "\x1b[32m"

# Unicode bidirectional controls (Trojan Source) and other invisible formatting characters.
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

READ_PARSE_KINDS = ("read", "parse")


def clean(text: str) -> str:
    """Escape control characters and bidi overrides; tabs become single spaces."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\t":
            out.append(" ")
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif ch in _BIDI:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def first_line(text: str) -> str:
    """First non-blank line of ``text``, trimmed; ``...`` appended when more lines follow."""
    lines = [ln.strip() for ln in text.splitlines()]
    for i, line in enumerate(lines):
        if line:
            more = any(rest for rest in lines[i + 1:])
            return line + (" ..." if more else "")
    return ""


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def level_counts(findings: List[Finding]) -> Dict[str, int]:
    counts = {level: 0 for level in reversed(LEVELS)}  # error, warning, note
    for f in findings:
        counts[f.level] = counts.get(f.level, 0) + 1
    return counts


def summary(result: ScanResult) -> str:
    """One line: files scanned, findings by level, unreadable files, suppressions."""
    findings = list(result.findings)
    parts = []
    if findings:
        by_level = ", ".join(_plural(n, lvl) for lvl, n in level_counts(findings).items() if n)
        parts.append(f"{_plural(len(findings), 'finding')} ({by_level})")
    else:
        parts.append("no findings")
    bad_files = {n.path for n in result.notices if n.kind in READ_PARSE_KINDS}
    if bad_files:
        parts.append(f"{_plural(len(bad_files), 'file')} could not be read or parsed")
    other = [n for n in result.notices if n.kind not in READ_PARSE_KINDS]
    if other:
        parts.append(_plural(len(other), "other notice"))
    if result.suppressed:
        text = f"{result.suppressed} suppressed"
        if result.bare_ignores:
            text += f" ({_plural(result.bare_ignores, 'bare ignore')} without rule ids)"
        parts.append(text)
    elif result.bare_ignores:
        parts.append(f"{_plural(result.bare_ignores, 'bare ignore')} without rule ids")
    if result.baselined:
        parts.append(f"{result.baselined} in baseline")
    head = f"Scanned {_plural(result.files_scanned, 'file')}"
    skipped = getattr(result, "prescan_skipped", 0)
    if skipped:
        # not silent: these files were read and syntax-checked, but hold no sink or no reachable source
        head += f" ({skipped} needed no flow analysis)"
    return head + ": " + "; ".join(parts) + "."


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and code else text


def _finding(f: Finding, style: _Style) -> List[str]:
    lvl = _LEVEL_COLOR.get(f.level, "")
    head = (
        f"{style(_BOLD, clean(f.location.short()))}: {style(lvl, f.rule_id)} "
        f"{clean(f.message)}"
    )
    lines = [head]
    sink = first_line(f.sink_text)
    if sink:
        lines.append("    " + clean(sink))
    width = len(str(len(f.steps)))
    for i, step in enumerate(f.steps, 1):
        num = f"{i:>{width}}."
        lines.append(f"  {style(_DIM, num)} {clean(step.location.short())}  {clean(step.message)}")
    for note in f.notes:
        lines.append(f"  note: {clean(note)}")
    return lines


def render(result: ScanResult, *, color: bool = False) -> str:
    style = _Style(color)
    blocks: List[str] = []
    for f in sorted_findings(result):
        blocks.append("\n".join(_finding(f, style)))
    notices = sorted_notices(result)
    if notices:
        blocks.append("\n".join(
            f"{style(_BOLD, clean(n.path))}: {clean(n.message)}" for n in notices))
    line = summary(result)
    if color:
        line = style(_LEVEL_COLOR["error"] if result.findings else _GREEN, line)
    blocks.append(line)
    return "\n\n".join(blocks) + "\n"
