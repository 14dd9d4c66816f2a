"""The result cache (``.rceguard_cache/`` at the project root; ``--cache-dir``, ``RCEGUARD_CACHE_DIR``,
``--no-cache``).

Unit of reuse: one **run** (the same list of files, configuration and rceguard code). The flow
analysis is project-wide, so the findings of a file depend on modules it imports, on modules that
call into it, and on which files exist (import resolution); a finding whose sink is in a file that
was not given is placed at the call in a given one. So a stored result is reused only when nothing
it can depend on changed:

* every given file has the same content (SHA-256 of the bytes analysed), or the same read error;
* every ``*.py`` file and symlink below the project's search directories (the project root, its
  ``src/``, the folder holding each given file's top package) is still there with the same
  ``lstat`` signature (size, mtime, ctime, inode, mode), and no file was added. Directories whose
  name cannot be part of a module name (``.git``, ``.venv``, ``site-packages``, ``my-app``), and
  ``__pycache__`` / ``node_modules``, are not walked: no import reaches into them. A signature
  taken less than :data:`RACY_NS` after the file changed is not trusted (the file system clock is
  coarse; git's "racily clean" rule): such a file is compared by content instead;
* any other file the engine loaded has the same signature;
* the key (rceguard's version and a digest of its own source, the Python version, the analysis
  configuration, the pre-scan switch, the roots, the staged contents) is the same.

Otherwise the analysis runs again. Per file, one cheap result is reused whenever the file's bytes
are the same: that it decodes and passes the syntax check (so a file the pre-scan skips is not
checked again). Syntax trees are never stored (no pickle: a cache entry is data, read as JSON).

Entries are written through a temporary file in the cache folder and a rename, so parallel
pre-commit batches never see half an entry; an entry that is truncated, corrupt, of another format
or of another rceguard is ignored and replaced. Deleting the folder at any time is safe. Nothing
is written outside the folder; when it cannot be created or written the run goes on without a cache
(silently for the default folder, with one line on stderr for a folder named explicitly).
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import __version__
from . import findings as _findings
from .findings import ScanResult
from .fsutil import _replace_atomically

DIR_NAME = ".rceguard_cache"
ENV_VAR = "RCEGUARD_CACHE_DIR"
FORMAT = "rceguard-cache-2"
RACY_NS = 2_000_000_000  # a signature taken within 2 s of the file's last change is not trusted
MAX_ENTRIES = 128  # run entries kept (oldest removed first)
MAX_ENTRY_BYTES = 512 * 1024 * 1024
MAX_PARTIAL = 0.5  # per-file reuse only while it re-analyses at most this share of the analysed files
NOT_WALKED = frozenset({"__pycache__", "node_modules"})

CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by rceguard.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)

Sig = List[int]


@dataclass
class Options:
    """How the command line asked for the cache. ``directory`` None: ``<project root>/.rceguard_cache``."""

    directory: Optional[str] = None
    explicit: bool = False  # named by --cache-dir / RCEGUARD_CACHE_DIR: say so when it cannot be used
    warn: Callable[[str], None] = lambda message: None


def options_from(cache_dir: Optional[str], no_cache: bool, warn: Callable[[str], None]) -> Optional[Options]:
    """``--no-cache`` wins; then ``--cache-dir``; then ``RCEGUARD_CACHE_DIR``; else the default folder."""
    if no_cache:
        return None
    directory = cache_dir or os.environ.get(ENV_VAR) or None
    return Options(directory=directory, explicit=directory is not None, warn=warn)


# ------------------------------------------------------------------------------------ the key

_TOOL_DIGEST: List[str] = []


def tool_digest() -> str:
    """rceguard's version plus a digest of its own source files: a changed checkout is another tool."""
    if not _TOOL_DIGEST:
        h = hashlib.sha256(__version__.encode())
        base = os.path.dirname(os.path.abspath(__file__))
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    path = os.path.join(dirpath, name)
                    h.update(os.path.relpath(path, base).encode("utf-8", "surrogateescape") + b"\0")
                    try:
                        with open(path, "rb") as fh:
                            h.update(hashlib.sha256(fh.read()).digest())
                    except OSError:
                        h.update(b"?")
        _TOOL_DIGEST.append(f"{__version__}+{h.hexdigest()[:20]}")
    return _TOOL_DIGEST[0]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sig(st: os.stat_result) -> Sig:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode]


