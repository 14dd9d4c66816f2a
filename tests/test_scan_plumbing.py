"""The scan pipeline around the engine: pre-scan wiring, read-once, --jobs, lazy imports."""
from __future__ import annotations

import json
import subprocess
import textwrap
import sys
from pathlib import Path
from typing import Dict, List

import pytest

import rceguard.scan as scan_mod
from rceguard.config import Config
from rceguard.scan import scan

CASES = Path(__file__).parent / "cases"
GOOD = "import requests\n\n\ndef update(url):\n    code = requests.get(url).text\n    {sink}(code)\n"


def _keys(result) -> List[tuple]:
    return [(f.sort_key(), f.steps, f.notes, f.level) for f in result.findings]


# ------------------------------------------------------------------------------- pre-scan wiring


def test_prescan_changes_nothing_on_the_labelled_corpus() -> None:
    on = scan([CASES], Config())
    off = scan([CASES], Config(), prescan=False)
    assert on.prescan_skipped > 0 and off.prescan_skipped == 0
    assert on.files_scanned == off.files_scanned
    assert _keys(on) == _keys(off)
    assert on.notices == off.notices


@pytest.mark.parametrize("project", sorted(p.name for p in (CASES / "projects").iterdir() if p.is_dir()))
def test_prescan_changes_nothing_per_project(project: str) -> None:
    path = CASES / "projects" / project
    assert _keys(scan([path], Config())) == _keys(scan([path], Config(), prescan=False))


HIDDEN = {
    # tokens a byte search would not see, but Python does
    "utf7.py": b"# coding: utf-7\n" + GOOD.format(sink="+AGU-xec").encode(),  # +AGU- is "e"
    "utf16.py": GOOD.format(sink="exec").encode("utf-16"),
    "utf32.py": GOOD.format(sink="exec").encode("utf-32"),
    "fullwidth.py": GOOD.format(sink="\uff45\uff58\uff45\uff43").encode(),  # NFKC: exec
    "latin1.py": b"# coding: latin-1\n" + GOOD.format(sink="exec").encode() + b"# \xe9\n",
}


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_prescan_sees_through_encodings_and_normalisation(name: str, tmp_path: Path) -> None:
    (tmp_path / name).write_bytes(HIDDEN[name])
    off = scan([tmp_path / name], Config(), prescan=False)
    assert [f.rule_id for f in off.findings] == ["RCE001"], off.notices  # Python runs it: a real finding
    on = scan([tmp_path / name], Config())
    assert _keys(on) == _keys(off)
    assert on.prescan_skipped == 0


def test_prescan_sees_an_encoded_origin_in_an_imported_module(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helper.py").write_bytes(
        b"# coding: utf-7\nimport +AHI-equests\n\n\ndef fetch(url):\n    return +AHI-equests.get(url).text\n"
    )
    (tmp_path / "main.py").write_text("from helper import fetch\n\n\ndef update(url):\n    exec(fetch(url))\n")
    off = scan([tmp_path], Config(), prescan=False)
    assert [f.location.short() for f in off.findings] == ["main.py:5:5"]
    assert _keys(scan([tmp_path], Config())) == _keys(off)


def test_counts_and_deferred_module_imported_by_an_analysed_file(tmp_path: Path, monkeypatch) -> None:
    """helper.py has no sink (skipped by the pre-scan) but main.py imports it: the engine gets it
    from the bytes read in the first pass. Every file is read exactly once."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helper.py").write_text("import requests\n\n\ndef fetch(url):\n    return requests.get(url).text\n")
    (tmp_path / "main.py").write_text("from helper import fetch\n\n\ndef update(url):\n    exec(fetch(url))\n")
    (tmp_path / "plain.py").write_text("X = 1\n")
    (tmp_path / "broken.py").write_text("def f(:\n")  # skipped by the pre-scan, still named

    reads: Dict[str, int] = {}
    real = scan_mod.read_bytes

    def counting(path):
        reads[Path(path).name] = reads.get(Path(path).name, 0) + 1
        return real(path)

    monkeypatch.setattr(scan_mod, "read_bytes", counting)
    monkeypatch.setattr("rceguard.source.read_bytes", counting)
    result = scan([tmp_path], Config())
    assert [f.location.short() for f in result.findings] == ["main.py:5:5"]
    assert [(n.path, n.kind) for n in result.notices] == [("broken.py", "parse")]
    # plain.py only: helper.py was skipped by the pre-scan, but main.py calls into it, so it was analysed
    assert result.files_scanned == 3 and result.prescan_skipped == 1
    assert reads == {"broken.py": 1, "helper.py": 1, "main.py": 1, "plain.py": 1}


def test_sink_only_module_called_with_network_data_from_a_sink_free_file(tmp_path: Path) -> None:
    """main.py has no sink token and runner.py no source token: the flow still exists."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "runner.py").write_text("def run(code):\n    exec(code)\n")
    (tmp_path / "main.py").write_text("import requests\nfrom runner import run\n\nrun(requests.get('u').text)\n")
    on, off = scan([tmp_path], Config()), scan([tmp_path], Config(), prescan=False)
    assert [f.location.short() for f in off.findings] == ["runner.py:2:5"]
    assert _keys(on) == _keys(off)


