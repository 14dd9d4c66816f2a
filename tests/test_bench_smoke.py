"""Smoke test of benchmarks/bench.py: file listing, counting and the report table, on a tiny tree.

Nothing here starts rceguard or Bandit or times anything; it only checks the plumbing.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench():
    path = REPO / "benchmarks" / "bench.py"
    spec = importlib.util.spec_from_file_location("rceguard_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def _tree(tmp_path: Path) -> Path:
    files = {
        "a.py": "x = 1\ny = 2\n",
        "pkg/__init__.py": "",
        "pkg/b.py": "def f():\n    return 1",  # no final newline: still 2 lines
        "pkg/tests/t.py": "skipped\n",
        "test/x.py": "skipped\n",
        "idlelib/idle_test/y.py": "skipped\n",
        "site-packages/s.py": "skipped\n",
        "__pycache__/c.py": "skipped\n",
        "notes.txt": "not python\n",
    }
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def test_list_files_skips_test_dirs_and_counts_lines(bench, tmp_path):
    files = bench.list_files(str(_tree(tmp_path)))
    assert [f.rel for f in files] == ["a.py", "pkg/__init__.py", "pkg/b.py"]
    assert [f.lines for f in files] == [2, 0, 2]
    assert all(Path(f.path).is_absolute() for f in files)
    typical = bench.pick_typical(files, 2)
    assert [f.rel for f in typical] == ["a.py", "pkg/b.py"]
    assert bench.pick_typical(files, 2) == typical  # deterministic


def test_report_parsers(bench, tmp_path):
    rg = tmp_path / "rg.json"
    rg.write_text(json.dumps({
        "findings": [{"rule": "RCE001", "level": "error"}, {"rule": "RCE005", "level": "warning"}],
        "summary": {"files_scanned": 3, "unreadable_files": 0, "suppressed": 1,
                    "by_rule": {"RCE001": 1, "RCE002": 0, "RCE005": 1}},
    }))
    c = bench.rceguard_counts(str(rg))
    assert c["total"] == 2 and c["files"] == 3
    assert c["by_rule"] == {"RCE001": 1, "RCE002": 0, "RCE005": 1}
    assert c["by_level"] == {"error": 1, "warning": 1, "note": 0}
    b = tmp_path / "b.json"
    b.write_text(json.dumps({
        "results": [{"test_id": "B102", "issue_severity": "MEDIUM"}, {"test_id": "B102", "issue_severity": "MEDIUM"}],
        "errors": [],
        "metrics": {"_totals": {"loc": 4}, "a.py": {}, "pkg/b.py": {}},
    }))
    c = bench.bandit_counts(str(b))
    assert c == {"total": 2, "by_rule": {"B102": 2}, "by_level": {"medium": 2}, "files": 2, "unreadable": 0}


def test_parse_jobs_help(bench):
    helptext = (
        "options:\n"
        "  --version             print the version and exit\n"
        "  --jobs N              worker processes (default: number of\n"
        "                        CPUs)\n"
        "  --strict              fail on unparseable files\n"
    )
    assert bench.parse_jobs_help(helptext) == (True, "worker processes (default: number of CPUs)")
    assert bench.parse_jobs_help("usage: rceguard [PATH ...]\n") == (False, "")


def test_format_table_and_render_without_bandit(bench, tmp_path):
    table = bench.format_table(["name", "n"], [["a", 1], ["long name", 22]], right=(1,))
    assert table.splitlines() == ["name        n", "---------  --", "a           1", "long name  22"]

    files = bench.list_files(str(_tree(tmp_path)))
    Run, Measure = bench.Run, bench.Measure
    counts = {"total": 0, "by_rule": {"RCE001": 0}, "by_level": {"error": 0, "warning": 0, "note": 0},
              "files": 3, "unreadable": 0}
    measures = {
        "parse": Measure("ast.parse loop", [Run(1.0, 0, 1.0, 20000)]),
        "rg_j1": Measure("rceguard --jobs 1", [Run(0.5, 0, 0.5, 100000)], (0, 1), [counts]),
        "rg_default": Measure("rceguard (default jobs)", [Run(0.4, 1, 0.6, 200000)], (0, 1), [counts]),
        "bandit": Measure("bandit", skipped="not run"),
        "startup": Measure("python -c pass", [Run(0.02, 0, 0.02, 9000)]),
        "small_rg": Measure("rceguard", [Run(0.05, 0, 0.05, 30000)], (0, 1)),
        "small_bandit": Measure("bandit", skipped="not run"),
    }
    info = bench.RceguardInfo("0.1.0", "/x/rceguard", True, "worker processes")
    res = bench.Results(
        tree=str(tmp_path), files=files, small=files[:2], repeat=1, repeat_small=1, rceguard=info,
        bandit_version="", bandit_missing="not installed: `python -m pip install bandit`",
        rceguard_args=[], measures=measures, started="today", machine="test machine",
    )
    text = bench.render(res)
    assert "3 files, 4 lines" in text
    assert "pip install bandit" in text
    targets = {row[0]: row[1:] for row in bench.target_rows(res)}
    assert targets["rceguard --jobs 1 / bandit"] == ("-", "<= 0.1", "n/a", "-")
    assert targets["rceguard --jobs 1 / ast.parse loop"] == ("0.50", "<= 1.0", "met", "0.50")
    assert targets["pre-commit call, 2 files (s)"] == ("0.050", "<= 0.1", "met", "")
    assert targets["peak RSS, rceguard (default jobs) (MB)"] == ("205", "<= 150", "NOT MET", "")
    json.dumps(bench.to_json(res))  # serialisable
