"""What the flow engine read, per module: the hook the per-file result cache (:mod:`rceguard.cache`)
asks to learn which project modules a file's findings can depend on.

The engine fills one :class:`DepLog` when ``engine.analyze(..., deplog=...)`` is given one (it is
never needed for the analysis itself). Every record is made on behalf of the module whose code is
being analysed at that moment (the module of the current unit: a function or a module body):

* ``use``: a project module was located or loaded while resolving a name (a call, a class, an
  import of interest);
* ``read`` / ``write``: a shared store of the engine was read or written (a function's summary,
  a class field, a module global, the downloaded files); a reader depends on every writer;
* ``report``: a finding located in a file was made by this module's analysis (a caller in
  another module that passes data into the file's sink);
* ``loaded``: a file the pre-scan had set aside was loaded (and so analysed) because of this module.

:meth:`edges` turns these into ``module -> modules it depends on`` (absolute paths as strings);
``reads_files`` and ``reads_state`` name the readers of stores that a module may start writing
without being recorded today (the cache treats them conservatively).
"""
from __future__ import annotations

from typing import Dict, Optional, Set, Tuple

# the DepLog of the engine run about to start (set by rceguard.scan around its call; the engine
# takes it when no ``deplog`` argument is given): a stand-in engine ignores it
ACTIVE: Optional["DepLog"] = None


class DepLog:
    """Per-module dependency records of one engine run (see the module docstring)."""

    def __init__(self) -> None:
        self.current: Optional[str] = None  # path of the module being analysed
        self.uses: Dict[str, Set[str]] = {}
        self.readers: Dict[tuple, Set[str]] = {}
        self.writers: Dict[tuple, Set[str]] = {}
        self.reports: Dict[str, Set[str]] = {}  # display path of a finding -> reporting modules
        self.reads_files: Set[str] = set()
        self.reads_state: Dict[str, Set[str]] = {}  # module -> modules whose fields/globals it read
        self.flags: Dict[str, Tuple[bool, bool]] = {}  # the engine's per-module (has sink, originates)
        self.search_dirs: list = []
        self.incomplete = False  # set when the engine could not record (then nothing is reused file by file)
        self.filled = False  # set by the engine at the end of a run
        self.seed_dirs: list = []  # module search folders to know from the start (a partial re-run)

    def use(self, path: object) -> None:
        if self.current is not None and path is not None:
            self.uses.setdefault(self.current, set()).add(str(path))

    def loaded(self, path: object) -> None:
        """``path`` (a file the pre-scan set aside) was loaded because of the current module."""
        if self.current is not None:
            self.uses.setdefault(str(path), set()).add(self.current)

    def read(self, dep: tuple, state_of: Optional[str] = None) -> None:
        if self.current is None:
            return
        self.readers.setdefault(dep, set()).add(self.current)
        if dep[:1] == ("files",):
            self.reads_files.add(self.current)
        elif state_of is not None:
            self.reads_state.setdefault(self.current, set()).add(state_of)

    def write(self, dep: Optional[tuple], writer: Optional[str] = None) -> None:
        w = writer if writer is not None else self.current
        if dep is not None and w is not None:
            self.writers.setdefault(dep, set()).add(w)

    def report(self, display: str) -> None:
        if self.current is not None:
            self.reports.setdefault(display, set()).add(self.current)

    def edges(self) -> Dict[str, Set[str]]:
        """module path -> the module paths its analysis used (readers depend on writers)."""
        out: Dict[str, Set[str]] = {k: set(v) for k, v in self.uses.items()}
        for dep, readers in self.readers.items():
            ws = self.writers.get(dep)
            if not ws:
                continue
            for r in readers:
                out.setdefault(r, set()).update(ws)
        for k, v in out.items():
            v.discard(k)
        return out
