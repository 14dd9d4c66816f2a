"""Inline suppressions: ``# rceguard: ignore[RCE001] reason``.

A directive in a real comment (found with :mod:`tokenize`, so text inside a string is not one) on
any line of the flagged statement hides the finding:

* ``# rceguard: ignore[RCE001]`` / ``# rceguard: ignore[RCE001, RCE002] why`` - those rule ids
  (an id prefix such as ``RCE00`` works too);
* ``# rceguard: ignore`` - every rule. Honoured, but counted and reported in the summary,
  because a bare ignore also hides findings nobody has looked at yet.

The directive may follow other comment text (``# noqa  # rceguard: ignore[RCE001]``).
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .findings import Finding

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


def _lines_of(finding: Finding) -> Tuple[int, int]:
    first, last = finding.statement_lines if finding.statement_lines else (0, 0)
    loc = finding.location
    lo, hi = loc.line, max(loc.end_line, loc.line)
    if first > 0 and last >= first:
        lo, hi = min(lo, first), max(hi, last)
    return lo, hi


def matching_directive(finding: Finding, table: Mapping[int, Sequence[Directive]]) -> Optional[Directive]:
    """The directive that hides ``finding`` (a specific one preferred over a bare one), or None."""
    lo, hi = _lines_of(finding)
    bare: Optional[Directive] = None
    for line in range(lo, hi + 1):
        for d in table.get(line, ()):
            if d.covers(finding.rule_id):
                if not d.bare:
                    return d
                bare = bare or d
    return bare


@dataclass
class SuppressionResult:
    kept: List[Finding]
    suppressed: int = 0
    bare: int = 0  # of the suppressed findings, those hidden by a bare ``# rceguard: ignore``


def apply(findings: Iterable[Finding], texts: Mapping[str, str]) -> SuppressionResult:
    """Drop findings with a matching directive. ``texts`` maps a display path to its source text."""
    cache: Dict[str, Dict[int, List[Directive]]] = {}
    result = SuppressionResult(kept=[])
    for f in findings:
        path = f.location.path
        if path not in cache:
            text = texts.get(path)
            cache[path] = directives(text) if text is not None else {}
        d = matching_directive(f, cache[path]) if cache[path] else None
        if d is None:
            result.kept.append(f)
        else:
            result.suppressed += 1
            if d.bare:
                result.bare += 1
    return result
