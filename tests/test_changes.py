"""--diff REF, --staged and --changed-lines against real temporary git repositories (real engine)."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from rceguard.changes import LineSet, parse_hunks, parse_name_status, unquote_path
from rceguard.cli import main
from samples import isolated_git_env, run_git

REMOTE_EXEC = "import requests\n\n\ndef run(u):\n    exec(requests.get(u).text)\n"  # exec on line 5
OLD = REMOTE_EXEC.replace("def run(", "def legacy(")  # same shape, other content than new.py
APPENDED = "\n\ndef run2(u):\n    exec(requests.get(u).text)\n"  # exec on line 9 once appended


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user/system git configuration; fixed identities; predictable branch names."""
    for name, value in isolated_git_env(tmp_path_factory.mktemp("gitconfig")).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    monkeypatch.delenv("GIT_INDEX_FILE", raising=False)


def git(repo: Path, *args: str) -> str:
    return run_git(repo, *args)


def write(repo: Path, files: Dict[str, str]) -> None:
    for rel, text in files.items():
        p = repo / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def make_repo(path: Path, files: Dict[str, str]) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write(path, files)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "base")
    return path


def run_json(monkeypatch, capsys, cwd: Path, *args: str) -> Tuple[int, dict]:
    monkeypatch.chdir(cwd)
    code = main(["--format", "json", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out)


def places(data: dict) -> Set[Tuple[str, int]]:
    return {(f["location"]["path"], f["location"]["line"]) for f in data["findings"]}


def run_err(monkeypatch, capsys, cwd: Path, *args: str) -> str:
    monkeypatch.chdir(cwd)
    assert main(list(args)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err


def make_pr_repo(tmp_path: Path) -> Path:
    """main: old.py and touched.py (remote exec at line 5); feature: adds new.py and a second remote
    exec at the end of touched.py (line 9)."""
    repo = make_repo(tmp_path / "repo", {"old.py": OLD, "touched.py": REMOTE_EXEC})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"new.py": REMOTE_EXEC, "touched.py": REMOTE_EXEC + APPENDED})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    return repo


@pytest.fixture
def acceptance(tmp_path: Path) -> Path:
    return make_pr_repo(tmp_path)


# ----------------------------------------------------------------------------- the acceptance test


def test_a_failing_git_command_says_why(tmp_path: Path) -> None:
    """The helpers' assertion carries git's own message, not only "exit status 128"."""
    make_repo(tmp_path / "r", {"a.py": "x = 1\n"})
    with pytest.raises(AssertionError) as info:
        git(tmp_path / "r", "rev-parse", "--verify", "no-such-branch")
    message = str(info.value)
    assert "exit status 128" in message and "Needed a single revision" in message


def test_tests_run_git_with_an_empty_global_config_file() -> None:
    """Not /dev/null: if that device were ever replaced by a file, git would read it as config."""
    path = os.environ["GIT_CONFIG_GLOBAL"]
    assert path != os.devnull
    st = os.stat(path)
    assert stat.S_ISREG(st.st_mode) and st.st_size == 0
    assert os.environ["GIT_CONFIG_NOSYSTEM"] == "1"


def test_acceptance_diff_and_changed_lines(acceptance: Path, monkeypatch, capsys) -> None:
    # the whole tree: three files, four findings
    code, data = run_json(monkeypatch, capsys, acceptance)
    assert code == 1 and places(data) == {("old.py", 5), ("new.py", 5), ("touched.py", 5), ("touched.py", 9)}

    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "main")
    assert code == 1
    assert places(data) == {("new.py", 5), ("touched.py", 5), ("touched.py", 9)}
    assert data["summary"]["files_scanned"] == 2

    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "main", "--changed-lines")
    assert code == 1
    assert places(data) == {("new.py", 5), ("touched.py", 9)}

    # text output, explicit path argument
    monkeypatch.chdir(acceptance)
    assert main(["--diff", "main", "--changed-lines", "--no-color", "."]) == 1
    out = capsys.readouterr().out
    assert "new.py:5:5: RCE001" in out and "touched.py:9:5: RCE001" in out
    assert "old.py" not in out and "touched.py:5:" not in out


def test_nothing_changed_is_clean(acceptance: Path, monkeypatch, capsys) -> None:
    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "HEAD")
    assert code == 0 and data["findings"] == [] and data["summary"]["files_scanned"] == 0


