"""Flow engine driver: project-wide stores, call resolution against the knowledge tables and the
function summaries, sink checks, and the fixpoint over all loaded modules.

Contract used by ``rceguard.scan``::

    analyze(targets, root=..., loader=..., extend_sources=(), extend_sinks=(), extend_sanitizers=())
        -> list[Finding]

* ``targets``: ParsedFile objects of the files the user asked about; findings are reported only
  in these files.
* ``root``: project root, used to resolve imports of project modules (None: the files' folders).
* ``loader(path) -> ParsedFile | None``: reads and parses another project file on demand.
* ``extend_*``: dotted names from configuration (``pkg.mod.func``; sinks may add ``:RCE00N``).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from ..findings import Finding, Location, SinkRef, Step
from ..knowledge import sinks as K
from ..source import ParsedFile
from ..knowledge import models as MD
from . import fold, netshell
from .argv import argv_of
from .precision import GATE_PREFIX, payload_keywords
from .callers import CallerIndex, defined_names, real
from .dispatch import Dispatch, imported_object, receiver_classes
from .flow import FunctionAnalyzer
from .models import BUILTIN as BUILTIN_MODELS
from .models import ModelIndex, source_kind
from .models import apply as apply_models
from . import types as T
from .project import RECORD_BASES, ClassInfo, FuncInfo, ModuleInfo, Project
from .state import FILES_APPEAR, Env, SinkInfo, Summary
from .values import CRADLE, EMPTY, ENCODED, REMOTE, RFILE, Trace, Value, join, labels_only

MAX_ROUNDS = 8
EMPTY_SUMMARY_SIG = Summary().signature()
# functions of modules that were not given are followed this deep when only parameters (not
# network data itself) flow into them; network data is always followed
MAX_PARAM_DEPTH = 2
# how many levels of callers in project files that were not given are followed up from a sink
MAX_CALLER_LEVELS = 6
# how many functions may be under analysis at once (a callee analysed while its caller is): on a
# whole project every module is a given file, so nothing else bounds a chain of callees (sympy's
# went deeper than Python's default recursion limit allows). A callee reached deeper is analysed at
# the start of the next round instead, from the top; what it returns reaches the callers one level
# per round after that, so a flow through a longer chain is not found (but the run ends).
MAX_NESTING = 160
# the analysis runs in a thread of its own with this much stack and this recursion limit, so that
# deeply nested code (long expressions, long call chains) does not hit the limit (see _deep)
ANALYSIS_STACK = 256 * 1024 * 1024
ANALYSIS_RECURSION_LIMIT = 12000

# which labels a sink kind reacts to, and the rule it reports
# (a decoded constant is an encoded payload, RCE005, whatever kind of sink runs it)
RULES_FOR = {
    K.CODE: {REMOTE: "RCE001", ENCODED: "RCE005"},
    K.DATA: {REMOTE: "RCE002", RFILE: "RCE002", ENCODED: "RCE005"},
    K.CMD: {REMOTE: "RCE006", CRADLE: "RCE004", RFILE: "RCE003", ENCODED: "RCE005"},
    K.FILE: {RFILE: "RCE003", ENCODED: "RCE005"},
}
# when the *content of a downloaded file* reaches a sink kind
FILE_CONTENT_RULE = {K.CODE: "RCE001", K.DATA: "RCE002", K.CMD: "RCE003", K.FILE: "RCE003"}
DEFAULT_LEVEL = {"RCE001": "error", "RCE002": "error", "RCE003": "error", "RCE004": "error",
                 "RCE005": "warning", "RCE006": "error"}
SINK_VERB = {"RCE001": "executed by", "RCE002": "deserialized by", "RCE003": "run by",
             "RCE004": "run by", "RCE005": "executed by", "RCE006": "run as a command by"}

_EFFECT_RANK = {e: i for i, e in enumerate(MD.RESULT_ORDER)}
_RULE_KIND = {"RCE002": K.DATA, "RCE003": K.FILE, "RCE006": K.CMD}


def _short(q: str) -> str:
    return q[len("builtins."):] if q.startswith("builtins.") else q


class Engine:
    def __init__(self, project: Project, extend_sources: Iterable[str] = (), extend_sinks: Iterable[str] = (),
                 extend_sanitizers: Iterable[str] = (), models: Iterable[MD.Model] = (),
                 disabled_sources: Iterable[str] = ()) -> None:
        self.project = project
        self.extra_sources = set(extend_sources)
        self.extra_sinks: Dict[str, str] = {}
        for s in extend_sinks:
            name, _, rule = s.partition(":")
            self.extra_sinks[name.strip()] = (rule.strip().upper() or "RCE001")
        self.extra_sanitizers = set(extend_sanitizers)
        # the shorthands are model rows too; user rows come first among rows of the same effect
        rows = [MD.Model(n, "sink", _RULE_KIND.get(r, K.CODE), origin="config") for n, r in self.extra_sinks.items()]
        rows += [MD.Model(n, "source", "custom", origin="config") for n in sorted(self.extra_sources)]
        rows += [MD.Model(n, "check", origin="config") for n in sorted(self.extra_sanitizers)]
        rows += list(models)
        for r in models:
            if r.effect in ("sink", "runs-remote"):
                self.extra_sinks.setdefault(r.api, r.rule or "RCE001")
            elif r.effect == "check":
                self.extra_sanitizers.add(r.api)
            elif r.effect in ("source", "download", "callback", "holds", "entry"):
                self.extra_sources.add(r.api)
        self.user_models: Optional[ModelIndex] = ModelIndex(rows) if rows else None
        self._merged_rows: Dict[Tuple[str, bool], list] = {}  # (name, any receiver) -> built-in + user rows, ranked
        self.disabled_sources = frozenset(disabled_sources)
        self.summaries: Dict[str, Summary] = {}
        self.funcs: Dict[str, FuncInfo] = {}
        self.classes: Dict[str, ClassInfo] = {}
        self.fields: Dict[Tuple[str, str], Value] = {}
        self.globals: Dict[Tuple[str, str], Value] = {}
        self.global_keys: Dict[Tuple[str, str], str] = {}
        self.files: Dict[str, Value] = {}
        self.remote_param_funcs: Dict[str, str] = {}
        self._module_flags: Dict[str, tuple] = {}
        self.active: set = set()
        self._registered: set = set()
        self._mod_tokens: Dict[str, bool] = {}
        self._line_cache: Dict[tuple, List[int]] = {}
        self._word_index: Dict[str, Dict[str, List[int]]] = {}
        self._mro: Dict[str, List[ClassInfo]] = {}
        self._field_plans: Dict[Tuple[str, str], tuple] = {}
        self._shallow: set = set()  # target functions last analysed outside any non-target callee
        self._ext_bases: Dict[str, List[str]] = {}
        self._names_done: set = set()
        self.depth = 0  # how many functions of modules that were not given are being analysed
        self._prescan = None
        self.unit = None
        self.deps: Dict[tuple, set] = {}
        self.dirty: set = set()
        self.next_dirty: set = set()
        self.seen_units: set = set()
        self.unit_findings: Dict[object, Dict[tuple, Finding]] = {}
        self.done_this_round: set = set()
        self.bodies_done: set = set()
        self.in_progress: set = set()
        self._class_nodes: Dict[Tuple[str, int], ClassInfo] = {}
        self.deplog = None  # an analysis.deplog.DepLog when the result cache asks what was read
        self.declared_cache: Dict[str, Dict[str, frozenset]] = {}  # see types.declared_fields
        # (function key, parameter) -> object types its callers pass (see types.py)
        self.param_types: Dict[Tuple[str, str], frozenset] = {}
        # callers in project files that were not given (see analysis/callers.py); None: not searched
        self.callers: Optional[CallerIndex] = None
        self._caller_funcs_done: set = set()
        self._caller_names_done: set = set()
        self._sink_chain: set = set()  # paths of modules with a function whose parameter reaches a given file's sink
        self._caller_bodies: Dict[str, ModuleInfo] = {}
        self.dispatch = Dispatch(self)  # subclass / implementation maps (see dispatch.py)
        self._imported_objects: Dict[tuple, frozenset] = {}
        self.decorating = 0  # > 0 while a live function's decorators run (see flow.st_FunctionDef)

    # ------------------------------------------------------------------ registry
    def register(self, m: ModuleInfo) -> None:
        if m.key in self._registered:
            return
        self._registered.add(m.key)
        for fi in m.functions:
            self.funcs[fi.key] = fi
        for ci in m.classes:
            self.classes[ci.key] = ci
            self._class_nodes[(m.key, id(ci.node))] = ci
        if m.is_target:
            log = self.deplog
            if log is not None:
                prev, log.current = log.current, str(m.pf.path)
            imported = self._interesting_imports(m)
            if log is not None:
                log.current = prev
            for fi in m.functions:
                if self._is_root(fi, imported):
                    self.active.add(fi.key)

    def class_for_node(self, m: ModuleInfo, node: ast.ClassDef) -> Optional[ClassInfo]:
        return self._class_nodes.get((m.key, id(node)))

    def nested_func(self, parent: Optional[FuncInfo], node: ast.AST, m: ModuleInfo,
                    cls: Optional[ClassInfo]) -> FuncInfo:
        base = parent.qual if parent is not None else m.name
        name = getattr(node, "name", "<lambda>")
        qual = f"{base}.<locals>.{name}"
        key = f"{m.key}::{qual}@{node.lineno}:{node.col_offset}"  # type: ignore[attr-defined]
        fi = self.funcs.get(key)
        if fi is None:
            fi = FuncInfo(key, qual, node, m, None)
            self.funcs[key] = fi
        return fi

    def analyze_nested(self, fi: FuncInfo, env: Env, parent: FunctionAnalyzer) -> None:
        sub = FunctionAnalyzer(self, fi.module, fi, closure=env, cls=parent.cls)
        sub.parent = parent  # type: ignore[attr-defined]
        sub.self_name = parent.self_name  # closures see the enclosing method's `self`
        summ = sub.run()
        self._store_summary(fi.key, summ)
        # closures: sinks reached by the enclosing function's parameters belong to it
        own = set(fi.params) | {fi.vararg, fi.kwarg}
        for key, val in summ.param_sinks.items():
            if key[0] not in own:
                parent.summary.param_sinks.setdefault(key, val)

    def _store_summary(self, key: str, summ: Summary) -> None:
        if self.deplog is not None:
            fi = self.funcs.get(key)
            self.deplog.write(("sum", key), None if fi is None else str(fi.module.pf.path))
        old = self.summaries.get(key)
        if len(summ.ret.types) > T.MAX_TYPES:
            # a function of a large class tree (a computer algebra system's ``doit()``) returns a
            # different few dozen types each round, and every change re-runs its callers
            summ.ret = Value(summ.ret.labels, T.widen(old.ret.types if old is not None else frozenset(),
                                                      summ.ret.types), summ.ret.const)
        if old is None or old.signature() != summ.signature():
            if old is not None or summ.signature() != EMPTY_SUMMARY_SIG:
                self._dirty(("sum", key))
        self.summaries[key] = summ

    def resolve_class(self, ci: ClassInfo) -> None:
        if ci._resolved:
            return
        ci._resolved = True
        for b in ci.base_nodes:
            q = self.scope_qual(ci.module, b)
            if q is None:
                continue
            if isinstance(q, ClassInfo):
                ci.bases.append(q)
                continue
            r = self.project.resolve_ref(q, own_dir=ci.module.dir) if q.split(".")[0] not in ("builtins",) else None
            if r is not None and r[0] == "cls":
                ci.bases.append(r[1])  # type: ignore[arg-type]
                self.register(r[1].module)  # type: ignore[union-attr]
            elif q not in ("builtins.object", "object"):
                ci.ext_bases.append(q)
        if any(b in RECORD_BASES for b in ci.ext_bases):
            ci.is_record = True

    def scope_qual(self, m: ModuleInfo, node: ast.expr):
        if isinstance(node, ast.Name):
            b = m.scope.get(node.id)
            if b is None:
                return f"builtins.{node.id}"
            if b[0] in ("mod", "ref"):
                return str(b[1])
            if b[0] == "cls":
                return b[1]
            return None
        if isinstance(node, ast.Attribute):
            base = self.scope_qual(m, node.value)
            if isinstance(base, str):
                return f"{base}.{node.attr}"
        if isinstance(node, ast.Subscript):  # Generic[T]
            return self.scope_qual(m, node.value)
        return None

    def annotation_type(self, m: ModuleInfo, ann: ast.expr) -> Optional[str]:
        """``x: pkg.Client`` / ``sock: socket.socket`` -> the instance type we track, if any."""
        q = self.scope_qual(m, ann)
        if isinstance(q, ClassInfo):
            return "inst:" + q.key
        if not isinstance(q, str):
            return None
        if q in BUILTIN_MODELS.types or (self.user_models is not None and q in self.user_models.types):
            return "inst:" + q  # a type a ``type`` row gives
        if q.split(".")[0] != "builtins":
            r = self.project.resolve_ref(q, own_dir=m.dir)
            if r is not None and r[0] == "cls":
                self.register(r[1].module)  # type: ignore[union-attr]
                return "inst:" + r[1].key  # type: ignore[union-attr]
        return None

    def annotation_types(self, m: ModuleInfo, ann: Optional[ast.expr]) -> frozenset:
        """Every type an annotation gives (``Optional[X]``, ``"X"``, ``list[X]`` ...; see types.py)."""
        return T.annotation_types(self, m, ann)

    def params_typed(self, fi: FuncInfo) -> Dict[str, frozenset]:
        """The object types callers pass to the parameters of ``fi`` (read as a dependency)."""
        self._read(("ptype", fi.key))
        return {p: self.param_types[(fi.key, p)] for p in _own_params(fi) if (fi.key, p) in self.param_types}

    def pass_types(self, fi: FuncInfo, bind: Dict[str, Value]) -> None:
        """A call passes objects of known types to parameters of ``fi``: remember them."""
        changed = False
        for p, v in bind.items():
            ts = T.object_types(v.types)
            if not ts:
                continue
            old = self.param_types.get((fi.key, p), frozenset())
            if ts <= old or len(old) >= T.MAX_TYPES:
                continue
            self.param_types[(fi.key, p)] = T.cap(old | ts)
            changed = True
        if changed:
            self._dirty(("ptype", fi.key))
            if fi.key in self.summaries:  # analysed before: again, with the new types
                self.next_dirty.add(fi.key)
            if self.deplog is not None:  # the per-file cache: the callee depends on this caller
                self.deplog.write(("ptype", fi.key))

    def find_method(self, ci: ClassInfo, name: str, depth: int = 0) -> Optional[FuncInfo]:
        if name in ci.methods:
            return ci.methods[name]
        if depth > 10:
            return None
        self.resolve_class(ci)
        for b in ci.bases:
            m = self.find_method(b, name, depth + 1)
            if m is not None:
                return m
        return None

    def ext_bases_of(self, ci: ClassInfo, depth: int = 0) -> List[str]:
        """Qualified names of the third-party bases of ``ci`` and of its project bases (kept once
        computed: a class's bases are fixed when it is resolved; do not modify the list)."""
        got = self._ext_bases.get(ci.key) if depth == 0 else None
        if got is not None:
            return got
        self.resolve_class(ci)
        out = list(ci.ext_bases)
        if depth < 10:
            for b in ci.bases:
                out.extend(self.ext_bases_of(b, depth + 1))
        if depth == 0:
            self._ext_bases[ci.key] = out
        return out

    def mro(self, ci: ClassInfo, depth: int = 0) -> List[ClassInfo]:
        """``ci`` and its project bases, nearest first (kept once computed; do not modify the list)."""
        got = self._mro.get(ci.key) if depth == 0 else None
        if got is not None:
            return got
        self.resolve_class(ci)
        out = [ci]
        if depth < 10:
            for b in ci.bases:
                out.extend(x for x in self.mro(b, depth + 1) if x not in out)
        if depth == 0:
            self._mro[ci.key] = out
        return out

    # ------------------------------------------------------------------ stores
    def _update(self, store: dict, key, v: Value, dep: Optional[tuple] = None) -> None:
        if not v.labels and not v.types:
            return
        if self.deplog is not None:
            self.deplog.write(("files",) if store is self.files else dep)
        old = store.get(key)
        new = v if old is None else join(old, v)
        if old is None or old.signature() != new.signature():
            if store is self.files:
                # readers of this path, of any path (the few that look at the whole store), and,
                # for the first file, the readers that found the store empty
                self._dirty(("files", key))
                self._dirty(("files",))
                if not store:
                    self._dirty(FILES_APPEAR)
            else:
                self._dirty(dep)
        store[key] = new

    # ------------------------------------------------------------------ dependencies
    def _read(self, dep: tuple) -> None:
        if self.unit is not None:
            self.deps.setdefault(dep, set()).add(self.unit)
        if self.deplog is not None:
            self.deplog.read(dep, self._state_module(dep))

    def _dirty(self, dep: Optional[tuple]) -> None:
        if dep is None:
            return
        for u in self.deps.get(dep, ()):
            self.next_dirty.add(u)

    def set_field(self, cls_key: str, attr: str, v: Value) -> None:
        # parameter labels are the storing function's own (its summary's field_params carry them to
        # callers); readers drop them (get_field), so keeping them here would only make every
        # reader run again each time another function stores a parameter
        labels = {k: t for k, t in v.labels.items() if not isinstance(k, tuple)} if v.labels else v.labels
        types = v.types
        old = self.fields.get((cls_key, attr))
        if types and old is not None and not types <= old.types:
            # as many object types per field as per parameter (types.MAX_TYPES): a widget's
            # ``master`` may be any of fifty widget classes, and every new one would run all
            # readers again
            types = T.widen(old.types, types) & types  # (what it had is joined back in on store)
        self._update(self.fields, (cls_key, attr), Value(labels, types) if (labels or types) else EMPTY,
                     ("field", cls_key, attr))

    def _field_plan(self, ci: ClassInfo, attr: str) -> tuple:
        """What reading ``attr`` on a ``ci`` looks at, nearest class first: (class key, declared
        type value or None) per class of the MRO, and the third-party bases whose ``holds`` row
        names the attribute. Fixed per run (class bodies and rows do not change), so kept."""
        key = (ci.key, attr)
        got = self._field_plans.get(key)
        if got is None:
            plan = []
            for c in self.mro(ci):
                declared = T.declared_fields(self, c).get(attr)
                plan.append((c.key, Value(types=declared) if declared else None))
            holders = [eb for eb in self.ext_bases_of(ci) if self.holds_row(f"{eb}.{attr}") is not None]
            got = self._field_plans[key] = (plan, holders)
        return got

    def get_field(self, ci: ClassInfo, attr: str, A: FunctionAnalyzer, node: ast.AST) -> Value:
        vals = []
        plan, holders = self._field_plan(ci, attr)
        for c_key, declared in plan:
            self._read(("field", c_key, attr))
            v = self.fields.get((c_key, attr))
            if v is not None:
                vals.append(v)
            if declared is not None:
                vals.append(declared)
        for eb in holders:
            vals.append(Value({REMOTE: Trace((A.step(node, f"`{A.text(node)}` holds data from the client ({eb})"),),
                                             source_api=f"{eb}.{attr}")}))
        v = join(*vals) if vals else EMPTY
        # parameter labels stored in fields belong to another function: drop them here
        if any(isinstance(k, tuple) for k in v.labels):
            v = Value({k: t for k, t in v.labels.items() if not isinstance(k, tuple)}, v.types)
        return v

    def set_global(self, m: ModuleInfo, name: str, v: Value, key: Optional[str]) -> None:
        if any(isinstance(k, tuple) for k in v.labels):
            v = Value({k: t for k, t in v.labels.items() if not isinstance(k, tuple)}, v.types, v.const)
        key_ = (m.key, name)
        if self.deplog is not None:
            self.deplog.write(("global", m.key, name))
        old = self.globals.get(key_)
        if old is not None and old.const and not v.const and not v.labels and not v.types:
            self.globals[key_] = EMPTY  # no longer a known constant
            self._dirty(("global", m.key, name))
        elif v.const and not v.labels and old is None:
            self.globals[key_] = v
        else:
            self._update(self.globals, key_, v, ("global", m.key, name))
        if key is not None and (m.key, name) not in self.global_keys:
            self.global_keys[(m.key, name)] = key

    def write_file(self, key: Optional[str], v: Value, A: FunctionAnalyzer, node: ast.AST, what: str) -> None:
        if key is None:
            return
        t = v.labels.get(REMOTE) or v.labels.get(RFILE)
        if t is not None:
            st = A.step(node, f"{what} `{A.text(node)}`")
            self._update(self.files, key, Value({RFILE: t.add(st)}))
            if key.startswith("join("):
                parts = _split_join(key)
                if parts:
                    self._update(self.files, parts[0], Value({RFILE: t.add(st)}))
        for lab, tr in v.labels.items():
            if isinstance(lab, tuple) and lab[0] == "param" and A.f is not None:
                pass  # content of a parameter written to a file: not tracked
        f = A.f
        if f is not None and v.labels.get(REMOTE) is not None:
            for p in f.params:
                if key == f"v:{A.scope_key}:{p}":
                    A.summary.file_params.setdefault(p, v.labels[REMOTE].add(A.step(node, f"{what} `{A.text(node)}`")))

    def file_value(self, key: str, env: Env, A: FunctionAnalyzer, node: ast.AST) -> Value:
        self._read(("files", key))
        v = self.files.get(key)
        if v is None and key.startswith("join("):
            parts = _split_join(key)
            if parts:
                self._read(("files", parts[0]))
            if parts and parts[0] in self.files:
                v = self.files[parts[0]]
        if v is None:
            return EMPTY
        if key in env.vfiles:
            v = v.map_traces(lambda t: t.with_(verified="verified by a pinned digest"))
        return v.add_step(A.step(node, f"`{A.text(node)}` names the downloaded file"))

    # ------------------------------------------------------------------ findings
    def report(self, rule: str, trace: Trace, A: FunctionAnalyzer, node: ast.AST, sink_name: str,
               extra: str = "") -> None:
        if not A.m.is_target:
            return
        sink_loc = A.loc(node)
        t = trace.add(Step(sink_loc, f"{SINK_VERB[rule]} `{A.text(node)}`"))
        t = _gated(t, A.gate.verified if A.gate is not None else "")
        stmt = A.stmt or node
        lines = (getattr(stmt, "lineno", sink_loc.line), getattr(stmt, "end_lineno", sink_loc.end_line) or sink_loc.end_line)
        self._add_finding(rule, t, sink_loc, sink_name, lines, A.text(node, 200), A.context, A.install_time, extra)

    def report_via(self, rule: str, trace: Trace, sinfo: SinkInfo, A: FunctionAnalyzer, call: ast.AST,
                   callee: FuncInfo) -> None:
        trace = _gated(trace, sinfo.gate or (A.gate.verified if A.gate is not None else ""))
        if sinfo.module.is_target:
            t = trace.add(Step(sinfo.location, f"{SINK_VERB[rule]} `{sinfo.text[:60]}`"))
            self._add_finding(rule, t, sinfo.location, sinfo.name, sinfo.stmt_lines, sinfo.text, sinfo.context,
                              sinfo.install_time, "")
        elif A.m.is_target:
            loc = A.loc(call)
            stmt = A.stmt or call
            lines = (getattr(stmt, "lineno", loc.line), getattr(stmt, "end_lineno", loc.end_line) or loc.end_line)
            t = trace.add(Step(sinfo.location, f"{SINK_VERB[rule]} `{sinfo.text[:60]}`"))
            extra = f"via {callee.name}() ({sinfo.location.path}:{sinfo.location.line})"
            via = SinkRef(sinfo.location, sinfo.stmt_lines, sinfo.text, sinfo.context)
            self._add_finding(rule, t, loc, sinfo.name, lines, A.text(call, 200), A.context,
                              A.install_time or sinfo.install_time, extra, via)

    def _add_finding(self, rule: str, t: Trace, loc: Location, sink_name: str, lines: Tuple[int, int], text: str,
                     context: str, install_time: str, extra: str, via: Optional[SinkRef] = None) -> None:
        level = DEFAULT_LEVEL[rule]
        notes: List[str] = []
        verified = _here(t.verified, loc.path)
        if verified:
            level = "note"
            notes.append(verified)
        if t.caveat:
            notes.append(t.caveat)
        kind = source_kind(t.source_api, self.user_models) if rule not in ("RCE004", "RCE005") else ""
        if kind and kind in self.disabled_sources:
            return
        msg = _message(rule, t, sink_name, install_time, extra, loc.path, kind)
        if verified.startswith(GATE_PREFIX):
            msg += f" Note: {verified}."
        elif verified:
            msg += f" Integrity check: {verified}."
        if t.caveat:
            msg += f" Note: {t.caveat}."
        f = Finding(rule_id=rule, level=level, message=msg, location=loc, steps=t.steps, statement_lines=lines,
                    context=context, sink_text=text, source_api=t.source_api, notes=tuple(notes), via=via,
                    source_kind=kind)
        key = (rule, loc.path, loc.line, loc.col)
        if self.deplog is not None:
            self.deplog.report(loc.path)
        bucket = self.unit_findings.setdefault(self.unit, {})
        old = bucket.get(key)
        if old is None or _fkey(f) < _fkey(old):
            bucket[key] = f

    # ------------------------------------------------------------------ sinks
    def sink_info(self, A: FunctionAnalyzer, node: ast.AST, name: str) -> SinkInfo:
        stmt = A.stmt or node
        loc = A.loc(node)
        return SinkInfo(A.m, loc, name, (getattr(stmt, "lineno", loc.line), getattr(stmt, "end_lineno", loc.end_line) or loc.end_line),
                        A.text(node, 200), A.context, A.install_time, A.gate.verified if A.gate is not None else "")

    def sink_value(self, A: FunctionAnalyzer, node: ast.AST, kind: str, v: Value, name: str) -> None:
        if not v.labels:
            return
        table = RULES_FOR[kind]
        for lab, t in v.labels.items():
            if isinstance(lab, tuple):
                owner = A
                while owner is not None and owner.f is not None and lab[1] not in _own_params(owner.f) and getattr(owner, "parent", None) is not None:
                    owner = owner.parent  # type: ignore[attr-defined]
                if owner.f is None:
                    continue
                mode = _LABEL_MODE.get(lab[0], "file")
                key = (lab[1], kind, mode, (A.m.key, node.lineno, node.col_offset))  # type: ignore[attr-defined]
                if key not in owner.summary.param_sinks:
                    owner.summary.param_sinks[key] = (self.sink_info(A, node, name), t.steps)
            elif lab in table:
                rule = table[lab]
                if lab == ENCODED and REMOTE in v.labels:
                    continue
                self.report(rule, t, A, node, name)

    def check_sink(self, A: FunctionAnalyzer, node: ast.Call, env: Env, q: str, sink: K.Sink,
                   args: List[Value], kws: Dict[str, Value], star_at: Optional[int]) -> None:
        name = _short(q)
        if sink.kind == K.PROCESS:
            self.check_process(A, node, env, q, sink, args, kws)
            return
        if sink.kind == K.CMD:
            netshell.check_command(self, A, node, env, name)
        for i in sink.args:
            if i < len(args):
                self.sink_value(A, node, sink.kind, self._with_file(A, node.args[i], env, args[i]), name)
            elif star_at is not None and star_at <= i:
                self.sink_value(A, node, sink.kind, args[star_at], name)
        for k in node.keywords:
            if k.arg in sink.kwargs or (k.arg is None and sink.kwargs):
                self.sink_value(A, node, sink.kind, self._with_file(A, k.value, env, kws.get(k.arg or "**", EMPTY)), name)

    def _with_file(self, A: FunctionAnalyzer, n: Optional[ast.expr], env: Env, v: Value) -> Value:
        """``v`` plus "this names a downloaded file" when the expression's path key was written to."""
        if not self.files:
            self._read(FILES_APPEAR)
            return v
        if n is not None:
            k = A.pkey(n, env)
            if k is not None:
                fv = self.file_value(k, env, A, n)
                if fv:
                    return join(v, fv)
        return v

    def check_process(self, A: FunctionAnalyzer, node: ast.Call, env: Env, q: str, sink: K.Sink,
                      args: List[Value], kws: Dict[str, Value]) -> None:
        name = _short(q)
        shell_kw = next((k for k in node.keywords if k.arg == "shell"), None)
        shell = shell_kw is not None and not (isinstance(shell_kw.value, ast.Constant) and not shell_kw.value.value)
        idx = sink.program
        prog: Optional[ast.expr] = node.args[idx] if len(node.args) > idx else None
        if prog is None:
            for k in node.keywords:
                if k.arg in sink.kwargs:
                    prog = k.value
        if prog is None or isinstance(prog, ast.Starred):
            return
        if shell:
            self.sink_value(A, node, K.CMD, self._with_file(A, prog, env, A.ev(prog, env)), name)
            return
        argv: List[ast.expr]
        held = argv_of(A, prog) if sink.argv in ("", "execv") else None  # a list held in a variable
        literal = isinstance(prog, (ast.List, ast.Tuple)) or (held is not None and sink.argv == "")
        if held is not None and sink.argv == "":
            prog = ast.copy_location(ast.List(elts=held, ctx=ast.Load()), prog)
        if sink.argv == "execl":
            argv = [prog] + list(node.args[idx + 2:])
        elif sink.argv == "execv":
            rest = node.args[idx + 1] if len(node.args) > idx + 1 else None
            rest_elts = list(rest.elts) if isinstance(rest, (ast.List, ast.Tuple)) else argv_of(A, rest)
            argv = [prog] + (rest_elts[1:] if rest_elts is not None else [])
            literal = rest_elts is not None
        elif sink.argv == "rest":
            argv = list(node.args[idx:])
            literal = True
        elif literal:
            argv = list(prog.elts)  # type: ignore[attr-defined]
        else:
            argv = [prog]
        argv = [a for a in argv if not isinstance(a, ast.Starred)] or argv
        if not argv:
            return
        vals = [self._with_file(A, a, env, A.ev(a, env)) for a in argv]
        self.sink_value(A, node, K.FILE, vals[0], name)
        consts = [a.value for a in argv if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        prog_name = ""
        if isinstance(argv[0], ast.Constant) and isinstance(argv[0].value, str):
            prog_name = argv[0].value.replace("\\", "/").rsplit("/", 1)[-1].lower()
        elif A.qual_of(argv[0], env) == "sys.executable":
            prog_name = "python"
        base = prog_name[:-4] if prog_name.endswith(".exe") else prog_name
        base = base.rstrip("0123456789.") if base.startswith("python") else base
        netshell.check_process(self, A, node, env, base, argv, name)
        if literal and (base in K.SHELLS or base in K.INTERPRETERS or prog_name in K.SHELLS):
            flag_at = next((i for i, a in enumerate(argv[1:], 1)
                            if isinstance(a, ast.Constant) and a.value in K.INLINE_FLAGS), None)
            if flag_at is not None:
                for a, v in zip(argv[flag_at + 1:flag_at + 2], vals[flag_at + 1:flag_at + 2]):
                    self.sink_value(A, node, K.CMD, v.without(RFILE) if not v.has(REMOTE) else v, name)
            else:
                for v in vals[1:]:
                    self.sink_value(A, node, K.FILE, v, name)
            if len(consts) >= 2 and not any(v.has(CRADLE) for v in vals):
                from .shell import find_cradle
                c = find_cradle(" ".join(consts))
                if c:
                    self.report("RCE004", Trace((A.step(node, f"shell download cradle: `{c}`"),), source_api=c), A, node, name)
        elif not literal:
            v = vals[0]
            if v.has(CRADLE):
                self.report("RCE004", v.labels[CRADLE], A, node, name)

    # ------------------------------------------------------------------ calls
    def call(self, A: FunctionAnalyzer, node: ast.Call, env: Env, fv: Value, recv: Optional[Value],
             args: List[Value], kws: Dict[str, Value], star_at: Optional[int]) -> Value:
        func = node.func
        mname = func.attr if isinstance(func, ast.Attribute) else None
        results: List[Value] = []
        handled = False
        arg_nodes: List[Optional[ast.expr]] = list(node.args)
        for t in sorted(fv.types):
            kind, _, q = t.partition(":")
            if kind in ("ref", "extm"):
                r = self.known(A, node, env, q, recv, args, kws, star_at)
                if r is not None:
                    results.append(r)
                    handled = True
                    continue
                own = A.m.dir
                if kind == "ref" and q.split(".")[0] != "builtins" and self._ref_worth(q, args, kws, own):
                    b = self.project.resolve_ref(q, own_dir=own)
                    if b is None:  # Imported.static(...), mod.Class.method(...): a method of a project class
                        b = self._class_member(q, own)
                    if b is not None:
                        r = self._call_binding(A, node, env, b, args, kws, star_at, arg_nodes)
                        if r is not None:
                            results.append(r)
                            handled = True
            elif kind in ("fn", "meth"):
                fi = self.funcs.get(q)
                if fi is None:
                    continue
                r = self.known(A, node, env, fi.qual, recv, args, kws, star_at, any_receiver=False)
                if r is not None:
                    results.append(r)
                else:
                    if fi.is_classmethod and recv is not None and fi.params:
                        # Sub.create() of an inherited classmethod: its `cls` is Sub there
                        self.pass_types(fi, {fi.params[0]: Value(types=receiver_classes(recv))})
                    results.append(self.apply_func(A, node, env, fi, args, kws, star_at, arg_nodes, bound=(kind == "meth")))
                handled = True
            elif kind == "cls":
                ci = self.classes.get(q)
                if ci is not None:
                    results.append(self.construct(A, node, env, ci, args, kws, star_at, arg_nodes))
                    handled = True
            elif kind == "inst" and q not in self.classes:  # calling an object of a modelled type
                r = self.known(A, node, env, q + ".__call__", recv, args, kws, star_at)
                if r is not None:
                    results.append(r)
                    handled = True
            elif kind == "partial":
                n_s, _, inner = q.partition(":")
                ik, _, iq = inner.partition(":")
                fi = self.funcs.get(iq)
                if fi is not None and ik in ("fn", "meth"):
                    n = int(n_s)
                    results.append(self.apply_func(A, node, env, fi, [EMPTY] * n + args, kws,
                                                   None if star_at is None else star_at + n,
                                                   [None] * n + arg_nodes, bound=(ik == "meth")))
                    handled = True
        if handled:
            return join(*results) if results else EMPTY
        if mname is not None and not any(t.startswith(("ref:", "extm:")) for t in fv.types):
            # a method of an object whose type is not known: the rows written for any receiver
            path = A.path_of(func) or mname  # type: ignore[arg-type]
            rows = BUILTIN_MODELS.method_rows(mname, path)
            if self.user_models is not None:
                rows = rows + self.user_models.method_rows(mname, path)
            if rows:
                r = apply_models(self, A, node, env, mname, rows, recv, args, kws, star_at)
                if r is not None:
                    return r
        return self.generic(A, node, env, mname, recv, args, kws)

    def imported_object(self, q: str, own: Optional[Path]) -> frozenset:
        """The object types of a project module's global named by ``q`` (see dispatch.py)."""
        if q.split(".")[0] in ("builtins",) or "." not in q:
            return frozenset()
        key = (q, own)
        hit = self._imported_objects.get(key)
        if hit is None or self.deplog is not None:  # the per-file cache records the module read
            hit = imported_object(self, q, own)
            self._imported_objects[key] = hit
        return hit

    def _class_member(self, q: str, own: Optional[Path]) -> Optional[tuple]:
        """``pkg.mod.Class.method`` -> ("member", (class, method)) when ``pkg.mod.Class`` is a
        project class that has (or inherits) the method."""
        parent, _, attr = q.rpartition(".")
        if not parent or "." not in parent:
            return None
        b = self.project.resolve_ref(parent, own_dir=own)
        if b is None or b[0] != "cls":
            return None
        ci = b[1]
        self.register(ci.module)  # type: ignore[union-attr]
        m = self.find_method(ci, attr)  # type: ignore[arg-type]
        return None if m is None else ("member", (ci, m))

    def _call_binding(self, A, node, env, b, args, kws, star_at, arg_nodes) -> Optional[Value]:
        kind, obj = b
        if kind == "member":  # called on the class: no receiver is bound (a classmethod binds `cls`)
            ci, m = obj
            out = []
            for f in m.variants():
                if f.is_classmethod and f.params:
                    self.pass_types(f, {f.params[0]: Value(types=frozenset({"cls:" + ci.key}))})
                out.append(self.apply_func(A, node, env, f, args, kws, star_at, arg_nodes, bound=False))
            return join(*out)
        if kind == "fn":
            self.register(obj.module)
            return join(*(self.apply_func(A, node, env, f, args, kws, star_at, arg_nodes, bound=False)
                          for f in obj.variants()))
        if kind == "cls":
            self.register(obj.module)
            return self.construct(A, node, env, obj, args, kws, star_at, arg_nodes)
        return None

    def generic(self, A: FunctionAnalyzer, node: ast.Call, env: Env, mname: Optional[str], recv: Optional[Value],
                args: List[Value], kws: Dict[str, Value]) -> Value:
        """A call nothing else knows: the fallback rows of its method name, else the result carries
        what the receiver and the arguments carry (a constant from constants)."""
        recv = EMPTY if recv is None else recv
        if mname is not None:
            rows = BUILTIN_MODELS.fallback_rows(mname)
            if self.user_models is not None:
                extra = self.user_models.fallback_rows(mname)
                if extra:
                    rows = sorted(rows + extra, key=lambda r: _EFFECT_RANK.get(r.effect, len(_EFFECT_RANK)))
            if rows:
                r = apply_models(self, A, node, env, mname, rows, recv, args, kws, None, fallback=True)
                if r is not None:
                    return r
        v = labels_only(recv, *args, *payload_keywords(kws))
        if v.labels and recv.const and all(a.const for a in args):
            return Value(v.labels, frozenset(), True)
        if not v.labels and recv.const and all(a.const for a in args) and all(k.const for k in kws.values()):
            return Value(const=True)
        return v

    def _receiver_file_key(self, A: FunctionAnalyzer, recv: ast.expr, env: Env) -> Optional[str]:
        if isinstance(recv, ast.Name) and recv.id in env.handles:
            return env.handles[recv.id]
        h = A._handle_key(recv, env)
        if h is not None:
            return h
        if isinstance(recv, ast.Name) and recv.id in env.vars and recv.id not in env.keys:
            return None if not _looks_like_path(recv.id) else A.pkey(recv, env)
        return A.pkey(recv, env)

    def _chmod(self, A: FunctionAnalyzer, key: Optional[str], node: ast.AST) -> None:
        if key is not None and key in self.files:
            v = self.files[key]
            st = A.step(node, f"made executable: `{A.text(node)}`")
            self.files[key] = v.add_step(st)

    def _verify(self, A: FunctionAnalyzer, node: ast.Call, env: Env, args: List[Value], how: str = "") -> Value:
        how = how or f"verified by a signature check ({A.m.key}:{node.lineno})"  # see _here()
        paths = set()
        for a in node.args:
            paths |= A._data_paths(a, env)
        A._mark(paths, env, verified=how)
        out = join(*args).only_labels()
        return out.map_traces(lambda t: t.with_(verified=how))

    def _decoded(self, A: FunctionAnalyzer, node: ast.Call, v: Value, name: str, env: Optional[Env] = None) -> Value:
        out = v.only_labels().add_step(A.step(node, f"decoded by `{A.text(node)}`"))
        # a parameter decoded here (a decode helper, a lambda): callers passing a constant run a payload
        pdec = {("pdec", lab[1]): Trace(t.steps, source_api=name).add(A.step(node, f"decoded by `{A.text(node)}`"))
                for lab, t in v.labels.items() if isinstance(lab, tuple) and lab[0] == "param"
                and ("pdec", lab[1]) not in v.labels}
        if pdec:
            out = join(out, Value(pdec))
        if v.const:
            # what the payload does, when it folds to text that fetches more (said in the message)
            t = Trace((A.step(node, f"constant decoded by `{A.text(node)}`"),), source_api=name,
                      caveat=fold.describe_payload(A, node, env))
            out = join(out, Value({ENCODED: t}))
        return out

    def _decoded_param(self, A: FunctionAnalyzer, node: ast.Call, fi: FuncInfo, p: str, v: Value, t: Trace,
                       nodes: Dict[str, ast.expr]) -> Value:
        """What a call returns for a ``("pdec", p)`` label of ``fi``: an encoded payload when the
        argument is a constant; the caller's own parameter decoded when it forwards one."""
        n = nodes.get(p, node)
        out: Dict = {}
        if v.const:
            st = A.step(n, f"constant passed to `{fi.name}()` as `{p}`")
            out[ENCODED] = Trace((st,), source_api=t.source_api or fi.name).extend(t.steps[1:])
        for lab, tr in v.labels.items():
            if isinstance(lab, tuple) and lab[0] == "param":
                out[("pdec", lab[1])] = Trace(tr.steps, source_api=t.source_api).add(
                    A.step(n, f"passed to `{fi.name}()` as `{p}`")).extend(t.steps[1:])
        return Value(out) if out else EMPTY

    def _decoded_param_sink(self, A: FunctionAnalyzer, node: ast.Call, fi: FuncInfo, p: str, v: Value, kind: str,
                            skey: tuple, sinfo: SinkInfo, steps: Tuple[Step, ...], nodes: Dict[str, ast.expr]) -> None:
        """``fi`` decodes parameter ``p`` and runs it (a sink of mode "decoded"): a constant argument
        is an encoded payload run there; a parameter of the caller forwarded keeps the mode."""
        dec = next((m.group(1) for m in (_DECODED_BY.search(st.message) for st in steps) if m), fi.name)
        got = self._decoded_param(A, node, fi, p, v, Trace(steps, source_api=dec), nodes)
        for lab, t in got.labels.items():
            if lab == ENCODED and ENCODED in RULES_FOR[kind]:
                self.report_via(RULES_FOR[kind][ENCODED], t, sinfo, A, node, fi)
            elif isinstance(lab, tuple):
                A.summary.param_sinks.setdefault((lab[1], kind, "decoded", skey), (sinfo, t.steps))

    def known(self, A: FunctionAnalyzer, node: ast.Call, env: Env, q: str, recv: Optional[Value],
              args: List[Value], kws: Dict[str, Value], star_at: Optional[int],
              any_receiver: bool = True) -> Optional[Value]:
        """Apply the model rows of ``q`` to this call; None when no row knows it."""
        rows = self.model_rows(q, any_receiver)
        if not rows:
            return None
        return apply_models(self, A, node, env, q, rows, recv, args, kws, star_at)

    def holds_row(self, api: str) -> Optional[MD.Model]:
        """The ``holds`` row of an attribute (``flask.request``, ``web.Request.GET``), if any."""
        if self.user_models is not None:
            r = self.user_models.holds.get(api)
            if r is not None:
                return r
        return BUILTIN_MODELS.holds.get(api)

    def is_entry(self, api: str) -> bool:
        """Whether an ``entry`` row names ``api`` (a decorator, or a method of a base class)."""
        return self.has_effect(api, "entry")

    def has_effect(self, api: str, effect: str) -> bool:
        """Whether a row of ``api`` itself (not a ``*.method`` row) has ``effect``."""
        return any(r.effect == effect for r in self.model_rows(api, False))

    def method_name_rows(self, name: str) -> list:
        """The rows written for method ``name`` on any receiver (``*.name``, fallback rows too), for
        a call whose receiver's type is not known."""
        rows = BUILTIN_MODELS.name_rows(name)
        if self.user_models is not None:
            extra = self.user_models.name_rows(name)
            if extra:
                rows = rows + extra
        return rows

    def model_rows(self, q: str, any_receiver: bool = True) -> list:
        rows = BUILTIN_MODELS.lookup(q, any_receiver)
        if self.user_models is not None:
            merged = self._merged_rows.get((q, any_receiver))
            if merged is None:
                extra = self.user_models.lookup(q, any_receiver)
                merged = sorted(rows + extra, key=lambda r: _EFFECT_RANK.get(r.effect, len(_EFFECT_RANK))) \
                    if extra else rows
                self._merged_rows[(q, any_receiver)] = merged
            rows = merged
        return rows

    def mark_callbacks(self, vals: List[Value], desc: str, instances: bool, A: FunctionAnalyzer) -> None:
        """The functions among ``vals`` (and, with ``instances``, the public methods of objects there)
        are called with outside data: their parameters are sources."""
        keys: List[str] = []
        for v in vals:
            for t in sorted(v.types):
                kind, _, q = t.partition(":")
                if kind in ("fn", "meth"):
                    keys.append(q)
                elif kind == "ref" and q.split(".")[0] != "builtins":
                    b = self.project.resolve_ref(q, own_dir=A.m.dir)
                    if b is not None and b[0] == "fn":
                        self.register(b[1].module)  # type: ignore[union-attr]
                        keys += [f.key for f in b[1].variants()]  # type: ignore[union-attr]
                    elif b is not None and b[0] == "cls" and instances:
                        self.register(b[1].module)  # type: ignore[union-attr]
                        keys += [m.key for n, m in sorted(b[1].methods.items()) if not n.startswith("_")]  # type: ignore[union-attr]
                elif kind in ("inst", "cls") and instances:
                    ci = self.classes.get(q)
                    if ci is not None:
                        keys += [m.key for n, m in sorted(ci.methods.items()) if not n.startswith("_")]
        for k in keys:
            if k not in self.remote_param_funcs:
                self.remote_param_funcs[k] = desc
                self.next_dirty.add(k)

    # ------------------------------------------------------------------ project calls
    def bind_args(self, fi: FuncInfo, args: List[Value], kws: Dict[str, Value], star_at: Optional[int],
                  arg_nodes: Sequence[Optional[ast.expr]], skip_first: bool) -> Tuple[Dict[str, Value], Dict[str, ast.expr]]:
        params = fi.params[1:] if skip_first else list(fi.params)
        kwonly = [a.arg for a in fi.node.args.kwonlyargs]  # type: ignore[attr-defined]
        positional = [p for p in params if p not in kwonly]
        bind: Dict[str, Value] = {}
        nodes: Dict[str, ast.expr] = {}
        for i, v in enumerate(args):
            n = arg_nodes[i] if i < len(arg_nodes) else None
            if star_at is not None and i >= star_at:
                for p in positional[i:]:
                    bind[p] = join(bind.get(p, EMPTY), v)
                if fi.vararg:
                    bind[fi.vararg] = join(bind.get(fi.vararg, EMPTY), v)
                continue
            if i < len(positional):
                bind[positional[i]] = v
                if n is not None:
                    nodes[positional[i]] = n
            elif fi.vararg:
                bind[fi.vararg] = join(bind.get(fi.vararg, EMPTY), v)
        for k, v in kws.items():
            if k == "**":
                for p in params:
                    if p not in bind:
                        bind[p] = v
                if fi.kwarg:
                    bind[fi.kwarg] = join(bind.get(fi.kwarg, EMPTY), v)
            elif k in params:
                bind[k] = v
            elif fi.kwarg:
                bind[fi.kwarg] = join(bind.get(fi.kwarg, EMPTY), v)
        return bind, nodes

    def apply_func(self, A: FunctionAnalyzer, node: ast.Call, env: Env, fi: FuncInfo, args: List[Value],
                   kws: Dict[str, Value], star_at: Optional[int], arg_nodes: Sequence[Optional[ast.expr]],
                   bound: bool) -> Value:
        self._read(("sum", fi.key))
        if not (fi.key in self.active or self.decorating or self._worth_analysing(fi, args, kws)):
            return labels_only(*args, *kws.values()) if (any(a.labels for a in args) or any(k.labels for k in kws.values())) else EMPTY
        self._read(("sum", fi.key))
        skip_first = fi.is_method and (bound or fi.is_classmethod) and not isinstance(fi.node, ast.Lambda)
        bind, nodes = self.bind_args(fi, args, kws, star_at, arg_nodes, skip_first)
        self.pass_types(fi, bind)  # before the callee's first analysis, so that it sees them
        summ = self.demand(fi)
        if summ is None:  # being analysed (recursion) in the first round
            return EMPTY
        where = f"{fi.module.key}:{fi.node.lineno}"  # type: ignore[attr-defined]
        gate = A.gate.verified if A.gate is not None else ""  # the call runs under an opt-in switch
        for (p, kind, mode, skey), (sinfo, steps) in sorted(summ.param_sinks.items(), key=lambda kv: repr(kv[0])):
            sinfo = sinfo.gated(gate)
            v = bind.get(p)
            if v is None:
                if p not in fi.params and p not in (fi.vararg, fi.kwarg):
                    A.summary.param_sinks.setdefault((p, kind, mode, skey), (sinfo, steps))
                continue
            if mode == "decoded":  # the function decodes this parameter and runs it
                self._decoded_param_sink(A, node, fi, p, v, kind, skey, sinfo, steps, nodes)
                continue
            if not v.labels:
                continue
            call_step = A.step(node, f"passed to `{fi.name}()` as `{p}` ({where})")
            for lab, t in v.labels.items():
                full = t.add(call_step).extend(steps)
                if isinstance(lab, tuple):
                    nmode = "file" if (lab[0] == "pfile" or mode == "file") else "value"
                    k = (lab[1], kind, nmode, skey)
                    had = A.summary.param_sinks.get(k)
                    if had is None or (had[0].gate and not sinfo.gate):  # a call outside the switch counts
                        A.summary.param_sinks[k] = (sinfo, full.steps)
                elif mode == "value" and lab in RULES_FOR[kind]:
                    if lab == ENCODED and REMOTE in v.labels:
                        continue
                    self.report_via(RULES_FOR[kind][lab], full, sinfo, A, node, fi)
                elif mode == "file" and lab == RFILE:
                    self.report_via(FILE_CONTENT_RULE[kind], full, sinfo, A, node, fi)
        for p, written in summ.file_params.items():
            n = nodes.get(p)
            if n is not None:
                t = written.add(A.step(node, f"`{fi.name}()` saves network data to `{A.text(n)}`"))
                self._update(self.files, A.pkey(n, env) or "", Value({RFILE: t}))
        for (ck, attr), pmap in summ.field_params.items():
            for p, steps in pmap.items():
                v = bind.get(p)
                if v is None:
                    continue
                objs = T.object_types(v.types)
                if objs:  # Runner(client=OpenAI()): the field holds an OpenAI client
                    self.set_field(ck, attr, Value(types=objs))
                if v.labels:
                    conc = {k: t.add(A.step(node, f"passed to `{fi.name}()` as `{p}`")).extend(steps)
                            for k, t in v.labels.items() if not isinstance(k, tuple)}
                    if conc:
                        self.set_field(ck, attr, Value(conc))
                    if A.f is not None and A.cls is not None:
                        # super().__init__(client) in a subclass: the subclass's parameter fills it
                        for k, t in v.labels.items():
                            if isinstance(k, tuple) and k[0] == "param":
                                A.summary.field_params.setdefault((ck, attr), {}).setdefault(k[1], t.steps + steps)
        out: List[Value] = []
        ret = summ.ret
        if ret.labels:
            ret_step = A.step(node, f"return value of `{fi.name}()` ({where})")
            conc = {k: t.add(ret_step) for k, t in ret.labels.items() if not isinstance(k, tuple)}
            if conc:
                out.append(Value(conc))
            for lab, t in ret.labels.items():
                if not isinstance(lab, tuple):
                    continue
                kind_, p = lab
                v = bind.get(p)
                if v is None:
                    if p not in fi.params and p not in (fi.vararg, fi.kwarg):
                        out.append(Value({lab: t}))  # a closure's parameter of an enclosing function
                    continue
                call_step = A.step(node, f"passed to `{fi.name}()` as `{p}` ({where})")
                if kind_ == "param":
                    out.append(v.only_labels().map_traces(lambda tr: tr.add(call_step).extend(t.steps).add(ret_step)))
                elif kind_ == "pdec":  # returns this parameter decoded: a constant argument is a payload
                    out.append(self._decoded_param(A, node, fi, p, v, t, nodes).map_traces(lambda tr: tr.add(ret_step)))
                else:
                    n = nodes.get(p)
                    fvv = self._with_file(A, n, env, v) if n is not None else v
                    if fvv.has(RFILE):
                        out.append(Value({REMOTE: fvv.labels[RFILE].add(call_step).extend(t.steps).add(ret_step)}))
                    for l2, t2 in v.labels.items():
                        if isinstance(l2, tuple) and l2[0] == "param":
                            out.append(Value({("pfile", l2[1]): t2.add(call_step).extend(t.steps)}))
        res = join(*out) if out else EMPTY
        if ret.types:
            res = Value(res.labels, ret.types)
        return res

    def _locate_ref(self, q: str, own: Optional[Path]) -> Optional[Path]:
        """The project file a dotted reference lives in: the module ``q``, or that of ``mod.name``,
        or that of ``mod.Class.method``."""
        return self.project.locate(q, own) or self.project.locate(q.rpartition(".")[0], own) \
            or self.project.locate(q.rsplit(".", 2)[0], own)

    def _ref_worth(self, q: str, args: List[Value], kws: Dict[str, Value], own: Optional[Path] = None) -> bool:
        """Before reading a project module for ``q``: could it matter? (see _worth_analysing)"""
        if _concrete(args, kws) or self.decorating:
            return True
        if self.depth >= MAX_PARAM_DEPTH:
            return False
        path = self._locate_ref(q, own)
        if path is None:
            return False
        mi = self.project.by_path.get(path)
        if (mi is not None and mi.is_target) or path in self.project.deferred_targets:
            # a target the pre-scan left unparsed is a target all the same: without the pre-scan
            # its constructor would give the object its type (``--no-prescan`` must agree)
            return True
        if path in self._sink_chain:
            return True  # it holds a function whose parameter reaches a sink in a given file
        return self._flags(path, None if mi is None else mi.pf.text, args, kws)

    def _flags(self, path: Path, text: Optional[str], args: List[Value], kws: Dict[str, Value]) -> bool:
        has_sink, originates = self._file_flags(path, text)
        if originates:
            return True
        return has_sink and any(v.labels for v in list(args) + list(kws.values()))

    def _file_flags(self, path: Path, text: Optional[str]) -> tuple:
        flags = self._module_flags.get(str(path))
        if flags is None:
            import unicodedata

            from .prescan import LOCAL_ORIGIN_TOKENS, Prescan, _modname, probe
            if self._prescan is None:
                self._prescan = Prescan(self.project.search_dirs, self.extra_sinks, self.extra_sources)
            try:
                # as the pre-scan sees it: decoded (PEP 263, BOM) and NFKC-normalised
                data = (unicodedata.normalize("NFKC", text).encode("utf-8", "surrogatepass") if text is not None
                        else probe(path.read_bytes()))
            except OSError:
                data = b""
            # a constant decoded in that module (RCE005) is an origin too, not only network reads
            originates = any(t in data for t in LOCAL_ORIGIN_TOKENS) or \
                self._prescan.originates(path, data, _modname(path))
            flags = (self._prescan.has_sink(data), originates)
            self._module_flags[str(path)] = flags
        return flags

    def _worth_analysing(self, fi: FuncInfo, args: List[Value], kws: Dict[str, Value]) -> bool:
        """A function of a module that was not given is analysed only when it can matter: concrete
        data goes in, or its module can produce network data, or it may hold a sink."""
        if _concrete(args, kws):
            return True
        if self._passes_live_function(args, kws):
            return True
        return self._flags(fi.module.pf.path, fi.module.pf.text, args, kws)

    def imported_for_effect(self, m: ModuleInfo, bound: str, dotted: Sequence[str], lines: Tuple[int, int]) -> None:
        """``from . import handlers  # noqa: F401`` in an analysed module: a project module imported
        only to run its body (handlers registering themselves with a decorator). Nothing in the
        importer names it (the name is on no line but the import's), so no call would load it: it is
        loaded here and joins the analysis like any module an analysed file uses (``--no-prescan``
        analyses it anyway); of a file that was not given, the body is run."""
        if not m.is_target or m.pf.text.count(bound) > 4:  # written often: used (str.count is cheap)
            return
        elsewhere = [n for n in self._word_lines(m).get(bound, ()) if not lines[0] <= n <= lines[1]]
        # a word on a few other lines may be prose (a docstring, a comment): the tree decides
        if len(elsewhere) > 3 or (elsewhere and _name_read_on(m.pf.tree, bound, set(elsewhere))):
            return
        for d in dotted:
            mi = self.project.find_module(d, m.dir) if d.split(".")[0] not in ("builtins", "__future__") else None
            if mi is not None:
                if not mi.is_target and self.module_live(mi):
                    self._caller_bodies.setdefault(mi.key, mi)
                return

    def module_live(self, m: ModuleInfo) -> bool:
        """Whether a module holds a sink or reads outside data (the pre-scan's flags)."""
        return any(self._file_flags(m.pf.path, m.pf.text))

    def _passes_live_function(self, args: List[Value], kws: Dict[str, Value]) -> bool:
        """A project function handed over (to a registering decorator, a callback list) whose own
        module holds a sink or reads outside data: the callee may store it where it is called."""
        for v in list(args) + list(kws.values()):
            for t in v.types:
                kind, _, q = t.partition(":")
                fi = self.funcs.get(q) if kind in ("fn", "meth") else None
                if fi is not None and self.module_live(fi.module):
                    return True
        return False

    def construct(self, A: FunctionAnalyzer, node: ast.Call, env: Env, ci: ClassInfo, args: List[Value],
                  kws: Dict[str, Value], star_at: Optional[int], arg_nodes: Sequence[Optional[ast.expr]]) -> Value:
        self.resolve_class(ci)
        init = self.find_method(ci, "__init__")
        types = {"inst:" + ci.key}
        if init is not None:
            self.apply_func(A, node, env, init, args, kws, star_at, arg_nodes, bound=True)
        elif ci.is_record or any(b in RECORD_BASES for b in self.ext_bases_of(ci)):
            fields = []
            for c in reversed(self.mro(ci)):
                fields += [f for f in c.record_fields if f not in fields]
            for f, v in zip(fields, args):
                if v.labels or v.types:
                    self.set_field(ci.key, f, Value(v.labels, T.object_types(v.types)).add_step(
                        A.step(node, f"stored in field `{f}` of {ci.node.name}")))
            for k, v in kws.items():
                if k in fields and (v.labels or v.types):
                    self.set_field(ci.key, k, Value(v.labels, T.object_types(v.types)).add_step(
                        A.step(node, f"stored in field `{k}` of {ci.node.name}")))
        return Value(types=frozenset(types))

    # ------------------------------------------------------------------ driver
    def run(self) -> List[Finding]:
        for m in [m for m in self.project.modules.values() if m.is_target]:
            self.register(m)
        if self.callers is not None:
            self._promote_deferred_sinks()
        rounds, rnd = MAX_ROUNDS, 0
        while rnd < rounds:
            rnd += 1
            # deferred targets (left unparsed by the pre-scan) join when an analysed file imports them
            targets = [m for m in self.project.modules.values() if m.is_target]
            self.done_this_round = set()
            self.bodies_done = set()
            self.next_dirty = set()
            for m in targets:
                self.analyze_module(m)
            for m in list(self._caller_bodies.values()):
                self.analyze_module(m)
            for fi in sorted((self.funcs[k] for k in self.dirty if k in self.funcs), key=lambda f: f.key):
                self.demand(fi)
            self.next_dirty |= self._activate_callers(targets)
            if self.callers is not None:
                up = self._activate_project_callers()
                if up:  # one more level of callers: give it rounds of its own
                    self.next_dirty |= up
                    rounds = min(rounds + 1, MAX_ROUNDS + MAX_CALLER_LEVELS)
            self.dirty = self.next_dirty
            if not self.dirty:
                break
        out: Dict[tuple, Finding] = {}
        for bucket in self.unit_findings.values():
            for key, f in bucket.items():
                old = out.get(key)
                if old is None or _fkey(f) < _fkey(old):
                    out[key] = f
        return sorted(out.values(), key=lambda f: f.sort_key())

    def analyze_module(self, m: ModuleInfo) -> None:
        """The module body (once per round, when new or dirty), then its functions (targets only)."""
        if m.key in self.bodies_done:
            return
        self.bodies_done.add(m.key)
        self.register(m)
        unit = ("body", m.key)
        if unit in self.dirty or unit not in self.seen_units:
            self.seen_units.add(unit)
            self._run_unit(unit, lambda: FunctionAnalyzer(self, m, None).run())
        if m.is_target:
            for fi in m.functions:
                if fi.key in self.active:
                    self.demand(fi)

    # Functions of the given files are analysed when they can matter: "roots" hold a sink or an
    # origin token in their text; others when a root calls them (on demand) or when they mention a
    # function whose summary carries something (a parameter reaching a sink, network data returned,
    # a field or file written).
    def _func_text(self, fi: FuncInfo) -> str:
        start, end = _span(fi.node)
        return "\n".join(fi.module.pf.lines[start - 1:end])

    def _module_has_tokens(self, m: ModuleInfo) -> bool:
        from .prescan import TEXT_TOKENS
        r = self._mod_tokens.get(m.key)
        if r is None:
            r = self._mod_tokens[m.key] = any(t in m.pf.text for t in TEXT_TOKENS)
        return r

    def _interesting_imports(self, m: ModuleInfo) -> List[str]:
        """Names ``m`` imports from project modules that hold a sink or produce network data."""
        out = []
        own = m.dir
        for name, (kind, q) in m.scope.items():
            if kind not in ("ref", "mod"):
                continue
            q = str(q)
            path = self._locate_ref(q, own)
            if path is None or path == m.pf.path:
                continue
            mi = self.project.by_path.get(path)
            has_sink, originates = self._file_flags(path, None if mi is None else mi.pf.text)
            if has_sink or originates:
                out.append(name)
        return out

    def _is_root(self, fi: FuncInfo, imported: Sequence[str] = ()) -> bool:
        m = fi.module
        if not self._module_has_tokens(m) and not imported and not self.extra_sources and not self.extra_sinks:
            return False
        if self._lines_match(fi, self._root_lines(m)):
            return True
        if imported:
            if self._lines_match(fi, self._match_lines(m, imported)):
                return True
        extra = [n.split(":")[0].rsplit(".", 1)[-1] for n in (*self.extra_sources, *self.extra_sinks, *self.extra_sanitizers)]
        if any(extra):
            text = self._func_text(fi)
            return any(e and e in text for e in extra)
        return False

    def _root_lines(self, m: ModuleInfo) -> List[int]:
        """Lines of ``m`` where FUNC_ROOT_RE matches: candidate lines come from a fast literal search,
        the regular expression runs on those lines only (tokens never span lines)."""
        from .prescan import FUNC_ROOT_RE, ROOT_LITERALS
        key = (m.key, "root")
        got = self._line_cache.get(key)
        if got is not None:
            return got
        text = m.pf.text
        starts = self._line_starts(m)
        import bisect
        cand = set()
        for t in ROOT_LITERALS:
            i = text.find(t)
            while i != -1:
                cand.add(bisect.bisect_right(starts, i))
                i = text.find(t, i + len(t))
        lines = m.pf.lines
        got = sorted(n for n in cand if 0 < n <= len(lines) and FUNC_ROOT_RE.search(lines[n - 1]))
        self._line_cache[key] = got
        return got

    def _line_starts(self, m: ModuleInfo) -> List[int]:
        key = (m.key, "starts")
        got = self._line_cache.get(key)
        if got is None:
            text = m.pf.text
            got = [0]
            i = text.find("\n")
            while i != -1:
                got.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_cache[key] = got
        return got

    def _word_lines(self, m: ModuleInfo) -> Dict[str, List[int]]:
        """Every identifier-like word of ``m``'s text -> the sorted lines it is on (built once per
        module; a word is a maximal run of ``\\w`` characters, so looking a name up here finds
        exactly the lines where ``\\bname\\b`` matches)."""
        got = self._word_index.get(m.key)
        if got is None:
            got = {}
            for n, line in enumerate(m.pf.lines, 1):
                for w in set(_WORD.findall(line)):
                    got.setdefault(w, []).append(n)
            self._word_index[m.key] = got
        return got

    def _match_lines(self, m: ModuleInfo, names: Iterable[str]) -> List[int]:
        """Sorted line numbers of ``m`` on which one of ``names`` (identifiers) occurs as a word."""
        words = self._word_lines(m)
        hits = [words[n] for n in names if n in words]
        if len(hits) == 1:
            return hits[0]
        return sorted({n for h in hits for n in h})

    @staticmethod
    def _lines_match(fi: FuncInfo, lines: List[int]) -> bool:
        import bisect
        start, end = _span(fi.node)
        i = bisect.bisect_left(lines, start)
        return i < len(lines) and lines[i] <= end

    def _activate_callers(self, targets: List[ModuleInfo]) -> set:
        names = set()
        for key, summ in self.summaries.items():
            if summ.param_sinks or summ.file_params or summ.field_params or any(
                    not isinstance(k, tuple) for k in summ.ret.labels):
                fi = self.funcs.get(key)
                if fi is not None and fi.name != "<lambda>":
                    names.add(fi.name)
        names -= self._names_done
        if not names:
            return set()
        self._names_done |= names
        new = set()
        for m in targets:
            if not m.functions or all(fi.key in self.active for fi in m.functions):
                continue
            lines = self._match_lines(m, names)
            if not lines:
                continue
            for fi in m.functions:
                if fi.key in self.active:
                    continue
                if self._lines_match(fi, lines):
                    self.active.add(fi.key)
                    if fi.key not in self._shallow:  # analysed already as a callee: same result
                        new.add(fi.key)
        return new

    # ------------------------------------------------------------------ callers in other project files
    def _promote_deferred_sinks(self) -> None:
        """Given files the pre-scan left unparsed because no outside data can start in them or in
        their imports may still hold a sink that a caller elsewhere in the project feeds: those
        with a sink token whose defined names some other project file mentions are analysed."""
        pending = [p for p in sorted(self.project.deferred_targets) if p not in self.project.by_path]
        for path in pending:
            has_sink, _ = self._file_flags(path, None)
            if not has_sink or not self._callers_live():
                continue
            names = defined_names(self.callers.data(path))  # type: ignore[union-attr]
            if not names or not self.callers.mentioning(names, lambda p, own=path: p == own):  # type: ignore[union-attr]
                continue
            pf = self.project.loader(path) if self.project.loader is not None else None
            if pf is not None:
                self.register(self.project.add(pf, True))

    def _callers_live(self) -> bool:
        """Is there a project file outside the given ones? (Lists the project once.)"""
        if self.callers is not None and self.callers.empty:
            self.callers = None  # the given files are the whole project: callers are among them
        return self.callers is not None

    def _caller_names(self, fi: FuncInfo) -> List[str]:
        """What a call of ``fi`` names in the caller's text: the function or method name; for a
        constructor or another special method, the class name."""
        if fi.cls is not None and fi.name.startswith("__") and fi.name.endswith("__"):
            return [fi.cls.node.name]
        return [fi.name]

    def _activate_project_callers(self) -> set:
        """Functions (and module bodies) of project files outside the analysed ones that mention a
        function whose parameter reaches a sink in a given file: loaded and analysed, so data they
        pass in is reported at that sink."""
        assert self.callers is not None
        names: set = set()
        for key, summ in self.summaries.items():
            if key in self._caller_funcs_done or not summ.param_sinks:
                continue
            if not any(si.module.is_target for si, _ in summ.param_sinks.values()):
                continue
            fi = self.funcs.get(key)
            if fi is None or fi.name == "<lambda>" or ".<locals>." in fi.qual:
                continue
            self._caller_funcs_done.add(key)
            self._sink_chain.add(fi.module.pf.path)
            self._sink_chain.add(real(fi.module.pf.path))
            names.update(self._caller_names(fi))
        names -= self._caller_names_done
        if not names or not self._callers_live():
            return set()
        self._caller_names_done |= names
        analysed = {real(m.pf.path) for m in self.project.modules.values() if m.is_target}
        new: set = set()
        for path in self.callers.mentioning(names, analysed.__contains__):
            mi = self._caller_module(path)
            if mi is None:
                continue
            lines = self._match_lines(mi, names)
            if not lines:
                continue
            for fi in mi.functions:
                if self._lines_match(fi, lines):
                    if fi.key not in self.active:
                        self.active.add(fi.key)
                        new.add(fi.key)
                    elif fi.key not in self.summaries:
                        new.add(fi.key)
            spans = [(f.node.lineno, getattr(f.node, "end_lineno", f.node.lineno) or f.node.lineno)  # type: ignore[attr-defined]
                     for f in mi.functions]
            if any(not any(a <= n <= b for a, b in spans) for n in lines) and mi.key not in self._caller_bodies:
                self._caller_bodies[mi.key] = mi  # module-level code calls it
                new.add(("body", mi.key))
        return new

    def _caller_module(self, path: Path) -> Optional[ModuleInfo]:
        mi = self.project.by_path.get(path)
        if mi is None:
            for m in self.project.modules.values():
                if real(m.pf.path) == path:
                    return m
            if self.project.loader is None:
                return None
            pf = self.project.loader(path)
            if pf is None:
                return None
            mi = self.project.add(pf, path in self.project.deferred_targets)
        self.register(mi)
        return mi

    def _run_unit(self, unit, fn):
        prev = self.unit
        self.unit = unit
        self.unit_findings.pop(unit, None)
        log = self.deplog
        if log is not None:
            prev_mod, log.current = log.current, self._unit_module(unit)
        try:
            return fn()
        finally:
            self.unit = prev
            if log is not None:
                log.current = prev_mod

    def _unit_module(self, unit) -> Optional[str]:
        """Path of the module a unit (a function key or ("body", module key)) belongs to (for the deplog)."""
        if isinstance(unit, tuple):
            m = self.project.modules.get(unit[1])
            return None if m is None else str(m.pf.path)
        fi = self.funcs.get(unit)
        return None if fi is None else str(fi.module.pf.path)

    def _state_module(self, dep: tuple) -> Optional[str]:
        """Path of the module whose field or global ``dep`` names (for the deplog)."""
        if dep[0] == "field":
            ci = self.classes.get(dep[1])
            return None if ci is None else str(ci.module.pf.path)
        if dep[0] == "global":
            m = self.project.modules.get(dep[1])
            return None if m is None else str(m.pf.path)
        return None

    def demand(self, fi: FuncInfo) -> Optional[Summary]:
        """Analyse ``fi`` if it is new or something it read has changed; recursion uses the
        previous summary (and marks the caller to be looked at again)."""
        key = fi.key
        if key in self.done_this_round or (key in self.summaries and key not in self.dirty):
            return self.summaries.get(key)
        if key in self.in_progress:  # recursion: callers depend on ("sum", key) and are re-run if it changes
            return self.summaries.get(key)
        if len(self.in_progress) >= MAX_NESTING:  # too deep: next round, from the top (see MAX_NESTING)
            self.next_dirty.add(key)
            return self.summaries.get(key)
        if fi.node.__class__ is ast.Lambda or ".<locals>." in fi.qual:
            return self.summaries.get(key)
        if fi.module.is_target or self._file_flags(fi.module.pf.path, fi.module.pf.text)[1]:
            # module globals (a session built at import time ...) matter where network data can start
            self.analyze_module(fi.module)
        self.in_progress.add(key)
        step = 0 if fi.module.is_target else 1
        if self.depth == 0 and step == 0:
            self._shallow.add(key)  # its analysis did not depend on being called from elsewhere
        else:
            self._shallow.discard(key)
        self.depth += step
        try:
            summ = self._run_unit(key, lambda: FunctionAnalyzer(self, fi.module, fi).run())
        finally:
            self.in_progress.discard(key)
            self.depth -= step
        self.done_this_round.add(key)
        self._store_summary(key, summ)
        return summ



_WORD = re.compile(r"\w+")

# the summary label of a parameter -> the mode of a sink it reaches
_LABEL_MODE = {"param": "value", "pfile": "file", "pdec": "decoded"}
_DECODED_BY = re.compile(r"^decoded by `([A-Za-z_][\w.]*)\(")


def _name_read_on(tree: ast.AST, name: str, lines: Set[int]) -> bool:
    """Whether ``name`` is read on one of ``lines`` of a module: a name loaded, an attribute, or an
    identifier-like string (``__all__``, getattr). Only the nodes whose lines hold one of ``lines``
    are visited (the word index found the word there; it may be prose in a docstring or comment)."""
    todo = [tree]
    while todo:
        n = todo.pop()
        if isinstance(n, ast.Name):
            if n.id == name and not isinstance(n.ctx, ast.Store):
                return True
        elif isinstance(n, ast.Attribute) and n.attr == name:
            return True
        elif isinstance(n, ast.Constant) and n.value == name:
            return True
        for c in ast.iter_child_nodes(n):
            if getattr(c, "lineno", None) is None:  # arguments, comprehensions, withitems: no lines of their own
                todo.append(c)
                continue
            start, end = _span(c)
            if any(start <= ln <= end for ln in lines):
                todo.append(c)
    return False


def _span(node: ast.AST) -> Tuple[int, int]:
    """First and last line of a node that has lines; a def's or class's begin with its decorators."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())])  # type: ignore[attr-defined]
    return start, getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]


def _concrete(args: List[Value], kws: Dict[str, Value]) -> bool:
    for v in list(args) + list(kws.values()):
        if any(not isinstance(k, tuple) for k in v.labels):
            return True
    return False


def _own_params(fi: FuncInfo) -> set:
    return set(fi.params) | {fi.vararg, fi.kwarg}


def _looks_like_path(name: str) -> bool:
    n = name.lower()
    return any(w in n for w in ("path", "file", "dest", "target", "out", "tmp", "script", "exe", "bin"))


def _split_join(key: str) -> List[str]:
    inner = key[5:-1]
    parts, depth, cur = [], 0, []
    for ch in inner:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _fkey(f: Finding) -> tuple:
    return (1 if f.level == "note" else 0, len(f.steps), f.message)


def _gated(t: Trace, gate: str) -> Trace:
    """A flow into a sink that runs only behind an opt-in switch is a note naming the switch."""
    return t.with_(verified=gate) if gate and not t.verified else t


def _here(text: str, path: str) -> str:
    """Texts name places as ``(path:line)``; in the finding's own file ``(line N)`` is enough."""
    return text.replace(f"({path}:", "(line ") if text else text


def _message(rule: str, t: Trace, sink: str, install_time: str, extra: str, path: str = "", kind: str = "") -> str:
    first = t.steps[0].location if t.steps else None
    if first is None:
        where = ""
    elif first.path == path:
        where = f" (line {first.line})"
    else:  # the source is in another file: name it
        where = f" ({first.path}:{first.line})"
    api = t.source_api
    if rule == "RCE004":
        msg = f"Shell download cradle run: `{api}` is passed to {sink}()."
    elif rule == "RCE005":
        msg = f"Encoded payload executed: a constant decoded by {api}(){where} reaches {sink}()."
    elif t.steps and t.steps[0].message.endswith("and runs it in the same call"):
        # the call fetches outside data and runs it itself (recv_pyobj, torch.hub.load, trust_remote_code)
        phrase = MD.kind_phrase(kind) if kind else "network data"
        title, verb = {"RCE001": ("Network data executed as Python code", "executes"),
                       "RCE002": ("Network data deserialized unsafely", "deserializes"),
                       "RCE003": ("Downloaded code executed", "runs"),
                       "RCE006": ("Network data run as an OS command", "runs")}[rule]
        msg = f"{title}: {sink}() receives {phrase} and {verb} it in the same call."
    else:
        first_msg = t.steps[0].message if t.steps else ""
        phrase = MD.kind_phrase(kind) if kind else ""
        if kind == "http-request" or (not kind and (api.startswith(("request.", "flask.", "quart.", "bottle."))
                                                    or "receives network data" in first_msg or "client (" in first_msg)):
            src = f"{phrase or 'data from an HTTP request'} ({api}){where}" if api else \
                f"{phrase or 'data from an HTTP request'}{where}"
        elif api.startswith("callback of ") or " " in api or (first_msg.startswith("parameter ") and " receives " in first_msg):
            src = f"{phrase or 'network data'} ({api}){where}"
        elif api:
            src = f"{phrase or 'network data'} from {api}(){where}"
        else:
            src = f"{phrase or 'network data'}{where}"
        if rule == "RCE001":
            msg = f"Network data executed as Python code: {src} reaches {sink}()."
        elif rule == "RCE002":
            msg = f"Network data deserialized unsafely: {src} reaches {sink}()."
        elif rule == "RCE003":
            chmod = any(s.message.startswith("made executable") for s in t.steps)
            msg = f"Downloaded file executed: {src} is saved to disk and run by {sink}()."
            if chmod:
                msg += " The file is made executable (chmod) first."
        else:
            msg = f"Network data run as an OS command: {src} reaches {sink}()."
    if extra:
        msg = msg[:-1] + f", {extra}."
    if install_time:
        msg += f" This runs at {install_time}."
    return msg


def analyze(
    targets: Sequence[ParsedFile],
    *,
    root: Optional[Path] = None,
    loader: Optional[Callable[[Path], Optional[ParsedFile]]] = None,
    extend_sources: Iterable[str] = (),
    extend_sinks: Iterable[str] = (),
    extend_sanitizers: Iterable[str] = (),
    deferred: Iterable[Path] = (),
    models: Iterable[MD.Model] = (),
    disabled_sources: Iterable[str] = (),
    deplog=None,
    search_dirs: Iterable[Path] = (),
    project_files: Optional[Callable[[], Sequence[Path]]] = None,
    read_bytes: Optional[Callable[[Path], Optional[bytes]]] = None,
) -> List[Finding]:
    """See the module docstring. ``deferred``: target files the pre-scan found no need to analyse
    (see :mod:`rceguard.analysis.prescan`); they are parsed and reported only if an analysed file
    imports them. ``deplog``: an :class:`rceguard.analysis.deplog.DepLog` to fill with what each
    module's analysis read (for the result cache; it changes nothing else). ``search_dirs``: module
    search folders to know from the start (the result cache re-analysing part of a run passes the
    folders the whole run had found, in their order). ``project_files()``: the project's Python
    files, searched for callers of the given files' functions (see :mod:`rceguard.analysis.callers`;
    None: callers in files that were not given are not followed); ``read_bytes(path)``: their
    contents."""
    if deplog is None:
        from . import deplog as deplog_mod

        deplog = deplog_mod.ACTIVE
        if deplog is not None:
            search_dirs = [*search_dirs, *deplog.seed_dirs]
    project = Project(root, loader)
    for d in search_dirs:
        project._add_dir(Path(d))
    project.deplog = deplog
    project.deferred_targets = {Path(p).resolve() for p in deferred}
    for pf in targets:
        project.add(pf, True)
    eng = Engine(project, extend_sources, extend_sinks, extend_sanitizers, models=tuple(models),
                 disabled_sources=disabled_sources)
    eng.deplog = deplog
    if project_files is not None and loader is not None:
        given = [pf.path for pf in targets] + sorted(project.deferred_targets)
        eng.callers = CallerIndex(project_files, read_bytes or _read_disk, given)
    out = _deep(eng.run)
    if deplog is not None:
        deplog.flags.update(eng._module_flags)
        deplog.search_dirs = [str(d) for d in project.search_dirs]
        deplog.filled = True
    return out


def _deep(fn: Callable[[], List[Finding]]) -> List[Finding]:
    """``fn()`` in a thread with a large stack and a high recursion limit (restored afterwards);
    its exception, if any, is raised here. The interpreter recurses once per nested expression,
    statement and callee: the default limit of 1000 frames is too little for generated code."""
    import sys
    import threading

    got: List[List[Finding]] = []
    err: List[BaseException] = []

    def body() -> None:
        try:
            got.append(fn())
        except BaseException as exc:  # handed to the caller's thread
            err.append(exc)

    old_limit = sys.getrecursionlimit()
    try:
        old_size = threading.stack_size(ANALYSIS_STACK)
    except (ValueError, RuntimeError):  # a platform that cannot size thread stacks: run here
        return fn()
    try:
        worker = threading.Thread(target=body, name="rceguard-analysis", daemon=True)
        sys.setrecursionlimit(max(old_limit, ANALYSIS_RECURSION_LIMIT))
        worker.start()
    finally:
        threading.stack_size(old_size)
    try:
        worker.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if err:
        raise err[0]
    return got[0]


def module_flags(
    paths: Iterable[str],
    search_dirs: Iterable[str],
    *,
    extend_sources: Iterable[str] = (),
    extend_sinks: Iterable[str] = (),
    models: Iterable[MD.Model] = (),
) -> Dict[str, tuple]:
    """``path -> (holds a sink, can produce network data)`` as the engine judges a project module
    it reads (from the file's bytes; module search in ``search_dirs``). The result cache computes
    these again to see whether a module's role changed without its bytes changing."""
    project = Project(None, None)
    for d in search_dirs:
        project._add_dir(Path(d))
    eng = Engine(project, extend_sources, extend_sinks, models=tuple(models))
    return {p: eng._file_flags(Path(p), None) for p in paths}


def _read_disk(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None
