"""Human-readable report.

For each finding::

    path:line:col: RCE001 message
       |
    12 |     exec(code, ns)
       |     ^^^^^^^^^^^^^^ RCE001
       |
      1. path:line:col  step message
      2. path:line:col  step message
      note: remark
      = rule: rceguard rule RCE001
      = ignore: add `# rceguard: ignore[RCE001] <reason>` to the flagged statement

(the code frame is the source line with the sink underlined; without the line's text, the first
line of the sink call is shown instead), then one ``path: message`` line per file that could not be
read or parsed, and a one-line summary. Colour (ANSI) is used only when the caller asks for it.
Text that comes from the scanned code (paths, sink text, messages quoting code) is printed with
control and bidirectional-override characters escaped, so a hostile file cannot rewrite the
terminal.
"""
from __future__ import annotations

import unicodedata
from typing import Dict, List, Tuple

from ..findings import LEVELS, Finding, ScanResult
from ..suppress import comment_for
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
        # not silent: these files were read and syntax-checked, but the pre-scan found no network
        # read or no exec-like call in them and their imports, so no flow can start there
        them = "it and its" if skipped == 1 else "them and their"
        head += f" ({skipped} ruled out by a quick pre-scan: no network read or no exec-like call in {them} imports)"
    return head + ": " + "; ".join(parts) + "."


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and code else text


FRAME_WIDTH = 120  # longer source lines are cut around the sink


def _width(text: str) -> int:
    """Terminal columns of ``text`` (already cleaned): wide East Asian characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else (0 if unicodedata.combining(ch) else 1)
               for ch in text)


def _window(line: str, start: int, end: int) -> Tuple[str, int, int]:
    """Cut a long line to about :data:`FRAME_WIDTH` code points around ``start..end`` (0-based,
    end exclusive); returns the shown text and the sink's offsets in it."""
    if len(line) <= FRAME_WIDTH:
        return line, start, end
    lo = max(0, start - 30)
    hi = min(len(line), max(end, lo + FRAME_WIDTH))
    hi = min(hi, lo + FRAME_WIDTH)
    head, tail = ("..." if lo else ""), ("..." if hi < len(line) else "")
    return head + line[lo:hi] + tail, start - lo + len(head), min(end, hi) - lo + len(head)


def code_frame(f: Finding, style: "_Style") -> List[str]:
    """The source line with the sink underlined (``^``), ruff-style; [] without the line's text."""
    line = f.line_text.rstrip("\r\n")
    loc = f.location
    if not line.strip() or loc.line < 1:
        return []
    start = max(0, min(loc.col - 1, len(line)))
    end = loc.end_col - 1 if loc.end_line == loc.line else len(line.rstrip())
    end = max(start + 1, min(end, len(line)))
    shown, start, end = _window(line, start, end)
    pad = _width(clean(shown[:start]))
    marks = max(1, _width(clean(shown[start:end])))
    gutter = " " * len(str(loc.line))
    bar = style(_DIM, f"{gutter} |")
    caret = style(_LEVEL_COLOR.get(f.level, ""), "^" * marks)
    return [
        bar,
        f"{style(_DIM, f'{loc.line} |')} {clean(shown)}",
        f"{bar} {' ' * pad}{caret} {style(_LEVEL_COLOR.get(f.level, ''), f.rule_id)}",
        bar,
    ]


def hints(f: Finding) -> List[str]:
    """The closing lines of a finding: where the rule is explained, and how to silence it."""
    comment = f"`{comment_for(f.rule_id)}`"
    if f.via is not None:
        sink = f.via.location
        where = f"to the sink statement ({sink.path}:{sink.line}), or to this call for runs without that file"
    else:
        where = "to the flagged statement"
    return [f"= rule: rceguard rule {f.rule_id}", f"= ignore: add {comment} {clean(where)}"]


def _finding(f: Finding, style: _Style) -> List[str]:
    lvl = _LEVEL_COLOR.get(f.level, "")
    head = (
        f"{style(_BOLD, clean(f.location.short()))}: {style(lvl, f.rule_id)} "
        f"{clean(f.message)}"
    )
    lines = [head]
    frame = code_frame(f, style)
    if frame:
        lines += ["  " + ln for ln in frame]
    else:
        sink = first_line(f.sink_text)
        if sink:
            lines.append("    " + clean(sink))
    width = len(str(len(f.steps)))
    for i, step in enumerate(f.steps, 1):
        num = f"{i:>{width}}."
        lines.append(f"  {style(_DIM, num)} {clean(step.location.short())}  {clean(step.message)}")
    for note in f.notes:
        lines.append(f"  note: {clean(note)}")
    lines += ["  " + style(_DIM, h) for h in hints(f)]
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
