"""Inline suppressions: ``# rceguard: ignore[RCE001] reason``.

A directive in a real comment (found with :mod:`tokenize`, so text inside a string is not one) on
any line of the flagged statement hides the finding:

* ``# rceguard: ignore[RCE001]`` / ``# rceguard: ignore[RCE001, RCE002] why`` - those rule ids
  (an id prefix such as ``RCE00`` works too);
* ``# rceguard: ignore`` - every rule. Honoured, but counted and reported in the summary,
  because a bare ignore also hides findings nobody has looked at yet.

The directive may follow other comment text (``# noqa  # rceguard: ignore[RCE001]``).

A finding is silenced by a directive on its **sink statement** in every mode. When the sink is in
a file the run was not given and the finding is placed at the call in a given file (a "via"
finding, :attr:`rceguard.findings.Finding.via`), the directive on the sink statement (in the other
file, read as text by the scan, never imported) silences it too, and so does one on the call.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .findings import Finding, Location

_DIRECTIVE = re.compile(r"#\s*rceguard\s*:\s*ignore\b(?:\s*\[([^\]]*)\])?", re.IGNORECASE)
MARKER = "rceguard"


@dataclass(frozen=True)
class Directive:
    line: int
    ids: Optional[Tuple[str, ...]]  # None: bare ignore (every rule)

    @property
    def bare(self) -> bool:
        return self.ids is None

    def covers(self, rule_id: str) -> bool:
        if self.ids is None:
            return True
        rid = rule_id.upper()
        return any(rid.startswith(i) for i in self.ids)


def _parse_comment(comment: str, line: int) -> Optional[Directive]:
    m = _DIRECTIVE.search(comment)
    if m is None:
        return None
    if m.group(1) is None:
        return Directive(line, None)
    ids = tuple(p.strip().upper() for p in re.split(r"[,\s]+", m.group(1)) if p.strip())
    return Directive(line, ids or None)


def directives(text: str) -> Dict[int, List[Directive]]:
    """Line number -> suppression directives in real comments on that line."""
    out: Dict[int, List[Directive]] = {}
    if MARKER not in text and MARKER not in text.lower():
        return out
    readline = io.StringIO(text).readline
    try:
        for tok in tokenize.generate_tokens(readline):
            if tok.type == tokenize.COMMENT:
                d = _parse_comment(tok.string, tok.start[0])
                if d is not None:
                    out.setdefault(d.line, []).append(d)
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        pass  # keep the comments seen before the tokenizer gave up
    return out


IGNORE_SYNTAX = "# rceguard: ignore[{rule}] <reason>"


def comment_for(rule_id: str) -> str:
    """The comment that silences a finding of ``rule_id`` (for hints in reports)."""
    return IGNORE_SYNTAX.format(rule=rule_id)


def _lines_of(finding: Finding) -> Tuple[int, int]:
    return _span(finding.location, finding.statement_lines)


def _span(loc: Location, statement_lines: Tuple[int, int]) -> Tuple[int, int]:
    first, last = statement_lines if statement_lines else (0, 0)
    lo, hi = loc.line, max(loc.end_line, loc.line)
    if first > 0 and last >= first:
        lo, hi = min(lo, first), max(hi, last)
    return lo, hi


def matching_directive(finding: Finding, table: Mapping[int, Sequence[Directive]]) -> Optional[Directive]:
    """The directive that hides ``finding`` (a specific one preferred over a bare one), or None."""
    return _directive_in(finding.rule_id, _lines_of(finding), table)


def _directive_in(rule_id: str, span: Tuple[int, int], table: Mapping[int, Sequence[Directive]]) -> Optional[Directive]:
    lo, hi = span
    bare: Optional[Directive] = None
    for line in range(lo, hi + 1):
        for d in table.get(line, ()):
            if d.covers(rule_id):
                if not d.bare:
                    return d
                bare = bare or d
    return bare


@dataclass
class SuppressionResult:
    kept: List[Finding]
    suppressed: int = 0
    bare: int = 0  # of the suppressed findings, those hidden by a bare ``# rceguard: ignore``


def apply(findings: Iterable[Finding], texts: Mapping[str, str],
          tables: Optional[Mapping[str, Dict[int, List[Directive]]]] = None) -> SuppressionResult:
    """Drop findings with a matching directive. ``texts`` maps a display path to its source text
    (for a "via" finding, the sink's file too); ``tables``: directives already found for other
    file kinds (shell, YAML ...), by display path."""
    cache: Dict[str, Dict[int, List[Directive]]] = dict(tables or {})

    def table(path: str) -> Dict[int, List[Directive]]:
        if path not in cache:
            text = texts.get(path)
            cache[path] = directives(text) if text is not None else {}
        return cache[path]

    result = SuppressionResult(kept=[])
    for f in findings:
        d: Optional[Directive] = None
        if f.via is not None:  # the sink statement, in the other file, first
            d = _directive_in(f.rule_id, _span(f.via.location, f.via.statement_lines), table(f.via.location.path))
        if d is None or d.bare:
            here = matching_directive(f, table(f.location.path))
            if here is not None and (d is None or not here.bare):
                d = here
        if d is None:
            result.kept.append(f)
        else:
            result.suppressed += 1
            if d.bare:
                result.bare += 1
    return result
