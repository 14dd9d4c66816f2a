"""Per-file reuse of a cached run: which files must be analysed again when some changed.

A run's report is assembled from one :class:`Unit` per given file (its findings, notices,
suppression counts, what it adds to the summary line). When a run is repeated with the same
list of files, the same configuration and the same rceguard, and no module was added to or
removed from the project, only the units whose inputs may have changed are computed again; the
others come from the cache. :func:`assemble` builds the report from units the same way for a
cold and a warm run, so both give the same bytes.

What a file's findings can depend on (:class:`Plan`), conservatively:

* ``changed``: the given files and project modules whose bytes changed; the files whose pre-scan
  decision (analyse / skip) changed; the modules whose engine flags (holds a sink, can produce
  network data) changed — all computed again on every warm run;
* the modules the engine's analysis of the file read (:mod:`rceguard.analysis.deplog`), and what
  those read in turn (callees, classes, writers of the fields, globals and summaries it read, the
  callers in other modules that reported a finding in the file, the file that made a set-aside
  file load) — a file is dirty when anything it reached changed;
* callers that may *start* passing data in: a changed module may now reach any module it names,
  directly or through the modules those name (a word equal to a module's name, anywhere in the
  text: more than the imports, so also ``pkg.mod.f()`` and ``import_module("pkg.mod")``). Among
  those, files holding a sink token, files the pre-scan set aside, and readers of a field or
  global of such a module are dirty;
* a file whose analysis read the downloaded-files store (a file written in one module and run
  in another, matched by name) is dirty whenever a changed module can produce outside data
  (the engine's flag, which follows its imports): only such a module can write a downloaded file.

The dirty files are analysed again together with what they need as given files: the given files
their analysis reached before, and the files the pre-scan would analyse that may now call into a
changed module (files naming it, directly or through other files). Findings are kept only for
the dirty files. Everything else stays a set-aside file that the engine loads (as a given file)
when an analysed one calls into it, exactly as in a full run.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set

from .findings import ScanResult

ARCHIVE_SEP = "!/"
_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


# ------------------------------------------------------------------------------------ units


@dataclass
class Unit:
    """What one given file contributes to a report."""

    findings: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    suppressed: int = 0
    bare: int = 0
    count: int = 0  # files scanned (an archive counts its members)
    skipped: int = 0  # 1: set aside by the pre-scan and never loaded
    scanned: list = field(default_factory=list)  # display paths it adds to ScanResult.scanned
    purposes: dict = field(default_factory=dict)


def unit_of(path: str, units: Dict[str, Any]) -> Optional[str]:
    """The unit (display path of a given file) a finding, notice or purpose at ``path`` belongs to."""
    if path in units:
        return path
    if ARCHIVE_SEP in path:
        head = path.split(ARCHIVE_SEP, 1)[0]
        if head in units:
            return head
    return None


def assemble(units: Iterable[Unit], run_notices: Sequence[Any], root: str) -> ScanResult:
    """The report of a run from its units (and the notices of discovery, which belong to none)."""
    findings: list = []
    notices: list = list(run_notices)
    purposes: Dict[str, str] = {}
    scanned: list = []
    count = skipped = suppressed = bare = 0
    for u in units:
        findings.extend(u.findings)
        notices.extend(u.notices)
        purposes.update(u.purposes)
        scanned.extend(u.scanned)
        count += u.count
        skipped += u.skipped
        suppressed += u.suppressed
        bare += u.bare
    return ScanResult(
        findings=sorted(findings, key=lambda f: f.sort_key()),
        notices=sorted(set(notices)),
        files_scanned=count,
        prescan_skipped=skipped,
        suppressed=suppressed,
        bare_ignores=bare,
        root=root,
        scanned=tuple(sorted(set(scanned))),
        purposes={p: purposes[p] for p in sorted(purposes)},
    )


# --------------------------------------------------------------------------------- mentions


def _closure(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> Set[str]:
    """``start`` and everything reachable from it along ``edges``."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for b in edges.get(todo.pop(), ()):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def stem_of(path: str) -> str:
    """The name a module is referred to by: ``mod`` for .../mod.py, ``pkg`` for .../pkg/__init__.py."""
    base = os.path.basename(path)
    if base == "__init__.py":
        return os.path.basename(os.path.dirname(path))
    return base[:-3] if base.endswith(".py") else base


