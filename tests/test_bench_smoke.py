"""Smoke test of benchmarks/bench.py: file listing, counting, the wheel extraction and the report
table, plus one real run of every rceguard row (cold, warm, one file changed, doubled) on a tiny
generated tree without Bandit. Nothing is downloaded and no timing is asserted; it checks the plumbing.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import zipfile
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
    assert targets["rceguard cold --jobs 1 / bandit"] == ("-", "<= 0.1 (stdlib)", "n/a", "-")
    assert targets["rceguard cold --jobs 1 / ast.parse loop"] == ("0.500", "<= 1.0 (stdlib)", "met", "0.500")
    assert targets["pre-commit call, 2 files (s)"] == ("0.050", "<= 0.15 (stdlib)", "met", "")
    assert targets["peak RSS, rceguard cold (default jobs) (MB)"] == ("205", "(21 wheels: <= 500)", "info", "")
    res.kind = "wheels"
    targets = {row[0]: row[1:] for row in bench.target_rows(res)}
    assert targets["peak RSS, rceguard cold (default jobs) (MB)"] == ("205", "<= 500 (21 wheels)", "met", "")
    assert targets["rceguard cold (default jobs) / ast.parse loop"][1:3] == ("<= 2.0 (21 wheels)", "met")
    json.dumps(bench.to_json(res))  # serialisable


def _wheel(path: Path, members: dict) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


def test_extract_py_files_from_a_zip(bench, tmp_path):
    one = _wheel(tmp_path / "one-1.0-py3-none-any.whl", {
        "one/__init__.py": "x = 1\n",
        "one/sub/mod.py": "y = 2\n",
        "one/data.txt": "not python\n",
        "one-1.0.dist-info/METADATA": "Name: one\n",
        "../evil.py": "outside\n",
        "/abs.py": "outside\n",
    })
    two = _wheel(tmp_path / "two-2.0-py3-none-any.whl", {"two.py": "z = 3\n", "one/__init__.py": "other\n"})
    dest = tmp_path / "tree"
    taken: dict = {}
    assert bench.extract_py_files(str(one), str(dest), taken) == (2, 0)
    assert bench.extract_py_files(str(two), str(dest), taken) == (1, 1)  # one/__init__.py: first kept
    files = sorted(str(p.relative_to(dest)).replace(os.sep, "/") for p in dest.rglob("*") if p.is_file())
    assert files == ["one/__init__.py", "one/sub/mod.py", "two.py"]
    assert (dest / "one" / "__init__.py").read_text() == "x = 1\n"
    assert not (tmp_path / "evil.py").exists()
    assert bench._wheel_matches(str(one), "One==1.0") and not bench._wheel_matches(str(one), "one==1.1")
    assert bench._wheel_matches(str(tmp_path / "jinja2-3.1.6-py3-none-any.whl"), "Jinja2==3.1.6")


def test_wheels_tree_is_reused_from_its_stamp(bench, tmp_path):
    """A laid-out tree whose stamp names the same wheels is used as is: no pip, no network."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "m.py").write_text("x = 1\n")
    (tmp_path / "tree.json").write_text(json.dumps({"specs": ["a==1"]}))
    assert bench.wheels_tree(str(tmp_path), ["a==1"], log=lambda m: None) == str(tree)


_TINY = {
    "pkg/__init__.py": "",
    "pkg/net.py": "import requests\n\n\ndef fetch(url):\n    return requests.get(url).text\n",
    "pkg/run.py": "from pkg.net import fetch\n\n\ndef main(url):\n    exec(fetch(url))\n",
    "pkg/util.py": "def twice(x):\n    return 2 * x\n",
    "pkg/more.py": "def three(x):\n    y = x + 1\n    return y * 3\n",
}