def test_diff_on_the_base_branch_says_nothing_changed(acceptance: Path, monkeypatch, capsys) -> None:
    git(acceptance, "checkout", "-q", "main")
    monkeypatch.chdir(acceptance)
    assert main(["--diff", "main"]) == 0
    captured = capsys.readouterr()
    head = git(acceptance, "rev-parse", "HEAD").strip()
    assert captured.err == f"rceguard: no files changed since main (merge base {head[:12]}): nothing to scan\n"
    assert "Scanned 0 files" in captured.out
    write(acceptance, {"notes.txt": "not python\n"})
    assert main(["--diff", "main"]) == 0
    assert "none of the 1 file changed since main" in capsys.readouterr().err
    git(acceptance, "add", "notes.txt")
    assert main(["--staged"]) == 0
    assert "none of the 1 file staged (compared with HEAD)" in capsys.readouterr().err
    git(acceptance, "commit", "-q", "-m", "notes")
    assert main(["--staged"]) == 0
    assert capsys.readouterr().err == "rceguard: no files staged (compared with HEAD): nothing to scan\n"


def test_diff_includes_uncommitted_and_untracked_not_deleted(acceptance: Path, monkeypatch, capsys) -> None:
    write(acceptance, {"old.py": OLD + APPENDED, "untracked.py": REMOTE_EXEC, "notes.txt": "x"})
    (acceptance / "new.py").unlink()  # deleted in the working tree: not scanned, no error
    write(acceptance, {".gitignore": "ignored.py\n", "ignored.py": REMOTE_EXEC})
    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "main", "--changed-lines")
    assert code == 1
    assert places(data) == {("old.py", 9), ("untracked.py", 5), ("touched.py", 9)}
    assert data["notices"] == []


def test_diff_intersects_with_paths(acceptance: Path, monkeypatch, capsys) -> None:
    write(acceptance, {"sub/a.py": REMOTE_EXEC, "other/b.py": REMOTE_EXEC})
    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "main", "sub", "touched.py")
    assert places(data) == {("sub/a.py", 5), ("touched.py", 5), ("touched.py", 9)}
    # run from a subdirectory: paths stay repository-relative
    code, data = run_json(monkeypatch, capsys, acceptance / "sub", "--diff", "main")
    assert places(data) == {("sub/a.py", 5)}


def test_flow_step_on_changed_line_keeps_old_sink(tmp_path: Path, monkeypatch, capsys) -> None:
    base = 'import requests\n\n\ndef run(u):\n    code = "print(1)"\n    exec(code)\n\n\ndef other(u):\n    exec(requests.get(u).text)\n'
    repo = make_repo(tmp_path / "r", {"m.py": base})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"m.py": base.replace('code = "print(1)"', "code = requests.get(u).text")})
    git(repo, "commit", "-q", "-am", "make it remote")
    code, data = run_json(monkeypatch, capsys, repo, "--diff", "main", "--changed-lines")
    # the exec on line 6 did not change, but the flow starts on the changed line 5; line 10 is old
    assert places(data) == {("m.py", 6)}
    code, data = run_json(monkeypatch, capsys, repo, "--diff", "main")
    assert places(data) == {("m.py", 6), ("m.py", 10)}


def test_new_sink_in_old_file_using_old_remote_helper(tmp_path: Path, monkeypatch, capsys) -> None:
    base = "import requests\n\n\ndef fetch(u):\n    return requests.get(u).text\n\n\ndef old(u):\n    exec(fetch(u))\n"
    repo = make_repo(tmp_path / "r", {"m.py": base})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"m.py": base + "\n\ndef new(u):\n    eval(fetch(u))\n"})
    git(repo, "commit", "-q", "-am", "new sink")
    code, data = run_json(monkeypatch, capsys, repo, "--diff", "main", "--changed-lines")
    assert places(data) == {("m.py", 13)}


def test_renamed_file_counts_only_its_changed_lines(acceptance: Path, monkeypatch, capsys) -> None:
    git(acceptance, "mv", "old.py", "renamed.py")
    git(acceptance, "commit", "-q", "-m", "rename")
    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "main")
    assert ("renamed.py", 5) in places(data)
    code, data = run_json(monkeypatch, capsys, acceptance, "--diff", "main", "--changed-lines")
    assert places(data) == {("new.py", 5), ("touched.py", 9)}


def test_detached_head_and_commit_refs(acceptance: Path, monkeypatch, capsys) -> None:
    main_sha = git(acceptance, "rev-parse", "main").strip()
    git(acceptance, "checkout", "-q", "--detach", "feature")
    for ref in ("main", main_sha, main_sha[:10], "HEAD~1"):
        code, data = run_json(monkeypatch, capsys, acceptance, "--diff", ref, "--changed-lines")
        assert places(data) == {("new.py", 5), ("touched.py", 9)}, ref


