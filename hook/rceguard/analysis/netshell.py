"""Shells wired to the network (reverse and bind shells), reported as RCE006.

A shell or interpreter started with its stdin/stdout on a socket runs whatever the other end
sends, line by line: network data run as commands. Two shapes:

* ``os.dup2(s.fileno(), 0)`` (or 1/2, ``sys.stdin.fileno()`` …) and then a shell or interpreter
  started with no ``-c`` command: ``pty.spawn("/bin/sh")``, ``subprocess.call(["/bin/sh", "-i"])``,
  ``os.execv("/bin/bash", …)``, ``os.system("/bin/sh -i")``;
* ``subprocess.*([shell, …], stdin=s.fileno() | s, …)``: the socket given as the child's stdin.

Sockets are values typed ``inst:socket.socket`` (``socket.socket()``, ``create_connection``,
``accept()`` …, see the type rows) and their ``fileno()``, typed ``inst:socket.fd`` (a type row too);
``os.dup2`` and the like are ``redirects`` rows (applied by analysis/models.py, which calls
:func:`redirect`). ``dup2`` of a regular file and ``stdin=subprocess.PIPE`` are not sockets.
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, List, Optional

from ..knowledge import sinks as K
from ..knowledge.models import SOCKET_FD_TYPE
from .values import EMPTY, Trace, Value

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine
    from .flow import FunctionAnalyzer
    from .state import Env

# a socket, and its descriptor (the type row of ``socket.socket.fileno``)
SOCKET_TYPES = frozenset({"inst:socket.socket", "inst:" + SOCKET_FD_TYPE})
FLAG = "netstdio"
_STD_NAMES = ("stdin", "stdout", "stderr", "__stdin__", "__stdout__", "__stderr__")


def is_socket(v: Optional[Value]) -> bool:
    return v is not None and any(t in SOCKET_TYPES for t in v.types)


def _is_std_fd(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in (0, 1, 2)
    if isinstance(node, ast.Name):
        return True  # for fd in (0, 1, 2): os.dup2(s.fileno(), fd) -- a socket put on some fd
    text = ast.dump(node)
    return any(f"'{n}'" in text for n in _STD_NAMES)


def redirect(A: "FunctionAnalyzer", node: ast.Call, env: "Env", args: List[Value]) -> Value:
    """``os.dup2(sock_fd, 0)``: from here on, the standard streams of this process are the socket."""
    if len(args) >= 2 and len(node.args) >= 2 and is_socket(args[0]) and _is_std_fd(node.args[1]):
        if FLAG not in env.flags:
            env.flags[FLAG] = Trace((A.step(node, f"`{A.text(node)}`: the standard streams are now a socket"),),
                                    source_api="socket.socket")
    return EMPTY


def _runs_stdin(base: str, argv: List[ast.expr]) -> bool:
    """A shell/interpreter that reads its commands from stdin (no ``-c``/script operand)."""
    if base not in K.SHELLS and base not in K.INTERPRETERS:
        return False
    for a in argv[1:]:
        if isinstance(a, ast.Constant) and isinstance(a.value, str):
            if a.value in K.INLINE_FLAGS:
                return False
            if not a.value.startswith("-"):
                return False  # a script file: its own program, not the socket's
        else:
            return False
    return True


def check_process(E: "Engine", A: "FunctionAnalyzer", node: ast.Call, env: "Env", base: str,
                  argv: List[ast.expr], name: str) -> None:
    """A process sink that starts a shell: is its stdin the network?"""
    if not _runs_stdin(base, argv):
        return
    trace = env.flags.get(FLAG)
    if trace is None:
        for k in node.keywords:
            if k.arg in ("stdin", "stdout") and is_socket(A.ev(k.value, env.copy())):
                trace = Trace((A.step(k.value, f"`{k.arg}={A.text(k.value)}`: the child's {k.arg} is a socket"),),
                              source_api="socket.socket")
                break
    if trace is not None:
        E.report("RCE006", trace, A, node, name, extra="its input is a socket: a reverse or bind shell")


def check_command(E: "Engine", A: "FunctionAnalyzer", node: ast.Call, env: "Env", name: str) -> None:
    """``os.system("/bin/sh -i")`` after ``dup2``."""
    trace = env.flags.get(FLAG)
    if trace is None or not node.args:
        return
    cmd = node.args[0]
    if not (isinstance(cmd, ast.Constant) and isinstance(cmd.value, str) and cmd.value.split()):
        return
    words = cmd.value.split()
    base = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if _runs_stdin(base, [ast.Constant(w) for w in words]):
        E.report("RCE006", trace, A, node, name, extra="its input is a socket: a reverse or bind shell")
