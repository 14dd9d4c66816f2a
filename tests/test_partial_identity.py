"""One finding, one identity in every mode: a sink in a helper module reached from a caller is
reported at the sink by a full scan and at the call ("via run_snippet() (pkg/util.py:2)") when only
the caller is given (pre-commit, --diff). Both have the same fingerprint, the same baseline entry,
and the same inline ignore on the sink statement silences both (real engine, real CLI)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Tuple

import pytest

from rceguard.cli import main

from test_changes import _isolated_git, git, write  # noqa: F401  (autouse fixture: no user git configuration)

UTIL = "def run_snippet(s, env=None):\n    exec(s, env or {})\n"
NET = "import requests\n\n\ndef fetch_text(url):\n    return requests.get(url, timeout=10).text\n"
LOADER = (
    "from pkg.net import fetch_text\n"
    "from pkg.util import run_snippet\n"
    "\n\n"
    "def load_plugin(url):\n"
    "    run_snippet(fetch_text(url))\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/util.py": UTIL, "pkg/net.py": NET,
                 "pkg/loader.py": LOADER})
    return root


def run(monkeypatch, capsys, root: Path, *args: str) -> Tuple[int, dict]:
    monkeypatch.chdir(root)
    code = main(["--format", "json", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    return code, json.loads(out.out)


def places(data: dict) -> List[Tuple[str, int]]:
    return [(f["location"]["path"], f["location"]["line"]) for f in data["findings"]]


def test_full_and_partial_scans_give_one_fingerprint(project: Path, monkeypatch, capsys) -> None:
    code, full = run(monkeypatch, capsys, project, ".")
    assert code == 1 and places(full) == [("pkg/util.py", 2)]
    code, part = run(monkeypatch, capsys, project, "pkg/loader.py")
    assert code == 1 and places(part) == [("pkg/loader.py", 6)]
    assert "via run_snippet() (pkg/util.py:2)" in part["findings"][0]["message"]
    assert part["findings"][0]["fingerprint"] == full["findings"][0]["fingerprint"]
    # SARIF carries the same key, so code scanning and baselines agree across modes
    monkeypatch.chdir(project)
    main(["--format", "sarif", "pkg/loader.py"])
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["runs"][0]["results"][0]["partialFingerprints"]["rceguard/v1"] == full["findings"][0]["fingerprint"]


def test_baseline_from_full_scan_hides_the_partial_report(project: Path, monkeypatch, capsys) -> None:
    code, data = run(monkeypatch, capsys, project, "--write-baseline", "base.json", ".")
    assert code == 0 and data["summary"]["baselined"] == 1
    entry = json.loads((project / "base.json").read_text())["findings"][0]
    assert entry["path"] == "pkg/util.py" and entry["context"] == "run_snippet"
    code, data = run(monkeypatch, capsys, project, "--baseline", "base.json", "pkg/loader.py")
    assert code == 0 and data["findings"] == [] and data["summary"]["baselined"] == 1
    # a baseline written from the partial run is the same file
    first = (project / "base.json").read_bytes()
    run(monkeypatch, capsys, project, "--write-baseline", "base.json", "pkg/loader.py")
    assert (project / "base.json").read_bytes() == first


def test_two_calls_to_one_helper_sink_are_one_occurrence(project: Path, monkeypatch, capsys) -> None:
    write(project, {"pkg/loader.py": LOADER + "\n\ndef load_other(url):\n    run_snippet(fetch_text(url))\n"})
    code, data = run(monkeypatch, capsys, project, "--write-baseline", "base.json", ".")
    assert json.loads((project / "base.json").read_text())["findings"][0]["count"] == 1
    code, data = run(monkeypatch, capsys, project, "pkg/loader.py")
    assert len(data["findings"]) == 2  # both calls are shown ...
    code, data = run(monkeypatch, capsys, project, "--baseline", "base.json", "pkg/loader.py")
    assert code == 0 and data["findings"] == []  # ... and the one recorded sink hides both


def test_ignore_on_the_sink_statement_silences_both_modes(project: Path, monkeypatch, capsys) -> None:
    write(project, {"pkg/util.py": UTIL.replace("{})", "{})  # rceguard: ignore[RCE001] trusted input only")})
    for args in (["."], ["pkg/loader.py"]):
        code, data = run(monkeypatch, capsys, project, *args)
        assert code == 0 and data["findings"] == [] and data["summary"]["suppressed"] == 1, args


def test_ignore_at_the_call_silences_only_the_partial_report(project: Path, monkeypatch, capsys) -> None:
    write(project, {"pkg/loader.py": LOADER.replace("(url))", "(url))  # rceguard: ignore[RCE001] checked")})
    code, data = run(monkeypatch, capsys, project, "pkg/loader.py")
    assert code == 0 and data["summary"]["suppressed"] == 1
    code, data = run(monkeypatch, capsys, project, ".")  # the sink itself is still reported
    assert code == 1 and places(data) == [("pkg/util.py", 2)]


def test_ignore_for_another_rule_on_the_sink_does_not_silence(project: Path, monkeypatch, capsys) -> None:
    write(project, {"pkg/util.py": UTIL.replace("{})", "{})  # rceguard: ignore[RCE002]")})
    code, data = run(monkeypatch, capsys, project, "pkg/loader.py")
    assert code == 1 and data["summary"]["suppressed"] == 0


def test_diff_run_matches_the_full_baseline_and_the_sink_ignore(project: Path, monkeypatch, capsys) -> None:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    run(monkeypatch, capsys, project, "--write-baseline", "base.json", ".")
    write(project, {"pkg/loader.py": LOADER + "\n# touched\n"})
    code, data = run(monkeypatch, capsys, project, "--diff", "HEAD")
    assert code == 1 and places(data) == [("pkg/loader.py", 6)]  # only the caller changed
    code, data = run(monkeypatch, capsys, project, "--diff", "HEAD", "--baseline", "base.json")
    assert code == 0 and data["summary"]["baselined"] == 1


def test_realistic_project_pre_commit_batch_matches_the_full_scan(tmp_path: Path, monkeypatch, capsys) -> None:
    """tests/cases/projects/pluginhost: a src/ layout where the CLI passes a downloaded plugin to a
    helper that compiles and execs it. A pre-commit batch holding only cli.py reports at the call,
    with the full scan's fingerprint; the full scan's baseline and an ignore at the exec cover it."""
    import shutil

    root = tmp_path / "pluginhost"
    shutil.copytree(Path(__file__).parent / "cases" / "projects" / "pluginhost", root)
    cli = "src/pluginhost/cli.py"
    code, full = run(monkeypatch, capsys, root, "--write-baseline", "base.json", ".")
    code, part = run(monkeypatch, capsys, root, cli)
    assert places(part) == [(cli, 13)] and "via run_plugin() (src/pluginhost/sandbox.py:8)" in part["findings"][0]["message"]
    assert "requests.get() (src/pluginhost/index.py:10)" in part["findings"][0]["message"]
    code, part = run(monkeypatch, capsys, root, "--baseline", "base.json", cli)
    assert code == 0 and part["summary"]["baselined"] == 1
    sandbox = root / "src/pluginhost/sandbox.py"
    sandbox.write_text(sandbox.read_text().replace("# expect: RCE001", "# rceguard: ignore[RCE001] plugins are signed"))
    for args in (["."], [cli]):
        code, data = run(monkeypatch, capsys, root, *args)
        assert code == 0 and data["summary"]["suppressed"] == 1, args
