"""The progress line: only on an interactive terminal, only for a run longer than about a second,
wiped when the run ends; never under pre-commit, in CI, with --quiet or when stderr is not a
terminal. With -o FILE the one-line summary goes to stderr."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from rceguard import progress as progress_mod
from rceguard.cli import main

from samples import REMOTE_EXEC

HOOK = Path(__file__).resolve().parent.parent / "hook"

# the run is slowed down (not timed): every file read by the first pass waits a little, so the
# run takes longer than the progress line's delay
SLOW = (
    "import sys, time\n"
    "import rceguard.scan as s\n"
    "real = s._first\n"
    "def slow(*a, **k):\n"
    "    time.sleep(0.05)\n"
    "    return real(*a, **k)\n"
    "s._first = slow\n"
    "from rceguard.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _tree(root: Path, n: int = 40) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    for i in range(n):
        (root / f"m{i:02}.py").write_text(REMOTE_EXEC if i == 0 else f"def f{i}(x):\n    return x + {i}\n")
    return root


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PRE_COMMIT", "CI")}
    env.update(PYTHONPATH=str(HOOK), NO_COLOR="1", COLUMNS="200", **extra)
    return env


def _run_on_pty(args: List[str], env: Dict[str, str], cwd: Path) -> tuple:
    """Run with stderr on a pseudo-terminal (stdout a pipe); returns (status, stdout, stderr bytes)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-c", SLOW, *args], stdout=subprocess.PIPE, stderr=slave,
                                stdin=subprocess.DEVNULL, env=env, cwd=str(cwd))
        os.close(slave)
        slave = -1
        err = b""
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            err += chunk
        out = proc.stdout.read() if proc.stdout else b""
        status = proc.wait(timeout=120)
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)
    return status, out, err


def _visible(err: bytes) -> str:
    """What a terminal shows at the end: each line as it stands after its carriage returns."""
    text = err.decode("utf-8", "replace").replace("\r\n", "\n")
    shown = []
    for line in text.split("\n"):
        screen: List[str] = []
        for part in line.split("\r"):
            screen[: len(part)] = list(part)
        shown.append("".join(screen).rstrip())
    return "\n".join(shown).strip()


def test_progress_appears_on_a_terminal_and_is_wiped(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    status, out, err = _run_on_pty(["--no-cache", "--jobs", "1", str(tree)], _env(), tmp_path)
    assert status == 1 and b"RCE001" in out
    assert b"rceguard: reading files" in err, err
    assert b"\r" in err
    assert _visible(err) == "", err  # nothing of the line is left on the screen


def _summary(tree: Path, capsys) -> str:
    """The last line of the text report: the one-line summary."""
    main(["--no-cache", str(tree)])
    return capsys.readouterr().out.rstrip("\n").splitlines()[-1]


def test_with_output_file_the_summary_goes_to_stderr(tmp_path: Path, capsys) -> None:
    tree = _tree(tmp_path / "t")
    summary = _summary(tree, capsys)
    assert summary.startswith("Scanned 40 files") and summary.endswith(": 1 finding (1 error).")
    report = tmp_path / "r.json"
    status, out, err = _run_on_pty(["--no-cache", "--jobs", "1", "--format", "json", "-o", str(report), str(tree)],
                                   _env(), tmp_path)
    assert status == 1 and out == b"" and report.is_file()
    assert _visible(err) == summary, err


@pytest.mark.parametrize("how", ["quiet", "PRE_COMMIT", "CI"])
def test_no_progress_under_pre_commit_in_ci_or_with_quiet(tmp_path: Path, how: str) -> None:
    tree = _tree(tmp_path / "t")
    args = ["--no-cache", "--jobs", "1", str(tree)]
    env = _env()
    if how == "quiet":
        args.insert(0, "--quiet")
    else:
        env[how] = "1" if how == "PRE_COMMIT" else "true"
    status, out, err = _run_on_pty(args, env, tmp_path)
    assert status == 1 and b"RCE001" in out
    assert err == b"", err


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t")
    proc = subprocess.run([sys.executable, "-c", SLOW, "--no-cache", "--jobs", "1", str(tree)], env=_env(),
                          cwd=str(tmp_path), capture_output=True, timeout=300)
    assert proc.returncode == 1 and b"RCE001" in proc.stdout
    assert proc.stderr == b""


def test_quiet_keeps_the_summary_off_stderr_with_an_output_file(tmp_path: Path, capsys) -> None:
    tree = _tree(tmp_path / "t", 3)
    assert main(["--quiet", "-o", str(tmp_path / "r.txt"), str(tree)]) == 1
    assert capsys.readouterr().err == ""
    assert main(["-o", str(tmp_path / "r.txt"), str(tree)]) == 1
    assert capsys.readouterr().err == _summary(tree, capsys) + "\n"


class _Terminal:
    def __init__(self) -> None:
        self.written: List[str] = []

    def write(self, s: str) -> None:
        self.written.append(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_a_short_run_shows_nothing_and_the_line_redraws_in_place() -> None:
    term = _Terminal()
    p = progress_mod.Progress(term, delay=3600)
    for i in range(5):
        p("read", i, 5)
    p.close()
    assert term.written == []
    p = progress_mod.Progress(term, delay=0)
    p("read", 1, 2)
    p("analyse", 1, 2)
    p.close()
    assert term.written[0] == "\rrceguard: reading files 1/2 (0 s)"
    assert term.written[1].startswith("\rrceguard: read 2/2 files, analysing 1 of them")
    assert term.written[-1].strip() == "" and term.written[-1].startswith("\r") and term.written[-1].endswith("\r")
    assert p.ticker is not None and not p.ticker.is_alive()


def test_wanted_only_on_a_terminal(monkeypatch) -> None:
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert progress_mod.wanted(_Terminal(), quiet=False)
    assert not progress_mod.wanted(_Terminal(), quiet=True)
    monkeypatch.setenv("CI", "false")
    assert progress_mod.wanted(_Terminal(), quiet=False)
    monkeypatch.setenv("CI", "true")
    assert not progress_mod.wanted(_Terminal(), quiet=False)
