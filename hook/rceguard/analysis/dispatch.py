"""Class-hierarchy dispatch: which project methods a call on an object can run.

``self.generate()`` in a base class runs whatever a subclass (or a mixin of a subclass) puts in
its place; the base definition is often abstract (``...``, ``pass``, ``raise
NotImplementedError``). A call on an instance of a project class therefore binds to the method
the class finds plus the ones its subclasses find, at most ``MAX_IMPLS`` of them. Subclasses are
looked up through an index of the names the registered classes write as bases (syntax only), and
a candidate is kept when its resolved bases really contain the class; both maps are cached and
recomputed only when classes were registered since.

``super().m()`` binds to the next class in the method resolution order of the class the call is
written in.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set, Tuple

from . import types as T
from .project import ClassInfo, FuncInfo, ModuleInfo, _toplevel
from .values import Value

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine

MAX_IMPLS = 8  # implementations one call on an object may bind to
MAX_SUBCLASSES = 32  # subclasses followed below one class
MAX_DEPTH = 10


def _base_names(ci: ClassInfo) -> List[str]:
    """The names a class writes as its bases (``Base``, ``pkg.Base`` -> ``Base``), and the
    original name of a base imported under another name (``from .b import Base as B``)."""
    out: List[str] = []
    for b in ci.base_nodes:
        while isinstance(b, ast.Subscript):  # Generic[T], Base[Item]
            b = b.value
        if isinstance(b, ast.Name):
            out.append(b.id)
            bound = ci.module.scope.get(b.id)
            if bound is not None and bound[0] == "ref":
                out.append(str(bound[1]).rpartition(".")[2])
        elif isinstance(b, ast.Attribute):
            out.append(b.attr)
    return out


class Dispatch:
    """Subclass and implementation maps of the classes an engine has registered."""

    def __init__(self, engine: "Engine") -> None:
        self.E = engine
        self._indexed = 0  # how many of engine.classes are in _by_base
        self._by_base: Dict[str, List[ClassInfo]] = {}
        self._subs: Dict[str, Tuple[int, List[ClassInfo]]] = {}
        self._asked: Dict[str, Set[str]] = {}  # class name -> method names looked up below it
        self._impls: Dict[Tuple[str, str], Tuple[int, List[FuncInfo], Tuple[str, ...]]] = {}

    def _index(self) -> int:
        classes = self.E.classes
        if self._indexed < len(classes):
            for ci in list(classes.values())[self._indexed:]:
                for n in set(_base_names(ci)):
                    self._by_base.setdefault(n, []).append(ci)
                    # a class registered late (an import followed in a later round) that defines
                    # a method looked up below a class of that name: those calls are looked at again
                    asked = self._asked.get(n)
                    if asked and not asked.isdisjoint(ci.methods):
                        self.E._dirty(("hier", n))
            self._indexed = len(classes)
        return self._indexed

    def subclasses(self, ci: ClassInfo) -> List[ClassInfo]:
        """Registered project classes that have ``ci`` among their ancestors (nearest first)."""
        n = self._index()
        hit = self._subs.get(ci.key)
        if hit is not None and hit[0] == n:
            return hit[1]
        out: List[ClassInfo] = []
        seen = {ci.key}
        level = [ci]
        for _ in range(MAX_DEPTH):
            nxt: List[ClassInfo] = []
            for c in level:
                for s in self._by_base.get(c.node.name, ()):
                    if s.key in seen or len(out) >= MAX_SUBCLASSES:
                        continue
                    self.E.resolve_class(s)
                    if any(b is c for b in s.bases):
                        seen.add(s.key)
                        out.append(s)
                        nxt.append(s)
            if not nxt:
                break
            level = nxt
        self._subs[ci.key] = (n, out)
        return out

    def implementations(self, ci: ClassInfo, name: str) -> List[FuncInfo]:
        """The definitions ``obj.name()`` may run for an object of ``ci`` or of a subclass: what
        ``ci`` finds, then each subclass's own (an override, or a mixin's method ahead of ``ci``).
        The caller depends on the classes written below each of these (a late one re-runs it)."""
        n = self._index()
        hit = self._impls.get((ci.key, name))
        if hit is None or hit[0] != n:
            out: List[FuncInfo] = []
            keys = set()
            subs = self.subclasses(ci)
            for c in [ci] + subs:
                if c is not ci and not self.E.module_live(c.module):
                    continue  # a subclass in a module that neither holds a sink nor reads outside data
                m = self.E.find_method(c, name)
                for v in (m.variants() if m is not None else ()):
                    if v.key not in keys and len(out) < MAX_IMPLS:
                        keys.add(v.key)
                        out.append(v)
            names = tuple(sorted({c.node.name for c in [ci] + subs}))
            hit = (n, out, names)
            self._impls[(ci.key, name)] = hit
        for nm in hit[2]:
            self.E._read(("hier", nm))
            self._asked.setdefault(nm, set()).add(name)
        return hit[1]

    def super_method(self, ci: ClassInfo, name: str) -> Tuple[List[FuncInfo], List[str]]:
        """``super().name`` written in class ``ci``: the project method of the next class in the
        MRO that defines it, and the external bases it may come from instead."""
        for c in self.E.mro(ci)[1:]:
            m = c.methods.get(name)
            if m is not None:
                return list(m.variants()), []
        return [], list(self.E.ext_bases_of(ci))


def is_super_call(node: ast.AST) -> bool:
    """``super()`` / ``super(Cls, self)``."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
            and len(node.args) in (0, 2) and not node.keywords)


