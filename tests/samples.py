"""Shared by several test modules: source text in the seed's shape (a remote plugin run with exec),
a git runner for the tests that build repositories, which says why git failed; and the list of
labelled case files."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Union

REMOTE_EXEC = '''\
from types import ModuleType

import urllib3


def load(base):
    url = base + "/plugin.py"
    with urllib3.PoolManager() as http:
        response = http.request("GET", url)
    compiled = compile(response.data, url, "exec")
    module = ModuleType(url)
    exec(compiled, module.__dict__)
    return module
'''
REMOTE_EXEC_LINE = 12  # the exec(...) line of REMOTE_EXEC


def run_git(cwd: Union[str, Path], *args: str, env: Optional[Mapping[str, str]] = None, timeout: float = 120) -> str:
    """``git ARGS`` in ``cwd``; its stdout. When git fails, the assertion message holds the command,
    the exit status and git's stderr (not just "exit status 128")."""
    proc = subprocess.run(
        ["git", *args], cwd=str(cwd), env=None if env is None else dict(env),
        capture_output=True, text=True, timeout=timeout,
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"git {' '.join(args)} (in {cwd}) failed with exit status {proc.returncode}:\n"
            f"{proc.stderr.strip() or proc.stdout.strip() or '(no output)'}"
        )
    return proc.stdout


def isolated_git_env(config_dir: Path) -> Dict[str, str]:
    """Variables that keep the user's and the machine's git configuration out of a test: the global
    configuration is an empty file in ``config_dir`` (git reads /dev/null as a config file too, but
    a test must never depend on the state of /dev/null), the system one is skipped, and the
    identities are fixed."""
    config_dir.mkdir(parents=True, exist_ok=True)
    empty = config_dir / "gitconfig"
    empty.write_text("", encoding="utf-8")
    env = {"GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1"}
    for who in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{who}_NAME"] = "Test"
        env[f"GIT_{who}_EMAIL"] = "test@example.invalid"
    return env


# labelled files: Python modules, notebooks (markers in the cell's source line, which is one line
# of the .ipynb file), .pth files, and shell-kind files (shell scripts, Dockerfiles, workflow/action
# YAML, Makefiles, `#!` scripts without a suffix), where a `# expect:` comment works too
LABELLED_SUFFIXES = (".py", ".ipynb", ".pth")
SHELL_KIND_SUFFIXES = (".sh", ".bash", ".zsh", ".yml", ".yaml", ".mk", ".Dockerfile")
SHELL_KIND_NAMES = ("Dockerfile", "Containerfile", "Makefile", "GNUmakefile")


def case_files(folder: Path) -> List[Path]:
    """Every labelled file under ``folder``."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and (
        p.suffix in LABELLED_SUFFIXES or p.name.endswith(SHELL_KIND_SUFFIXES) or p.name in SHELL_KIND_NAMES
        or ("." not in p.name and p.read_bytes()[:2] == b"#!")))
