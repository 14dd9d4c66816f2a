"""The orchestrator: paths -> :class:`~rceguard.findings.ScanResult`.

discover -> read & parse each file once -> ``engine.analyze`` (with a loader for other project
modules, sharing the same parse cache) -> select/ignore -> inline suppression -> sorted result.
"""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .config import Config, disabled_sources, rule_enabled
from .discover import Excluder, discover
from .findings import Finding, Notice, ScanResult
from .frontends import ARCHIVE, collect as frontend_results, kind_of, load, needs_full_analysis, relocate, with_backends
from .frontends.backend import RUNS_AT as BACKEND_RUNS_AT
from .source import ParsedFile, SourceError, check_source, one_line, read_bytes, split_lines
from . import suppress

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")

PathLike = Union[str, "os.PathLike[str]"]

if TYPE_CHECKING:  # pragma: no cover
    from .cache import Options as CacheOptions


# ------------------------------------------------------------------------------------ root logic


def common_dir(paths: Sequence[PathLike]) -> Path:
    """The deepest directory containing every input (a file input counts as its directory)."""
    dirs = []
    for p in paths or [os.curdir]:
        full = os.path.abspath(os.fspath(p))
        dirs.append(full if os.path.isdir(full) else os.path.dirname(full))
    try:
        return Path(os.path.commonpath(dirs))
    except ValueError:  # different drives
        return Path(dirs[0])


def find_git_root(start: Path) -> Optional[Path]:
    """Nearest ancestor (or ``start`` itself) holding ``.git`` (a directory, or a file for worktrees)."""
    current = Path(os.path.abspath(start))
    while True:
        if (current / ".git").exists():
            return current
        if current.parent == current:
            return None
        current = current.parent


def find_project_root(start: Path) -> Path:
    """Nearest ancestor with pyproject.toml / setup.py / setup.cfg, not looking above the git root;
    else the git root; else the current directory when it contains ``start`` (so reported paths
    are relative to where the user is); else ``start`` (the common directory of the inputs)."""
    current = Path(os.path.abspath(start))
    while True:
        if any((current / m).is_file() for m in PROJECT_MARKERS):
            return current
        if (current / ".git").exists() or current.parent == current:
            break
        current = current.parent
    git = find_git_root(start)
    if git is not None:
        return git
    here = Path(os.path.abspath(os.curdir))
    start = Path(os.path.abspath(start))
    if here == start or here in start.parents:
        return here
    return start


def display_root(start: Path, project_root: Path) -> Path:
    """Directory that reported paths are relative to: the repository root when inside a git
    checkout (so SARIF URIs are repository-relative, also in monorepos), else the project root."""
    git = find_git_root(start)
    if git is not None and (project_root == git or git in project_root.parents):
        return git
    return project_root


def real_key(path: PathLike) -> str:
    """Identity of a file on disk (symlinks resolved, case-folded where the OS does), used to match
    discovered files against the changed files of --diff/--staged."""
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def make_display(root: Path) -> Callable[[Path], str]:
    root_s = os.path.abspath(root)

    def display(path: Path) -> str:
        full = os.path.abspath(os.fspath(path))
        try:
            rel = os.path.relpath(full, root_s)
        except ValueError:
            rel = full
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            rel = full
        return rel.replace(os.sep, "/")

    return display


# ---------------------------------------------------------------------------------------- loader


class FileCache:
    """Parses each file at most once per run; shared by targets and the engine's loader."""

    def __init__(
        self,
        display: Callable[[Path], str],
        project_root: Path,
        contents: Optional[Mapping[str, bytes]] = None,
    ) -> None:
        self.display = display
        self.project_root = os.path.abspath(project_root)
        self.contents = contents  # real_key -> bytes to parse instead of the file (--staged)
        self._cache: Dict[str, Union[ParsedFile, Notice]] = {}
        # bytes already read by the first pass for files not parsed yet (pre-scan skipped):
        # key -> (bytes, display of the discovered path)
        self._seeded: Dict[str, Tuple[bytes, str]] = {}
        self.loaded_seeded: set = set()  # displays of seeded files the engine asked for after all
        self.on_load: Optional[Callable[[str], None]] = None  # the result cache notes what the engine reads

    @staticmethod
    def _key(path: PathLike) -> str:
        return os.path.normcase(os.path.abspath(os.fspath(path)))

    def seed(self, path: Path, data: bytes) -> None:
        """Remember bytes read by the first pass, under the path and its real path (the engine asks
        for resolved paths), so a later :meth:`get` parses them without reading the file again."""
        item = (data, self.display(path))
        self._seeded[self._key(path)] = item
        self._seeded.setdefault(self._key(os.path.realpath(os.fspath(path))), item)

    def put(self, path: Path, item: Union[ParsedFile, Notice]) -> None:
        self._cache[self._key(path)] = item

    def get(self, path: Path) -> Union[ParsedFile, Notice]:
        key = self._key(path)
        hit = self._cache.get(key)
        if hit is None:
            full = Path(os.path.abspath(os.fspath(path)))
            seeded = self._seeded.pop(key, None)
            if seeded is not None:
                self.loaded_seeded.add(seeded[1])
                hit = load(full, seeded[1], seeded[0])
            else:
                data = self.contents.get(real_key(path)) if self.contents else None
                hit = load(full, self.display(Path(path)), data)
            self._cache[key] = hit
        return hit

    def loader(self, path: Path) -> Optional[ParsedFile]:
        """For ``engine.analyze``: another project module, or None. Never reads outside the root."""
        try:
            full = os.path.abspath(os.fspath(path))
            rel = os.path.relpath(full, self.project_root)
            if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
                return None
            if self.on_load is not None:
                self.on_load(full)
            hit = self.get(Path(full))
        except Exception:
            return None
        return hit if isinstance(hit, ParsedFile) else None


