"""Walk the labelled example files in tests/cases: every marker found, nothing else reported."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from rceguard.config import Config
from rceguard.scan import scan

CASES = Path(__file__).parent / "cases"
MARK = re.compile(r"#\s*expect:\s*([A-Za-z0-9:, ]+)")
# labelled files: Python modules, notebooks (markers in the cell's source line, which is one line
# of the .ipynb file), .pth files
SUFFIXES = (".py", ".ipynb", ".pth")


def _labelled(folder: Path) -> List[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def expectations(path: Path) -> Set[Tuple[int, str]]:
    out = set()
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = MARK.search(line)
        if m:
            for tok in m.group(1).replace(",", " ").split():
                out.add((i, tok.strip()))
    return out


def _cases() -> List[Path]:
    singles = [p for p in _labelled(CASES) if "projects" not in p.relative_to(CASES).parts]
    projects = sorted(p for p in (CASES / "projects").iterdir() if p.is_dir())
    return singles + projects


def _id(p: Path) -> str:
    return str(p.relative_to(CASES))


@pytest.mark.parametrize("case", _cases(), ids=_id)
def test_case(case: Path) -> None:
    result = scan([case], Config())
    assert not [n for n in result.notices if n.kind in ("read", "parse", "other")], result.notices
    files = [case] if case.is_file() else _labelled(case)
    root = Path(result.root)
    expected: Set[Tuple[str, int, str]] = set()
    for f in files:
        rel = f.resolve().relative_to(root.resolve()).as_posix()
        expected |= {(rel, line, tok) for line, tok in expectations(f)}
    got: Set[Tuple[str, int, str]] = set()
    for f in result.findings:
        tok = f.rule_id + (":note" if f.level == "note" else "")
        got.add((f.location.path, f.location.line, tok))
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
    for p in _labelled(CASES):
        exp = expectations(p)
        rules_seen |= {tok.split(":")[0] for _, tok in exp}
        if not exp:
            negatives += 1
    assert {"RCE001", "RCE002", "RCE003", "RCE004", "RCE005", "RCE006"} <= rules_seen
    assert negatives >= 8