def test_run_all_rows_on_a_tiny_tree(bench, tmp_path, capsys):
    """Every rceguard row runs and reports the same finding; the user's tree is left as it was."""
    tree = tmp_path / "tiny"
    for rel, text in _TINY.items():
        p = tree / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    before = {rel: (tree / rel).read_bytes() for rel in _TINY}
    out = tmp_path / "bench.json"
    code = bench.main(["--tree", str(tree), "--repeat", "1", "--repeat-small", "1", "--precommit-files", "2",
                       "--no-bandit", "--json", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    data = json.loads(out.read_text())
    m = data["measures"]
    for key in ("parse", "rg_j1", "rg_default", "rg_prime", "rg_warm", "rg_touched", "rg_doubled", "small_rg"):
        assert m[key]["skipped"] is None and m[key]["exit"] and m[key]["error"] is None, (key, m[key])
    for key in ("rg_j1", "rg_default", "rg_prime", "rg_warm", "rg_touched"):
        assert m[key]["counts"]["total"] == 1 and m[key]["counts"]["by_rule"].get("RCE001") == 1, key
        assert m[key]["vs_parse"] > 0
    assert m["rg_warm"]["counts"]["sha256"] == m["rg_default"]["counts"]["sha256"]  # warm = cold byte for byte
    assert m["rg_doubled"]["counts"]["total"] == 2 and m["rg_doubled"]["counts"]["files"] == 10
    assert m["bandit"]["skipped"]
    assert data["files"] == 5 and data["touched_file"] in _TINY
    assert {t["measure"] for t in data["targets"]} >= {
        "rceguard warm / ast.parse loop", "rceguard one file changed / ast.parse loop",
        "tree doubled / single tree (cold, default jobs)"}
    assert data["notes"] == []
    assert "rceguard warm (cache, no change)" in text and "tree doubled" in text
    # The user's tree: unchanged, no cache folder written into it.
    assert {rel: (tree / rel).read_bytes() for rel in _TINY} == before
    assert sorted(str(p.relative_to(tree)).replace(os.sep, "/") for p in tree.rglob("*") if p.is_file()) == sorted(_TINY)


def test_interrupted_run_reports_what_it_measured(bench, tmp_path):
    """Stopped (Ctrl-C / SIGTERM) before the cache rows: the cold rows are kept and printed."""
    tree = tmp_path / "tiny"
    for rel, text in _TINY.items():
        p = tree / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def log(msg: str) -> None:
        if msg.startswith("bench: filling the cache"):
            raise KeyboardInterrupt

    args = bench.parse_args(["--tree", str(tree), "--repeat", "1", "--skip", "j1,precommit", "--no-bandit"])
    res = bench.benchmark(args, log)
    assert res.interrupted
    assert res.measures["rg_default"].runs and res.measures["rg_default"].counts[-1]["total"] == 1
    assert res.measures["rg_warm"].skipped == "not reached (interrupted)"
    assert "rg_doubled" not in res.measures
    text = bench.render(res)
    assert text.splitlines()[1].startswith("INCOMPLETE: interrupted")
    assert bench.to_json(res)["interrupted"]


def test_children_cache_bytecode_when_the_environment_forbids_it(bench, tmp_path, monkeypatch, capsys):
    """With PYTHONDONTWRITEBYTECODE set (as in some images), every child would compile rceguard's
    modules at each start; the benchmark lets them cache bytecode in a folder of its own and puts
    the environment back afterwards."""
    tree = tmp_path / "tiny"
    for rel, text in _TINY.items():
        p = tree / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.delenv("PYTHONPYCACHEPREFIX", raising=False)
    code = bench.main(["--tree", str(tree), "--repeat", "1", "--repeat-small", "1", "--precommit-files", "1",
                       "--no-bandit", "--skip", "j1,cache,doubled,precommit"])
    assert code == 0
    assert "children cache bytecode under a temporary folder" in capsys.readouterr().err
    assert os.environ.get("PYTHONDONTWRITEBYTECODE") == "1" and "PYTHONPYCACHEPREFIX" not in os.environ
    assert sorted(str(p.relative_to(tree)).replace(os.sep, "/") for p in tree.rglob("*") if p.is_file()) == sorted(_TINY)
