"""Flow-sensitive taint analysis of one function (or a module body) over the AST.

The analyser walks statements in order with an :class:`~.state.Env` (what each local name may
hold), joins environments where control flow merges, iterates loops to a fixpoint, and records
into its :class:`~.host.Host` (the project-wide engine, which this module does not import):

* the function's :class:`Summary` (what its return value carries, which parameters reach which
  sinks, which parameters name files it writes network data to, which fields it fills);
* object fields, module globals and downloaded files (project-wide stores);
* findings, when a network value (or an encoded constant, or a cradle string) reaches a sink.
"""
from __future__ import annotations

import ast
import builtins
import posixpath
from typing import Dict, List, Optional, Sequence, Set

from ..findings import Location, Step, char_col
from ..knowledge import models as MD
from ..knowledge import sources as S
from . import fold
from .host import Host
from .models import source_kind
from .precision import GATE, clean_attribute, gate_note, gate_of, guarded_name, subscript_path
from .dispatch import is_super_call
from .project import ClassInfo, FuncInfo, ModuleInfo
from . import types as T
from .shell import find_cradle
from .state import Env, SinkInfo, Summary, join_envs
from .values import CONST, CRADLE, EMPTY, REMOTE, RFILE, Trace, Value, join, labels_only

__all__ = ["Env", "FunctionAnalyzer", "SinkInfo", "Summary", "join_envs"]  # the state types, re-exported

BUILTIN_NAMES = frozenset(dir(builtins))
SELF = "self"
# how many functions may be under analysis (callers waiting for callees) for a method call to
# bind to subclass overrides as well; deeper, it binds to what the receiver's class finds
MAX_DISPATCH_NESTING = 6


# methods of a container whose result is one of its elements (or, ``values``, all of them)
_CONTAINER_READS = frozenset({"get", "pop", "setdefault", "values"})


def _lines(s: ast.stmt) -> tuple:
    return (s.lineno, getattr(s, "end_lineno", None) or s.lineno)


