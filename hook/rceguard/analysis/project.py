"""The project: module names <-> files, lazy loading of imported project modules, and the
definitions (functions, classes) each module holds."""
from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..source import ParsedFile

Binding = Tuple[str, object]  # ("mod", qual) | ("ref", qual) | ("fn", FuncInfo) | ("cls", ClassInfo) | ("var", None)

STDLIB_NAMES = frozenset(getattr(sys, "stdlib_module_names", ())) | {
    # Python 3.9 has no sys.stdlib_module_names: the ones that matter most here
    "os", "sys", "re", "io", "json", "ast", "base64", "zlib", "pickle", "marshal", "subprocess", "socket",
    "ssl", "http", "urllib", "email", "asyncio", "collections", "typing", "types", "functools", "itertools",
    "pathlib", "shutil", "tempfile", "hashlib", "hmac", "logging", "importlib", "runpy", "ctypes", "codecs",
    "inspect", "dataclasses", "builtins", "threading", "multiprocessing", "concurrent", "unittest",
}

RECORD_DECORATORS = {"dataclass", "dataclasses.dataclass", "attr.s", "attr.attrs", "attr.define",
                     "attr.frozen", "attr.mutable", "attrs.define", "attrs.frozen", "attrs.mutable",
                     "pydantic.dataclasses.dataclass"}
# base classes whose constructor stores its arguments in fields, like a dataclass
RECORD_BASES = {"typing.NamedTuple", "pydantic.BaseModel", "typing.TypedDict", "msgspec.Struct",
                "typing_extensions.TypedDict", "typing_extensions.NamedTuple"}


class FuncInfo:
    __slots__ = ("key", "qual", "node", "module", "cls", "params", "is_method", "is_static",
                 "is_classmethod", "vararg", "kwarg", "name", "alts")

    def __init__(self, key: str, qual: str, node: ast.AST, module: "ModuleInfo", cls: "Optional[ClassInfo]") -> None:
        self.key = key
        self.qual = qual
        self.node = node
        self.module = module
        self.cls = cls
        self.name = getattr(node, "name", "<lambda>")
        a = node.args  # type: ignore[attr-defined]
        self.params: List[str] = [p.arg for p in getattr(a, "posonlyargs", [])] + [p.arg for p in a.args]
        self.vararg = a.vararg.arg if a.vararg else None
        self.kwarg = a.kwarg.arg if a.kwarg else None
        self.params += [p.arg for p in a.kwonlyargs]
        decos = {_deco_name(d) for d in getattr(node, "decorator_list", [])}
        self.is_static = "staticmethod" in decos
        self.is_classmethod = "classmethod" in decos
        self.is_method = cls is not None and not self.is_static
        # every definition of this name in the same scope (a property getter and setter, an
        # ``except ImportError:`` fallback, conditional definitions); None when there is one
        self.alts: Optional[List["FuncInfo"]] = None

    def variants(self) -> List["FuncInfo"]:
        """The definitions a call of this name may run: this one and its same-name siblings."""
        return self.alts or [self]


def _deco_name(d: ast.AST) -> str:
    if isinstance(d, ast.Call):
        d = d.func
    parts = []
    while isinstance(d, ast.Attribute):
        parts.append(d.attr)
        d = d.value
    if isinstance(d, ast.Name):
        parts.append(d.id)
    return ".".join(reversed(parts))


class ClassInfo:
    __slots__ = ("key", "qual", "node", "module", "methods", "base_nodes", "bases", "ext_bases",
                 "record_fields", "is_record", "_resolved")

    def __init__(self, key: str, qual: str, node: ast.ClassDef, module: "ModuleInfo") -> None:
        self.key = key
        self.qual = qual
        self.node = node
        self.module = module
        self.methods: Dict[str, FuncInfo] = {}
        self.base_nodes = list(node.bases)
        self.bases: List[ClassInfo] = []
        self.ext_bases: List[str] = []
        self.record_fields: List[str] = []
        self.is_record = False
        self._resolved = False


