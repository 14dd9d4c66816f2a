"""Callers across the project: a cheap text index of the project's Python files.

Given only some files (a pre-commit batch, a pull request, the sink's own module), the outside data
of a flow often enters in a *caller* in another module: ``pkg/net.py`` passes
``requests.get(u).text`` to ``pkg/runner.py``'s ``run(code)``, which runs ``exec(code)``. The
engine follows callees by itself; for callers it asks this index which project files mention the
name of a function whose parameter reaches a sink in a given file. Only those files are parsed, and
only their functions (or module-level code) that mention the name are analysed: resolution in the
flow analysis then decides whether the call really goes to that function (a same-named function
of another module is not it).

The index holds bytes only (no syntax trees). It is built on the first question and never when the
given files are the whole project.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set

from .prescan import probe

#: top-level ``def``/``class`` names of a file (for a file not parsed yet)
DEF_RE = re.compile(rb"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)", re.M)


def real(p: "os.PathLike[str] | str") -> Path:
    """The identity used for files here: absolute, symlinks resolved."""
    return Path(os.path.realpath(os.fspath(p)))


class CallerIndex:
    """The project's Python files, searched by identifier for plausible callers.

    ``files()``: the project's ``.py`` files (called once, lazily). ``read(path)``: their bytes
    (staged contents where the scan has them), None when unreadable. ``given``: the files the user
    asked about; when every project file is among them the index is :attr:`empty` (callers are
    analysed as given files anyway)."""

    def __init__(self, files: Callable[[], Sequence[Path]], read: Callable[[Path], Optional[bytes]],
                 given: Iterable[Path]) -> None:
        self._files_fn = files
        self._read_fn = read
        self._given = {real(p) for p in given}
        self._paths: Optional[List[Path]] = None
        self._data: Dict[Path, bytes] = {}

    def paths(self) -> List[Path]:
        if self._paths is None:
            seen: Set[Path] = set()
            out: List[Path] = []
            for p in self._files_fn():
                r = real(p)
                if r not in seen:
                    seen.add(r)
                    out.append(r)
            self._paths = sorted(out)
        return self._paths

    @property
    def empty(self) -> bool:
        """No project file outside the given ones: nothing to search."""
        return all(p in self._given for p in self.paths())

    def data(self, path: Path) -> bytes:
        got = self._data.get(path)
        if got is None:
            raw = self._read_fn(path)
            got = self._data[path] = probe(raw) if raw else b""
        return got

    def mentioning(self, names: Iterable[str], skip: Callable[[Path], bool]) -> List[Path]:
        """Project files (sorted) whose text holds one of ``names`` as a whole identifier, except
        those ``skip`` rules out (the files the engine already analyses as given ones)."""
        words = sorted({n for n in names if n and n.isidentifier()})
        if not words:
            return []
        encoded = [w.encode() for w in words]
        pat = re.compile(rb"(?<![\w])(?:%s)(?![\w])" % b"|".join(re.escape(w) for w in encoded))
        out = []
        for p in self.paths():
            if skip(p):
                continue
            d = self.data(p)
            if any(w in d for w in encoded) and pat.search(d):
                out.append(p)
        return out


def defined_names(data: bytes) -> List[str]:
    """Names a module defines with ``def``/``class`` (any depth), from its bytes."""
    return sorted({m.group(1).decode("ascii", "replace") for m in DEF_RE.finditer(data)})
