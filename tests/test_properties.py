"""Property tests: whatever one file holds, the scan never raises, the SARIF stays valid against
the OASIS schema, and the findings of the other files in the same run are unchanged.

Inputs: arbitrary bytes, arbitrary text, and mutated copies of the labelled examples in
tests/cases. Derandomized (fixed seed) and bounded so the suite stays fast and reproducible.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import List, Tuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rceguard.config import Config
from rceguard.report import render
from rceguard.scan import scan

from test_report_sarif import assert_valid

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(p for p in CASES.rglob("*.py"))
# the good files scanned next to the fuzzed one: every rule, several flow kinds
NEIGHBOURS = {
    "good_exec.py": CASES / "rce001" / "requests_variants.py",
    "good_pickle.py": CASES / "rce002" / "deserializers.py",
    "good_cradle.py": CASES / "rce004" / "cradles.py",
    "good_encoded.py": CASES / "rce005" / "encoded.py",
}
FUZZ = "fuzzed.py"

SETTINGS = settings(
    max_examples=int(os.environ.get("RCEGUARD_PROPERTY_EXAMPLES", "60")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

Key = Tuple[str, str, int, int, str]


def _key(f) -> Key:
    return (f.rule_id, f.location.path, f.location.line, f.location.col, f.message)


def _make_tree(root: Path) -> None:
    (root / "pyproject.toml").write_text("")
    for name, src in NEIGHBOURS.items():
        shutil.copyfile(src, root / name)


@functools.lru_cache(maxsize=None)
def baseline() -> Tuple[Key, ...]:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        _make_tree(root)
        result = scan([root], Config())
    keys = tuple(sorted(_key(f) for f in result.findings))
    assert {k[1] for k in keys} == set(NEIGHBOURS), keys  # every neighbour has findings
    return keys


def check(content: bytes) -> None:
    """Scan the neighbours plus ``content`` as fuzzed.py and check every property."""
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        _make_tree(root)
        (root / FUZZ).write_bytes(content)
        result = scan([root], Config())  # must not raise
        alone = scan([root / FUZZ], Config())  # the file on its own: must not raise either

    others = sorted(_key(f) for f in result.findings if f.location.path != FUZZ)
    assert others == list(baseline()), "the fuzzed file changed the findings of the other files"
    for r in (result, alone):
        assert {n.path for n in r.notices} <= {FUZZ}, r.notices
        assert all("\n" not in n.message and "\r" not in n.message for n in r.notices)
        doc = json.loads(render("sarif", r))
        assert_valid(doc)
        json.loads(render("json", r))
        for fmt in ("text", "github"):
            render(fmt, r)
    assert result.files_scanned == len(NEIGHBOURS) + (0 if any(n.kind in ("read", "parse") for n in result.notices) else 1)


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(content: bytes) -> None:
    check(content)


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    check(text.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------------- mutations

# fragments that steer mutations towards interesting code: sources, sinks, syntax edges
FRAGMENTS = [
    b"requests.get(url).text", b"exec(", b"eval(", b"pickle.loads(", b"subprocess.run(", b"shell=True",
    b"os.system(", b"base64.b64decode(", b"curl -s http://x | sh", b"lambda: ", b"async ", b"await ",
    b"yield ", b"global x\n", b"nonlocal x\n", b"class C:\n", b"def f(*a, **k):\n", b"    ", b"\t", b"\r\n",
    b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", b"(", b")", b"[", b"]", b"{", b"}", b":", b"\\\n", b"'''",
    b'"', b"#", b"# rceguard: ignore\n", b"# -*- coding: latin-1 -*-\n", b"import ", b"from . import x\n",
    b"match x:\n    case 1: pass\n", b"@decorator\n", b"with open(p) as f:\n", b"f'{x!r}'", b"x := 1",
]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 200)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.integers(1, 400)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(FRAGMENTS)),
    st.tuples(st.just("bytes"), st.floats(0, 1), st.binary(min_size=1, max_size=20)),
    st.tuples(st.just("swap_lines"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("dedent"), st.floats(0, 1), st.just(0)),
)


def mutate(data: bytes, ops: List[tuple]) -> bytes:
    for op, where, arg in ops:
        at = int(where * len(data))
        if op == "delete":
            data = data[:at] + data[at + arg:]
        elif op == "duplicate":
            data = data[:at + arg] + data[at:]
        elif op in ("insert", "bytes"):
            data = data[:at] + arg + data[at:]
        elif op == "swap_lines":
            lines = data.split(b"\n")
            if len(lines) > 1:
                i, j = int(where * (len(lines) - 1)), int(arg * (len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                data = b"\n".join(lines)
        elif op == "truncate":
            data = data[:at]
        elif op == "dedent":
            data = data.replace(b"\n    ", b"\n", 1 + at % 7)
    return data


@SETTINGS
@given(st.sampled_from(CASE_FILES), st.lists(mutation, min_size=1, max_size=6))
def test_mutated_examples(source: Path, ops: List[tuple]) -> None:
    check(mutate(source.read_bytes(), ops))


@pytest.mark.parametrize("source", CASE_FILES, ids=lambda p: str(p.relative_to(CASES)))
def test_unmutated_examples_as_the_fuzzed_file(source: Path) -> None:
    """The harness itself: an example copied in as is keeps the other files' findings too."""
    check(source.read_bytes())


def test_the_harness_notices_lost_findings(monkeypatch) -> None:
    """If the other files' findings did change, check() would say so."""
    import rceguard.scan as scan_mod

    real = scan_mod.scan

    def lossy(paths, config=None, **kw):
        result = real(paths, config, **kw)
        result.findings = [f for f in result.findings if f.location.path != "good_pickle.py"]
        return result

    baseline()
    monkeypatch.setattr(sys.modules[__name__], "scan", lossy)
    with pytest.raises(AssertionError, match="changed the findings"):
        check(b"x = 1\n")