def test_origin_three_imports_away(tmp_path: Path) -> None:
    """main -> a -> b -> c, and c calls requests.get: the pre-scan follows imports all the way."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "c.py").write_text("import requests\n\ndef g(u):\n    return requests.get(u).text\n")
    (tmp_path / "b.py").write_text("import c\n\ndef f(u):\n    return c.g(u)\n")
    (tmp_path / "a.py").write_text("import b\n\ndef e(u):\n    return b.f(u)\n")
    (tmp_path / "main.py").write_text("import a\n\ndef run(u):\n    exec(a.e(u))\n")
    off = scan([tmp_path], Config(), prescan=False)
    assert [f.location.short() for f in off.findings] == ["main.py:4:5"]
    assert _keys(scan([tmp_path], Config())) == _keys(off)


def test_constant_decoded_in_an_imported_module(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "helper.py").write_text(
        'import base64\n\nBLOB = "cHJpbnQoMSk="\n\n\ndef payload():\n    return base64.b64decode(BLOB)\n'
    )
    (tmp_path / "main.py").write_text("from helper import payload\n\nexec(payload())\n")
    off = scan([tmp_path], Config(), prescan=False)
    assert [(f.rule_id, f.location.short()) for f in off.findings] == [("RCE005", "main.py:3:1")]
    assert _keys(scan([tmp_path], Config())) == _keys(off)


def test_finding_in_a_deferred_file_honours_inline_suppression(tmp_path: Path) -> None:
    """Findings located in a file the pre-scan deferred still see its `# rceguard: ignore`."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "runner.py").write_text("def run(code):\n    exec(code)  # rceguard: ignore[RCE001] reviewed\n")
    (tmp_path / "main.py").write_text("import requests\nfrom runner import run\n\nrun(requests.get('u').text)\n")
    on, off = scan([tmp_path], Config()), scan([tmp_path], Config(), prescan=False)
    assert _keys(on) == _keys(off)
    assert (on.suppressed, on.findings) == (off.suppressed, off.findings)


def test_prescan_failure_means_full_analysis(tmp_path: Path, monkeypatch) -> None:
    from rceguard.analysis import prescan

    def broken(self, *a, **k):
        raise RuntimeError("pre-scan bug")

    monkeypatch.setattr(prescan.Prescan, "needs_analysis", broken)
    (tmp_path / "a.py").write_text(GOOD.format(sink="exec"))
    result = scan([tmp_path], Config())
    assert [f.rule_id for f in result.findings] == ["RCE001"] and result.prescan_skipped == 0


# ------------------------------------------------------------------------------------------ jobs


@pytest.fixture(scope="module")
def many_files(tmp_path_factory) -> Path:
    """More files than PARALLEL_MIN_FILES, mixing findings, skipped files and bad files."""
    root = tmp_path_factory.mktemp("many")
    (root / "pyproject.toml").write_text("")
    for i in range(scan_mod.PARALLEL_MIN_FILES + 10):
        kind = i % 4
        if kind == 0:
            text = GOOD.format(sink="exec")
        elif kind == 1:
            text = f"def f{i}(x):\n    return x + {i}\n"
        elif kind == 2:
            text = "import subprocess\n\ndef g(cmd):\n    subprocess.run(cmd, shell=True)\n"
        else:
            text = "def broken(:\n" if i % 8 == 3 else "x = 'ok'\n"
        (root / f"m{i:03}.py").write_text(text)
    return root


@pytest.mark.parametrize("method", ["spawn", None])
def test_pool_gives_the_same_result_as_in_process(many_files: Path, monkeypatch, method) -> None:
    monkeypatch.setattr(scan_mod, "START_METHOD", method)
    monkeypatch.setattr(scan_mod, "PARALLEL_MIN_FILES", 10)  # spawn needs SPAWN_COST_FACTOR times more
    calls = []
    real = scan_mod._run_pool

    def spy(*a, **k):
        out = real(*a, **k)
        calls.append([r is not None for r in out])
        return out

    monkeypatch.setattr(scan_mod, "_run_pool", spy)
    one = scan([many_files], Config(), jobs=1)
    assert calls == []
    two = scan([many_files], Config(), jobs=2)
    assert calls and all(all(c) for c in calls), "the pool did not run"
    assert one == two
    assert len(one.findings) == 15 and len(one.notices) == 8


