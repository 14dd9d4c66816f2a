"""Abstract values of the flow engine.

A :class:`Value` says what an expression may carry: a set of *labels* (where the data may come
from), each with one representative :class:`Trace` (the steps that got it here), plus the *types*
we know for the object (``inst:requests.Session``, ``fn:pkg.mod.func`` ...).

Labels
------
``remote``            data read from the network (or from an HTTP request, on a server)
``encoded``           a constant payload that was decoded (base64, zlib, hex, rot13, chr-join ...)
``cradle``            a constant shell string that downloads and runs code (``curl ... | sh``)
``rfile``             a path/handle of a file (or directory) whose content came from the network
``("param", name)``   (summaries) the value of parameter ``name`` of the function being analysed
``("pfile", name)``   (summaries) the content of the file whose path is parameter ``name``
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, Optional, Tuple, Union

from ..findings import Step

REMOTE = "remote"
ENCODED = "encoded"
CRADLE = "cradle"
RFILE = "rfile"

Label = Union[str, Tuple[str, str]]

MAX_STEPS = 40


class Trace:
    """One representative path for a label. Immutable.

    Adding a step must not compare it with every step already on the path (that was quadratic
    and a tenth of all run time on large trees): each trace keeps the hashes of its steps next to
    them, so "is this step already here?" is an integer search, and an equality test runs only
    on a hash hit. The ordering key used to choose between two traces is computed once per trace.
    """

    __slots__ = ("steps", "verified", "caveat", "source_api", "_hashes", "_key")

    def __init__(
        self,
        steps: Tuple[Step, ...] = (),
        verified: str = "",
        caveat: str = "",
        source_api: str = "",
        _hashes: Optional[Tuple[int, ...]] = None,
    ) -> None:
        self.steps = steps
        self.verified = verified
        self.caveat = caveat
        self.source_api = source_api
        self._hashes = _hashes
        self._key: Optional[tuple] = None

    def hashes(self) -> Tuple[int, ...]:
        h = self._hashes
        if h is None:
            h = self._hashes = tuple(map(hash, self.steps))
        return h

    def _index(self, step: Step, h: int) -> int:
        """Position of ``step`` on this path, -1 when it is not there."""
        hs = self.hashes()
        start = 0
        while True:
            try:
                i = hs.index(h, start)
            except ValueError:
                return -1
            s = self.steps[i]
            if s is step or s == step:
                return i
            start = i + 1

    def add(self, step: Optional[Step]) -> "Trace":
        if step is None:
            return self
        steps = self.steps
        if steps and steps[-1] is step:
            return self
        h = hash(step)
        hs = self.hashes()
        if steps and hs[-1] == h and steps[-1] == step:
            return self
        i = self._index(step, h)
        if i >= 0:  # a cycle (recursion, loop): cut back to the first visit
            return Trace(steps[: i + 1], self.verified, self.caveat, self.source_api, hs[: i + 1])
        if len(steps) >= MAX_STEPS:
            cut = len(steps) - MAX_STEPS + 2
            steps = steps[:1] + steps[cut:]
            hs = hs[:1] + hs[cut:]
        return Trace(steps + (step,), self.verified, self.caveat, self.source_api, hs + (h,))

    def extend(self, steps: Iterable[Step]) -> "Trace":
        t = self
        for s in steps:
            t = t.add(s)
        return t

    def with_(self, **kw: str) -> "Trace":
        d = {"verified": self.verified, "caveat": self.caveat, "source_api": self.source_api}
        d.update(kw)
        return Trace(self.steps, _hashes=self._hashes, **d)

    def key(self) -> tuple:
        # order used to choose one representative deterministically: unverified first, shorter first
        k = self._key
        if k is None:
            k = self._key = (
                1 if self.verified else 0,
                len(self.steps),
                tuple((s.location.path, s.location.line, s.location.col, s.message) for s in self.steps),
                self.caveat,
                self.source_api,
            )
        return k

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Trace) and (self is other or self.key() == other.key())

    def __hash__(self) -> int:
        return hash(self.key())

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Trace({[s.message for s in self.steps]}, verified={self.verified!r})"


def better(a: Trace, b: Trace) -> Trace:
    if a is b:
        return a
    av, bv = 1 if a.verified else 0, 1 if b.verified else 0
    if av != bv:
        return a if av < bv else b
    la, lb = len(a.steps), len(b.steps)
    if la != lb:
        return a if la < lb else b
    if a.steps == b.steps and a.caveat == b.caveat and a.source_api == b.source_api:
        return a  # the same path (cheap: equal steps are usually the same objects)
    return a if a.key() <= b.key() else b


class Value:
    """What an expression may hold. Immutable; use the helpers to build new ones."""

    __slots__ = ("labels", "types", "const")

    def __init__(
        self,
        labels: Optional[Dict[Label, Trace]] = None,
        types: FrozenSet[str] = frozenset(),
        const: bool = False,
    ) -> None:
        self.labels: Dict[Label, Trace] = labels or {}
        self.types = types
        self.const = const  # built only from literals / constant names

    def __bool__(self) -> bool:  # "tainted"
        return bool(self.labels)

    def has(self, label: Label) -> bool:
        return label in self.labels

    def signature(self) -> tuple:
        return (tuple(sorted(map(repr, self.labels))), tuple(sorted(self.types)))

    def map_traces(self, fn) -> "Value":
        if not self.labels:
            return self
        return Value({k: fn(t) for k, t in self.labels.items()}, self.types, self.const)

    def add_step(self, step: Optional[Step]) -> "Value":
        if step is None or not self.labels:
            return self
        return self.map_traces(lambda t: t.add(step))

    def only_labels(self) -> "Value":
        if not self.types and not self.const:
            return self
        return Value(self.labels) if self.labels else EMPTY

    def with_types(self, types: Iterable[str]) -> "Value":
        return Value(self.labels, frozenset(types), self.const)

    def without(self, *labels: Label) -> "Value":
        if not any(l in self.labels for l in labels):
            return self
        return Value({k: t for k, t in self.labels.items() if k not in labels}, self.types, self.const)

    def __repr__(self) -> str:  # pragma: no cover
        return f"Value({sorted(map(repr, self.labels))}, {sorted(self.types)}, const={self.const})"


EMPTY = Value()
CONST = Value(const=True)


def join(*values: Value) -> Value:
    vals = [v for v in values if v is not None]
    if not vals:
        return EMPTY
    first = vals[0]
    if len(vals) == 1 or all(v is first for v in vals):
        return first
    nonempty = [v for v in vals if v.labels or v.types]
    if not nonempty:
        return CONST if all(v.const for v in vals) else EMPTY
    if len(nonempty) == 1 and not nonempty[0].const:
        return nonempty[0]
    labels: Dict[Label, Trace] = {}
    types: set = set()
    const = True
    for v in vals:
        const = const and v.const
        types.update(v.types)
        for k, t in v.labels.items():
            old = labels.get(k)
            labels[k] = t if old is None else better(old, t)
    if not labels and not types:
        return CONST if const else EMPTY
    return Value(labels, frozenset(types), const)


def labels_only(*values: Value) -> Value:
    """Join keeping only labels (the result of an operation is a new object)."""
    v = join(*values)
    if v.types:
        v = Value(v.labels, frozenset(), v.const)
    return v