class ModuleInfo:
    def __init__(self, pf: ParsedFile, name: str, is_target: bool) -> None:
        self.pf = pf
        self.name = name
        self.key = pf.display
        self.is_target = is_target
        self.scope: Dict[str, Binding] = {}
        self.functions: List[FuncInfo] = []  # units analysed on their own (not nested ones)
        self.classes: List[ClassInfo] = []
        self.is_setup = pf.path.name == "setup.py"
        # when the module's code runs by itself (for messages); "" for ordinary modules
        self.runs_at = getattr(pf, "runs_at", "") or ("install time (setup.py command)" if self.is_setup else "")
        self.dir = pf.path.parent
        self._collect()

    # -- package of this module (for relative imports)
    def package(self) -> str:
        if self.pf.path.name == "__init__.py":
            return self.name
        return self.name.rpartition(".")[0]

    def resolve_relative(self, module: Optional[str], level: int) -> str:
        if level == 0:
            return module or ""
        base = self.package().split(".") if self.package() else []
        if level > 1:
            base = base[: len(base) - (level - 1)] if level - 1 <= len(base) else []
        parts = base + ([module] if module else [])
        return ".".join(p for p in parts if p)

    def _collect(self) -> None:
        tree = self.pf.tree
        self._defs: Dict[tuple, List[FuncInfo]] = {}
        for stmt in _toplevel(tree.body):
            self._bind(stmt, self.scope, None, self.name)
        for group in self._defs.values():
            if len(group) > 1:
                for fi in group:
                    fi.alts = group
        del self._defs

    def _bind(self, stmt: ast.stmt, scope: Dict[str, Binding], cls: Optional[ClassInfo], prefix: str) -> None:
        if isinstance(stmt, ast.Import):
            for a in stmt.names:
                if a.asname:
                    scope.setdefault(a.asname, ("mod", a.name))
                else:
                    top = a.name.split(".")[0]
                    scope.setdefault(top, ("mod", top))
        elif isinstance(stmt, ast.ImportFrom):
            base = self.resolve_relative(stmt.module, stmt.level)
            for a in stmt.names:
                if a.name == "*":
                    continue
                scope.setdefault(a.asname or a.name, ("ref", f"{base}.{a.name}" if base else a.name))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            qual = f"{prefix}.{stmt.name}"
            group = self._defs.setdefault((id(cls), stmt.name), [])
            # a second definition of the name gets a key of its own (each one is analysed)
            key = f"{self.key}::{qual}" if not group else f"{self.key}::{qual}@{stmt.lineno}"
            fi = FuncInfo(key, qual, stmt, self, cls)
            group.append(fi)
            if cls is not None:
                cls.methods.setdefault(stmt.name, fi)
            else:
                scope[stmt.name] = ("fn", fi)
            self.functions.append(fi)
        elif isinstance(stmt, ast.ClassDef):
            qual = f"{prefix}.{stmt.name}"
            ci = ClassInfo(f"{self.key}::{qual}", qual, stmt, self)
            self.classes.append(ci)
            if cls is None:
                scope[stmt.name] = ("cls", ci)
            inner: Dict[str, Binding] = {}
            for s in _toplevel(stmt.body):
                self._bind(s, inner, ci, qual)
            decos = {_deco_name(d) for d in stmt.decorator_list}
            if decos & RECORD_DECORATORS or any(d.split(".")[-1] in ("dataclass", "define", "frozen", "s", "attrs")
                                                 for d in decos):
                ci.is_record = True
            for s in stmt.body:
                if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
                    ci.record_fields.append(s.target.id)
                elif (isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                      and isinstance(s.value, ast.Call) and _deco_name(s.value) in ("attr.ib", "attrib", "attr.attrib", "field", "attrs.field")):
                    ci.record_fields.append(s.targets[0].id)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        scope.setdefault(n.id, ("var", None))


def _toplevel(body: Sequence[ast.stmt]):
    """Statements of a block, descending into if/try/with (but not into defs)."""
    for s in body:
        yield s
        if isinstance(s, (ast.If, ast.For, ast.While, ast.With, ast.AsyncWith, ast.AsyncFor)):
            yield from _toplevel(s.body)
            yield from _toplevel(getattr(s, "orelse", []))
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            yield from _toplevel(s.body)  # type: ignore[attr-defined]
            for h in s.handlers:  # type: ignore[attr-defined]
                yield from _toplevel(h.body)
            yield from _toplevel(s.orelse)  # type: ignore[attr-defined]
            yield from _toplevel(s.finalbody)  # type: ignore[attr-defined]


def module_name_for(path: Path, root: Optional[Path]) -> str:
    """Dotted module name of a file: walk up while the folder is a package."""
    path = path.resolve() if not path.is_absolute() else path
    parts = [] if path.name == "__init__.py" else [path.stem]
    d = path.parent
    while (d / "__init__.py").is_file() and d != d.parent:
        parts.append(d.name)
        d = d.parent
    return ".".join(reversed(parts)) or path.stem