def mentions(data: bytes, stems: Set[str]) -> List[str]:
    """The module names (of ``stems``) that occur as a word in ``data``."""
    words = set(_WORD.findall(data))
    return sorted(w.decode("ascii") for w in words if w.decode("ascii") in stems)


# ------------------------------------------------------------------------------------- plan


class Plan:
    """Which given files to recompute (``dirty``) and which to analyse for that (``analyse``).

    ``old``: the per-file part of the cached entry (see :meth:`rceguard.cache.Run.save`);
    ``given``: absolute paths of the given Python files; ``modules``: every module path of the
    project (given and not) to its current bytes reader."""

    def __init__(self, old: Dict[str, Any], given: Sequence[str], modules: Sequence[str],
                 read: Callable[[str], Optional[bytes]]) -> None:
        self.old = old
        self.given = list(given)
        self.given_set = set(given)
        self.modules = sorted(set(modules) | self.given_set)
        self.read = read
        self.stems: Dict[str, Set[str]] = {}
        for p in self.modules:
            self.stems.setdefault(stem_of(p), set()).add(p)
        self._stem_names = set(self.stems)
        self._mentions: Dict[str, List[str]] = {}
        self.dirty: Set[str] = set()
        self.analyse: Set[str] = set()

    def mentions_of(self, path: str, changed: Set[str]) -> List[str]:
        got = self._mentions.get(path)
        if got is None:
            stored = self.old.get("mentions", {}).get(path)
            if stored is not None and path not in changed:
                got = stored
            else:
                data = self.read(path)
                got = mentions(data, self._stem_names) if data is not None else []
            self._mentions[path] = got
        return got

    def _named(self, start: Set[str], changed: Set[str]) -> Set[str]:
        """``start`` and every module they name, transitively."""
        seen = set(start)
        todo = list(start)
        while todo:
            p = todo.pop()
            for s in self.mentions_of(p, changed):
                for q in self.stems.get(s, ()):
                    if q not in seen:
                        seen.add(q)
                        todo.append(q)
        return seen

    def _naming(self, start: Set[str], changed: Set[str]) -> Set[str]:
        """``start`` and every module that names one of them, transitively."""
        by_stem: Dict[str, Set[str]] = {}
        for p in self.modules:
            for s in self.mentions_of(p, changed):
                by_stem.setdefault(s, set()).add(p)
        seen = set(start)
        todo = list(start)
        while todo:
            p = todo.pop()
            for q in by_stem.get(stem_of(p), ()):
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    def decide(self, changed: Set[str], has_sink: Callable[[str], bool], skipped: Set[str],
               analysed: Set[str], originates: Callable[[str], bool] = lambda p: True) -> None:
        """``changed``: see the module docstring; ``skipped``: given files the pre-scan sets aside
        now; ``analysed``: given files the pre-scan would analyse now; ``originates``: can this
        module produce outside data (itself or through its imports)?"""
        if not changed:
            return
        graph: Dict[str, List[str]] = self.old.get("graph", {})
        reads_state: Dict[str, List[str]] = self.old.get("reads_state", {})
        named = self._named(set(changed), changed)
        q = set(changed)
        q |= {m for m in named if m in skipped or has_sink(m)}
        q |= {m for m, ks in reads_state.items() if any(k in named for k in ks)}
        if any(originates(m) for m in changed):  # (only such a module can write a downloaded file)
            q |= set(self.old.get("reads_files", ()))
        # dirty: every given file whose analysis reached something in q
        rev: Dict[str, Set[str]] = {}
        for a, bs in graph.items():
            for b in bs:
                rev.setdefault(b, set()).add(a)
        self.dirty = _closure(q, rev) & self.given_set
        # analyse: the dirty files, the given files their analysis reached, callers that may start
        # passing data into a changed module
        need = _closure(self.dirty, graph)
        self.analyse = (need & self.given_set) | (self._naming(set(changed), changed) & analysed) | self.dirty