def test_a_pool_that_cannot_start_falls_back_to_in_process(many_files: Path, monkeypatch) -> None:
    import concurrent.futures

    class NoPool:
        def __init__(self, *a, **k):
            raise OSError(38, "Function not implemented")  # e.g. no sem_open in a sandbox

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    assert scan([many_files], Config(), jobs=4) == scan([many_files], Config(), jobs=1)


def test_small_runs_stay_in_process(tmp_path: Path, monkeypatch) -> None:
    def no_pool(*a, **k):
        raise AssertionError("a pool for a pre-commit-sized run")

    monkeypatch.setattr(scan_mod, "_run_pool", no_pool)
    for i in range(10):
        (tmp_path / f"f{i}.py").write_text(GOOD.format(sink="exec"))
    assert len(scan([tmp_path], Config(), jobs=8).findings) == 10


# -------------------------------------------------------------------------------- lazy imports


def _modules_after(code: str, cwd: Path) -> List[str]:
    probe = (
        "import sys, runpy\n"
        "from rceguard.cli import main\n"
        f"rc = main({code})\n"
        "sys.stdout.flush()\n"
        "print('\\n@@' + ' '.join(sorted(m for m in sys.modules if m.startswith(('rceguard', 'git')))) + f' rc={rc}')\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.rsplit("@@", 1)[1].split()


def test_version_loads_nothing_but_the_cli(tmp_path: Path) -> None:
    mods = _modules_after("['--version']", tmp_path)
    assert mods == ["rceguard", "rceguard.cli", "rceguard.errors", "rc=0"]


def test_one_clean_file_does_not_load_the_engine_git_or_other_reporters(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def add(a, b):\n    return a + b\n")
    mods = _modules_after("['a.py']", tmp_path)
    assert "rceguard.analysis.engine" not in mods
    assert not [m for m in mods if m == "git" or m.startswith("git.")]
    assert "rceguard.report.text" in mods
    assert not {"rceguard.report.sarif", "rceguard.report.json", "rceguard.report.github", "rceguard.rules"} & set(mods)
    assert mods[-1] == "rc=0"


def test_sarif_run_with_a_finding_loads_the_engine_and_only_the_sarif_reporter(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(GOOD.format(sink="exec"))
    mods = _modules_after("['--format', 'sarif', '-o', 'out.sarif', 'a.py']", tmp_path)
    assert "rceguard.analysis.engine" in mods and "rceguard.report.sarif" in mods
    assert not {"rceguard.report.json", "rceguard.report.github"} & set(mods)  # (sarif uses text helpers)
    assert not [m for m in mods if m == "git" or m.startswith("git.")]
    assert mods[-1] == "rc=1"
    assert json.loads((tmp_path / "out.sarif").read_text())["runs"][0]["results"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_workers_do_not_outlive_a_killed_scan(method: str, tmp_path: Path) -> None:
    import os
    import signal
    import time

    script = textwrap.dedent(
        f"""\
        import concurrent.futures, multiprocessing, os, sys, time
        import rceguard.scan as s

        def pid(_):
            return os.getpid()

        if __name__ == "__main__":
            ctx = multiprocessing.get_context({method!r})
            pool = concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx, initializer=s._worker_init, initargs=(None,))
            pids = set(pool.map(pid, range(20)))
            print(" ".join(map(str, sorted(pids))), flush=True)
            time.sleep(600)
        """
    )
    (tmp_path / "parent.py").write_text(script)
    proc = subprocess.Popen([sys.executable, str(tmp_path / "parent.py")], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert pids
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    deadline = time.monotonic() + 15
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in pids if _alive(p)]
    assert not alive, f"orphaned pool workers: {alive}"


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


@pytest.mark.parametrize("env, args, pooled", [("1", [], False), ("1", ["--jobs", "2"], True), (None, [], True)])
def test_under_pre_commit_the_default_is_one_process(many_files: Path, monkeypatch, capsys, env, args, pooled) -> None:
    from rceguard.cli import main

    if env is None:
        monkeypatch.delenv("PRE_COMMIT", raising=False)
        monkeypatch.setattr(scan_mod, "default_jobs", lambda: 2)
    else:
        monkeypatch.setenv("PRE_COMMIT", env)
    monkeypatch.setattr(scan_mod, "PARALLEL_MIN_FILES", 5)  # whatever the start method
    used = []
    monkeypatch.setattr(scan_mod, "_run_pool", lambda chunks, *a: used.append(1) or [None] * len(chunks))
    assert main([*args, str(many_files)]) == 1
    capsys.readouterr()
    assert bool(used) == pooled