def _concat_pieces(node: ast.expr) -> List[str]:
    """Left-to-right text of a ``+`` chain; non-constant parts become a placeholder word."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _concat_pieces(node.left) + _concat_pieces(node.right)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return [_OPAQUE]


_OPAQUE = " X "  # a part of a `+` chain that is not a string constant


class _Loop:
    __slots__ = ("breaks", "continues")

    def __init__(self) -> None:
        self.breaks: List[Env] = []
        self.continues: List[Env] = []


class FunctionAnalyzer:
    """Walks one function (or a module or class body) and fills its :class:`Summary`."""

    def __init__(self, engine: Host, module: ModuleInfo, func: Optional[FuncInfo],
                 closure: Optional[Env] = None, cls: Optional[ClassInfo] = None,
                 class_body: Optional[ClassInfo] = None) -> None:
        self.E = engine
        self.m = module
        self.f = func
        self.cls = func.cls if func is not None else cls
        self.class_body = class_body
        self.closure = closure
        self.local_scope: Dict[str, tuple] = {}
        self._item_guards: Dict[str, Set[str]] = {}  # name -> its items an allow-list test checked
        self.globals_decl: Set[str] = set()
        self.loops: List[_Loop] = []
        self.returns: List[Value] = []
        self.summary = Summary()
        self.stmt: Optional[ast.stmt] = None
        self.gate: Optional[Trace] = None  # the opt-in switch the current statement runs under
        self.self_name: Optional[str] = None
        self.is_module = func is None and class_body is None
        self.scope_key = func.key if func is not None else module.key
        self.context = func.qual.split(".", 1)[1] if func is not None and "." in func.qual else ""
        if func is not None and module.name and func.qual.startswith(module.name + "."):
            self.context = func.qual[len(module.name) + 1:]
        # when this code runs by itself, for messages ("" when only when called)
        self.install_time = module.runs_at or (
            "install time (setup.py command)" if self.cls is not None and self._is_setup_command(self.cls) else "")

    # ------------------------------------------------------------------ helpers
    def _is_setup_command(self, cls: ClassInfo) -> bool:
        """A subclass of a class with an ``install-hook`` row (a setup.py command)."""
        self.E.resolve_class(cls)
        return any(self.E.has_effect(b, "install-hook") for b in cls.ext_bases)

    def _call_rows(self, node: ast.Call, env: Env, q: Optional[str]) -> list:
        """The rows that describe a call: those of the API ``q`` it names, else (a method of an
        object whose type is not known) the rows written for its method name on any receiver."""
        if q is not None:
            rows = self.E.model_rows(q)
            if rows:
                return rows
        if isinstance(node.func, ast.Attribute):
            return self.E.method_name_rows(node.func.attr)
        return []

    def loc(self, node: ast.AST) -> Location:
        lines = self.m.pf.lines
        ln = getattr(node, "lineno", 1)
        eln = getattr(node, "end_lineno", None) or ln
        co = getattr(node, "col_offset", 0)
        eco = getattr(node, "end_col_offset", None)
        lt = lines[ln - 1] if 0 < ln <= len(lines) else ""
        elt = lines[eln - 1] if 0 < eln <= len(lines) else ""
        c = char_col(lt, co) + 1
        ec = char_col(elt, eco) + 1 if eco is not None else c + 1
        lm = self.m.pf.line_map
        if lm:
            ln, eln = lm.get(ln, ln), lm.get(eln, eln)
        return Location(self.m.key, ln, c, eln, ec)

    def text(self, node: ast.AST, limit: int = 60) -> str:
        lines = self.m.pf.lines
        ln = getattr(node, "lineno", 0)
        if not (0 < ln <= len(lines)):
            return ""
        eln = getattr(node, "end_lineno", ln) or ln
        lt = lines[ln - 1]
        c = char_col(lt, node.col_offset)  # type: ignore[attr-defined]
        if eln == ln:
            s = lt[c:char_col(lt, node.end_col_offset)]  # type: ignore[attr-defined]
        else:
            s = lt[c:] + " …"
        s = " ".join(s.split())
        return s if len(s) <= limit else s[: limit - 1] + "…"

    def step(self, node: ast.AST, message: str) -> Step:
        return Step(self.loc(node), message)

    # ------------------------------------------------------------------ entry points
    def run(self) -> Summary:
        env = Env() if self.closure is None else self.closure.copy()
        f = self.f
        if f is not None:
            node = f.node
            self._init_params(node, env)
            body = node.body  # type: ignore[attr-defined]
            if isinstance(body, ast.expr):  # lambda
                v = self.ev(body, env)
                self.returns.append(v)
                end = None
            else:
                end = self.block(body, env)
        elif self.class_body is not None:
            end = self.block(self.class_body.node.body, env)
        else:
            end = self.block(self.m.pf.tree.body, env)
        del end
        self.summary.ret = join(*self.returns) if self.returns else EMPTY
        return self.summary

    def _init_params(self, node: ast.AST, env: Env) -> None:
        f = self.f
        assert f is not None
        a = node.args  # type: ignore[attr-defined]
        all_args = list(getattr(a, "posonlyargs", [])) + list(a.args)
        defaults = [None] * (len(all_args) - len(a.defaults)) + list(a.defaults)
        kwdefaults = list(a.kw_defaults)
        remote_params = self.E.remote_param_funcs.get(f.key)
        if remote_params is None:
            remote_params = self._entry_point(node)
        remote_label = ""
        if remote_params:
            k = source_kind(remote_params, self.E.user_models)
            remote_label = MD.kind_phrase(k) if k else "network data"
        pairs = list(zip(all_args, defaults)) + list(zip(a.kwonlyargs, kwdefaults))
        if a.vararg:
            pairs.append((a.vararg, None))
        if a.kwarg:
            pairs.append((a.kwarg, None))
        passed = self.E.params_typed(f)  # object types the callers pass (see types.py)
        for i, (arg, default) in enumerate(pairs):
            name = arg.arg
            if i == 0 and f.is_method and arg in all_args and not isinstance(node, ast.Lambda):
                self.self_name = name
                if f.is_classmethod:  # and the subclasses it is called on (Sub.create())
                    env.vars[name] = Value(types=frozenset({"cls:" + f.cls.key}) | passed.get(name, frozenset()))  # type: ignore[union-attr]
                else:
                    env.vars[name] = Value(types=frozenset({"inst:" + f.cls.key}))  # type: ignore[union-attr]
                continue
            st = Step(self.loc(arg), f"parameter `{name}` of {f.name}()")
            v = Value({("param", name): Trace((st,))})
            dv = EMPTY
            if default is not None:
                dv = self.ev_outer(default)
                if dv:
                    v = join(v, dv.only_labels())
            if remote_params:
                v = join(v, Value({REMOTE: Trace((Step(self.loc(arg), f"parameter `{name}` receives {remote_label} ({remote_params})"),), source_api=remote_params)}))
            ann = getattr(arg, "annotation", None)
            declared = self.E.annotation_types(self.m, ann) if ann is not None else frozenset()
            if default is not None and dv.types:
                declared |= T.object_types(dv.types)
            if declared or name in passed:
                v = Value(v.labels, declared | passed.get(name, frozenset()))
            if name in S.REQUEST_PARAM_NAMES and (ann is None or "request" in ast.dump(ann).lower()):
                v = Value(v.labels, frozenset({"inst:" + S.REQUEST_TYPE}))
            env.vars[name] = v

    def _entry_point(self, node: ast.AST) -> str:
        """What makes this function an entry point whose parameters are outside data ("" if nothing):
        a route or tool decorator, a callback method of a framework base class, a serverless handler."""
        f = self.f
        assert f is not None
        if self.E.is_entry(f.qual):  # a configured entry point: an ``entry`` row naming the function
            return f.qual
        if self._is_route(node):
            return "a web route"
        for d in getattr(node, "decorator_list", []):
            target = d.func if isinstance(d, ast.Call) else d
            for t in sorted(self.ev_outer(target).types):
                q = t.partition(":")[2]
                if t.startswith(("ref:", "extm:")) and self.E.is_entry(q):
                    return q
            if isinstance(target, ast.Attribute) and self.E.is_entry(f"*.{target.attr}"):
                return f"*.{target.attr}"
        params = list(f.params)
        if f.cls is not None and f.is_method:
            for b in self.E.ext_bases_of(f.cls):
                if self.E.is_entry(f"{b}.{f.name}"):
                    return f"{b}.{f.name}"
            if f.name in MD.RESPONDER_METHODS and params[1:3] == ["req", "resp"]:
                return MD.RESPONDER_SOURCE
        if f.cls is None and ".<locals>." not in f.qual and tuple(params[:2]) in MD.HANDLER_PARAMS:
            import fnmatch
            if any(fnmatch.fnmatchcase(f.name, n) for n in MD.HANDLER_NAMES):
                return MD.LAMBDA_SOURCE
        return ""

    def _is_route(self, node: ast.AST) -> bool:
        for d in getattr(node, "decorator_list", []):
            if not (isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)):
                continue
            if d.func.attr not in S.ROUTE_DECORATOR_METHODS:
                continue
            first = d.args[0] if d.args else None
            if first is None:
                for kw in d.keywords:
                    if kw.arg in ("path", "rule", "url", "uri"):
                        first = kw.value
            # "" is the route of a router's (blueprint's) prefix itself: @router.post("") under prefix="/jobs"
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and \
                    (first.value.startswith("/") or first.value == ""):
                return True
        return False

    def ev_outer(self, node: ast.expr) -> Value:
        """Evaluate an expression in the enclosing (module) scope: defaults, decorators."""
        env = self.closure.copy() if self.closure is not None else Env()
        return self.ev(node, env)

    # ------------------------------------------------------------------ statements
    def block(self, body: Sequence[ast.stmt], env: Optional[Env]) -> Optional[Env]:
        for s in body:
            if env is None:
                return None
            self.stmt = s
            env = self.exec_stmt(s, env)
        return env

    def exec_stmt(self, s: ast.stmt, env: Env) -> Optional[Env]:
        self.gate = env.flags.get(GATE)
        meth = getattr(self, "st_" + type(s).__name__, None)
        if meth is None:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.expr):
                    self.ev(child, env)
            return env
        return meth(s, env)

    def st_Expr(self, s: ast.Expr, env: Env) -> Env:
        self.ev(s.value, env)
        return env

    def st_Assign(self, s: ast.Assign, env: Env) -> Env:
        v = self.ev(s.value, env)
        for t in s.targets:
            self.assign(t, v, env, s.value)
        return env

    def st_AnnAssign(self, s: ast.AnnAssign, env: Env) -> Env:
        if s.value is not None:
            v = self.ev(s.value, env)
            if not self.is_module and self.class_body is None:  # `c: OpenAI = make()` (fields: types.py)
                declared = self.E.annotation_types(self.m, s.annotation)
                if declared:
                    v = Value(v.labels, v.types | declared, v.const)
            self.assign(s.target, v, env, s.value)
        return env

    def st_AugAssign(self, s: ast.AugAssign, env: Env) -> Env:
        v = self.ev(s.value, env)
        old = self.ev(s.target, env)
        nv = labels_only(old, v)
        if isinstance(s.target, ast.Name):
            self._assign_name(s.target, nv, env, None, key_keep=True)
        else:
            self.assign(s.target, nv, env, None)
        return env

    def st_Return(self, s: ast.Return, env: Env) -> None:
        v = self.ev(s.value, env) if s.value is not None else EMPTY
        if v and s.value is not None and not isinstance(s.value, ast.Name):
            v = v.add_step(self.step(s.value, f"returned: `{self.text(s.value)}`"))
        self.returns.append(v)
        return None

    def st_Raise(self, s: ast.Raise, env: Env) -> None:
        if s.exc is not None:
            self.ev(s.exc, env)
        return None

    def st_Break(self, s: ast.Break, env: Env) -> None:
        if self.loops:
            self.loops[-1].breaks.append(env)
        return None

    def st_Continue(self, s: ast.Continue, env: Env) -> None:
        if self.loops:
            self.loops[-1].continues.append(env)
        return None

    def st_Pass(self, s: ast.Pass, env: Env) -> Env:
        return env

    def st_Global(self, s: ast.Global, env: Env) -> Env:
        self.globals_decl.update(s.names)
        return env

    st_Nonlocal = st_Pass

    def st_Delete(self, s: ast.Delete, env: Env) -> Env:
        for t in s.targets:
            if isinstance(t, ast.Name):
                env.vars.pop(t.id, None)
                env.keys.pop(t.id, None)
        return env

    def st_Import(self, s: ast.Import, env: Env) -> Env:
        self._check_import(s, env)
        if self.is_module:
            for a in s.names:
                self.E.imported_for_effect(self.m, a.asname or a.name.split(".")[0], [a.name], _lines(s))
        else:
            for a in s.names:
                if a.asname:
                    self.local_scope[a.asname] = ("mod", a.name)
                else:
                    top = a.name.split(".")[0]
                    self.local_scope[top] = ("mod", top)
                env.vars.pop(a.asname or a.name.split(".")[0], None)
        return env

    def st_ImportFrom(self, s: ast.ImportFrom, env: Env) -> Env:
        self._check_import(s, env)
        if self.is_module:
            base = self.m.resolve_relative(s.module, s.level)
            for a in s.names:
                if a.name != "*":
                    self.E.imported_for_effect(self.m, a.asname or a.name,
                                               [f"{base}.{a.name}" if base else a.name] + ([base] if base else []),
                                               _lines(s))
        else:
            base = self.m.resolve_relative(s.module, s.level)
            for a in s.names:
                if a.name != "*":
                    self.local_scope[a.asname or a.name] = ("ref", f"{base}.{a.name}" if base else a.name)
                    env.vars.pop(a.asname or a.name, None)
        return env

    def _check_import(self, s: ast.stmt, env: Env) -> None:
        t = env.flags.get("syspath")
        if t is not None:
            self.E.report("RCE003", t, self, s, "import", extra="imports from a directory holding downloaded code")

    def st_If(self, s: ast.If, env: Env) -> Optional[Env]:
        self.ev(s.test, env)
        body_env, else_env = env.copy(), env.copy()
        self._integrity(s.test, body_env, else_env)
        self._allow_list(s.test, body_env, else_env)
        gate = gate_of(self, s.test, env)
        if gate is not None:  # an opt-in switch: the code where it is on is gated by it
            (body_env if gate[1] else else_env).flags[GATE] = Trace(verified=gate_note(self, s.test, gate[0]))
        b = self.block(s.body, body_env)
        o = self.block(s.orelse, else_env)
        return join_envs(b, o)

    def st_Assert(self, s: ast.Assert, env: Env) -> Env:
        self.ev(s.test, env)
        other = env.copy()
        self._integrity(s.test, env, other)
        self._allow_list(s.test, env, other)
        return env

    def _allow_list(self, test: ast.expr, yes: Env, no: Env) -> None:
        """``if name in ALLOWED:`` / ``if name not in ALLOWED: raise`` / ``if name == "x":``: where the
        test holds, ``name`` is one of the program's own values, no longer outside data."""
        positive = True
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            positive = not positive
            test = test.operand
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
            return
        name = guarded_name(self, test.left)  # `name`, `self.name`, `name.lower()` ...
        if name is None:
            return
        op, other = test.ops[0], test.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)):
            if not isinstance(other, (ast.Name, ast.Attribute, ast.Set, ast.List, ast.Tuple, ast.Dict)):
                return
            ov = self.ev(other, yes.copy())
            if ov.labels or (isinstance(other, (ast.Set, ast.List, ast.Tuple)) and not ov.const):
                return
        elif isinstance(op, (ast.Eq, ast.NotEq)):
            if not (isinstance(other, ast.Constant) and isinstance(other.value, (str, bytes, int))):
                return
        else:
            return
        holds_in = yes if positive != isinstance(op, (ast.NotIn, ast.NotEq)) else no
        path = "." in name or "[" in name
        if name in holds_in.vars or (not path and self.lookup(name).labels) or \
                (path and self.ev(test.left, holds_in.copy()).labels):
            holds_in.vars[name] = CONST
            if "[" in name:  # cfg["plugin"]: until `cfg` is bound again
                self._item_guards.setdefault(name.partition("[")[0].partition(".")[0], set()).add(name)

    def st_While(self, s: ast.While, env: Env) -> Optional[Env]:
        return self._loop(s, env, None)

    def st_For(self, s: ast.For, env: Env) -> Optional[Env]:
        it = self.ev(s.iter, env)
        return self._loop(s, env, it)

    st_AsyncFor = st_For

    def _loop(self, s, env: Env, it: Optional[Value]) -> Optional[Env]:
        head = env
        loop = _Loop()
        elem = self._element(it) if it is not None else None
        for _ in range(3):
            e = head.copy()
            if elem is not None:
                self.assign(s.target, elem, e, s.iter)
            else:
                self.ev(s.test, e)
            self.loops.append(loop)
            out = self.block(s.body, e)
            self.loops.pop()
            new_head = join_envs(head, out, *loop.continues)
            loop.continues = []
            if new_head is None or new_head.signature() == head.signature():
                break
            head = new_head
        normal = head
        if s.orelse:
            normal = self.block(s.orelse, head.copy())
        if isinstance(s, ast.While) and isinstance(s.test, ast.Constant) and s.test.value:
            normal = None  # `while True:` leaves only through break
        return join_envs(normal, *loop.breaks)

    def _element(self, it: Value) -> Value:
        elts = T.element_types(it.types) if it.types else frozenset()
        v = Value(it.labels, elts) if elts else it.only_labels()
        if RFILE in v.labels:
            t = v.labels[RFILE]
            v = join(v.without(RFILE), Value({REMOTE: t}))
        return v

    def st_With(self, s: ast.With, env: Env) -> Optional[Env]:
        for item in s.items:
            v = self.ev(item.context_expr, env)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, v, env, item.context_expr)
        return self.block(s.body, env)

    st_AsyncWith = st_With

    def st_Try(self, s, env: Env) -> Optional[Env]:
        start = env.copy()
        b = self.block(s.body, env)
        hstart = join_envs(start, b) or start
        outs = []
        for h in s.handlers:
            e = hstart.copy()
            if h.type is not None:
                self.ev(h.type, e)
            if h.name:
                e.vars[h.name] = EMPTY
            outs.append(self.block(h.body, e))
        normal = self.block(s.orelse, b) if (b is not None and s.orelse) else b
        result = join_envs(normal, *outs)
        if s.finalbody:
            if result is None:
                self.block(s.finalbody, hstart.copy())
                return None
            result = self.block(s.finalbody, result)
        return result

    st_TryStar = st_Try

    def st_Match(self, s, env: Env) -> Optional[Env]:
        self.ev(s.subject, env)
        outs = [env.copy()]
        for case in s.cases:
            outs.append(self.block(case.body, env.copy()))
        return join_envs(*outs)

    def st_FunctionDef(self, s, env: Env) -> Env:
        # the decorators of a module-level function in a module with a sink or an origin run
        # with it, and what they call is analysed (a registry module has neither itself)
        live = self.is_module and bool(s.decorator_list) and self.E.module_live(self.m)
        if live:
            self.E.decorating += 1
        try:
            for d in s.decorator_list:
                dv = self.ev(d, env)
                if live:
                    self._apply_decorator(d, dv, s, env)
        finally:
            if live:
                self.E.decorating -= 1
        if self.class_body is not None or self.is_module:
            # analysed as units of their own; module scope binds them already
            if self.is_module:
                env.vars.pop(s.name, None)
            return env
        fi = self.E.nested_func(self.f, s, self.m, self.cls)
        self.E.analyze_nested(fi, env, self)
        env.vars[s.name] = Value(types=frozenset({"fn:" + fi.key}))
        return env

    st_AsyncFunctionDef = st_FunctionDef

    def _apply_decorator(self, d: ast.expr, dv: Value, s: ast.AST, env: Env) -> None:
        """``@register`` / ``@registry.on("msg")`` written in the project, on a module-level
        function: the decorator runs with the function (a registry stores it, a callback list
        appends it). The name stays bound to the function itself (a wrapper that calls it is
        transparent), so the decorator's result is not used."""
        if not any(t.startswith(("fn:", "meth:")) for t in dv.types):
            return
        fv = self.lookup(s.name)  # type: ignore[attr-defined]
        if not fv.types:
            return
        fake = ast.Call(func=d, args=[ast.Name(id=s.name, ctx=ast.Load())], keywords=[])  # type: ignore[attr-defined]
        ast.copy_location(fake, d)
        ast.copy_location(fake.args[0], s)
        fake.end_lineno, fake.end_col_offset = d.end_lineno, d.end_col_offset  # type: ignore[attr-defined]
        self.E.call(self, fake, env, Value(types=frozenset(t for t in dv.types if t.startswith(("fn:", "meth:")))),
                    None, [fv], {}, None)

    def st_ClassDef(self, s: ast.ClassDef, env: Env) -> Env:
        for d in s.decorator_list:
            self.ev(d, env)
        for b in s.bases:
            self.ev(b, env)
        ci = self.E.class_for_node(self.m, s)
        if ci is not None:
            sub = FunctionAnalyzer(self.E, self.m, None, closure=env if not self.is_module else None,
                                   class_body=ci, cls=ci)
            sub.run()
        if not self.is_module and ci is not None:
            env.vars[s.name] = Value(types=frozenset({"cls:" + ci.key}))
        return env

    # ------------------------------------------------------------------ assignment
    def assign(self, target: ast.expr, v: Value, env: Env, rhs: Optional[ast.expr]) -> None:
        if isinstance(target, ast.Name):
            self._assign_name(target, v, env, rhs)
        elif isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            if isinstance(rhs, (ast.Tuple, ast.List)) and len(rhs.elts) == len(elts) and not any(
                    isinstance(e, ast.Starred) for e in elts):
                for t, r in zip(elts, rhs.elts):
                    self.assign(t, self.ev(r, env), env, r)
            else:
                for t in elts:
                    self.assign(t, v, env, None)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, v.only_labels(), env, None)
        elif isinstance(target, ast.Attribute):
            self._assign_attr(target, v, env)
        elif isinstance(target, ast.Subscript):
            self.ev(target.slice, env)
            p = subscript_path(self, target) if self._item_guards else None
            if p is not None:
                env.vars.pop(p, None)  # a checked item replaced
            self._weak_update(target.value, v, env)

    def _assign_name(self, target: ast.Name, v: Value, env: Env, rhs: Optional[ast.expr], key_keep: bool = False) -> None:
        name = target.id
        if v.labels:
            v = v.add_step(self.step(target, f"assigned to `{name}`"))
        env.vars[name] = v
        for k in self._item_guards.get(name, ()):
            env.vars.pop(k, None)  # a checked item of the old value
        if not key_keep:
            k = self.pkey(rhs, env) if rhs is not None else None
            if k is not None:
                env.keys[name] = k
            else:
                env.keys.pop(name, None)
            env.handles.pop(name, None)
            env.digests.pop(name, None)
            if rhs is not None:
                h = self._handle_key(rhs, env)
                if h is not None:
                    env.handles[name] = h
                d = self._digest_paths(rhs, env)
                if d:
                    env.digests[name] = frozenset(d)
        if self.is_module or name in self.globals_decl:
            self.E.set_global(self.m, name, v, env.keys.get(name))
        elif self.class_body is not None:
            self.E.set_field(self.class_body.key, name, v)

    def _assign_attr(self, target: ast.Attribute, v: Value, env: Env) -> None:
        path = self.path_of(target)
        base = target.value
        if v.labels:
            v = v.add_step(self.step(target, f"stored in `{self.text(target)}`"))
        if path is not None:
            env.vars[path] = v
        if isinstance(base, ast.Name) and base.id == self.self_name and self.cls is not None:
            self.E.set_field(self.cls.key, target.attr, v)
            self._param_into_field(target.attr, v)
            return
        bv = self.ev(base, env)
        for t in bv.types:
            if t.startswith("inst:") or t.startswith("cls:"):
                self.E.set_field(t.split(":", 1)[1], target.attr, v)
        if path is None:
            self._weak_update(base, v, env)

    def _param_into_field(self, attr: str, v: Value) -> None:
        """Summary: a parameter of this method is stored in ``self.<attr>`` (callers fill it in)."""
        if self.f is None or self.cls is None:
            return
        for lab, t in v.labels.items():
            if isinstance(lab, tuple) and lab[0] == "param":
                self.summary.field_params.setdefault((self.cls.key, attr), {}).setdefault(lab[1], t.steps)

    def _weak_update(self, container: ast.expr, v: Value, env: Env) -> None:
        """``x[k] = v``, ``x.append(v)``: x now may hold v (coarse containers; objects of known
        types as its element types)."""
        elts = T.as_elements(v.types) if v.types else frozenset()
        v = Value(v.labels, elts) if (v.labels or elts) else EMPTY
        if not v.labels and not elts:
            return
        node = container
        while isinstance(node, ast.Subscript):
            node = node.value
        if isinstance(node, ast.Name):
            # a module-level container filled from a function (a registry: ``HANDLERS[name] = fn``)
            module_var = (not self.is_module and elts and node.id not in env.vars and node.id not in self.local_scope
                          and self.m.scope.get(node.id, ("",))[0] == "var")
            old = self.ev(node, env)
            nv = join(old, v)
            if not module_var:
                env.vars[node.id] = nv
            if self.is_module or node.id in self.globals_decl or module_var:
                self.E.set_global(self.m, node.id, nv if not module_var else Value(types=elts), None)
            elif self.class_body is not None:
                self.E.set_field(self.class_body.key, node.id, nv)
        elif isinstance(node, ast.Attribute):
            path = self.path_of(node)
            if path is not None:
                env.vars[path] = join(self.ev(node, env), v)
            self._assign_attr_weak(node, v, env)

    def _assign_attr_weak(self, node: ast.Attribute, v: Value, env: Env) -> None:
        base = node.value
        if isinstance(base, ast.Name) and base.id == self.self_name and self.cls is not None:
            self.E.set_field(self.cls.key, node.attr, v)
            self._param_into_field(node.attr, v)
        else:
            bv = self.ev(base, env)
            for t in bv.types:
                if t.startswith(("inst:", "cls:")):
                    self.E.set_field(t.split(":", 1)[1], node.attr, v)
            self._weak_update(base, v, env)

    def path_of(self, node: ast.expr) -> Optional[str]:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Name) and parts:
            return ".".join([node.id] + list(reversed(parts)))
        return None

    # ------------------------------------------------------------------ path keys (same file?)
    def pkey(self, node: Optional[ast.expr], env: Env) -> Optional[str]:
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bytes):
                try:
                    s = node.value.decode()
                except UnicodeDecodeError:
                    return None
            elif isinstance(node.value, str):
                s = node.value
            else:
                return None
            return "c:" + (posixpath.normpath(s.replace("\\", "/")) if s else s)
        if isinstance(node, ast.Name):
            k = env.keys.get(node.id)
            if k is not None:
                return k
            if node.id in env.handles:
                return env.handles[node.id]
            if node.id in env.vars or (self.f is not None and node.id in self.f.params):
                if node.id == self.self_name and self.cls is not None:
                    return "self:" + self.cls.key
                return f"v:{self.scope_key}:{node.id}"
            gk = self.E.global_keys.get((self.m.key, node.id))
            if gk is not None:
                return gk
            return f"g:{self.m.key}:{node.id}"
        if isinstance(node, ast.Attribute):
            if node.attr == "name" and isinstance(node.value, ast.Name) and node.value.id in env.handles:
                return env.handles[node.value.id]
            b = self.pkey(node.value, env)
            return None if b is None else f"{b}.{node.attr}"
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    k = self.pkey(v.value, env)
                    if k is None:
                        return None
                    parts.append("{" + k + "}")
                elif isinstance(v, ast.Constant):
                    parts.append(str(v.value))
            return "f:" + "".join(parts)
        if isinstance(node, ast.BinOp):
            a, b = self.pkey(node.left, env), self.pkey(node.right, env)
            if a is None or b is None:
                return None
            if isinstance(node.op, ast.Div):
                return f"join({a},{b})"
            if isinstance(node.op, ast.Add):
                if a.startswith("c:") and b.startswith("c:"):
                    return "c:" + a[2:] + b[2:]
                return f"add({a},{b})"
            if isinstance(node.op, ast.Mod):
                return f"mod({a},{b})"
            return None
        if isinstance(node, ast.Call):
            q = self.qual_of(node.func, env)
            rows = self._call_rows(node, env, q)
            built = next((r for r in rows if r.effect in ("path", "sibling")), None)
            if built is not None:  # a path builder: the same file as its parts
                keys = [self.pkey(a, env) for a in node.args]
                if -1 not in built.args:
                    if any(k is None for k in keys):
                        return None
                    if len(keys) == 1:
                        return keys[0]
                    return "join(" + ",".join(keys) + ")"  # type: ignore[arg-type]
                b = self.pkey(node.func.value, env) if isinstance(node.func, ast.Attribute) else None
                if b is None or any(k is None for k in keys):
                    return None
                if built.effect == "path":  # p.joinpath(a) is p / a
                    return "join(" + ",".join([b] + keys) + ")"  # type: ignore[list-item]
                return f"{node.func.attr}({b},{','.join(keys)})"  # type: ignore[arg-type, union-attr]
            if q is None:
                return None
            if any(r.effect == "temp-path" for r in rows):  # a new name at each call
                return f"call:{q}@{self.m.key}:{node.lineno}:{node.col_offset}"
            keys = [self.pkey(a, env) for a in node.args]
            return f"call:{q}(" + ",".join(k or "?" for k in keys) + ")"
        if isinstance(node, ast.Subscript):
            b = self.pkey(node.value, env)
            i = self.pkey(node.slice, env) if not isinstance(node.slice, ast.Constant) or isinstance(node.slice.value, str) else f"c:{node.slice.value!r}"
            return None if b is None or i is None else f"{b}[{i}]"
        return None

    def _handle_key(self, rhs: ast.expr, env: Env) -> Optional[str]:
        """``open(p, ...)`` / ``Path(p).open()`` / ``NamedTemporaryFile()`` -> key of the file."""
        if isinstance(rhs, ast.Await):
            rhs = rhs.value
        if not isinstance(rhs, ast.Call):
            return None
        q = self.qual_of(rhs.func, env)
        for r in self._call_rows(rhs, env, q):
            if r.effect in ("opens", "handle"):
                i = r.args[0] if r.args else 0
                if i == -1 and isinstance(rhs.func, ast.Attribute):
                    return self.pkey(rhs.func.value, env)
                if 0 <= i < len(rhs.args):
                    return self.pkey(rhs.args[i], env)
            elif r.effect == "temp-file" and q is not None:
                return f"call:{q}@{self.m.key}:{rhs.lineno}:{rhs.col_offset}"
        return None

    # ------------------------------------------------------------------ expressions
    def ev(self, node: Optional[ast.AST], env: Env) -> Value:
        if node is None:
            return EMPTY
        meth = getattr(self, "ex_" + type(node).__name__, None)
        if meth is None:
            vals = [self.ev(c, env) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
            return labels_only(*vals) if vals else EMPTY
        return meth(node, env)

    def ex_Constant(self, node: ast.Constant, env: Env) -> Value:
        if isinstance(node.value, str) and len(node.value) >= 8:
            c = find_cradle(node.value)
            if c:
                return Value({CRADLE: Trace((self.step(node, f"shell download cradle: `{c}`"),), source_api=c)}, const=True)
        return CONST

    def ex_JoinedStr(self, node: ast.JoinedStr, env: Env) -> Value:
        vals = [self.ev(v, env) for v in node.values]
        v = join(*vals)
        const = all(x.const for x in vals)
        out = Value(v.labels, frozenset(), const) if (v.labels or const) else EMPTY
        if not out.has(CRADLE):
            # a cradle assembled from constant pieces: "curl " + url + " | sh"
            txt = "".join(x.value for x in node.values if isinstance(x, ast.Constant) and isinstance(x.value, str))
            c = find_cradle(txt.replace("  ", " ")) if len(txt) >= 8 else None
            if c:
                c = find_cradle(self._shown(node)) or c  # show the placeholders: `curl -fsSL {url} | sh`
                out = join(out, Value({CRADLE: Trace((self.step(node, f"shell download cradle: `{c}`"),), source_api=c)}))
        return out

    def _shown(self, node: ast.expr) -> str:
        """An f-string or ``+`` chain as the user wrote it, with each computed part as ``{expr}``."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(self._shown(v) for v in node.values)
        if isinstance(node, ast.FormattedValue):
            return "{" + self.text(node.value, 40) + "}"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._shown(node.left) + self._shown(node.right)
        return "{" + self.text(node, 40) + "}"

    def ex_FormattedValue(self, node: ast.FormattedValue, env: Env) -> Value:
        v = self.ev(node.value, env)
        if node.format_spec is not None:
            self.ev(node.format_spec, env)
        return Value(v.labels, frozenset(), v.const) if (v.labels or v.const) else EMPTY

    def ex_BinOp(self, node: ast.BinOp, env: Env) -> Value:
        # `a + b + c + ...` nests to the left, one BinOp per operator (generated code holds sums of
        # thousands of terms): the chain is walked along its left side, innermost operator first,
        # instead of recursing once per term; the text of a `+` chain grows as it goes
        spine = [node]
        while isinstance(spine[-1].left, ast.BinOp):
            spine.append(spine[-1].left)
        a = self.ev(spine[-1].left, env)
        pieces: List[str] = _concat_pieces(spine[-1].left)
        size = len(pieces[0])
        texty = pieces[0] != _OPAQUE
        for n in reversed(spine):
            b = self.ev(n.right, env)
            if isinstance(n.op, ast.Add):
                if n is not spine[-1] and not isinstance(n.left.op, ast.Add):  # type: ignore[attr-defined]
                    pieces, size, texty = [_OPAQUE], len(_OPAQUE), False  # (a * b) + "x": one opaque part
                more = _concat_pieces(n.right)
                pieces.extend(more)
                size += sum(len(p) for p in more)
                texty = texty or any(p != _OPAQUE for p in more)
            # (placeholders alone hold no command word: find_cradle would find nothing in them)
            a = self._binop(n, a, b, pieces if size >= 8 and texty else None)
        return a

    def _binop(self, node: ast.BinOp, a: Value, b: Value, pieces: Optional[List[str]]) -> Value:
        """One operator of a chain: ``a`` and ``b`` are its operands' values; ``pieces`` the text
        of the ``+`` chain up to and including this operator (see _concat_pieces), None when it
        is too short or holds no string constant to look for a download cradle in."""
        v = join(a, b)
        const = a.const and b.const
        out = Value(v.labels, frozenset(), const) if (v.labels or const) else EMPTY
        if isinstance(node.op, ast.Add) and not out.has(CRADLE) and (a.has(CRADLE) is False):
            if pieces is not None:
                c = find_cradle("".join(pieces))
                if c:
                    c = find_cradle(self._shown(node)) or c
                    out = join(out, Value({CRADLE: Trace((self.step(node, f"shell download cradle: `{c}`"),), source_api=c)}))
        if isinstance(node.op, ast.BitOr) and (a.types or b.types):
            out = self._operator_type(out, ((a, "__or__"), (b, "__ror__")))
        return out

    def _operator_type(self, out: Value, sides) -> Value:
        """``prompt | llm``: the type rows of the operands' ``__or__``/``__ror__`` give the result's type."""
        tys = set()
        for v, meth in sides:
            for t in v.types:
                if t.startswith("inst:"):
                    tys |= {"inst:" + r.type for r in self.E.model_rows(f"{t[5:]}.{meth}", False) if r.effect == "type"}
        return Value(out.labels, frozenset(tys), out.const) if tys else out

    def ex_BoolOp(self, node: ast.BoolOp, env: Env) -> Value:
        vals = [self.ev(v, env) for v in node.values]
        return join(*vals)

    def ex_Compare(self, node: ast.Compare, env: Env) -> Value:
        self.ev(node.left, env)
        for c in node.comparators:
            self.ev(c, env)
        return EMPTY

    def ex_UnaryOp(self, node: ast.UnaryOp, env: Env) -> Value:
        v = self.ev(node.operand, env)
        if isinstance(node.op, ast.Not):
            return EMPTY
        return v.only_labels() if not v.const else CONST

    def ex_IfExp(self, node: ast.IfExp, env: Env) -> Value:
        self.ev(node.test, env)
        return join(self.ev(node.body, env), self.ev(node.orelse, env))

    def ex_NamedExpr(self, node, env: Env) -> Value:
        v = self.ev(node.value, env)
        self.assign(node.target, v, env, node.value)
        return v

    def ex_Await(self, node: ast.Await, env: Env) -> Value:
        return self.ev(node.value, env)

    def ex_Starred(self, node: ast.Starred, env: Env) -> Value:
        return self.ev(node.value, env)

    def ex_Tuple(self, node, env: Env) -> Value:
        vals = [self.ev(e, env) for e in node.elts]
        v = join(*vals) if vals else CONST
        if all(x.const for x in vals):
            return Value(v.labels, frozenset(), True) if v.labels else CONST
        types = v.types | T.as_elements(v.types) if v.types else v.types
        return Value(v.labels, types) if (v.labels or types) else EMPTY

    ex_List = ex_Tuple
    ex_Set = ex_Tuple

    def ex_Dict(self, node: ast.Dict, env: Env) -> Value:
        vals = [self.ev(k, env) for k in node.keys if k is not None] + [self.ev(v, env) for v in node.values]
        v = join(*vals) if vals else CONST
        if all(x.const for x in vals):
            return Value(v.labels, frozenset(), True) if v.labels else CONST
        elts = T.as_elements(t for x in vals[len(vals) - len(node.values):] for t in x.types)
        return Value(v.labels, elts) if elts else labels_only(v)

    def _comp(self, node, env: Env, elts: Sequence[ast.expr]) -> Value:
        e = env.copy()
        for g in node.generators:
            it = self.ev(g.iter, e)
            self.assign(g.target, self._element(it) if not it.const else it, e, None)
            for cond in g.ifs:
                self.ev(cond, e)
        vals = [self.ev(x, e) for x in elts]
        v = join(*vals)
        if v.const or all(x.const for x in vals):
            return Value(v.labels, frozenset(), True) if v.labels else CONST
        return labels_only(v)

    def ex_ListComp(self, node, env):
        return self._comp(node, env, [node.elt])

    ex_SetComp = ex_ListComp
    ex_GeneratorExp = ex_ListComp

    def ex_DictComp(self, node, env):
        return self._comp(node, env, [node.key, node.value])

    def ex_Lambda(self, node: ast.Lambda, env: Env) -> Value:
        fi = self.E.nested_func(self.f, node, self.m, self.cls)
        self.E.analyze_nested(fi, env, self)
        return Value(types=frozenset({"fn:" + fi.key}))

    def ex_Yield(self, node, env):
        if node.value is not None:
            v = self.ev(node.value, env)
            self.returns.append(v)
        return EMPTY

    ex_YieldFrom = ex_Yield

    def ex_Subscript(self, node: ast.Subscript, env: Env) -> Value:
        if self._item_guards:
            p = subscript_path(self, node)
            if p is not None and p in env.vars:  # an item an allow-list test checked
                return env.vars[p]
        bv = self.ev(node.value, env)
        self.ev(node.slice, env)
        if bv.types:  # builtins.__dict__[NAME], vars(m)[NAME], globals()[NAME], sys.modules[NAME]
            r = fold.subscript(self, node, env, bv)
            if r is not None:
                return r
        if bv.const:
            return Value(bv.labels, frozenset(), True) if bv.labels else CONST
        elts = T.element_types(bv.types) if bv.types else frozenset()
        if not bv.labels:
            return Value(types=elts) if elts else EMPTY
        return Value(bv.labels, elts)

    # -- names
    def ex_Name(self, node: ast.Name, env: Env) -> Value:
        name = node.id
        v = env.vars.get(name)
        if v is None:
            v = self.lookup(name)
        return v

    def _enclosing_import(self, name: str) -> Optional[tuple]:
        """A name imported inside an enclosing function (``def f(): import subprocess; def g(): ...``)."""
        p = getattr(self, "parent", None)
        while p is not None:
            b = p.local_scope.get(name)
            if b is not None:
                return b
            p = getattr(p, "parent", None)
        return None

    def lookup(self, name: str) -> Value:
        b = self.local_scope.get(name)
        if b is None:
            if self.closure is not None and name in self.closure.vars and self.class_body is None:
                return self.closure.vars[name]
            b = self._enclosing_import(name)
        if b is None:
            b = self.m.scope.get(name)
        if b is None:
            if name == "__builtins__":
                return Value(types=frozenset({"ref:builtins"}))
            if name in BUILTIN_NAMES:
                return Value(types=frozenset({"ref:builtins." + name}))
            return EMPTY
        kind, obj = b
        if kind == "mod":
            return Value(types=frozenset({"ref:" + str(obj)}))
        if kind == "ref":
            v = Value(types=frozenset({"ref:" + str(obj)}) | self.E.imported_object(str(obj), self.m.dir))
            if self.E.holds_row(str(obj)) is not None:
                v = self._name_source(str(obj), v)
            return v
        if kind == "fn":
            return Value(types=frozenset("fn:" + f.key for f in obj.variants()))  # type: ignore[union-attr]
        if kind == "cls":
            return Value(types=frozenset({"cls:" + obj.key}))  # type: ignore[union-attr]
        self.E._read(("global", self.m.key, name))
        return self.E.globals.get((self.m.key, name), EMPTY)

    def _name_source(self, q: str, v: Value) -> Value:
        st = self.step(self.stmt or self.m.pf.tree, f"`{q}` holds data from the HTTP request") if self.stmt else None
        tr = Trace((st,) if st else (), source_api=q)
        return Value({REMOTE: tr}, v.types)

    # -- attributes
    def ex_Attribute(self, node: ast.Attribute, env: Env) -> Value:
        path = self.path_of(node)
        if path is not None and path in env.vars:
            return env.vars[path]
        bv = self.ev(node.value, env)
        return self.attr_of(bv, node, env)

    def attr_of(self, bv: Value, node: ast.Attribute, env: Optional[Env], attr: Optional[str] = None,
                calling: bool = False) -> Value:
        """The value of ``bv.attr``. ``calling``: the attribute is called right here (``obj.m()``),
        so a method binds to the overrides of the receiver's subclasses too (see dispatch.py)."""
        attr = attr or node.attr
        if self.cls is not None and is_super_call(getattr(node, "value", None)):
            return self._super_attr(attr)
        types = set()
        extra: List[Value] = []
        for t in bv.types:
            kind, _, q = t.partition(":")
            if kind == "ref":
                rq = f"{q}.{attr}"
                types.add("ref:" + rq)
                types |= self.E.imported_object(rq, self.m.dir)  # tools.default_client
                if self.E.holds_row(rq) is not None:
                    extra.append(self._name_source(rq, EMPTY))
            elif kind in ("inst", "cls"):
                ci = self.E.classes.get(q)
                if ci is not None:
                    if kind == "inst" and calling and len(self.E.in_progress) < MAX_DISPATCH_NESTING:
                        # the receiver may be a subclass: its overrides too (not when the analysis is
                        # already this many functions deep: deep class trees fan out at every level)
                        impls = self.E.dispatch.implementations(ci, attr)
                    else:
                        m = self.E.find_method(ci, attr)
                        impls = m.variants() if m is not None else []
                    for m in impls:
                        types.add(("meth:" if kind == "inst" and not m.is_static else "fn:") + m.key)
                    extra.append(self.E.get_field(ci, attr, self, node))
                    for eb in self.E.ext_bases_of(ci):
                        types.add(f"ref:{eb}.{attr}" if kind == "cls" else f"extm:{eb}.{attr}")
                else:
                    types.add(f"extm:{q}.{attr}")
                    held = self.E.holds_row(f"{q}.{attr}")
                    if held is not None:  # named as the code names it: ``request.GET``
                        what = MD.SOURCE_KINDS.get(held.kind, held.kind)
                        api = f"{q.rpartition('.')[2].lower()}.{attr}"
                        if source_kind(api, self.E.user_models) != held.kind:
                            api = f"{q}.{attr}"  # the short name does not say the kind: the row's name does
                        extra.append(Value({REMOTE: Trace((self.step(node, f"`{self.text(node)}`: {what}"),),
                                                          source_api=api)}))
            elif kind == "extm":  # client.chat.completions: attribute chains of a modelled object
                types.add(f"extm:{q}.{attr}")
        labels = bv.labels
        if labels and clean_attribute(bv, attr, self.E.user_models):
            labels = {}
        out = Value(dict(labels), frozenset(types)) if (labels or types) else EMPTY
        if labels and isinstance(getattr(node, "value", None), ast.Name) and env is not None:
            out = out.add_step(self.step(node, f"`{self.text(node)}`"))
        if extra:
            out = join(out, *extra)
        return out

    def _super_attr(self, attr: str) -> Value:
        """``super().attr`` in a method of ``self.cls``: the next class in its MRO that has it."""
        ms, ext = self.E.dispatch.super_method(self.cls, attr)  # type: ignore[arg-type]
        types = {("fn:" if m.is_static else "meth:") + m.key for m in ms}
        types |= {f"extm:{eb}.{attr}" for eb in ext}
        return Value(types=frozenset(types)) if types else EMPTY

    # -- calls
    def qual_of(self, func: ast.expr, env: Env) -> Optional[str]:
        """The dotted name a call target refers to, when it is a plain reference."""
        if isinstance(func, ast.Name):
            if func.id in env.vars:
                v = env.vars[func.id]
            else:
                v = self.lookup(func.id)
        elif isinstance(func, ast.Attribute):
            base = self.qual_of(func.value, env)
            if base is not None:
                return f"{base}.{func.attr}"
            return None
        else:
            return None
        for t in v.types:
            if t.startswith("ref:"):
                return t[4:]
        return None

    def ex_Call(self, node: ast.Call, env: Env) -> Value:
        func = node.func
        recv: Optional[Value] = None
        if isinstance(func, ast.Attribute):
            path = self.path_of(func)
            if path is not None and path in env.vars:
                fv = env.vars[path]
                recv = self.ev(func.value, env)
            else:
                recv = self.ev(func.value, env)
                fv = self.attr_of(recv, func, None, calling=True)
        else:
            fv = self.ev(func, env)
        args: List[Value] = []
        star_at: Optional[int] = None
        for i, a in enumerate(node.args):
            if isinstance(a, ast.Starred) and star_at is None:
                star_at = i
            args.append(self.ev(a, env))
        kws: Dict[str, Value] = {}
        for k in node.keywords:
            kws[k.arg or "**"] = self.ev(k.value, env)
        if fv.types or (recv is not None and recv.types):  # globals(), vars(m), ns.get(NAME)
            r = fold.call(self, node, env, fv, recv, args)
            if r is not None:
                return r
        out = self.E.call(self, node, env, fv, recv, args, kws, star_at)
        if recv is not None and isinstance(func, ast.Attribute) and func.attr in _CONTAINER_READS:
            # HANDLERS.get(name) of a registry of functions: one of them (.values(): all of them)
            elts = T.element_types(recv.types)
            if elts:
                got = frozenset(t for t in recv.types if t.startswith(T.ELT)) if func.attr == "values" else elts
                out = Value(out.labels, out.types | got, out.const)
        return out

    # ------------------------------------------------------------------ integrity checks
    def _digest_paths(self, node: ast.expr, env: Env) -> Set[str]:
        """Data a digest expression was computed over, as access paths (``data``, ``resp.content``)."""
        out: Set[str] = set()
        if isinstance(node, ast.Name):
            return set(env.digests.get(node.id, ()))
        if isinstance(node, ast.Subscript):
            return self._digest_paths(node.value, env)
        if not isinstance(node, ast.Call):
            return out
        f = node.func
        for r in self._call_rows(node, env, self.qual_of(f, env)):
            receiver = r.args == (-1,)
            if receiver and r.effect in ("digest", "keyed-digest", "propagates"):
                # the digest of a digest object, or the same digest spelt otherwise (``.lower()``)
                if not isinstance(f, ast.Attribute):
                    continue
                return self._digest_paths(f.value, env)
            if r.effect in ("digest", "keyed-digest"):
                idx = r.args[0] if r.args else None
                data = node.args[idx] if idx is not None and 0 <= idx < len(node.args) else None
                if data is None:
                    for kw in node.keywords:
                        if kw.arg in r.kwargs:
                            data = kw.value
                if data is not None:
                    out.update(self._data_paths(data, env))
                if r.effect == "keyed-digest":
                    out.add("<keyed>")
                if not out:
                    out.add("<empty>")
                return out
        return out

    def _data_paths(self, data: ast.expr, env: Env) -> Set[str]:
        out: Set[str] = set()
        node = data
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and any(
                r.effect == "reads" and r.args == (-1,) for r in self._call_rows(node, env, self.qual_of(node.func, env))):
            k = self.pkey(node.func.value.args[0], env) if (isinstance(node.func.value, ast.Call) and node.func.value.args) else None
            if k is None and isinstance(node.func.value, ast.Name) and node.func.value.id in env.handles:
                k = env.handles[node.func.value.id]
            if k is None:
                k = self.pkey(node.func.value, env)
            if k is not None:
                out.add("file:" + k)
            node = node.func.value
        if isinstance(node, ast.Name) and node.id in env.handles:
            out.add("file:" + env.handles[node.id])
        p = self.path_of(node) if isinstance(node, ast.Attribute) else (node.id if isinstance(node, ast.Name) else None)
        if p is not None:
            out.add(p)
            out.add(p.split(".")[0])
        return out

    def _integrity(self, test: ast.expr, match_env: Env, mismatch_env: Env) -> None:
        """If ``test`` compares a digest of some data with a pinned value, mark that data verified
        in the environment of the branch where it matched."""
        positive = True
        while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            positive = not positive
            test = test.operand
        paths: Set[str] = set()
        other: Optional[ast.expr] = None
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op = test.ops[0]
            left, right = test.left, test.comparators[0]
            lp, rp = self._digest_paths(left, match_env), self._digest_paths(right, match_env)
            if lp and not rp:
                paths, other = lp, right
            elif rp and not lp:
                paths, other = rp, left
            if isinstance(op, (ast.NotEq, ast.IsNot, ast.NotIn)):
                positive = not positive
            elif not isinstance(op, (ast.Eq, ast.Is, ast.In)):
                paths = set()
        elif isinstance(test, ast.Call):
            q = self.qual_of(test.func, match_env)
            cmp = next((r for r in self.E.model_rows(q) if r.effect == "compares"), None) if q is not None else None
            if cmp is not None and len(cmp.args) == 2 and len(test.args) == 2:
                a, b = test.args[cmp.args[0]], test.args[cmp.args[1]]
                ap, bp = self._digest_paths(a, match_env), self._digest_paths(b, match_env)
                if ap and not bp:
                    paths, other = ap, b
                elif bp and not ap:
                    paths, other = bp, a
            elif q is not None and q in self.E.extra_sanitizers:
                for a in test.args:
                    paths |= self._data_paths(a, match_env)
                other = None
        if not paths:
            return
        keyed = "<keyed>" in paths
        paths -= {"<keyed>", "<empty>"}
        ov = self.ev(other, match_env.copy()) if other is not None else EMPTY
        if REMOTE in ov.labels and not keyed:
            caveat = "digest fetched from the same origin is not an integrity check"
            for env in (match_env, mismatch_env):
                self._mark(paths, env, caveat=caveat)
            return
        how = f"verified by a pinned digest ({self.m.key}:{test.lineno})"  # engine._here() shortens it
        self._mark(paths, match_env if positive else mismatch_env, verified=how)

    def _mark(self, paths: Set[str], env: Env, verified: str = "", caveat: str = "") -> None:
        for p in paths:
            if p.startswith("file:"):
                if verified:
                    env.vfiles = env.vfiles | {p[5:]}
                continue
            v = env.vars.get(p)
            if v is None:
                root = p.split(".")[0]
                v = env.vars.get(root)
                if v is None:
                    continue
            if not v.labels:
                continue
            if verified:
                env.vars[p] = v.map_traces(lambda t: t.with_(verified=verified))
            else:
                env.vars[p] = v.map_traces(lambda t: t.with_(caveat=caveat))
