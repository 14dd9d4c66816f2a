"""--write-baseline / --baseline: fingerprint matching, count-awareness, stable files (real engine)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Set, Tuple

import pytest

from rceguard import baseline
from rceguard.cli import main
from rceguard.findings import Finding, Location

FUNC = "def {name}(u):\n    code = requests.get(u).text\n    exec(code)\n"


def module(*names: str, pad: int = 0) -> str:
    return "import requests\n" + "\n" * pad + "".join("\n\n" + FUNC.format(name=n) for n in names)


def write(root: Path, files: Dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def scan(monkeypatch, capsys, root: Path, *args: str) -> Tuple[int, dict]:
    monkeypatch.chdir(root)
    code = main(["--format", "json", *args, "."])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, json.loads(out.out)


def reported(data: dict) -> Set[Tuple[str, str]]:
    return {(f["location"]["path"], f["context"]) for f in data["findings"]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, {"pyproject.toml": "", "a.py": module("load", "update"), "b.py": module("fetch_plugin")})
    return root


def test_write_then_apply_hides_everything(project: Path, monkeypatch, capsys) -> None:
    code, data = scan(monkeypatch, capsys, project, "--write-baseline", "rceguard-baseline.json")
    assert code == 0  # everything just recorded is hidden
    assert data["findings"] == [] and data["summary"]["baselined"] == 3
    code, data = scan(monkeypatch, capsys, project, "--baseline", "rceguard-baseline.json")
    assert code == 0 and data["findings"] == [] and data["summary"]["baselined"] == 3
    # text summary says so
    monkeypatch.chdir(project)
    assert main(["--baseline", "rceguard-baseline.json", "--no-color", "."]) == 0
    assert "3 in baseline" in capsys.readouterr().out


def test_file_is_stable_sorted_and_documented(project: Path, monkeypatch, capsys) -> None:
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    first = (project / "base.json").read_bytes()
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    assert (project / "base.json").read_bytes() == first  # byte-identical rewrite
    # moving code around does not change the file either (no line numbers in it)
    write(project, {"a.py": module("update", "load", pad=7)})
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    assert (project / "base.json").read_bytes() == first

    assert first.endswith(b"\n") and b"\r" not in first
    data = json.loads(first)
    assert data["version"] == 1 and "fingerprint" in data["comment"]
    assert json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == first.decode()
    entries = data["findings"]
    assert [(e["path"], e["context"]) for e in entries] == [("a.py", "load"), ("a.py", "update"), ("b.py", "fetch_plugin")]
    e = entries[0]
    assert set(e) == {"context", "count", "fingerprint", "path", "rule", "sink", "source"}
    assert e["rule"] == "RCE001" and e["count"] == 1 and e["sink"] == "exec(code)" and e["source"] == "requests.get"
    assert not any("line" in key for e in entries for key in e)


def test_moved_function_stays_hidden(project: Path, monkeypatch, capsys) -> None:
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    # reorder within the file and shift lines
    write(project, {"a.py": module("update", "load", pad=12)})
    code, data = scan(monkeypatch, capsys, project, "--baseline", "base.json")
    assert code == 0 and data["findings"] == [] and data["summary"]["baselined"] == 3
    # move `fetch_plugin` from b.py to a new module c.py
    write(project, {"b.py": "import requests\n", "c.py": module("fetch_plugin", pad=3)})
    code, data = scan(monkeypatch, capsys, project, "--baseline", "base.json")
    assert code == 0 and data["findings"] == [] and data["summary"]["baselined"] == 3


def test_copy_is_reported(project: Path, monkeypatch, capsys) -> None:
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    # a copy of a baselined function under a new name: another fingerprint
    write(project, {"a.py": module("load", "update", "load_again")})
    code, data = scan(monkeypatch, capsys, project, "--baseline", "base.json")
    assert code == 1 and reported(data) == {("a.py", "load_again")}
    assert data["summary"]["baselined"] == 3


def test_count_aware_copy_with_same_fingerprint(project: Path, monkeypatch, capsys) -> None:
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    # the same function (same name, same body) copied into another module: same fingerprint,
    # but the baseline holds one occurrence, so one is reported - the copy, not the original
    write(project, {"copy.py": module("fetch_plugin")})
    code, data = scan(monkeypatch, capsys, project, "--baseline", "base.json")
    assert code == 1 and reported(data) == {("copy.py", "fetch_plugin")}
    assert data["summary"]["baselined"] == 3
    # recording it makes the count 2 for that fingerprint, in two entries
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    entries = json.loads((project / "base.json").read_text())["findings"]
    fps = [e["fingerprint"] for e in entries if e["context"] == "fetch_plugin"]
    assert len(fps) == 2 and fps[0] == fps[1]
    code, data = scan(monkeypatch, capsys, project, "--baseline", "base.json")
    assert code == 0 and data["summary"]["baselined"] == 4


def test_changed_code_is_reported(project: Path, monkeypatch, capsys) -> None:
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    write(project, {"b.py": module("fetch_plugin").replace("exec(code)", "exec(code, {})")})
    code, data = scan(monkeypatch, capsys, project, "--baseline", "base.json")
    assert code == 1 and reported(data) == {("b.py", "fetch_plugin")}


def test_sarif_and_github_leave_baselined_findings_out(project: Path, monkeypatch, capsys) -> None:
    scan(monkeypatch, capsys, project, "--write-baseline", "base.json")
    write(project, {"new.py": module("fresh")})
    monkeypatch.chdir(project)
    assert main(["--format", "sarif", "--baseline", "base.json", "."]) == 1
    sarif = json.loads(capsys.readouterr().out)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris == ["new.py"]


def test_bad_baseline_files(project: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(project)
    cases = {
        "missing.json": "baseline file not found",
        "garbage.json": "not valid JSON",
        "list.json": "not an rceguard baseline",
        "version.json": "unsupported baseline version",
        "count.json": "count must be a positive integer",
    }
    write(project, {
        "garbage.json": "{",
        "list.json": "[]",
        "version.json": '{"version": 99, "findings": []}',
        "count.json": '{"version": 1, "findings": [{"fingerprint": "ab", "count": 0}]}',
    })
    for name, words in cases.items():
        assert main(["--baseline", name, "."]) == 2, name
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1, (name, err)


def _finding(path: str, line: int, context: str = "f") -> Finding:
    return Finding(
        rule_id="RCE001", level="error", message="m", location=Location(path, line, 1, line, 5),
        context=context, sink_text="exec(x)", source_api="requests.get",
    )


def test_split_prefers_the_recorded_path() -> None:
    a1, a2, b1 = _finding("a.py", 3), _finding("a.py", 9), _finding("b.py", 1)
    assert a1.fingerprint == a2.fingerprint == b1.fingerprint
    base = baseline.loads(baseline.dumps([b1]))
    kept, hidden = baseline.split([a1, a2, b1], base)
    assert hidden == [b1] and kept == [a1, a2]
    base = baseline.loads(baseline.dumps([a1, a2]))
    assert json.loads(baseline.dumps([a1, a2]))["findings"][0]["count"] == 2
    kept, hidden = baseline.split([a1, b1, a2], base)
    assert kept == [b1] and hidden == [a1, a2]
    # an entry whose path no longer has it still hides one occurrence elsewhere (moved code)
    kept, hidden = baseline.split([b1], baseline.loads(baseline.dumps([a1])))
    assert kept == [] and hidden == [b1]
