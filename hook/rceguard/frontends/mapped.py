"""Files whose Python code is not the file itself (notebooks, ``.pth`` files): a *virtual* module
text is analysed, and every position in it maps back to a position in the real file.

The engine works on the virtual text (so inline suppressions and statement lines are those of
the code); :func:`relocate` turns the finished findings' locations into positions of the real file
(the line and column an editor or GitHub code scanning shows) plus a reader's label such as
``cell 3:2:5``.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..findings import Finding, Location, Notice, Step
from ..source import ParsedFile

_LINE_PHRASE = re.compile(r"\(line (\d+)\)")


class PositionMap:
    """Virtual (line, column) -> real (line, column, label). Lines and columns are 1-based, columns
    count code points. Subclasses fill :attr:`lines`: per virtual line, ``None`` (a blank padding
    line) or ``(offsets, label_prefix, first_col)`` where ``offsets`` maps a 0-based column of the
    virtual line to a character offset in the real text."""

    def __init__(self, real_text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", real_text)]
        self.lines: List[Optional[Tuple["Offsets", str]]] = []

    def real_line(self, vline: int) -> int:
        entry = self.lines[vline - 1] if 0 < vline <= len(self.lines) else None
        if entry is None:
            return vline
        return self._line_col(entry[0].at(0))[0]

    def _line_col(self, offset: int) -> Tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def where(self, vline: int, vcol: int, end: bool = False) -> Tuple[int, int, str]:
        entry = self.lines[vline - 1] if 0 < vline <= len(self.lines) else None
        if entry is None:
            return vline, vcol, ""
        offsets, prefix = entry
        col0 = max(0, vcol - 1)
        if end and col0 > 0:  # exclusive end: one past the last character
            line, col = self._line_col(offsets.at(col0 - 1))
            col += 1
        else:
            line, col = self._line_col(offsets.at(col0))
        return line, col, f"{prefix}:{vcol}" if prefix else ""


class Offsets:
    """Column of a virtual line -> offset in the real text: ``base + col`` when the code is written
    plainly, else a table (JSON escapes such as ``\\"`` take more characters than they stand for)."""

    __slots__ = ("base", "table")

    def __init__(self, base: int, table: Optional[List[int]] = None) -> None:
        self.base = base
        self.table = table

    def at(self, col: int) -> int:
        if self.table is None:
            return self.base + col
        if not self.table:
            return self.base
        if col < len(self.table):
            return self.table[col]
        return self.table[-1] + (col - len(self.table) + 1)


@dataclass
class MappedFile(ParsedFile):
    """A ParsedFile whose ``text`` is a virtual module; ``positions`` maps it to the real file."""

    positions: Optional[PositionMap] = None
    extra_findings: List[Finding] = field(default_factory=list)  # found by the front end itself
    notices: List[Notice] = field(default_factory=list)  # e.g. one broken cell; the rest is analysed


def _loc(loc: Location, pm: PositionMap) -> Location:
    line, col, label = pm.where(loc.line, loc.col)
    end_line, end_col, _ = pm.where(loc.end_line, loc.end_col, end=True)
    if (end_line, end_col) < (line, col):
        end_line, end_col = line, col + 1
    return Location(loc.path, line, col, end_line, end_col, label)


def relocate(findings: Sequence[Finding], maps: Dict[str, PositionMap]) -> List[Finding]:
    """Findings with every location in a mapped file moved to the real file's coordinates."""
    if not maps:
        return list(findings)
    out = []
    for f in findings:
        pm = maps.get(f.location.path)
        steps = tuple(Step(_loc(s.location, maps[s.location.path]), s.message) if s.location.path in maps else s
                      for s in f.steps)
        if pm is None:
            out.append(dataclasses.replace(f, steps=steps) if steps != f.steps else f)
            continue
        message = f.message
        first = f.steps[0].location if f.steps else None
        if first is not None and first.path == f.location.path:
            # "(line N)" names the flow's first step in this file: say where a reader finds it
            def phrase(m: "re.Match[str]") -> str:
                label = pm.where(int(m.group(1)), 1)[2]
                return f"({label.rpartition(':')[0]})" if label else m.group(0)

            message = _LINE_PHRASE.sub(phrase, message)
        lo, hi = f.statement_lines
        lines = (pm.real_line(lo), pm.real_line(hi)) if lo > 0 else f.statement_lines
        out.append(dataclasses.replace(f, location=_loc(f.location, pm), steps=steps, message=message,
                                       statement_lines=lines))
    return out
