"""Per-function analysis state shared by the analyser (:mod:`.flow`) and its host (:mod:`.engine`).

* :class:`Env`: what each local name may hold at a program point, joined where control flow merges;
* :class:`Summary`: what callers need to know about a function;
* :class:`SinkInfo`: where a sink is, for findings reported from a caller.

Plain data: neither the analyser nor the engine is imported here, so both can depend on it.
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

from ..findings import Location, Step
from .project import ModuleInfo
from .values import EMPTY, Trace, Value, join

GATE = "gate"  # Env.flags key of an opt-in switch (see analysis/precision.py)

# The dependency of a reader that found no downloaded file at all: dirtied by the first file
# written (a reader of a path depends on ("files", path) instead; see Engine._update).
FILES_APPEAR = ("files", "\0any")


class Env:
    """What the local names of a function may hold at one program point (and what they name)."""

    __slots__ = ("vars", "keys", "handles", "digests", "flags", "vfiles")

    def __init__(self) -> None:
        self.vars: Dict[str, Value] = {}
        self.keys: Dict[str, str] = {}
        self.handles: Dict[str, str] = {}
        self.digests: Dict[str, frozenset] = {}
        self.flags: Dict[str, Trace] = {}
        self.vfiles: frozenset = frozenset()

    def copy(self) -> "Env":
        e = Env()
        e.vars = dict(self.vars)
        e.keys = dict(self.keys)
        e.handles = dict(self.handles)
        e.digests = dict(self.digests)
        e.flags = dict(self.flags)
        e.vfiles = self.vfiles
        return e

    def signature(self) -> tuple:
        return (
            tuple(sorted((k, v.signature(), tuple(sorted(t.verified for t in v.labels.values())))
                         for k, v in self.vars.items() if v.labels)),
            tuple(sorted(self.keys.items())),
            tuple(sorted(self.handles.items())),
            tuple(sorted(self.flags)),
        )


def join_envs(*envs: Optional[Env]) -> Optional[Env]:
    """The environment where control flow merges (None: no path reaches it)."""
    live = [e for e in envs if e is not None]
    if not live:
        return None
    if len(live) == 1:
        return live[0].copy()
    out = live[0].copy()
    for e in live[1:]:
        for k, v in e.vars.items():
            old = out.vars.get(k)
            if old is None:
                out.vars[k] = v
            elif old is not v:
                out.vars[k] = join(old, v)
        for k in list(out.vars):
            if k not in e.vars:
                # defined on one path only: keep it, but it is no longer a known constant
                v = out.vars[k]
                if v.const:
                    out.vars[k] = Value(v.labels, v.types, False) if (v.labels or v.types) else EMPTY
        for k, v in e.keys.items():
            if out.keys.get(k, v) != v:
                out.keys.pop(k, None)
            elif k not in out.keys:
                out.keys[k] = v
        out.handles.update(e.handles)
        for k, v in e.digests.items():
            out.digests[k] = out.digests.get(k, frozenset()) | v
        for k, t in e.flags.items():
            out.flags.setdefault(k, t)
        out.vfiles = out.vfiles & e.vfiles
    if GATE in out.flags and not all(GATE in e.flags for e in live):
        del out.flags[GATE]  # gated only where every path is
    return out


class Summary:
    """What callers need to know about a function."""

    __slots__ = ("ret", "param_sinks", "file_params", "field_params")

    def __init__(self) -> None:
        self.ret: Value = EMPTY
        # (param, kind, mode, sink key) -> (SinkInfo, steps)
        self.param_sinks: Dict[tuple, tuple] = {}
        self.file_params: Dict[str, Trace] = {}  # parameter -> how network data was written to it
        # (class key, attr) -> {param: steps}
        self.field_params: Dict[tuple, Dict[str, Tuple[Step, ...]]] = {}

    def signature(self) -> tuple:
        return (
            self.ret.signature(),
            tuple(sorted(map(repr, self.param_sinks))),
            tuple(sorted(self.file_params)),
            tuple(sorted((repr(k), tuple(sorted(v))) for k, v in self.field_params.items())),
        )


class SinkInfo:
    """Where a sink is, for findings reported from a caller."""

    __slots__ = ("module", "location", "name", "stmt_lines", "text", "context", "install_time", "gate")

    def __init__(self, module: ModuleInfo, location: Location, name: str, stmt_lines: Tuple[int, int],
                 text: str, context: str, install_time: str, gate: str = "") -> None:
        self.gate = gate  # the opt-in switch the sink runs under ("" when none)
        self.module = module
        self.location = location
        self.name = name
        self.stmt_lines = stmt_lines
        self.text = text
        self.context = context
        self.install_time = install_time

    def gated(self, gate: str) -> "SinkInfo":
        """The same sink as reached through a call made under the opt-in switch ``gate`` (the
        sink's own switch, if it has one, is the one named)."""
        if self.gate or not gate:
            return self
        return SinkInfo(self.module, self.location, self.name, self.stmt_lines, self.text, self.context,
                        self.install_time, gate)
