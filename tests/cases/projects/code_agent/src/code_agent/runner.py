"""Runs snippets in a namespace of their own (not a sandbox) and captures their output."""
from __future__ import annotations

import contextlib
import io
import subprocess
from typing import Dict


def run_snippet(source: str, name: str = "<agent>") -> str:
    namespace: Dict[str, object] = {"__name__": "__agent__"}
    out = io.StringIO()
    code = compile(source, name, "exec")
    with contextlib.redirect_stdout(out):
        exec(code, namespace)  # expect: RCE001
    return out.getvalue()


def run_shell(command: str) -> str:
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)  # expect: RCE006
    return proc.stdout


def format_check(path: str) -> int:
    """Our own formatter over a file the agent wrote: a fixed argv, no shell."""
    return subprocess.run(["python", "-m", "black", "--quiet", path], check=False).returncode


def selftest() -> str:
    """A snippet of our own, so the runner is known to work."""
    return run_snippet("print(sum(range(10)))", "<selftest>")