class Project:
    """Finds and loads project modules on demand. Never looks outside the project roots."""

    def __init__(self, root: Optional[Path], loader: Optional[Callable[[Path], Optional[ParsedFile]]]) -> None:
        self.root = root
        self.loader = loader
        self.modules: Dict[str, ModuleInfo] = {}  # by display key
        self.by_name: Dict[str, ModuleInfo] = {}
        self.by_path: Dict[Path, ModuleInfo] = {}
        self.search_dirs: List[Path] = []
        self._search_set: set = set()
        self._located: Dict[tuple, Optional[Path]] = {}
        self._resolved: Dict[Path, Path] = {}
        self._failed: set = set()
        self._stat_cache: Dict[str, bool] = {}
        # target files the pre-scan left unparsed: loaded (as targets) only if something imports them
        self.deferred_targets: set = set()
        self.deplog = None  # analysis.deplog.DepLog: modules located/loaded are recorded there
        if root is not None:
            self._add_dir(root)
            self._add_dir(root / "src")

    def _add_dir(self, d: Path) -> None:
        if d not in self._search_set and d.is_dir():
            self.search_dirs.append(d)
            self._search_set.add(d)

    def add(self, pf: ParsedFile, is_target: bool) -> ModuleInfo:
        path = pf.path
        if path in self.by_path:
            mi = self.by_path[path]
            mi.is_target = mi.is_target or is_target
            return mi
        name = getattr(pf, "module_name", "") or module_name_for(path, self.root)
        mi = ModuleInfo(pf, name, is_target)
        self.modules[mi.key] = mi
        self.by_path[path] = mi
        self.by_name.setdefault(name, mi)
        # the folder holding its top package (the importing file's own folder is searched per lookup)
        top = path.parent
        for _ in range(name.count(".")):
            top = top.parent
        self._add_dir(top)
        return mi

    def _dirs(self, own_dir: Optional[Path]) -> List[Path]:
        if own_dir is None or own_dir in self.search_dirs:
            return self.search_dirs
        return self.search_dirs + [own_dir]

    def locate(self, dotted: str, own_dir: Optional[Path] = None) -> Optional[Path]:
        """The file a dotted module name would be loaded from (no reading, no parsing).

        Standard-library names are never looked up in the project: the knowledge tables describe
        them (a project module that shadows one, say a local ``http.py``, is not followed)."""
        mi = self.by_name.get(dotted)
        if mi is not None:
            if self.deplog is not None:
                self.deplog.use(mi.pf.path)
            return mi.pf.path
        if dotted.partition(".")[0] in STDLIB_NAMES:
            return None
        found = self._locate(dotted, None)
        if found is None and own_dir is not None and own_dir not in self._search_set:
            found = self._locate(dotted, own_dir)
        if found is not None and self.deplog is not None:
            self.deplog.use(found)
        return found

    def _locate(self, dotted: str, own_dir: Optional[Path]) -> Optional[Path]:
        key = (dotted, own_dir)
        if key in self._located:
            return self._located[key]
        found = None
        parts = dotted.split(".") if dotted else []
        if parts and all(p.isidentifier() for p in parts):
            for d in (self.search_dirs if own_dir is None else [own_dir]):
                found = self._locate_in(str(d), parts)
                if found is not None:
                    break
        if found is not None and self.root is not None and not self._inside(found, own_dir):
            found = None
        self._located[key] = found
        return found

    def _locate_in(self, base: str, parts: List[str]) -> Optional[Path]:
        """Walk package folders one name at a time (a missing package stops the walk early:
        ``os.path.join`` costs one look-up when there is no ``os`` package here)."""
        cur = base
        for i, name in enumerate(parts):
            nxt = os.path.join(cur, name)
            last = i == len(parts) - 1
            if last:
                if self._isfile(nxt + ".py"):
                    return Path(os.path.realpath(nxt + ".py"))
                init = os.path.join(nxt, "__init__.py")
                if self._isfile(init):
                    return Path(os.path.realpath(init))
                return None
            if not self._isfile(os.path.join(nxt, "__init__.py")) and not self._isdir(nxt):
                return None
            cur = nxt
        return None

    def _isfile(self, p: str) -> bool:
        r = self._stat_cache.get(p)
        if r is None:
            r = self._stat_cache[p] = os.path.isfile(p)
        return r

    def _isdir(self, p: str) -> bool:
        k = p + os.sep
        r = self._stat_cache.get(k)
        if r is None:
            r = self._stat_cache[k] = os.path.isdir(p)
        return r

    def _inside(self, path: Path, own_dir: Optional[Path]) -> bool:
        for d in self._dirs(own_dir):
            r = self._resolved.get(d)
            if r is None:
                r = self._resolved[d] = d.resolve()
            try:
                path.relative_to(r)
                return True
            except ValueError:
                continue
        return False

    def find_module(self, dotted: str, own_dir: Optional[Path] = None) -> Optional[ModuleInfo]:
        if not dotted:
            return None
        mi = self.by_name.get(dotted)
        if mi is not None:
            if self.deplog is not None:
                self.deplog.use(mi.pf.path)
            return mi
        if self.loader is None:
            return None
        cand = self.locate(dotted, own_dir)
        if cand is None:
            return None
        if cand in self.by_path:
            return self.by_path[cand]
        if cand in self._failed:
            return None
        pf = self.loader(cand)
        if pf is None:
            self._failed.add(cand)
            return None
        mi = self.add(pf, cand in self.deferred_targets)
        if self.deplog is not None and mi.is_target:
            self.deplog.loaded(cand)
        self.by_name.setdefault(dotted, mi)
        return mi

    def resolve_ref(self, qual: str, depth: int = 0, own_dir: Optional[Path] = None) -> Optional[Binding]:
        """``pkg.mod.name`` -> the binding it names in the project, if any."""
        if depth > 6:
            return None
        mi = self.find_module(qual, own_dir)
        if mi is not None:
            return ("module", mi)
        mod, _, attr = qual.rpartition(".")
        if not mod:
            return None
        mi = self.find_module(mod, own_dir)
        if mi is None:
            return None
        b = mi.scope.get(attr)
        if b is None:
            return None
        if b[0] in ("ref", "mod"):
            target = str(b[1])
            if target == qual:
                return None
            return self.resolve_ref(target, depth + 1, mi.dir) or ("ext", target)
        return b