def _racy(sig: Sig, taken_ns: int) -> bool:
    return max(sig[1], sig[2]) >= taken_ns - RACY_NS


def _read(path: str) -> Optional[bytes]:
    """A regular file's bytes (never blocking on a FIFO), or None."""
    from .source import SourceError, read_bytes

    try:
        return read_bytes(Path(path))
    except SourceError:
        return None


def _hash_file(path: str) -> Optional[str]:
    data = _read(path)
    return None if data is None else content_hash(data)


# --------------------------------------------------------------------------- the project listing


def _walkable(name: str) -> bool:
    return name.isidentifier() and name not in NOT_WALKED


def listing(roots: Sequence[str], skip: Sequence[str] = ()) -> Dict[str, Any]:
    """``path -> [sig]`` for every ``*.py`` file and every symlink below ``roots`` (directories
    that cannot be part of a module name are not entered; symlinks are recorded, not followed);
    ``path -> [sig, sha]`` when the signature is too fresh to trust. ``skip``: folders left out
    (the cache folder)."""
    taken = time.time_ns()
    out: Dict[str, Any] = {}
    skipped = {os.path.normcase(os.path.abspath(s)) for s in skip}
    seen: set = set()
    stack = [os.path.abspath(r) for r in roots]
    while stack:
        d = stack.pop()
        key = os.path.normcase(d)
        if key in seen or key in skipped:
            continue
        seen.add(key)
        try:
            entries = list(os.scandir(d))
        except OSError:
            continue
        for e in entries:
            try:
                if e.is_symlink():
                    out[e.path] = [_sig(e.stat(follow_symlinks=False))]
                elif e.is_dir(follow_symlinks=False):
                    if _walkable(e.name):
                        stack.append(e.path)
                elif e.name.endswith(".py") and e.is_file(follow_symlinks=False):
                    out[e.path] = [_sig(e.stat(follow_symlinks=False))]
            except OSError:
                continue
    for path, rec in out.items():
        if _racy(rec[0], taken):
            rec.append(_hash_file(path) if stat.S_ISREG(rec[0][4]) else None)
    return out


def file_record(path: str) -> Optional[List[Any]]:
    """The listing record of one file (a module the engine loaded from outside the listing)."""
    try:
        sig = _sig(os.lstat(path))
    except OSError:
        return None
    rec: List[Any] = [sig]
    if _racy(sig, time.time_ns()):
        rec.append(_hash_file(path))
    return rec


def _still(path: str, rec: Any, now: Optional[Dict[str, Any]]) -> bool:
    """Is the file as it was when ``rec`` was taken? ``now``: the current listing (or None)."""
    if not isinstance(rec, list) or not rec:
        return False
    if now is not None and path in now:
        cur = now[path][0]
    else:
        try:
            cur = _sig(os.lstat(path))
        except OSError:
            return False
    if len(rec) == 1:
        return cur == rec[0]
    # recorded while racy: compare the content (a rename or a type change is a change anyway)
    if not isinstance(rec[0], list) or len(rec[0]) != 5 or cur[4] != rec[0][4] or rec[1] is None:
        return False
    return _hash_file(path) == rec[1]


# ------------------------------------------------------------------------- result (de)serialisation

# the value classes of rceguard.findings (Finding, Location, Step, Notice, ScanResult, ...): nothing
# else is ever built from an entry
_CLASSES = {
    name: obj for name, obj in vars(_findings).items()
    if isinstance(obj, type) and is_dataclass(obj) and obj.__module__ == _findings.__name__
}


def _enc(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, tuple):
        return {"t": [_enc(x) for x in v]}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if isinstance(v, dict):
        return {"d": [[_enc(k), _enc(x)] for k, x in v.items()]}
    if is_dataclass(v) and type(v).__name__ in _CLASSES and _CLASSES[type(v).__name__] is type(v):
        return {"c": type(v).__name__, "f": {f.name: _enc(getattr(v, f.name)) for f in fields(v)}}
    raise TypeError(f"not cacheable: {type(v).__name__}")