# --------------------------------------------------------------------- first pass: read + pre-scan
#
# Every discovered file is read once. The byte-level pre-scan (rceguard.analysis.prescan) decides
# whether a flow can start in it (an origin and a sink, each in the file or in a project module it
# imports); if not, it is only decoded and syntax-checked (symtable: the C parser without building
# Python AST objects) so an unreadable/unparseable file is still named, and its bytes are kept in
# case the engine needs it (an analysed file calls into it). The others are parsed once, in the
# parent process, and analysed together.
#
# With --jobs N > 1 and enough files, this first pass runs in a process pool; parsing and the
# flow engine stay in the parent. Shipping ASTs back from workers does not pay: on the stdlib,
# unpickling the trees took ~3x as long as parsing them (15 s vs 4.4 s), and the engine analyses
# all files together (cross-module summaries), so it cannot be split without changing results.
# Every step of the first pass is a pure function of the file (and the files it imports), so the
# outcome, and the report, do not depend on --jobs. Measured on the stdlib (601 files, 2 cores,
# one of them busy with another job): first pass 1.4-1.5 s in one process, 1.55-1.75 s with two
# forked workers, 1.9-2.2 s with two spawned ones; the engine then takes ~20 s in the parent. A
# fork worker starts in ~20-40 ms, a spawned one in ~0.4-0.5 s, hence the thresholds below.

PARALLEL_MIN_FILES = 50  # fewer files (a pre-commit batch): a fork pool costs more than it saves
SPAWN_COST_FACTOR = 6  # spawned workers start ~15x slower: need that many times more files
START_METHOD: Optional[str] = None  # None: fork on Linux when single-threaded, else spawn
PRESCAN = True  # default for scan(prescan=None); tests with a stand-in engine switch it off

ANALYSE, SKIPPED, BAD = "analyse", "skipped", "bad"
# (absolute path, display path, bytes to use instead of the file, known to pass the syntax check)
_Task = Tuple[str, str, Optional[bytes], bool]
_Outcome = Tuple[str, Any]  # (ANALYSE, bytes) | (SKIPPED, bytes) | (BAD, Notice)