def receiver_classes(recv: Value) -> FrozenSet[str]:
    """The project classes a receiver stands for (``Sub`` of ``Sub.create()``, the class of an
    instance): what ``cls`` is in a classmethod called on it."""
    return frozenset("cls:" + t.partition(":")[2] for t in recv.types if t.startswith(("cls:", "inst:")))


def imported_object(E: "Engine", q: str, own: Optional[Path]) -> FrozenSet[str]:
    """``from m import default_client`` where ``m`` says ``default_client = OpenAI()`` at module
    level (or ``default_client: Client = ...``): the object types of that global, read from the
    assignment itself so that the answer does not depend on whether ``m``'s body was analysed
    (``--no-prescan`` agrees). Re-exports (``from .tools import default_client`` in a package's
    ``__init__``) are followed."""
    mi = None
    attr = ""
    for _ in range(6):
        mod, _, attr = q.rpartition(".")
        if not mod:
            return frozenset()
        mi = E.project.find_module(mod, own)
        if mi is None:
            return frozenset()
        b = mi.scope.get(attr)
        if b is None:
            return frozenset()
        if b[0] in ("ref", "mod") and str(b[1]) != q:
            q, own = str(b[1]), mi.dir
            continue
        if b[0] != "var":
            return frozenset()
        break
    else:
        return frozenset()
    out: FrozenSet[str] = frozenset()
    for stmt in _toplevel(mi.pf.tree.body):
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == attr for t in stmt.targets):
            out |= _constructed(E, mi, stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == attr:
            out |= E.annotation_types(mi, stmt.annotation)
            if stmt.value is not None:
                out |= _constructed(E, mi, stmt.value)
    return T.cap(frozenset(t for t in out if t.startswith("inst:")))


def _constructed(E: "Engine", mi: ModuleInfo, value: ast.expr) -> FrozenSet[str]:
    """The object type ``Cls(...)`` makes: a project class, or a type the models give the call."""
    if not isinstance(value, ast.Call):
        return frozenset()
    q = E.scope_qual(mi, value.func)
    if isinstance(q, ClassInfo):
        return frozenset({"inst:" + q.key})
    if not isinstance(q, str) or q.startswith("builtins."):
        return frozenset()
    made = frozenset("inst:" + r.type for r in E.model_rows(q, False) if r.effect == "type")
    if made:
        return made
    at = E.annotation_type(mi, value.func)  # a project class imported there, a modelled constructor
    return frozenset({at}) if at is not None else frozenset()