def _dec(v: Any) -> Any:
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if isinstance(v, dict):
        if set(v) == {"t"}:
            return tuple(_dec(x) for x in v["t"])
        if set(v) == {"d"}:
            return {_dec(k): _dec(x) for k, x in v["d"]}
        cls = _CLASSES[v["c"]]
        return cls(**{k: _dec(x) for k, x in v["f"].items()})
    return v


def encode_result(result: ScanResult) -> Optional[Any]:
    """JSON-able form of ``result``, or None when it does not come back equal (then it is not stored)."""
    try:
        data = _enc(result)
        if _dec(json.loads(json.dumps(data))) != result:
            return None
        return data
    except (TypeError, ValueError, KeyError):
        return None


# ---------------------------------------------------------------------------------- the store


class Store:
    """One cache folder. Every method swallows file-system errors: the cache is never a reason
    for a run to fail."""

    def __init__(self, directory: str, options: Options) -> None:
        self.directory = directory
        self.options = options
        self.writable = True

    @classmethod
    def open(cls, options: Options, project_root: str) -> Optional["Store"]:
        directory = os.path.abspath(options.directory or os.path.join(project_root, DIR_NAME))
        if not options.explicit and os.path.islink(directory):
            return None  # a committed symlink must not send our writes elsewhere
        return cls(directory, options)

    def _prepare(self) -> bool:
        if not self.writable:
            return False
        try:
            try:
                os.mkdir(self.directory)  # only the folder itself: its parent must exist
            except FileExistsError:
                pass
            if not os.path.isdir(self.directory):
                raise NotADirectoryError(f"not a directory: {self.directory}")
            for name, text in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
                if not os.path.isfile(os.path.join(self.directory, name)):
                    self._write(name, text)
            return True
        except OSError as exc:
            self._give_up(exc)
            return False

    def _give_up(self, exc: OSError) -> None:
        self.writable = False
        if self.options.explicit:
            reason = exc.strerror or str(exc)
            self.options.warn(f"cache not written ({self.directory}: {reason}); the run goes on without it")

    def _write(self, name: str, text: str) -> None:
        # a temporary file in the folder, renamed over the entry: an entry that is a symlink is
        # replaced, never written through
        _replace_atomically(os.path.join(self.directory, name), text.encode("utf-8"), ".tmp-", None)

    @staticmethod
    def entry_name(key: Dict[str, Any]) -> str:
        raw = json.dumps(key, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return "run-" + hashlib.sha256(raw.encode()).hexdigest()[:32] + ".json"

    def load(self, key: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The entry stored for ``key``, or None (missing, unreadable, corrupt, foreign)."""
        path = os.path.join(self.directory, self.entry_name(key))
        try:
            if os.path.getsize(path) > MAX_ENTRY_BYTES:
                return None
        except OSError:
            return None
        data = _read(path)
        if data is None:
            return None
        try:
            entry = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError, MemoryError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
            return None
        if not isinstance(entry.get("files"), dict) or not isinstance(entry.get("deps"), dict):
            return None
        return entry

    def save(self, key: Dict[str, Any], files: Dict[str, Any], deps: Dict[str, Any], result: Optional[Any],
             perfile: Optional[Dict[str, Any]] = None) -> None:
        if not self._prepare():
            return
        entry = {"format": FORMAT, "key": key, "files": files, "deps": deps, "result": result, "perfile": perfile}
        try:
            self._write(self.entry_name(key), json.dumps(entry, sort_keys=True, separators=(",", ":")))
            self._prune()
        except (OSError, ValueError, TypeError) as exc:
            if isinstance(exc, OSError):
                self._give_up(exc)

    def _prune(self) -> None:
        try:
            runs = []
            for e in os.scandir(self.directory):
                if e.name.startswith("run-") and e.name.endswith(".json"):
                    runs.append((e.stat(follow_symlinks=False).st_mtime_ns, e.name))
            if len(runs) <= MAX_ENTRIES:
                return
            for _, name in sorted(runs)[: len(runs) - MAX_ENTRIES]:
                try:
                    os.unlink(os.path.join(self.directory, name))
                except OSError:
                    pass
        except OSError:
            pass


def still_valid(entry: Dict[str, Any], files: Dict[str, Any], now: Dict[str, Any]) -> bool:
    """Can ``entry``'s result stand for this run? ``files``: path -> content hash (or read error)
    of the given files now; ``now``: the current listing of the project."""
    old = entry.get("files")
    if not isinstance(old, dict) or len(old) != len(files):
        return False
    for path, h in files.items():
        rec = old.get(path)
        if not isinstance(rec, list) or not rec or rec[0] != h:
            return False
    deps = entry["deps"]
    for path in now:
        if path not in deps and path not in files:
            return False  # a new module may change how an import resolves
    for path, rec in deps.items():
        if not _still(path, rec, now):
            return False
    return entry.get("result") is not None


def checked_files(entry: Optional[Dict[str, Any]]) -> Dict[str, str]:
    """path -> content hash of the given files that decoded and passed the syntax check last time."""
    out: Dict[str, str] = {}
    if entry is None:
        return out
    for path, rec in entry.get("files", {}).items():
        if isinstance(rec, list) and len(rec) >= 2 and rec[1] is True and isinstance(rec[0], str):
            out[path] = rec[0]
    return out


def decode_result(entry: Dict[str, Any]) -> Optional[ScanResult]:
    try:
        result = _dec(entry["result"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return result if isinstance(result, ScanResult) else None


def python_id() -> str:
    return f"{sys.implementation.name}-{'.'.join(map(str, sys.version_info[:3]))}"


def run_key(
    *,
    files: Sequence[Tuple[str, str]],
    project_root: str,
    display_root: str,
    config_parts: Dict[str, Any],
    prescan: bool,
    contents: Optional[Dict[str, str]],
    backends: Sequence[str] = (),
) -> Dict[str, Any]:
    """Everything besides file contents that a run's result depends on. ``files``: (absolute
    path, display path) of the given files in order; ``backends``: the project's in-tree build
    backend modules (named in pyproject.toml: their findings run at install time)."""
    return {
        "tool": tool_digest(),
        "python": python_id(),
        "project_root": project_root,
        "display_root": display_root,
        "config": config_parts,
        "prescan": prescan,
        "contents": contents,
        "backends": list(backends),
        "files": [list(f) for f in files],
    }


# ------------------------------------------------------------------------------ one cached run


class Run:
    """The cache side of one scan: reads the given files up front (their hashes are part of what
    the result depends on), looks the entry up, and stores the new result."""

    def __init__(
        self,
        store: Store,
        tasks: Sequence[Tuple[str, str, Optional[bytes]]],
        key_parts: Dict[str, Any],
        walk_roots: Sequence[str],
        read: Callable[[str], bytes],
        read_error: type,
    ) -> None:
        self.store = store
        self.data: Dict[str, bytes] = {}  # path -> the bytes hashed (the first pass uses these)
        self.hashes: Dict[str, str] = {}
        for path, _display, data in tasks:
            if data is None:
                try:
                    data = read(path)
                except read_error as exc:  # the first pass reads it again and names the problem
                    self.hashes[path] = f"!{getattr(exc, 'kind', '')}:{getattr(exc, 'message', exc)}"
                    continue
            self.hashes[path] = content_hash(data)
            self.data[path] = data
        self.key = run_key(files=[(t[0], t[1]) for t in tasks], **key_parts)
        self.now = listing(walk_roots, skip=[store.directory])
        self.entry = store.load(self.key)
        self.checked = checked_files(self.entry)
        self.loaded: Dict[str, Optional[List[Any]]] = {}
        self.displays = [t[1] for t in tasks]
        self.abs_of = {t[1]: t[0] for t in tasks}

    def note_load(self, path: str) -> None:
        """The engine is about to load ``path``: take its signature now (before it is read)."""
        if path not in self.loaded and path not in self.now and path not in self.hashes:
            self.loaded[path] = file_record(path)

    def hit(self) -> Optional[ScanResult]:
        if self.entry is None or not still_valid(self.entry, self.hashes, self.now):
            return None
        return decode_result(self.entry)

    def known_ok(self, path: str) -> bool:
        """Did these very bytes decode and pass the syntax check last time?"""
        h = self.hashes.get(path)
        return h is not None and not h.startswith("!") and self.checked.get(path) == h

    def save(self, result: ScanResult, checked: Sequence[str], perfile: Optional[Dict[str, Any]] = None) -> None:
        """``checked``: given files that decoded and parsed (or passed the syntax check);
        ``perfile``: what a later run needs to reuse the result file by file (:meth:`perfile`)."""
        ok = set(checked)
        files = {p: [h, p in ok] for p, h in self.hashes.items()}
        deps = {p: rec for p, rec in self.now.items() if p not in self.hashes}
        for p, rec in self.loaded.items():
            if rec is None:
                return  # cannot tell later whether it changed: store nothing
            deps[p] = rec
        self.store.save(self.key, files, deps, encode_result(result), perfile)

    # ------------------------------------------------------------------ per-file reuse

    def modules(self) -> List[str]:
        """Every Python module of the project below the search folders, and the given files."""
        out = [p for p, rec in self.now.items() if p.endswith(".py") and stat.S_ISREG(rec[0][4])]
        return sorted(set(out) | set(self.hashes))

    def bytes_of(self, path: str) -> Optional[bytes]:
        data = self.data.get(path)
        return data if data is not None else _read(path)

    def perfile(self, units: Dict[str, Any], deplog: Any, files: Sequence[Any], outcomes: Sequence[Any]) -> Optional[Dict[str, Any]]:
        """The per-file records of a run that analysed every given file (see :mod:`rceguard.incremental`)."""
        from .incremental import mentions, stem_of

        if deplog is None or deplog.incomplete:
            return None
        stems = {stem_of(p) for p in self.modules()}
        ment: Dict[str, List[str]] = {}
        decisions: Dict[str, str] = {}
        for p, (kind, _payload) in zip(files, outcomes):
            a = os.path.abspath(p)
            decisions[a] = kind
            data = self.data.get(a)
            if data is not None:
                ment[_real(a)] = mentions(data, stems)
        return self._records(units, deplog, {}, decisions, ment, {}, [], [], {})

    def _records(self, units: Dict[str, Any], deplog: Any, graph: Dict[str, List[str]], decisions: Dict[str, str],
                 ment: Dict[str, List[str]], flags: Dict[str, Any], search_dirs: Sequence[str],
                 reads_files: Sequence[str], reads_state: Dict[str, List[str]]) -> Optional[Dict[str, Any]]:
        if deplog is None or deplog.incomplete:
            return None
        g: Dict[str, set] = {k: set(v) for k, v in graph.items()}
        for a, bs in deplog.edges().items():
            g.setdefault(_real(a), set()).update(_real(b) for b in bs)
        for shown, reporters in deplog.reports.items():
            a = self.abs_of.get(shown)
            if a is not None:
                g.setdefault(_real(a), set()).update(_real(b) for b in reporters)
        rs: Dict[str, set] = {k: set(v) for k, v in reads_state.items()}
        for a, bs in deplog.reads_state.items():
            rs.setdefault(_real(a), set()).update(_real(b) for b in bs)
        fl = dict(flags)
        fl.update({_real(k): list(v) for k, v in deplog.flags.items()})
        try:
            enc_units = {d: _enc_unit(u) for d, u in units.items()}
            if {d: _dec_unit(json.loads(json.dumps(u))) for d, u in enc_units.items()} != units:
                return None
        except (TypeError, ValueError, KeyError):
            return None
        return {
            "units": enc_units,
            "graph": {k: sorted(v - {k}) for k, v in sorted(g.items()) if v - {k}},
            "reads_files": sorted(set(reads_files) | {_real(p) for p in deplog.reads_files}),
            "reads_state": {k: sorted(v) for k, v in sorted(rs.items())},
            "flags": fl,
            "search_dirs": list(deplog.search_dirs or search_dirs),
            "decisions": decisions,
            "mentions": ment,
        }

    def reusable(self) -> Optional["Reuse"]:
        """Per-file reuse of the stored entry, when it has per-file records and no project module
        was added or removed since; else None (the whole run is analysed)."""
        entry = self.entry
        if entry is None or not isinstance(entry.get("perfile"), dict) or decode_result(entry) is None:
            return None  # (an entry whose whole result does not decode is damaged: not used at all)
        old_files = entry.get("files", {})
        if set(old_files) != set(self.hashes):
            return None
        deps = entry["deps"]
        for path in self.now:
            if path not in deps and path not in self.hashes:
                return None  # a new module may change how an import resolves
        changed: set = set()
        for path, rec in deps.items():
            if not _still(path, rec, self.now):
                if not os.path.lexists(path):
                    return None  # a module was removed
                changed.add(path)
        for path, h in self.hashes.items():
            rec = old_files.get(path)
            if not isinstance(rec, list) or not rec or rec[0] != h:
                changed.add(path)
        try:
            return Reuse(self, entry["perfile"], changed)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def _real(path: str) -> str:
    return os.path.realpath(path)


_UNIT_FIELDS = ("findings", "notices", "suppressed", "bare", "count", "skipped", "scanned", "purposes")


def _enc_unit(u: Any) -> Dict[str, Any]:
    return {name: _enc(getattr(u, name)) for name in _UNIT_FIELDS}


def _dec_unit(data: Dict[str, Any]) -> Any:
    from .incremental import Unit

    return Unit(**{name: _dec(data[name]) for name in _UNIT_FIELDS})


class Reuse:
    """A warm run that can reuse the stored entry file by file (:mod:`rceguard.incremental`)."""

    def __init__(self, run: Run, old: Dict[str, Any], changed: set) -> None:
        self.run = run
        self.old = old
        self.changed = {os.path.abspath(p) for p in changed} | {_real(p) for p in changed}
        self.search_dirs: List[str] = list(old["search_dirs"])
        self.flag_paths: List[str] = sorted(old["flags"])
        self.units = old["units"]
        if not isinstance(self.units, dict) or not isinstance(old["graph"], dict):
            raise ValueError("bad per-file records")
        self.flags_now: Dict[str, Any] = {}
        self.decisions: Dict[str, str] = {}
        self.mentions: Dict[str, List[str]] = {}

    def plan(self, files: Sequence[Any], outcomes: Sequence[Any], flags_now: Dict[str, Any],
             has_sink: Callable[[bytes], bool]) -> Optional[Any]:
        """What to analyse again (an :class:`rceguard.incremental.Plan` with absolute paths of
        given files in ``dirty`` and ``analyse``), or None to analyse everything."""
        from .incremental import Plan

        given = [os.path.abspath(p) for p in files]
        real = {a: _real(a) for a in given}
        old_dec = self.old.get("decisions", {})
        changed = {_real(p) for p in self.changed}
        skipped, analysed = set(), set()
        for a, (kind, _payload) in zip(given, outcomes):
            self.decisions[a] = kind
            if old_dec.get(a) != kind:
                changed.add(real[a])
            (skipped if kind == "skipped" else analysed if kind == "analyse" else set()).add(real[a])
        old_flags = self.old["flags"]
        for p, f in flags_now.items():
            self.flags_now[p] = list(f)
            if list(old_flags.get(p, ())) != list(f):
                changed.add(_real(p))
        modules = [_real(p) for p in self.run.modules()]
        plan = Plan(self.old, [real[a] for a in given], modules, self.run.bytes_of)

        def sink(path: str) -> bool:
            data = self.run.bytes_of(path)
            return data is None or has_sink(data)

        def originates(path: str) -> bool:
            f = flags_now.get(path)
            return True if f is None else bool(f[1])

        plan.decide(changed, sink, skipped, analysed, originates)
        for a in given:
            self.mentions[real[a]] = plan.mentions_of(real[a], changed)
        plan.dirty = {a for a in given if real[a] in plan.dirty}
        plan.analyse = {a for a in given if real[a] in plan.analyse}
        if len(plan.analyse & {a for a in given if real[a] in analysed}) > MAX_PARTIAL * max(1, len(analysed)):
            return None  # most of the run again: one whole run costs less than a partial one
        return plan

    def merge_units(self, fresh: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        out: Dict[str, Any] = {}
        for d in self.run.displays:
            if d in fresh:
                out[d] = fresh[d]
                continue
            enc = self.units.get(d)
            if enc is None:
                return None
            try:
                out[d] = _dec_unit(enc)
            except (KeyError, TypeError, ValueError, AttributeError):
                return None
        return out

    def updated(self, merged: Dict[str, Any], deplog: Any, plan: Any) -> Optional[Dict[str, Any]]:
        old = self.old
        flags = dict(old["flags"])
        flags.update(self.flags_now)
        return self.run._records(merged, deplog, old["graph"], self.decisions, self.mentions, flags,
                                 self.search_dirs, old.get("reads_files", ()), old.get("reads_state", {}))