def default_jobs() -> int:
    """CPUs this process may run on."""
    count = getattr(os, "process_cpu_count", None)
    if count is not None:
        return max(1, count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class _Packages:
    """Dotted package names of directories (a directory is a package while it has __init__.py)."""

    def __init__(self) -> None:
        self._memo: Dict[str, Tuple[str, str]] = {}

    def of_dir(self, directory: str) -> Tuple[str, str]:
        """(dotted name of ``directory`` as a package or "", the directory holding its top package)."""
        hit = self._memo.get(directory)
        if hit is None:
            parent = os.path.dirname(directory)
            if parent != directory and os.path.isfile(os.path.join(directory, "__init__.py")):
                name, top = self.of_dir(parent)
                base = os.path.basename(directory)
                hit = (f"{name}.{base}" if name else base, top)
            else:
                hit = ("", directory)
            self._memo[directory] = hit
        return hit

    def module_name(self, path: str) -> str:
        """Same as ``prescan._modname``: ``pkg.sub.mod`` for pkg/sub/mod.py, ``pkg.sub`` for its __init__.py."""
        package, _ = self.of_dir(os.path.dirname(path))
        name = os.path.basename(path)
        if name == "__init__.py":
            return package
        stem = Path(name).stem
        return f"{package}.{stem}" if package else stem


def _prescan_dirs(project_root: Path, files: Sequence[Path], packages: _Packages) -> List[str]:
    """Where the pre-scan looks for imported project modules: the project root, its src/, and the
    directory holding the top package of every scanned file (the engine searches these too)."""
    dirs = [os.path.abspath(project_root)]
    src = os.path.join(dirs[0], "src")
    if os.path.isdir(src):
        dirs.append(src)
    for f in files:
        top = packages.of_dir(os.path.dirname(os.path.abspath(f)))[1]
        if top not in dirs:
            dirs.append(top)
    return dirs


_PrescanArgs = Tuple[List[str], Tuple[str, ...], Tuple[str, ...]]


def _make_prescan(args: Optional[_PrescanArgs]):
    if args is None:
        return None
    from .analysis.prescan import Prescan

    dirs, sinks, sources = args
    return Prescan([Path(d) for d in dirs], sinks, sources)


def _first(task: _Task, prescan, packages: _Packages) -> _Outcome:
    """Read one file and decide what it needs. Never raises."""
    path, display, data, known_ok = task
    try:
        if data is None:
            data = read_bytes(Path(path))
        if prescan is not None and not needs_full_analysis(path):
            try:
                needed = prescan.needs_analysis(Path(path), _probe(data), packages.module_name(path))
            except Exception:  # a pre-scan bug must not hide a file: analyse it fully
                needed = True
            if not needed:
                if not known_ok:  # the result cache saw these very bytes pass
                    check_source(data, display)
                return SKIPPED, data
        return ANALYSE, data
    except SourceError as exc:
        return BAD, Notice(path=display, message=exc.message, kind=exc.kind, line=exc.line)
    except RecursionError:
        return BAD, Notice(path=display, message="too deeply nested to parse (RecursionError)", kind="parse")
    except MemoryError:
        return BAD, Notice(path=display, message="too large to read or parse (MemoryError)", kind="read")
    except Exception as exc:
        return BAD, Notice(path=display, message=one_line(f"internal error while reading: {type(exc).__name__}: {exc}"), kind="other")


def _probe(data: bytes) -> bytes:
    from .analysis.prescan import probe

    return probe(data)


_WORKER: Dict[str, Any] = {}


def _worker_init(prescan_args: Optional[_PrescanArgs]) -> None:
    _WORKER["prescan"] = _make_prescan(prescan_args)
    _WORKER["packages"] = _Packages()
    import threading

    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A pool worker waits for work forever; if the scan is killed (a CI timeout, SIGKILL), the
    worker would be left behind. Leave when the parent is gone."""
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _worker_run(tasks: List[_Task]) -> List[_Outcome]:
    prescan, packages = _WORKER["prescan"], _WORKER["packages"]
    return [_first(t, prescan, packages) for t in tasks]


def _first_pass(
    tasks: List[_Task], prescan_args: Optional[_PrescanArgs], jobs: int, tick: Optional[Callable[[int], None]] = None
) -> List[_Outcome]:
    """Outcomes in the order of ``tasks``; the same whatever ``jobs`` is. ``tick(n)``: n more files done."""
    results: List[Optional[List[_Outcome]]] = []
    chunks: List[List[_Task]] = []
    method = (START_METHOD or _start_method()) if jobs > 1 else ""
    if jobs > 1 and len(tasks) >= PARALLEL_MIN_FILES * (1 if method == "fork" else SPAWN_COST_FACTOR):
        size = max(8, -(-len(tasks) // (jobs * 4)))
        chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        results = _run_pool(chunks, prescan_args, jobs, method, tick)
    else:
        chunks, results = [tasks], [None]
    prescan = None
    packages = _Packages()
    out: List[_Outcome] = []
    for chunk, got in zip(chunks, results):
        if got is None:  # in-process, or the pool failed for this chunk
            if prescan is None and prescan_args is not None:
                prescan = _make_prescan(prescan_args)
            got = []
            for t in chunk:
                got.append(_first(t, prescan, packages))
                if tick is not None:
                    tick(1)
        out.extend(got)
    return out


def _start_method() -> str:
    """``fork`` where it is safe and cheap (Linux, no other threads: a worker starts in ~1 ms with
    everything imported), else ``spawn`` (macOS, Windows, or a caller with threads). Workers get
    all they need as arguments, so both give the same results."""
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _run_pool(
    chunks: List[List[_Task]], prescan_args: Optional[_PrescanArgs], jobs: int, method: str,
    tick: Optional[Callable[[int], None]] = None,
) -> List[Optional[List[_Outcome]]]:
    """Run chunks in worker processes; a chunk whose worker failed (or a pool that cannot start,
    e.g. no /dev/shm in a sandbox) comes back as None and is done in-process."""
    import concurrent.futures
    import multiprocessing

    results: List[Optional[List[_Outcome]]] = [None] * len(chunks)
    try:
        ctx = multiprocessing.get_context(method)
        with concurrent.futures.ProcessPoolExecutor(
            max_workers=min(jobs, len(chunks)), mp_context=ctx, initializer=_worker_init, initargs=(prescan_args,)
        ) as pool:
            futures = [pool.submit(_worker_run, chunk) for chunk in chunks]
            for i, fut in enumerate(futures):
                try:
                    results[i] = fut.result()
                    if tick is not None:
                        tick(len(chunks[i]))
                except Exception:
                    results[i] = None
    except Exception:
        pass
    return results


# ------------------------------------------------------------------------------------------ scan


class _GcPause:
    """Keep the cyclic garbage collector off the syntax trees. ASTs hold no reference cycles, but
    every collection of the oldest generation walks all of them: parsing the stdlib's 601 files
    while keeping their trees took 10.3 s with the collector on and 3.0 s with it off. So: no
    collection while parsing; then what exists (mostly the trees) is frozen (``gc.freeze``) while
    the engine runs with the collector on; everything is back as it was when the scan ends."""

    def __enter__(self) -> "_GcPause":
        self.enabled = gc.isenabled()
        self.freeze = gc.get_freeze_count() == 0  # never unfreeze what the caller froze
        gc.disable()
        return self

    def parsed(self) -> None:
        if self.freeze:
            gc.freeze()
        if self.enabled:
            gc.enable()

    def __exit__(self, *exc: object) -> None:
        if self.freeze:
            gc.unfreeze()
        if self.enabled:
            gc.enable()


def _internal_notice(pf: ParsedFile, exc: BaseException) -> Notice:
    if isinstance(exc, RecursionError):
        msg = "too deeply nested to analyse (RecursionError)"
    elif isinstance(exc, MemoryError):
        msg = "too large to analyse (MemoryError)"
    else:
        msg = one_line(f"internal error while analysing: {type(exc).__name__}: {exc}")
    return Notice(path=pf.display, message=msg, kind="other")


def _analyze(
    targets: List[ParsedFile],
    cache: FileCache,
    root: Path,
    config: Config,
    notices: List[Notice],
    deferred: Sequence[Path] = (),
    deplog: Any = None,
    search_dirs: Sequence[str] = (),
    callers: Optional["_Callers"] = None,
) -> List[Finding]:
    if not targets and (callers is None or not deferred):
        return []  # (deferred files only matter when an analysed file imports them or a caller feeds them)
    from .analysis import engine

    def run(batch: Sequence[ParsedFile]) -> List[Finding]:
        kwargs: Dict[str, Any] = {}
        if deferred:
            kwargs["deferred"] = deferred
        if callers is not None:
            kwargs["project_files"], kwargs["read_bytes"] = callers
        if config.models:
            kwargs["models"] = config.models
        if config.sources:
            kwargs["disabled_sources"] = disabled_sources(config)
        from .analysis import deplog as deplog_mod

        # the result cache's hook (analysis.deplog): handed over beside the call, so a stand-in
        # engine in the tests, which knows nothing of it, simply leaves it unfilled
        deplog_mod.ACTIVE = deplog
        if deplog is not None:
            deplog.seed_dirs = list(search_dirs)
        try:
            return list(engine.analyze(
                batch, root=root, loader=cache.loader, extend_sources=config.extend_sources,
                extend_sinks=config.extend_sinks, extend_sanitizers=config.extend_sanitizers, **kwargs))
        finally:
            deplog_mod.ACTIVE = None
            if deplog is not None and not deplog.filled:
                deplog.incomplete = True  # no per-file records from this run

    def halves(batch: Sequence[ParsedFile]) -> List[Finding]:
        # the batch in two halves, each again in two if it fails: one file that breaks the
        # analysis costs a few whole runs (file by file, it once cost a run per file: half an
        # hour on a tree of 3,745 files), and the other files keep most of their neighbours
        try:
            return run(batch)
        except Exception as exc:  # includes RecursionError and MemoryError
            if deplog is not None:
                deplog.incomplete = True  # what the smaller runs read is not what a whole run reads
            if len(batch) == 1:
                notices.append(_internal_notice(batch[0], exc))
                return []
        mid = len(batch) // 2
        return halves(batch[:mid]) + halves(batch[mid:])

    if not targets:
        try:
            return run(targets)
        except Exception:
            return []
    return halves(targets)


def _shell_kind(p: Path) -> Optional[str]:
    from .shellfiles import explicit_kind

    return explicit_kind(os.fspath(p))


def _flags_now(reuse: Any, config: Config, project_root: Path) -> Dict[str, tuple]:
    """The engine's module flags (holds a sink, can produce network data), computed again for the
    modules the cached run had flagged."""
    from .analysis import engine

    kwargs: Dict[str, Any] = {}
    if config.models:
        kwargs["models"] = config.models
    return engine.module_flags(
        sorted(set(reuse.flag_paths) | {os.path.realpath(p) for p in reuse.changed if p.endswith(".py")}),
        reuse.search_dirs, extend_sources=config.extend_sources,
        extend_sinks=config.extend_sinks, **kwargs)


def _shell_kind_files(
    files: List[Path], display: Callable[[Path], str], contents: Optional[Mapping[str, bytes]], notices: List[Notice]
) -> Tuple[List[Path], List[Finding], Dict[str, dict]]:
    """Split off shell scripts, Dockerfiles, workflow/action files and Makefiles
    (:mod:`rceguard.shellfiles`) and check them; returns the Python files left, the findings, and
    per scanned shell-kind file (display path) its suppression directives."""
    from .shellfiles import directives, explicit_kind, scan_file

    python: List[Path] = []
    findings: List[Finding] = []
    tables: Dict[str, dict] = {}
    for p in files:
        kind = explicit_kind(os.fspath(p))
        if kind is None:
            python.append(p)
            continue
        shown = display(p)
        res = scan_file(Path(os.path.abspath(p)), shown, kind, contents.get(real_key(p)) if contents else None)
        if res.notice is not None:
            notices.append(res.notice)
            if res.notice.kind != "other":
                continue
        findings.extend(res.findings)
        tables[shown] = directives(res.text)
    return python, findings, tables


class _NoLoader:
    """An archive's members are all loaded up front: nothing else is read."""

    @staticmethod
    def loader(path: Path) -> Optional[ParsedFile]:
        return None


_NO_LOADER = _NoLoader()


def _archive_members(path: Path, display: str, notices: List[Notice]) -> List[ParsedFile]:
    from .frontends.archive import read_archive

    try:
        members, got = read_archive(path, display)
    except Exception as exc:  # never a traceback for one bad archive
        members, got = [], [Notice(path=display, kind="other",
                                   message=one_line(f"internal error while reading the archive: {type(exc).__name__}: {exc}"))]
    notices.extend(got)
    return members


def scan(
    paths: Sequence[PathLike],
    config: Optional[Config] = None,
    *,
    only: Optional[Collection[str]] = None,
    contents: Optional[Mapping[str, bytes]] = None,
    jobs: int = 1,
    prescan: Optional[bool] = None,
    result_cache: Optional["CacheOptions"] = None,
    progress: Optional[Callable[[str, int, int], None]] = None,
    _full: bool = False,
) -> ScanResult:
    """Scan files/directories. Raises :class:`~rceguard.config.UsageError` for a missing path.

    ``only``: keep just the discovered files whose :func:`real_key` is in it (``--diff``/``--staged``:
    the changed files, so the result is their intersection with ``paths``). ``contents``: real_key ->
    bytes to analyse instead of the file on disk (``--staged``: the staged blobs). ``jobs``: worker
    processes for reading and pre-scanning (the report does not depend on it). ``prescan``: skip the
    flow analysis of files the byte-level pre-scan rules out (default :data:`PRESCAN`). ``result_cache``:
    reuse and store results in the result cache (:mod:`rceguard.cache`; None: no cache).
    ``progress(phase, done, total)``: called as files are read ("read"), parsed ("parse") and
    while the flow analysis runs ("analyse"); the report does not depend on it.
    """
    config = config or Config()
    paths = list(paths) or [os.curdir]
    start = common_dir(paths)
    project_root = find_project_root(start)
    root = display_root(start, project_root)
    display = make_display(root)

    excluder = Excluder(config.exclude, config.base or project_root) if config.exclude else None
    found = discover(paths, excluder=excluder, display=display)
    notices: List[Notice] = list(found.notices)

    files, backends = with_backends(found.files, paths, project_root)  # in-tree build backend
    if only is not None:
        files = [p for p in files if real_key(p) in only]
    run_cache = None
    if result_cache is not None:  # every given file counts, whatever reads it below
        run_cache = _cache_run(result_cache, files, display, contents, config, project_root, root,
                               PRESCAN if prescan is None else prescan, backends)
    if run_cache is not None:
        hit = run_cache.hit()
        if hit is not None:
            return hit
    reuse = run_cache.reusable() if run_cache is not None and not _full else None
    archives = [p for p in files if kind_of(p.name) == ARCHIVE]  # wheels, sdists: read in memory
    if archives:
        files = [p for p in files if kind_of(p.name) != ARCHIVE]
    # (shell scripts and archives stand alone and are checked again on every run that is not a
    # whole hit: their units are always fresh)
    shell_shown = [display(p) for p in files if _shell_kind(p) is not None]
    files, shell_findings, shell_tables = _shell_kind_files(files, display, contents, notices)
    cache = FileCache(display, project_root, contents)
    use_prescan = PRESCAN if prescan is None else prescan
    prescan_args: Optional[_PrescanArgs] = None
    sink_names = tuple(config.extend_sinks) + tuple(r.api for r in config.models if r.effect in (
        "sink", "runs-remote", "calls") and not r.api.startswith("re:"))
    if use_prescan:
        dirs = _prescan_dirs(project_root, files, _Packages())
        prescan_args = (dirs, sink_names, tuple(config.extend_sources) + tuple(r.api for r in config.models if r.effect in (
                "source", "download", "callback", "runs-remote", "type", "holds", "entry") and not r.api.startswith("re:")))
    tasks: List[_Task] = [
        (os.path.abspath(p), display(p), contents.get(real_key(p)) if contents else None, False) for p in files
    ]
    if run_cache is not None:
        tasks = [(t[0], t[1], t[2] if t[2] is not None else run_cache.data.get(t[0]), run_cache.known_ok(t[0]))
                 for t in tasks]
        cache.on_load = run_cache.note_load
    total = len(tasks)
    counter = [0]

    def tick(n: int, phase: str = "read") -> None:
        counter[0] += n
        if progress is not None:
            progress(phase, counter[0], total)

    targets: List[ParsedFile] = []
    skipped: List[Path] = []
    checked: List[str] = []  # given files that decoded and parsed (or passed the syntax check)
    units: Dict[str, Any] = {}  # display path of each given file processed -> its incremental.Unit
    from .incremental import Unit

    for shown in shell_shown:
        units[shown] = Unit(count=int(shown in shell_tables))
    deplog = None
    plan = None
    with _GcPause() as gc_pause:
        outcomes = _first_pass(tasks, prescan_args, max(1, jobs), tick if progress is not None else None)
        if reuse is not None:
            from .analysis.prescan import Prescan

            plan = reuse.plan(files, outcomes, _flags_now(reuse, config, project_root),
                              Prescan([], sink_names, ()).has_sink)
            if plan is None:
                reuse = None
        counter[0] = 0
        for path, (kind, payload) in zip(files, outcomes):
            if progress is not None:
                tick(1, "parse")
            shown = display(path)
            units[shown] = Unit()
            if kind == BAD:
                notices.append(payload)
            elif kind == SKIPPED or (plan is not None and os.path.abspath(path) not in plan.analyse):
                # (a file the pre-scan would analyse but that the result cache does not need again
                # is set aside too: the engine loads it, as a given file, if an analysed one calls it)
                cache.seed(path, payload)
                skipped.append(path)
                if kind == SKIPPED or (run_cache is not None and run_cache.known_ok(os.path.abspath(path))):
                    checked.append(os.path.abspath(path))
            else:
                item = load(Path(os.path.abspath(path)), shown, payload)
                if backends and isinstance(item, ParsedFile) and os.path.realpath(path) in backends:
                    item.runs_at = BACKEND_RUNS_AT
                cache.put(path, item)
                if isinstance(item, ParsedFile):
                    targets.append(item)
                    checked.append(os.path.abspath(path))
                    units[shown].count = 1
                    units[shown].scanned = [shown]
                else:
                    notices.append(item)
        deferred = [Path(os.path.realpath(p)) for p in skipped]
        gc_pause.parsed()
        if progress is not None:
            progress("analyse", len(targets), total)
        if run_cache is not None:
            from .analysis.deplog import DepLog

            deplog = DepLog()
        search_dirs = reuse.search_dirs if reuse is not None else ()
        callers = _project_callers(paths, only, project_root, excluder, cache)
        findings = _analyze(targets, cache, project_root, config, notices, deferred, deplog, search_dirs, callers)
        for archive in archives:  # each archive is a project of its own
            members = _archive_members(archive, display(archive), notices)
            findings += _analyze(members, _NO_LOADER, None, config, notices)  # type: ignore[arg-type]
            targets += members
            units[display(archive)] = Unit(count=len(members), scanned=[m.display for m in members])
    extra_findings, extra_notices, position_maps = frontend_results(targets)  # notebooks, .pth files
    findings += extra_findings
    notices += extra_notices
    texts = {pf.display: pf.text for pf in targets}
    skipped_by_display = {display(p): p for p in skipped}
    for shown in skipped_by_display:
        units[shown].count = 1
        units[shown].scanned = [shown]
        # ruled out by the pre-scan and never analysed: a skipped file that an analysed one calls
        # into is analysed after all (and may hold a finding), so it does not count here
        units[shown].skipped = int(shown not in cache.loaded_seeded)
    scanned = set(texts) | set(skipped_by_display)
    findings = [f for f in findings if f.location.path in scanned]
    findings = [f for f in findings if rule_enabled(f.rule_id, config)]
    for f in findings:  # a pre-scan-skipped file that the engine loaded through an import
        if f.location.path not in texts:
            item = cache.get(skipped_by_display[f.location.path])
            if isinstance(item, ParsedFile):
                texts[item.display] = item.text
        # a "via" finding: an ignore on the sink statement, in a project file that was not given,
        # counts too; its text comes from the loader (already parsed by the engine), never an import
        sink_path = f.via.location.path if f.via is not None else ""
        if sink_path and sink_path not in texts:
            item = cache.loader(Path(os.path.join(root, sink_path)))
            if item is not None:
                texts[sink_path] = item.text
    findings += [f for f in shell_findings if rule_enabled(f.rule_id, config)]
    from .incremental import assemble, unit_of

    attributable = True
    by_unit: Dict[str, List[Finding]] = {}
    for f in findings:
        u = unit_of(f.location.path, units)
        if u is None:
            attributable = False
            u = ""
        by_unit.setdefault(u, []).append(f)
    kept: List[Finding] = []
    n_suppressed = n_bare = 0
    for u, group in by_unit.items():  # one file's suppressions never depend on another's findings
        sup = suppress.apply(group, texts, shell_tables)
        if u:
            units[u].suppressed, units[u].bare = sup.suppressed, sup.bare
        kept += sup.kept
        n_suppressed += sup.suppressed
        n_bare += sup.bare
    kept = relocate(kept, position_maps)  # to the real file's lines (a notebook's JSON)

    # identical findings (same rule, place and message) reported twice collapse to one
    unique: Dict[tuple, Finding] = {}
    split: Dict[str, List[str]] = {}
    for f in kept:
        # (a notebook's positions are in its raw JSON, not in the code text: no code frame there)
        unique.setdefault(f.sort_key(), f if f.location.path in position_maps else _with_line(f, texts, split))
    for f in unique.values():
        u = unit_of(f.location.path, units)
        if u is not None:
            units[u].findings.append(f)
    for p, text in _purposes(unique.values(), texts).items():
        u = unit_of(p, units)
        if u is not None:
            units[u].purposes[p] = text
        else:
            attributable = False
    n_run = len(found.notices)
    for n in notices[n_run:]:
        u = unit_of(n.path, units)
        if u is None:
            attributable = False
        else:
            units[u].notices.append(n)
    if any(n.kind == "other" for n in notices[n_run:]):
        attributable = False  # an internal error may depend on what else was analysed
    if reuse is not None and plan is not None:
        if not attributable:
            return scan(paths, config, only=only, contents=contents, jobs=jobs, prescan=prescan,
                        result_cache=result_cache, progress=progress, _full=True)
        fresh_paths = plan.dirty | {os.path.abspath(p) for p, o in zip(files, outcomes) if o[0] == BAD}
        fresh = {d: u for d, u in units.items() if d in shell_shown or d in {display(a) for a in archives}}
        fresh.update({display(p): units[display(p)] for p in files if os.path.abspath(p) in fresh_paths})
        merged = reuse.merge_units(fresh)
        if merged is None:
            return scan(paths, config, only=only, contents=contents, jobs=jobs, prescan=prescan,
                        result_cache=result_cache, progress=progress, _full=True)
        result = assemble(merged.values(), notices[:n_run], str(root))
        if run_cache is not None:
            run_cache.save(result, checked, reuse.updated(merged, deplog, plan))
        return result
    if attributable:
        result = assemble(units.values(), notices[:n_run], str(root))
    else:  # as a whole (no per-file records)
        result = ScanResult(
            findings=sorted(unique.values(), key=lambda f: f.sort_key()),
            notices=sorted(set(notices)),
            files_scanned=sum(u.count for u in units.values()),
            prescan_skipped=sum(u.skipped for u in units.values()),
            suppressed=n_suppressed,
            bare_ignores=n_bare,
            root=str(root),
            scanned=tuple(sorted(scanned)),
            purposes=_purposes(unique.values(), texts),
        )
    if run_cache is not None:
        perfile = None
        if attributable:
            perfile = run_cache.perfile(units, deplog, files, outcomes)
        run_cache.save(result, checked, perfile)
    return result


MAX_CALLER_FILES = 20000  # a project with more Python files than this is not searched for callers
_INSTALLED = frozenset({"site-packages", "dist-packages"})
_Callers = Tuple[Callable[[], List[Path]], Callable[[Path], Optional[bytes]]]


def _project_callers(
    paths: Sequence[PathLike], only: Optional[Collection[str]], project_root: Path, excluder: Optional[Excluder],
    cache: FileCache,
) -> Optional[_Callers]:
    """For the engine's search of callers in project files that were not given (analysis/callers.py):
    a lazy list of the project's Python files (discovered as a scan of the project root would find
    them, excludes applied) and a reader of their bytes. None when the given paths are the whole
    project, or when there is no project (no pyproject.toml/setup.py/setup.cfg or git root: the
    folder may be a home directory)."""
    root = os.path.realpath(project_root)
    if only is None and any(os.path.isdir(p) and _covers(os.path.realpath(p), root) for p in paths):
        return None
    if not any(os.path.isfile(os.path.join(root, m)) for m in PROJECT_MARKERS):
        return None  # a bare git root may be anything (~/.pyenv is one): not walked

    def files() -> List[Path]:
        found = discover([project_root], excluder=excluder, display=cache.display)
        out = [p for p in found.files if p.suffix == ".py" and not _INSTALLED.intersection(p.parts)]
        return out if len(out) <= MAX_CALLER_FILES else []  # too large to search: callers not followed

    def read(path: Path) -> Optional[bytes]:
        data = cache.contents.get(real_key(path)) if cache.contents else None
        if data is not None:
            return data
        try:
            return path.read_bytes()
        except OSError:
            return None

    return files, read


def _covers(directory: str, root: str) -> bool:
    return root == directory or root.startswith(directory.rstrip(os.sep) + os.sep)


def _cache_run(
    options: "CacheOptions",
    files: Sequence[Path],
    display: Callable[[Path], str],
    contents: Optional[Mapping[str, bytes]],
    config: Config,
    project_root: Path,
    root: Path,
    use_prescan: bool,
    backends: Collection[str],
):
    """The result cache's view of this run (:class:`rceguard.cache.Run`), or None when the cache
    folder cannot be used."""
    from . import cache as cache_mod

    store = cache_mod.Store.open(options, str(project_root))
    if store is None:
        return None
    config_parts = {
        "select": list(config.select),
        "ignore": list(config.ignore),
        "exclude": list(config.exclude),
        "extend_sources": list(config.extend_sources),
        "extend_sinks": list(config.extend_sinks),
        "extend_sanitizers": list(config.extend_sanitizers),
        # user model rows (the table and the models file, as read) and the source kinds kept
        "models": [repr(m) for m in config.models],
        "sources": list(config.sources),
        "base": str(config.base) if config.base else None,
        "source": str(config.source) if config.source else None,
    }
    staged = {k: cache_mod.content_hash(v) for k, v in sorted(contents.items())} if contents else None
    # the engine resolves imports from these folders (see _prescan_dirs): what lies below them can matter
    walk_roots = _prescan_dirs(project_root, files, _Packages())
    key_parts = dict(project_root=str(project_root), display_root=str(root), config_parts=config_parts,
                     prescan=use_prescan, contents=staged, backends=sorted(backends))
    given = [(os.path.abspath(p), display(p), contents.get(real_key(p)) if contents else None) for p in files]
    return cache_mod.Run(store, given, key_parts, walk_roots,
                         lambda p: read_bytes(Path(p)), SourceError)


def _purposes(findings: Collection[Finding], texts: Mapping[str, str]) -> Dict[str, str]:
    """What each file with findings says it is for (``--format report``)."""
    if not findings:
        return {}
    from .report.purpose import purpose_of

    paths = sorted({f.location.path for f in findings if f.location.path in texts})
    return {p: purpose_of(texts[p]) for p in paths}


def _with_line(f: Finding, texts: Mapping[str, str], split: Dict[str, List[str]]) -> Finding:
    """``f`` with :attr:`Finding.line_text` set from the text of its file, when known."""
    path = f.location.path
    if f.line_text or not texts.get(path):
        return f
    if path not in split:
        split[path] = split_lines(texts[path])  # the lines as the parser counts them
    lines = split[path]
    if not 0 < f.location.line <= len(lines):
        return f
    import dataclasses

    return dataclasses.replace(f, line_text=lines[f.location.line - 1])


STRICT_KINDS = ("read", "parse", "other")


def strict_failure(result: ScanResult) -> bool:
    """``--strict``: True when a file could not be read, parsed or analysed (a notice of kind
    read/parse/other; configuration notices do not count)."""
    return any(n.kind in STRICT_KINDS for n in result.notices)


def fails(result: ScanResult, fail_on: str) -> bool:
    """True when a finding is at or above ``fail_on`` (``never``: never)."""
    order = {"note": 0, "warning": 1, "error": 2}
    if fail_on == "never":
        return False
    threshold = order[fail_on]
    return any(order.get(f.level, 2) >= threshold for f in result.findings)
