"""Cheap byte-level pre-scan: which files can possibly hold a finding?

A finding needs a sink in the file itself and an *origin* (a network read, an HTTP request, a
decoded constant, a shell cradle or a downloaded file) in the file or in a project module it
imports, directly or through other project modules. Files that fail either test are not analysed
(they are still read for summaries when an analysed file imports them).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set

from ..knowledge.models import builtin_rows, prescan_tokens
from ..source import SourceError, _coding_cookie, decode_source

# literal substrings: `bytes in bytes` is much faster than one big regular expression
SINK_TOKENS = (
    b"exec", b"eval", b"compile", b"FunctionType", b"runsource", b"runcode", b"timeit", b"pickle", b"Unpickler",
    b"marshal", b"dill", b"shelve", b"yaml", b"torch", b"joblib", b"system", b"popen", b"getoutput",
    b"subprocess", b"spawn", b"startfile", b"run_path", b"load_", b"DLL", b"LoadLibrary", b"cdll", b"zipimport",
    b"import_module", b"__import__", b"sys.path", b"addsitedir", b"curl", b"wget", b"iex", b"IEX", b"Invoke-",
    b"DownloadString", b"EncodedCommand",
    # name indirection: getattr(builtins, "ex" + "ec"), builtins.__dict__[...], globals()[...], vars(m)[...]
    b"getattr", b"__dict__", b"globals()", b"vars(", b"__builtins__", b"builtins", b"sys.modules",
)
# network data: a client read or a server-side request
NET_ORIGIN_TOKENS = (
    b"requests", b"urlopen", b"urlretrieve", b"urllib3", b"PoolManager", b"HTTPConnection", b"HTTPSConnection",
    b"getresponse", b"httpx", b"aiohttp", b"recv", b"makefile", b"open_connection", b"open_unix_connection",
    b"start_server", b"start_unix_server", b"socket.socket", b"create_connection", b"accept(", b"websocket",
    b"tornado", b"flask", b"bottle", b"quart", b"rfile", b"RequestHandler", b"data_received",
    b"datagram_received", b"dataReceived", b"ws_connect", b"pycurl", b"ftplib", b"request.", b"req.",
    b"route(", b'.get("/', b".get('/", b'.post("/', b".post('/", b'.put("/', b".put('/", b'.delete("/',
    b"websocket(",
)
# payloads made in the file itself: decoded constants and shell cradles
LOCAL_ORIGIN_TOKENS = (
    b"b64decode", b"b32decode", b"b16decode", b"b85decode", b"a85decode", b"decodebytes", b"decodestring",
    b"base64", b"a2b_", b"unhexlify", b"decompress", b"fromhex", b"rot13", b"rot_13", b"'hex'", b'"hex"',
    b"chr(", b"marshal.loads", b"curl", b"wget", b"iex", b"IEX", b"Invoke-", b"DownloadString",
    b"EncodedCommand", b"codecs", b"_codec", b"decrypt", b"reveal", b"stegano", b"stepic", b"quopri",
)
# the model rows add theirs (LLM clients, model hubs, message queues, web frameworks ...)
_MODEL_SINK_TOKENS, _MODEL_ORIGIN_TOKENS = prescan_tokens()
SINK_TOKENS = SINK_TOKENS + tuple(t for t in _MODEL_SINK_TOKENS if t not in SINK_TOKENS)
NET_ORIGIN_TOKENS = NET_ORIGIN_TOKENS + tuple(t for t in _MODEL_ORIGIN_TOKENS if t not in NET_ORIGIN_TOKENS)
# Of those, the names of modules the model rows read outside data from (an SDK: `together`,
# `cohere`, `tensorflow`, a framework: `django`) say so only where the file imports the module:
# as words of prose or of other names (sympy's `together()`, "quartic", "coherent") they do not.
# The other tokens are method names and call shapes (`recv`, `request.`, `on_post`).
_ROW_MODULES = frozenset(r.api.split(".")[0].encode() for r in builtin_rows() if not r.api.startswith(("*.", "re:")))
MODULE_ORIGIN_TOKENS = tuple(t for t in NET_ORIGIN_TOKENS if t in _ROW_MODULES)
TEXT_ORIGIN_TOKENS = tuple(t for t in NET_ORIGIN_TOKENS if t not in _ROW_MODULES)
_MODULE_ORIGIN_SET = frozenset(MODULE_ORIGIN_TOKENS)
# import_module("pkg.mod") / __import__("pkg"): a module imported by name
_IMPORTED_BY_NAME = re.compile(rb"""(?:import_module|__import__)\(\s*['"]([\w.]+)""")
_WORDS = re.compile(rb"\w+")


def imported_words(data: bytes) -> Set[bytes]:
    """The words of the module paths a file imports (``import a.b``, ``from a.b import c``: a, b;
    not c), also by name with import_module/__import__."""
    out: Set[bytes] = set()
    for m in IMPORT_RE.finditer(data):
        path = m.group(1) if m.group(1) is not None else m.group(3)
        if path:
            out.update(_WORDS.findall(path if m.group(1) is not None else b" ".join(
                part.split()[0] for part in path.split(b",") if part.split())))
    for m in _IMPORTED_BY_NAME.finditer(data):
        out.update(_WORDS.findall(m.group(1)))
    return out


# the tokens as text: a cheap first test before FUNC_ROOT_RE
TEXT_TOKENS = tuple(t.decode() for t in SINK_TOKENS + NET_ORIGIN_TOKENS + LOCAL_ORIGIN_TOKENS)

# literal pieces of FUNC_ROOT_RE: a fast str.find pass picks the lines the regex then checks
ROOT_LITERALS = tuple(sorted({
    "exec", "eval", "compile", "FunctionType", "runsource", "runcode", "timeit", "Timer", "pickle", "Unpickler",
    "marshal", "dill", "shelve", "yaml", "torch", "joblib", "system", "popen", "getoutput", "subprocess", "Popen",
    "create_subprocess_", "spawn", "pty", "startfile", "run_path", "load_source", "exec_module", "load_module",
    "DLL", "LoadLibrary", "cdll", "zipimport", "import_module", "__import__", "sys.path", "addsitedir", "builtins",
    "getattr", "partial", "urlretrieve", "copyfileobj", "write_bytes", "write_text", "chmod",
    "__dict__", "globals", "vars", "modules",
} | {t.decode() for t in NET_ORIGIN_TOKENS + LOCAL_ORIGIN_TOKENS + _MODEL_SINK_TOKENS}))

# Within an analysed file, a function is a starting point of the analysis when its own text
# calls a sink or reads network data (others are analysed when something calls them).
FUNC_ROOT_RE = re.compile(
    r"(?<![\w.])(?:exec|eval|compile)\s*\(|\b(?:FunctionType|runsource|runcode|timeit|Timer|pickle|Unpickler|"
    r"marshal|dill|shelve|jsonpickle|yaml|torch|joblib|read_pickle|allow_pickle|system|popen|getoutput|"
    r"subprocess|Popen|create_subprocess_\w+|spawn\w*|exec[lv]\w*|posix_spawn\w*|pty|startfile|run_path|"
    r"load_source|exec_module|load_module|CDLL|PyDLL|WinDLL|OleDLL|LoadLibrary|cdll|zipimport\w*|import_module|"
    r"__import__|sys\.path|addsitedir|builtins|getattr|partial|urlretrieve|copyfileobj|write_bytes|write_text|"
    r"chmod|__builtins__|__dict__|globals|vars|sys\.modules)\b|" + "|".join(re.escape(t.decode()) for t in NET_ORIGIN_TOKENS + LOCAL_ORIGIN_TOKENS + _MODEL_SINK_TOKENS)
)

IMPORT_RE = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([^\n#;]+)|import[ \t]+([^\n#;]+))", re.M)


def _extra(names: Iterable[str]) -> Optional["re.Pattern[bytes]"]:
    parts = sorted({n.split(":")[0].rsplit(".", 1)[-1] for n in names if n})
    if not parts:
        return None
    return re.compile(b"|".join(re.escape(p.encode()) for p in parts))


class Prescan:
    #: how many levels of project imports are followed to find where network data comes from
    depth = 2

    def __init__(self, search_dirs: List[Path], extra_sinks: Iterable[str] = (), extra_sources: Iterable[str] = ()) -> None:
        self.search_dirs = search_dirs
        self.extra_sinks = _extra(extra_sinks)
        self.extra_sources = _extra(extra_sources)
        self._origin: Dict[Path, bool] = {}
        self._any_origin: Dict[Path, bool] = {}
        self._sink: Dict[Path, bool] = {}
        self._imports: Dict[Path, List[Path]] = {}
        self._found: Dict[tuple, Optional[Path]] = {}
        self._real_roots: Dict[Path, tuple] = {}
        self._real_search: Optional[tuple] = None
        self._closed: Dict[int, Set[Path]] = {}  # per cache: modules known to reach no match

    def has_sink(self, data: bytes) -> bool:
        return any(t in data for t in SINK_TOKENS) or bool( (self.extra_sinks is not None and self.extra_sinks.search(data)))

    def _has_origin_bytes(self, data: bytes) -> bool:
        if any(t in data for t in TEXT_ORIGIN_TOKENS) or (self.extra_sources is not None and self.extra_sources.search(data)):
            return True
        return not imported_words(data).isdisjoint(_MODULE_ORIGIN_SET)

    def _has_any_origin_bytes(self, data: bytes) -> bool:
        return self._has_origin_bytes(data) or any(t in data for t in LOCAL_ORIGIN_TOKENS)

    def needs_analysis(self, path: Path, data: bytes, module_name: str) -> bool:
        """Can a flow start in code of this file (its own or a function it calls)? That needs an
        origin (network data or a decoded constant) and a sink, each in the file or in a project
        module it imports: ``main.py`` may pass ``requests.get(u).text`` to ``runner.run()``,
        which execs its parameter, and ``exec(helper.payload())`` may run a constant decoded in
        helper.py. (A file whose only role is to hold the sink, runner.py, is left to the engine,
        which loads it when an analysed file calls into it.)"""
        sink = self.has_sink(data)
        if sink and any(t in data for t in LOCAL_ORIGIN_TOKENS):
            return True
        # all the way down the project's imports: the engine follows return values through any
        # number of modules (main -> a -> b -> c, where c calls requests.get)
        if not self._reaches(path, data, module_name, self._has_any_origin_bytes, self._any_origin, None):
            return False
        return sink or self._reaches(path, data, module_name, self.has_sink, self._sink, None)

    def originates(self, path: Path, data: bytes, module_name: str) -> bool:
        """Can code in this file produce network data (itself or through project imports)?"""
        return self._reaches(path, data, module_name, self._has_origin_bytes, self._origin)

    def _reaches(
        self, path: Path, data: bytes, module_name: Optional[str], test, cache: Dict[Path, bool], depth: Optional[int] = -1
    ) -> bool:
        """``test`` holds for this file's bytes or for a project module it imports, up to ``depth``
        levels (-1: :attr:`depth`; None: no limit). ``cache``: per imported module, the answer of
        ``test``. Without a limit, a search that fails has visited every module reachable from
        the ones it saw, so none of them can reach a match either: they are remembered and never
        searched again (``self._closed``), which keeps a whole-project pre-scan linear."""
        if test(data):
            return True
        levels = self.depth if depth == -1 else depth
        closed = self._closed.setdefault(id(cache), set()) if levels is None else None
        seen: Set[Path] = {path}
        frontier: List[tuple] = [(path, data, module_name)]
        level = 0
        while frontier and (levels is None or level < levels):
            level += 1
            nxt = []
            for p, d, name in frontier:
                for dep in self._deps(p, d, name):
                    if dep in seen or (closed is not None and dep in closed):
                        continue
                    seen.add(dep)
                    hit = cache.get(dep)
                    dd: Optional[bytes] = None
                    if hit is None or dep not in self._imports:  # read only what is not known yet
                        dd = _read(dep)
                        if dd is None:
                            continue
                        if hit is None:
                            hit = cache[dep] = test(dd)
                    if hit:
                        return True
                    nxt.append((dep, dd, None))
            frontier = nxt
        if closed is not None:
            closed |= seen
        return False

    def _deps(self, path: Path, data: Optional[bytes], module_name: Optional[str]) -> List[Path]:
        got = self._imports.get(path)
        if got is not None:
            return got
        if data is None:
            data = _read(path) or b""
        if module_name is None:
            module_name = _modname(path)
        out: List[Path] = []
        pkg = module_name if path.name == "__init__.py" else module_name.rpartition(".")[0]
        for m in IMPORT_RE.finditer(data):
            if m.group(1) is not None:
                mod = m.group(1).decode("ascii", "replace")
                names = [n.strip().split(" ")[0] for n in m.group(2).decode("ascii", "replace").strip("()\\ ").split(",")]
                level = len(mod) - len(mod.lstrip("."))
                mod = mod.lstrip(".")
                if level:
                    base = pkg.split(".") if pkg else []
                    if level > 1:
                        base = base[: max(0, len(base) - (level - 1))]
                    mod = ".".join([*base, mod] if mod else base)
                cands = [mod] + [f"{mod}.{n}" for n in names if n and n != "*"]
            else:
                cands = [n.strip().split(" ")[0] for n in m.group(3).decode("ascii", "replace").split(",")]
            for c in cands:
                p = self._find(c, path.parent)
                if p is not None and p != path:
                    out.append(p)
        self._imports[path] = out
        return out

    def _find(self, dotted: str, own_dir: Path) -> Optional[Path]:
        k = (dotted, own_dir)
        if k not in self._found:
            self._found[k] = self._find1(dotted, own_dir)
        return self._found[k]

    def _find1(self, dotted: str, own_dir: Path) -> Optional[Path]:
        from .project import STDLIB_NAMES
        if dotted.partition(".")[0] in STDLIB_NAMES:
            return None  # as in the engine: the standard library is known from the tables, never read
        # the search dirs are the same for every importer: look there once per name (own_dir None)
        if own_dir is not None and own_dir not in self.search_dirs:
            hit = self._find(dotted, None)  # type: ignore[arg-type]
            if hit is not None:
                return hit
            dirs = [own_dir]
        else:
            dirs = list(self.search_dirs)
        if not dotted or not all(part.isidentifier() for part in dotted.split(".")):
            return None
        rel = Path(*dotted.split("."))
        for d in dirs:
            for cand in (d / rel.with_suffix(".py"), d / rel / "__init__.py"):
                try:
                    if cand.is_file():
                        real = cand.resolve()
                        if self._inside(real, d):  # never read through a symlink out of the project
                            return real
                except OSError:
                    continue
        return None

    def _inside(self, real: Path, d: Path) -> bool:
        """``real`` lies in a search directory or in ``d`` (symlinks resolved)."""
        roots = self._real_roots.get(d)
        if roots is None:
            if self._real_search is None:
                self._real_search = tuple(x.resolve() for x in self.search_dirs)
            roots = self._real_roots[d] = (*self._real_search, d.resolve())
        return any(real == r or r in real.parents for r in roots)


def probe(data: bytes) -> bytes:
    """The bytes the token tests must look at.

    Plain ASCII without a PEP 263 coding line is read by Python as is: ``data`` itself. Anything
    else is decoded as Python would (BOM, coding line) and NFKC-normalised, as the parser does with
    identifiers, then encoded as UTF-8; otherwise a UTF-16 or ``# coding: utf-7`` file
    (``+AGU-xec`` is ``exec``) or a fullwidth ``ｅｘｅｃ`` would hide its tokens from a byte search.
    Normalising string contents as well can only add tokens, never remove one.
    """
    if data.isascii() and _coding_cookie(data) is None:
        return data
    try:
        text = decode_source(data)
    except SourceError:
        return data  # Python cannot read it either (the file gets a notice)
    return unicodedata.normalize("NFKC", text).encode("utf-8", "surrogatepass")


def _read(p: Path) -> Optional[bytes]:
    try:
        return probe(p.read_bytes())
    except OSError:
        return None


def _modname(p: Path) -> str:
    parts = [] if p.name == "__init__.py" else [p.stem]
    d = p.parent
    while (d / "__init__.py").is_file() and d != d.parent:
        parts.append(d.name)
        d = d.parent
    return ".".join(reversed(parts))
