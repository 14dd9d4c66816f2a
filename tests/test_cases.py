"""Walk the labelled example files in tests/cases: every marker found, nothing else reported."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from rceguard.config import Config
from rceguard.scan import scan
from samples import case_files

CASES = Path(__file__).parent / "cases"
MARK = re.compile(r"#\s*expect:\s*([A-Za-z0-9:, ]+)")
def expectations(path: Path) -> Set[Tuple[int, str]]:
    out = set()
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = MARK.search(line)
        if m:
            for tok in m.group(1).replace(",", " ").split():
                out.add((i, tok.strip()))
    return out


def _cases() -> List[Path]:
    singles = [p for p in case_files(CASES) if "projects" not in p.relative_to(CASES).parts]
    projects = sorted(p for p in (CASES / "projects").iterdir() if p.is_dir())
    return singles + projects


def _id(p: Path) -> str:
    return str(p.relative_to(CASES))


@pytest.mark.parametrize("case", _cases(), ids=_id)
def test_case(case: Path) -> None:
    result = scan([case], Config())
    assert not [n for n in result.notices if n.kind in ("read", "parse", "other")], result.notices
    files = [case] if case.is_file() else case_files(case)
    root = Path(result.root)
    expected: Set[Tuple[str, int, str]] = set()
    for f in files:
        rel = f.resolve().relative_to(root.resolve()).as_posix()
        expected |= {(rel, line, tok) for line, tok in expectations(f)}
    got: Set[Tuple[str, int, str]] = set()
    for f in result.findings:
        tok = f.rule_id + (":note" if f.level == "note" else "")
        got.add((f.location.path, f.location.line, tok))
    # the marker comment itself is never what is reported: the finding starts before it
    texts = {f.resolve().relative_to(root.resolve()).as_posix(): f.read_text(encoding="utf-8").splitlines() for f in files}
    for f in result.findings:
        lines = texts.get(f.location.path, [])
        m = MARK.search(lines[f.location.line - 1]) if 0 < f.location.line <= len(lines) else None
        if f.location.path.endswith(".ipynb"):
            continue  # a cell's source line is a JSON string there
        assert m is None or f.location.col - 1 < m.start(), f"{f.location.short()} points into its marker"
    missing = sorted(expected - got)
    extra = sorted(got - expected)
    details: Dict[str, List[str]] = {"missing": [str(m) for m in missing], "unexpected": []}
    for f in result.findings:
        tok = f.rule_id + (":note" if f.level == "note" else "")
        if (f.location.path, f.location.line, tok) in extra:
            details["unexpected"].append(f"{f.location.short()} {f.rule_id} {f.message}")
    assert not missing and not extra, details


def test_every_rule_has_positive_and_negative_cases() -> None:
    rules_seen: Set[str] = set()
    negatives = 0
    for p in case_files(CASES):
        exp = expectations(p)
        rules_seen |= {tok.split(":")[0] for _, tok in exp}
        if not exp:
            negatives += 1
    assert {"RCE001", "RCE002", "RCE003", "RCE004", "RCE005", "RCE006"} <= rules_seen
    assert negatives >= 8
