"""Declared types: what an annotation says an object is.

The engine tracks objects by *type strings* on a :class:`~.values.Value` (``inst:<class key or
qualified name>``). This module turns annotations into those strings:

* ``Client``, ``pkg.Client``, ``"Client"`` (a string annotation), ``Optional[Client]``,
  ``Client | None``, ``Union[A, B]``, ``typing.Annotated[Client, ...]``, ``ClassVar``/``Final``;
* a project class gives ``inst:<its key>``; any other qualified name (``openai.OpenAI``,
  ``zmq.Socket``) gives ``inst:<that name>``, so its methods resolve through the model rows;
* a container (``list[Client]``, ``Dict[str, Client]``, ``Sequence[Client]``) gives the element
  type wrapped as ``elt:inst:...`` (see :func:`element_types`): indexing, iterating or
  ``.get()`` of the container gives the element back.

and reads the fields a class declares (class-level annotations of dataclasses, Pydantic models,
attrs classes and plain classes, and ``self.x: T`` in ``__init__``).
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, Optional

from .project import ClassInfo, ModuleInfo

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Engine

ELT = "elt:"  # prefix of the type of a container's elements
MAX_TYPES = 8  # at most this many types are kept per declared / received value

_WRAPPERS_UNION = {"Optional", "Union"}
_WRAPPERS_FIRST = {"Annotated", "ClassVar", "Final", "Required", "NotRequired", "ReadOnly", "InitVar", "Type", "type"}
_SEQUENCES = {"List", "list", "Sequence", "MutableSequence", "Iterable", "Iterator", "Collection", "Set", "set",
              "FrozenSet", "frozenset", "AbstractSet", "MutableSet", "Deque", "deque", "Tuple", "tuple",
              "AsyncIterable", "AsyncIterator", "Generator", "AsyncGenerator"}
_MAPPINGS = {"Dict", "dict", "Mapping", "MutableMapping", "DefaultDict", "defaultdict", "OrderedDict",
             "ChainMap", "Counter"}
# qualified names that are never objects we can follow
_NOT_OBJECTS = ("builtins.", "typing.", "typing_extensions.", "collections.", "abc.", "types.", "numbers.",
                "enum.", "dataclasses.", "datetime.", "decimal.", "fractions.", "uuid.", "pathlib.")


def _last(q: object) -> str:
    return q.rpartition(".")[2] if isinstance(q, str) else ""


def annotation_types(E: "Engine", m: ModuleInfo, ann: Optional[ast.expr], depth: int = 0) -> FrozenSet[str]:
    """The type strings an annotation gives (empty when it names nothing we can follow)."""
    if ann is None or depth > 6:
        return frozenset()
    if isinstance(ann, ast.Constant):
        if not isinstance(ann.value, str) or len(ann.value) > 200:
            return frozenset()
        try:
            inner = ast.parse(ann.value.strip(), mode="eval").body
        except SyntaxError:
            return frozenset()
        return annotation_types(E, m, inner, depth + 1)
    if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
        return cap(annotation_types(E, m, ann.left, depth + 1) | annotation_types(E, m, ann.right, depth + 1))
    if isinstance(ann, ast.Subscript):
        base = E.scope_qual(m, ann.value)
        name = _last(base) if not isinstance(base, ClassInfo) else ""
        sl = ann.slice
        elts = list(sl.elts) if isinstance(sl, ast.Tuple) else [sl]
        if name in _WRAPPERS_UNION:
            out: FrozenSet[str] = frozenset()
            for e in elts:
                out |= annotation_types(E, m, e, depth + 1)
            return cap(out)
        if name in _WRAPPERS_FIRST:
            return annotation_types(E, m, elts[0], depth + 1)
        if name in _SEQUENCES or name in _MAPPINGS:
            picked = elts[1:2] if name in _MAPPINGS else [e for e in elts if not isinstance(e, ast.Constant)]
            inner_types: FrozenSet[str] = frozenset()
            for e in picked:
                inner_types |= annotation_types(E, m, e, depth + 1)
            return cap(frozenset(ELT + t for t in inner_types if not t.startswith(ELT)))
        return annotation_types(E, m, ann.value, depth + 1)  # Client[T]
    if isinstance(ann, (ast.Name, ast.Attribute)):
        return _named(E, m, ann)
    return frozenset()


def _named(E: "Engine", m: ModuleInfo, ann: ast.expr) -> FrozenSet[str]:
    at = E.annotation_type(m, ann)  # project classes and the modelled constructors
    if at is not None:
        return frozenset({at})
    q = E.scope_qual(m, ann)
    if not isinstance(q, str) or "." not in q or q.startswith(_NOT_OBJECTS):
        return frozenset()
    made = frozenset("inst:" + r.type for r in E.model_rows(q, False) if r.effect == "type")
    if made:  # the type the constructor's rows give (``openai.AzureOpenAI`` is an OpenAI client)
        return cap(made)
    r = E.project.resolve_ref(q, own_dir=m.dir)
    if r is not None and r[0] != "ext":
        return frozenset()  # a project name that is not a class (a module, a function, a variable)
    return frozenset({"inst:" + (str(r[1]) if r is not None else q)})


def cap(types: FrozenSet[str]) -> FrozenSet[str]:
    return types if len(types) <= MAX_TYPES else frozenset(sorted(types)[:MAX_TYPES])


def widen(old: FrozenSet[str], new: FrozenSet[str]) -> FrozenSet[str]:
    """What a store that had ``old`` keeps when ``new`` comes: ``old``, filled up to MAX_TYPES
    with the first of ``new`` by name, then kept as it is. Only growing, so readers re-run a
    bounded number of times (fields, summaries' return types)."""
    if len(old) >= MAX_TYPES:
        return old
    return old | frozenset(sorted(new - old)[:MAX_TYPES - len(old)])


def declared_fields(E: "Engine", ci: ClassInfo) -> Dict[str, FrozenSet[str]]:
    """Field name -> declared types of one class (not its bases): ``name: T`` in the class body
    and ``self.name: T`` in ``__init__``. Cached on the engine."""
    cache = E.declared_cache
    got = cache.get(ci.key)
    if got is not None:
        return got
    got = {}
    cache[ci.key] = got
    m = ci.module
    for s in ci.node.body:
        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name):
            ts = annotation_types(E, m, s.annotation)
            if ts:
                got[s.target.id] = ts
    init = ci.methods.get("__init__")
    if init is not None:
        for n in ast.walk(init.node):
            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Attribute) and \
                    isinstance(n.target.value, ast.Name) and n.target.value.id == "self":
                ts = annotation_types(E, m, n.annotation)
                if ts:
                    got[n.target.attr] = got.get(n.target.attr, frozenset()) | ts
    return got


def element_types(types: Iterable[str]) -> FrozenSet[str]:
    """The element types of a container value (``elt:X`` -> ``X``)."""
    return frozenset(t[len(ELT):] for t in types if t.startswith(ELT))


OBJECT_KINDS = ("inst:", "fn:", "meth:", "partial:", "cls:", ELT)


def object_types(types: Iterable[str]) -> FrozenSet[str]:
    """The types of ``types`` that are objects worth carrying to another place (a field, a
    parameter, a container): instances, functions, bound methods, partials, classes, elements;
    not whole modules (``ref:os``)."""
    return cap(frozenset(t for t in types if t.startswith(OBJECT_KINDS) or
                         (t.startswith("ref:") and "." in t)))


def as_elements(types: Iterable[str]) -> FrozenSet[str]:
    """A container holding objects of ``types`` (wrapped once: a list of lists is a list)."""
    return cap(frozenset(t if t.startswith(ELT) else ELT + t for t in object_types(types)))
