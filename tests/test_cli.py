from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import pytest

import rceguard
from rceguard.cli import main, use_color

from samples import REMOTE_EXEC, REMOTE_EXEC_LINE  # noqa: E402

BENIGN = '''\
import json
import re

import requests

PATTERN = re.compile(r"\\d+")


def settings(url):
    return json.loads(requests.get(url, timeout=5).text)


exec("X = 1")
'''


def run_module(args: Sequence[str], cwd: Path, env: dict = None) -> subprocess.CompletedProcess:
    """``python -m rceguard`` in a subprocess (the installed package, as users run it)."""
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "rceguard", *args],
        cwd=str(cwd),
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# ----------------------------------------------------------------------------- basic interface


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"rceguard {rceguard.__version__}\n"


def test_help_exits_zero(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--format", "--output", "--select", "--ignore", "--fail-on", "--config", "--no-color"):
        assert option in out


def test_rule_catalogue_and_explain(capsys) -> None:
    assert main(["rule"]) == 0
    out = capsys.readouterr().out
    for rid in ("RCE001", "RCE002", "RCE003", "RCE004", "RCE005", "RCE006"):
        assert rid in out
    assert main(["rule", "rce001"]) == 0
    assert capsys.readouterr().out.startswith("RCE001")
    assert main(["rule", "RCE999"]) == 2
    err = capsys.readouterr().err
    assert "unknown rule" in err and err.count("\n") == 1


def test_rule_by_the_name_the_catalogue_shows(capsys) -> None:
    assert main(["rule"]) == 0
    catalogue = capsys.readouterr().out
    assert "remote-code-exec" in catalogue
    assert main(["rule", "RCE001"]) == 0
    by_id = capsys.readouterr().out
    for name in ("remote-code-exec", "Remote-Code-Exec"):
        assert main(["rule", name]) == 0
        assert capsys.readouterr().out == by_id
    assert main(["rule", "remote-os-command"]) == 0
    assert capsys.readouterr().out.startswith("RCE006 remote-os-command")
    assert main(["rule", "remote-code"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RCE001 (remote-code-exec)" in err


@pytest.mark.parametrize("typo", ["rules", "RULE", "ruel"])
def test_a_misspelt_rule_command_says_did_you_mean(typo: str, tmp_path: Path, fake_engine, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([typo]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean `rceguard rule`" in err and f"'{typo}'" in err
    (tmp_path / "rules").mkdir()  # an existing directory of that name is scanned as usual
    (tmp_path / "rules" / "x.py").write_text('danger("RCE001")\n')
    assert main(["--format", "json", "rules"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["location"]["path"] == "rules/x.py"


def test_path_named_rule_is_scanned(tmp_path: Path, fake_engine, capsys, monkeypatch) -> None:
    (tmp_path / "rule").mkdir()
    (tmp_path / "rule" / "x.py").write_text('danger("RCE001")\n')
    monkeypatch.chdir(tmp_path)
    assert main(["--format", "json", "./rule"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["location"]["path"] for f in data["findings"]] == ["rule/x.py"]


def test_default_path_is_cwd(tmp_path: Path, fake_engine, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text('danger("RCE001")\n')
    monkeypatch.chdir(tmp_path)
    assert main(["--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["files_scanned"] == 1


@pytest.mark.parametrize(
    "args, words",
    [
        (["--diff", "main"], "not a git repository"),
        (["--staged"], "not a git repository"),
        (["--diff", "main", "--staged"], "--diff and --staged cannot be combined"),
        (["--changed-lines"], "--changed-lines needs --diff REF or --staged"),
        (["--baseline", "missing-baseline.json"], "baseline file not found"),
        (["--format", "xml"], "invalid choice"),
        (["--fail-on", "fatal"], "invalid choice"),
        (["--select", "RCE9"], "unknown rule id or prefix 'RCE9'"),
        (["--ignore", "FOO"], "unknown rule id or prefix 'FOO'"),
        (["--jobs", "many"], "invalid int value"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, capsys, args, words) -> None:
    assert main([*args, str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert words in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert captured.out == ""


def test_jobs_is_accepted(tmp_path: Path, fake_engine, capsys) -> None:
    (tmp_path / "a.py").write_text('danger("RCE001")\n')
    assert main(["--jobs", "4", str(tmp_path)]) == 1


def test_missing_path_exit_2(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main([str(tmp_path / "a.py"), str(tmp_path / "missing.py")]) == 2
    err = capsys.readouterr().err
    assert "missing.py" in err and "does not exist" in err and err.count("\n") == 1


def test_missing_path_subprocess_no_traceback(tmp_path: Path) -> None:
    proc = run_module(["nope.py"], tmp_path)
    assert proc.returncode == 2
    assert "nope.py" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_internal_error_is_exit_2_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    import rceguard.scan

    def broken(*a, **k):
        raise KeyError("boom")

    monkeypatch.setattr(rceguard.scan, "scan", broken)
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "internal error" in err and "boom" in err and err.count("\n") == 1


def test_engine_crash_on_one_file_keeps_the_others(tmp_path: Path, fake_engine, capsys, monkeypatch) -> None:
    from rceguard.analysis import engine

    inner = engine.analyze

    def flaky(targets, **kwargs):
        if any(t.display == "bad.py" for t in targets):
            raise RecursionError("maximum recursion depth exceeded")
        return inner(targets, **kwargs)

    monkeypatch.setattr(engine, "analyze", flaky)
    (tmp_path / "bad.py").write_text("x = 1\n")
    (tmp_path / "good.py").write_text('danger("RCE001")\n')
    assert main(["--format", "json", str(tmp_path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [f["location"]["path"] for f in data["findings"]] == ["good.py"]
    assert [(n["path"], n["kind"]) for n in data["notices"]] == [("bad.py", "other")]


def test_a_file_that_breaks_the_analysis_is_found_by_halving_the_batch(tmp_path: Path, fake_engine, capsys,
                                                                        monkeypatch) -> None:
    # one bad file of 16: the batch, then a half, a quarter ... of it (2 runs per level), not one
    # run per file (17 runs); the other files in batches as large as can be
    from rceguard.analysis import engine

    inner = engine.analyze
    batches: list = []

    def flaky(targets, **kwargs):
        batches.append(len(targets))
        if any(t.display == "f07.py" for t in targets):
            raise RecursionError("maximum recursion depth exceeded")
        return inner(targets, **kwargs)

    monkeypatch.setattr(engine, "analyze", flaky)
    for i in range(16):
        (tmp_path / f"f{i:02d}.py").write_text('danger("RCE001")\n')
    assert main(["--format", "json", "--jobs", "1", str(tmp_path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert sorted(f["location"]["path"] for f in data["findings"]) == [f"f{i:02d}.py" for i in range(16) if i != 7]
    assert [n["path"] for n in data["notices"]] == ["f07.py"]
    assert batches == [16, 8, 4, 4, 2, 2, 1, 1, 8]


# --------------------------------------------------------------------------- exit codes / levels


@pytest.mark.parametrize(
    "src, fail_on, code",
    [
        ('danger("RCE001", "error")\n', None, 1),
        ('danger("RCE005", "warning")\n', None, 1),  # default --fail-on is warning
        ('danger("RCE005", "note")\n', None, 0),
        ('danger("RCE005", "warning")\n', "error", 0),
        ('danger("RCE005", "note")\n', "note", 1),
        ('danger("RCE001", "error")\n', "never", 0),
        ("x = 1\n", "note", 0),
    ],
)
def test_fail_on(tmp_path: Path, fake_engine, capsys, src, fail_on, code) -> None:
    (tmp_path / "a.py").write_text(src)
    args = ["--fail-on", fail_on] if fail_on else []
    assert main([*args, str(tmp_path)]) == code


def test_select_and_ignore_with_prefixes(tmp_path: Path, fake_engine, capsys) -> None:
    (tmp_path / "a.py").write_text('danger("RCE001")\ndanger("RCE002")\ndanger("RCE006")\n')

    def rules(*args: str) -> list:
        main(["--format", "json", *args, str(tmp_path)])
        return [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]

    assert rules() == ["RCE001", "RCE002", "RCE006"]
    assert rules("--select", "RCE001,rce006") == ["RCE001", "RCE006"]
    assert rules("--select", "RCE00", "--ignore", "RCE002") == ["RCE001", "RCE006"]
    assert rules("--ignore", "RCE00") == []


# -------------------------------------------------------------------------------------- output


def test_output_file(tmp_path: Path, fake_engine, capsys) -> None:
    (tmp_path / "a.py").write_text('danger("RCE001")\n')
    out = tmp_path / "report.sarif"
    assert main(["--format", "sarif", "-o", str(out), str(tmp_path / "a.py")]) == 1
    assert capsys.readouterr().out == ""
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["RCE001"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".rceguard-")]


def test_output_to_missing_directory_is_exit_2(tmp_path: Path, capsys) -> None:
    assert main(["-o", str(tmp_path / "no" / "such" / "dir.txt"), str(tmp_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_renders(tmp_path: Path, fake_engine, capsys, fmt) -> None:
    (tmp_path / "a.py").write_text('x = 1\ndanger("RCE001")\n')
    assert main(["--format", fmt, str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "a.py" in out and "RCE001" in out


class _Tty:
    def isatty(self) -> bool:
        return True


def test_color_rules(monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert use_color(False, _Tty()) is True
    assert use_color(True, _Tty()) is False
    assert use_color(False, open(os.devnull, "w")) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(False, _Tty()) is False


def test_empty_no_color_keeps_colour_and_force_color_forces_it(monkeypatch) -> None:
    """no-color.org: only a non-empty NO_COLOR disables colour; FORCE_COLOR (non-empty) forces it."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color(False, _Tty()) is True
    monkeypatch.delenv("NO_COLOR")
    pipe = open(os.devnull, "w")
    assert use_color(False, pipe) is False
    monkeypatch.setenv("FORCE_COLOR", "")
    assert use_color(False, pipe) is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color(False, pipe) is True
    monkeypatch.setenv("TERM", "dumb")
    assert use_color(False, pipe) is True
    monkeypatch.setenv("NO_COLOR", "1")  # the user's "no" wins over a forced "yes"
    assert use_color(False, pipe) is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color(True, pipe) is False


def test_force_color_colours_a_piped_text_report(tmp_path: Path, fake_engine, capsys, monkeypatch) -> None:
    (tmp_path / "a.py").write_text('danger("RCE001")\n')
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main([str(tmp_path)]) == 1
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("FORCE_COLOR")
    assert main([str(tmp_path)]) == 1
    assert "\x1b[" not in capsys.readouterr().out  # captured output is not a terminal


def test_no_ansi_when_piped(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = run_module([str(tmp_path)], tmp_path)
    assert proc.returncode == 0
    assert "\x1b[" not in proc.stdout and "Scanned" in proc.stdout


# ----------------------------------------------------------------------- real engine, end to end


def test_remote_exec_found_and_benign_clean(tmp_path: Path) -> None:
    (tmp_path / "remote.py").write_text(REMOTE_EXEC)
    (tmp_path / "benign.py").write_text(BENIGN)
    proc = run_module(["--format", "json", "."], tmp_path)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    found = [(f["rule"], f["location"]["path"], f["location"]["line"]) for f in data["findings"]]
    assert found == [("RCE001", "remote.py", REMOTE_EXEC_LINE)]
    proc = run_module(["benign.py"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_quick_start_examples(repo_root: Path) -> None:
    proc = run_module(["examples/"], repo_root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    exec_line = next(
        i for i, text in enumerate((repo_root / "examples" / "remote_plugin.py").read_text().splitlines(), 1)
        if text.strip().startswith("exec(")
    )
    assert any(line.startswith(f"examples/remote_plugin.py:{exec_line}:") and "RCE001" in line for line in lines)
    assert "benign.py" not in proc.stdout.split("Scanned")[0]


def test_inline_suppression_with_real_engine(tmp_path: Path) -> None:
    src = REMOTE_EXEC.replace("exec(compiled, module.__dict__)", "exec(  # rceguard: ignore[RCE001] signed upstream\n        compiled, module.__dict__\n    )")
    (tmp_path / "remote.py").write_text(src)
    proc = run_module(["--format", "json", "remote.py"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["findings"] == [] and data["summary"]["suppressed"] == 1


def test_bad_inputs_are_notices_and_others_still_reported(tmp_path: Path) -> None:
    (tmp_path / "remote.py").write_text(REMOTE_EXEC)
    (tmp_path / "latin1.py").write_bytes(b"x = '\xe9t\xe9'\n")
    (tmp_path / "nul.py").write_bytes(b"x = 1\x00\n")
    (tmp_path / "py2.py").write_text('print "hello"\n')
    (tmp_path / "syntax.py").write_text("def f(:\n")
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "x.py").mkdir()
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    (tmp_path / "deep.py").write_text("x = " + "-" * 500_000 + "1\n")
    (tmp_path / "parens.py").write_text("x = " + "(" * 200_000 + ")" * 200_000 + "\n")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "utf16.py").write_bytes("x = 'ü'\n".encode("utf-16"))  # with a BOM

    proc = run_module(["--format", "json", "."], tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert [(f["rule"], f["location"]["path"]) for f in data["findings"]] == [("RCE001", "remote.py")]
    noticed = {n["path"] for n in data["notices"]}
    expected = {"latin1.py", "nul.py", "py2.py", "syntax.py", "x.py", "dangling.py", "deep.py", "parens.py"}
    if hasattr(os, "mkfifo"):
        expected.add("fifo.py")
    assert noticed == expected
    assert all("\n" not in n["message"] for n in data["notices"])
    assert data["summary"]["files_scanned"] == 3  # remote.py, empty.py, utf16.py

    text = run_module(["--no-color", "."], tmp_path)
    assert text.returncode == 1 and "Traceback" not in text.stderr
    for name in expected:
        assert name in text.stdout


# ---------------------------------------------------------------------------------- roots/paths


def test_paths_relative_to_repository_root(tmp_path: Path, fake_engine, capsys, monkeypatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "services" / "api" / "pkg").mkdir(parents=True)
    (repo / "services" / "api" / "pyproject.toml").write_text('[project]\nname = "api"\n')
    (repo / "services" / "api" / "pkg" / "a.py").write_text('danger("RCE001")\n')
    monkeypatch.chdir(tmp_path)
    assert main(["--format", "json", str(repo / "services" / "api" / "pkg")]) == 1
    data = json.loads(capsys.readouterr().out)
    # SARIF/JSON paths are relative to the repository root (what GitHub code scanning expects) ...
    assert data["findings"][0]["location"]["path"] == "services/api/pkg/a.py"
    assert data["root"] == ""  # no local absolute path unless asked
    assert main(["--format", "json", "--show-root", str(repo / "services" / "api" / "pkg")]) == 1
    assert Path(json.loads(capsys.readouterr().out)["root"]) == repo
    # ... while the engine resolves imports from the project root (nearest pyproject.toml)
    assert Path(fake_engine[-1]["root"]) == repo / "services" / "api"


def test_paths_relative_to_project_without_git(tmp_path: Path, fake_engine, capsys) -> None:
    (tmp_path / "proj" / "src").mkdir(parents=True)
    (tmp_path / "proj" / "setup.cfg").write_text("[metadata]\nname = x\n")
    (tmp_path / "proj" / "src" / "a.py").write_text('danger("RCE001")\n')
    assert main(["--format", "json", str(tmp_path / "proj" / "src" / "a.py")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["findings"][0]["location"]["path"] == "src/a.py"
    assert Path(fake_engine[-1]["root"]) == tmp_path / "proj"


def test_each_file_parsed_once(tmp_path: Path, fake_engine, monkeypatch, capsys) -> None:
    import rceguard.scan as scan_mod
    from rceguard.analysis import engine

    counts: dict = {}
    real_load = scan_mod.load

    def counting_load(path, display, *rest):
        counts[display] = counts.get(display, 0) + 1
        return real_load(path, display, *rest)

    monkeypatch.setattr(scan_mod, "load", counting_load)
    inner = engine.analyze

    def analyze(targets, *, loader=None, root=None, **kw):
        # the engine asks for project modules, including ones that are targets, several times
        for _ in range(3):
            assert loader(Path(root) / "helpers.py") is not None
            assert loader(Path(root) / "a.py") is not None
            assert loader(Path(root) / ".." / "outside.py") is None
        return inner(targets, loader=loader, root=root, **kw)

    monkeypatch.setattr(engine, "analyze", analyze)
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "pyproject.toml").write_text("")
    (proj / "a.py").write_text('danger("RCE001")\n')
    (proj / "helpers.py").write_text("def f():\n    return 1\n")
    (tmp_path / "outside.py").write_text("x = 1\n")
    assert main([str(proj / "a.py")]) == 1
    assert counts == {"a.py": 1, "helpers.py": 1}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_reports_hold_no_absolute_local_path_unless_asked(tmp_path: Path, fake_engine, capsys, monkeypatch, fmt) -> None:
    proj = tmp_path / "where-it-lives"
    (proj / "pkg").mkdir(parents=True)
    (proj / "pyproject.toml").write_text('[project]\nname = "p"\n')
    (proj / "pkg" / "a.py").write_text('danger("RCE001")\n')
    (proj / "pkg" / "broken.py").write_text("def f(:\n")
    (proj / "pkg" / "gone.py").symlink_to(tmp_path / "nowhere.py")
    monkeypatch.chdir(tmp_path)
    assert main(["--format", fmt, str(proj)]) == 1
    out = capsys.readouterr().out
    assert "pkg/a.py" in out and "pkg/broken.py" in out and "pkg/gone.py" in out
    assert str(tmp_path) not in out and tmp_path.as_uri() not in out
    if fmt in ("json", "sarif"):
        assert main(["--format", fmt, "--show-root", str(proj)]) == 1
        shown = capsys.readouterr().out
        assert str(proj) in shown or proj.as_uri() in shown