def test_spaces_and_non_ascii_names(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = make_repo(tmp_path / "r", {"dir with space/ünï cödé.py": REMOTE_EXEC, "plain.py": "x = 1\n"})
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {
        "dir with space/ünï cödé.py": REMOTE_EXEC + APPENDED,
        "ñew fïle.py": REMOTE_EXEC,
        "tab\tname.py": REMOTE_EXEC,
    })
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "unicode")
    code, data = run_json(monkeypatch, capsys, repo, "--diff", "main", "--changed-lines")
    assert places(data) == {("dir with space/ünï cödé.py", 9), ("ñew fïle.py", 5), ("tab\tname.py", 5)}


def test_not_a_repository(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "a.py").write_text(REMOTE_EXEC)
    err = run_err(monkeypatch, capsys, tmp_path, "--diff", "main")
    assert "not a git repository" in err
    assert "not a git repository" in run_err(monkeypatch, capsys, tmp_path, "--staged")


def test_unknown_ref_and_bad_ref(acceptance: Path, monkeypatch, capsys) -> None:
    err = run_err(monkeypatch, capsys, acceptance, "--diff", "no-such-branch")
    assert "unknown revision 'no-such-branch'" in err
    err = run_err(monkeypatch, capsys, acceptance, "--diff", "--output=x")
    assert "invalid revision" in err or "expected one argument" in err


def test_no_merge_base_says_fetch_more_history(acceptance: Path, monkeypatch, capsys) -> None:
    git(acceptance, "checkout", "-q", "--orphan", "unrelated")
    git(acceptance, "commit", "-q", "-m", "unrelated history")
    err = run_err(monkeypatch, capsys, acceptance, "--diff", "main")
    assert "no common ancestor" in err and "fetch-depth: 0" in err


def test_shallow_clone(acceptance: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    clone = tmp_path / "shallow"
    run_git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", "-b", "feature", acceptance.as_uri(), str(clone))
    err = run_err(monkeypatch, capsys, clone, "--diff", "origin/main")
    assert "fetch-depth: 0" in err
    err = run_err(monkeypatch, capsys, clone, "--diff", "main~5")
    assert "unknown revision" in err and "fetch-depth: 0" in err


def test_unborn_head(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, {"a.py": REMOTE_EXEC})
    err = run_err(monkeypatch, capsys, repo, "--diff", "main")
    assert "no commits" in err or "unknown revision" in err
    git(repo, "add", "a.py")
    code, data = run_json(monkeypatch, capsys, repo, "--staged", "--changed-lines")
    assert places(data) == {("a.py", 5)}


# ----------------------------------------------------------------------------------------- staged


def test_staged_scans_staged_content(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = make_repo(tmp_path / "r", {"clean.py": "x = 1\n", "old.py": REMOTE_EXEC})
    # staged: a remote exec; working tree: fixed again (not staged)
    write(repo, {"clean.py": REMOTE_EXEC})
    git(repo, "add", "clean.py")
    write(repo, {"clean.py": "x = 2\n"})
    # staged: clean; working tree: a remote exec that is not staged
    write(repo, {"wip.py": "y = 1\n"})
    git(repo, "add", "wip.py")
    write(repo, {"wip.py": REMOTE_EXEC})
    # staged new file, same in the working tree, in a directory with a space
    write(repo, {"pkg dir/ñ.py": REMOTE_EXEC})
    git(repo, "add", "pkg dir/ñ.py")
    code, data = run_json(monkeypatch, capsys, repo, "--staged")
    assert code == 1
    assert places(data) == {("clean.py", 5), ("pkg dir/ñ.py", 5)}
    assert data["summary"]["files_scanned"] == 3  # clean.py, wip.py, pkg dir/ñ.py; not old.py

    # pre-commit style: staged file names passed explicitly
    code, data = run_json(monkeypatch, capsys, repo, "--staged", "clean.py", "wip.py", "old.py")
    assert places(data) == {("clean.py", 5)}
    assert data["summary"]["files_scanned"] == 2


def test_staged_changed_lines(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = make_repo(tmp_path / "r", {"touched.py": REMOTE_EXEC})
    write(repo, {"touched.py": REMOTE_EXEC + APPENDED})
    git(repo, "add", "touched.py")
    # an unstaged edit above shifts working-tree lines; staged line numbers must be used
    write(repo, {"touched.py": "# comment\n# comment\n" + REMOTE_EXEC + APPENDED})
    code, data = run_json(monkeypatch, capsys, repo, "--staged", "--changed-lines")
    assert places(data) == {("touched.py", 9)}
    code, data = run_json(monkeypatch, capsys, repo, "--staged")
    assert places(data) == {("touched.py", 5), ("touched.py", 9)}


@pytest.mark.xfail(
    strict=True,
    reason="engine limitation: Engine._flags reads a non-target module with path.read_bytes() to decide "
    "whether it is worth analysing, bypassing the loader (and so the staged content); the target's own "
    "staged content is used (test_staged_scans_staged_content)",
)
def test_staged_imports_are_read_as_staged(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = make_repo(tmp_path / "r", {
        "helper.py": "import requests\n\n\ndef fetch(u):\n    return requests.get(u).text\n",
        "app.py": "from helper import fetch\n\n\ndef run(u):\n    exec(fetch(u))\n",
    })
    write(repo, {"app.py": "from helper import fetch\n\n\ndef run(u):\n    exec(fetch(u))\n\n\ndef run2(u):\n    eval(fetch(u))\n"})
    git(repo, "add", "app.py")
    # the working tree's helper no longer returns network data, but the commit would keep the old one
    write(repo, {"helper.py": "def fetch(u):\n    return 'print(1)'\n"})
    code, data = run_json(monkeypatch, capsys, repo, "--staged", "--changed-lines")
    assert places(data) == {("app.py", 9)}


def test_nothing_staged(tmp_path: Path, monkeypatch, capsys) -> None:
    repo = make_repo(tmp_path / "r", {"old.py": REMOTE_EXEC})
    write(repo, {"old.py": REMOTE_EXEC + APPENDED})  # modified but not staged
    code, data = run_json(monkeypatch, capsys, repo, "--staged")
    assert code == 0 and data["summary"]["files_scanned"] == 0


# ------------------------------------------------------------------------------------- plumbing


def test_gitpython_is_imported_only_when_needed(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    probe = (
        "import sys; from rceguard.cli import main; code = main([sys.argv[1]]); "
        "print(code, 'git' in sys.modules, 'rceguard.changes' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-3:] == ["0", "False", "False"]


def test_parse_hunks_headers_and_tricky_lines() -> None:
    patch = (
        b'diff --git a/a b.py b/a b.py\n'
        b'index 1..2 100644\n'
        b'--- a/a b.py\t\n'
        b'+++ b/a b.py\t\n'
        b'@@ -3 +3,2 @@ def f():\n'
        b'-x\n'
        b'+++ not a header\n'
        b'+y\n'
        b'@@ -10,2 +11,0 @@\n'
        b'-gone\n'
        b'-gone\n'
        b'diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"\n'
        b'new file mode 100644\n'
        b'--- /dev/null\n'
        b'+++ "b/caf\\303\\251.py"\n'
        b'@@ -0,0 +1 @@\n'
        b'+z\n'
        b'diff --git a/old.py b/old.py\n'
        b'deleted file mode 100644\n'
        b'--- a/old.py\n'
        b'+++ /dev/null\n'
        b'@@ -1 +0,0 @@\n'
        b'-q\n'
    )
    assert parse_hunks(patch) == {b"a b.py": [(3, 4)], "café.py".encode(): [(1, 1)]}


def test_unquote_and_name_status() -> None:
    assert unquote_path(b'"tab\\tname \\"q\\" \\\\ \\303\\274.py"') == 'tab\tname "q" \\ ü.py'.encode()
    assert unquote_path(b"plain name.py") == b"plain name.py"
    data = b"M\0a.py\0R087\0old name.py\0new name.py\0A\0n.py\0C100\0x.py\0y.py\0"
    assert parse_name_status(data) == [("M", b"a.py"), ("R", b"new name.py"), ("A", b"n.py"), ("C", b"y.py")]


def test_lineset() -> None:
    s = LineSet([(5, 7), (1, 1), (8, 9), (20, 20)])
    assert s.ranges == [(1, 1), (5, 9), (20, 20)]
    assert 1 in s and 6 in s and 9 in s and 20 in s
    assert 2 not in s and 10 not in s and 21 not in s
    assert s.overlaps(10, 25) and not s.overlaps(10, 19)
    assert not LineSet() and LineSet(everything=True).overlaps(1000, 1000)
