"""Applying model rows (``rceguard.knowledge.models``) to calls.

:class:`ModelIndex` finds the rows of a called API (exact names, ``*.method`` rows, ``re:``
patterns); :func:`apply` runs their effects through the engine's primitives (sink checks, the
store of downloaded files, integrity marks). Nothing here names an API: that is the rows' job.
"""
from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Tuple

from ..knowledge import models as M
from ..knowledge import propagators as P
from ..knowledge import sinks as K
from . import fold
from .state import FILES_APPEAR
from .values import CONST, EMPTY, REMOTE, RFILE, Trace, Value, join, labels_only

if TYPE_CHECKING:  # pragma: no cover
    from .flow import FunctionAnalyzer
    from .state import Env

_RANK = {e: i for i, e in enumerate(M.RESULT_ORDER)}
_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
_REMOTE_SCHEMES = ("http://", "https://", "s3://", "s3a://", "gs://", "gcs://", "az://", "abfs://", "abfss://",
                   "hf://", "ftp://", "sftp://", "ssh://", "github://", "webhdfs://", "adl://", "oci://")


def _short(q: str) -> str:
    return q[len("builtins."):] if q.startswith("builtins.") else q


class ModelIndex:
    """Rows by API name; ``lookup`` is cached per name."""

    def __init__(self, rows: Iterable[M.Model]) -> None:
        self.exact: Dict[str, List[M.Model]] = {}
        self.methods: Dict[str, List[M.Model]] = {}
        self.fallback: Dict[str, List[M.Model]] = {}  # "*.method" rows for calls nothing else knows
        self.holds: Dict[str, M.Model] = {}  # attributes that hold outside data
        self.patterns: List[Tuple["re.Pattern[str]", M.Model]] = []
        self.rows: List[M.Model] = []
        self.types: set = set()  # every type a ``type`` row gives (annotations of these are tracked objects)
        for r in rows:
            self.rows.append(r)
            if r.effect == "type":
                self.types.add(r.type)
            if r.effect == "holds":
                self.holds.setdefault(r.api, r)
            if r.fallback and r.api.startswith("*."):
                self.fallback.setdefault(r.api[2:], []).append(r)
            elif r.api.startswith("re:"):
                self.patterns.append((re.compile(r.api[3:]), r))
            elif r.api.startswith("*."):
                self.methods.setdefault(r.api[2:], []).append(r)
            else:
                self.exact.setdefault(r.api, []).append(r)
        self._cache: Dict[Tuple[str, bool], List[M.Model]] = {}
        self._names: Dict[str, List[M.Model]] = {}

    def lookup(self, q: str, any_receiver: bool = True) -> List[M.Model]:
        """Rows for a call of ``q``; ``any_receiver``: also ``*.method`` rows (not for project code)."""
        key = (q, any_receiver)
        got = self._cache.get(key)
        if got is None:
            got = list(self.exact.get(q, ()))
            for rx, r in self.patterns:
                if rx.match(q):
                    got.append(r)
            if any_receiver and "." in q:
                got += self.method_rows(q.rpartition(".")[2], q)
            got.sort(key=lambda r: _RANK.get(r.effect, len(_RANK)))
            self._cache[key] = got
        return got

    def method_rows(self, name: str, q: str = "") -> List[M.Model]:
        rows = self.methods.get(name, ())
        if not rows:
            return []
        out = []
        for r in rows:
            prefix = r.api[2:].rpartition(".")[0]  # "*.conf.update": the receiver path must end with "conf"
            if not prefix or q.rpartition(".")[0].endswith(prefix):
                out.append(r)
        return out

    def name_rows(self, name: str) -> List[M.Model]:
        """Every row of method ``name`` on any receiver (``*.name`` rows, then fallback rows), cached."""
        got = self._names.get(name)
        if got is None:
            got = self._names[name] = self.method_rows(name) + self.fallback_rows(name)
        return got

    def fallback_rows(self, name: str) -> List[M.Model]:
        """The fallback rows of method ``name`` (see ``Model.fallback``), in effect order."""
        return self.fallback.get(name, [])

    def kind_of(self, api: str) -> str:
        for r in self.lookup(api):
            if r.kind in M.SOURCE_KINDS:
                return r.kind
        return ""


BUILTIN = ModelIndex(M.builtin_rows())
for _rows in BUILTIN.fallback.values():
    _rows.sort(key=lambda r: _RANK.get(r.effect, len(_RANK)))


# ----------------------------------------------------------------------------------- conditions
def _value_node(spec: str, node: ast.Call, A: Optional["FunctionAnalyzer"] = None) -> Tuple[bool, Optional[ast.expr]]:
    """``name@i`` -> (given?, expression) of keyword ``name`` or positional ``i`` (with ``A``: also a
    key of a dict passed as ``**kwargs``)."""
    name, _, pos = spec.partition("@")
    for k in node.keywords:
        if k.arg == name:
            return True, k.value
    if pos.isdigit() and int(pos) < len(node.args) and not isinstance(node.args[int(pos)], ast.Starred):
        return True, node.args[int(pos)]
    if A is not None and any(k.arg is None for k in node.keywords):
        from .precision import star_keyword
        got = star_keyword(node, name, A)
        if got is not None:
            return True, got
    return False, None


def _parse(v: str) -> object:
    return {"True": True, "False": False, "None": None}.get(v, int(v) if v.lstrip("-").isdigit() else v)


def _const(expr: ast.expr, A: "FunctionAnalyzer", env: "Env") -> Tuple[bool, object]:
    """(known?, value) of a constant expression, a name bound once to a constant, or a dotted name."""
    if isinstance(expr, ast.Constant):
        return True, expr.value
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)) and all(isinstance(e, ast.Constant) for e in expr.elts):
        return True, tuple(e.value for e in expr.elts)  # type: ignore[attr-defined]
    if isinstance(expr, ast.Name):
        scope = A.f.node if A.f is not None else A.m.pf.tree
        vals = [s.value for s in ast.walk(scope) if isinstance(s, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == expr.id for t in s.targets)]
        if A.f is not None and not vals:
            vals = [s.value for s in A.m.pf.tree.body if isinstance(s, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == expr.id for t in s.targets)]
        if vals and all(isinstance(v, ast.Constant) for v in vals) and \
                len({repr(v.value) for v in vals}) == 1:  # type: ignore[attr-defined]
            return True, vals[0].value  # type: ignore[attr-defined]
    if isinstance(expr, (ast.Name, ast.Attribute)):
        q = A.qual_of(expr, env) or (expr.attr if isinstance(expr, ast.Attribute) else expr.id)  # type: ignore[union-attr]
        return True, ("name", q.rsplit(".", 1)[-1])
    return False, None


def _same(a: object, b: object) -> bool:
    if isinstance(a, tuple) and len(a) == 2 and a[0] == "name":
        return isinstance(b, str) and a[1] == b
    return type(a) is type(b) and a == b


def holds(cond: str, node: ast.Call, A: "FunctionAnalyzer", env: "Env") -> bool:
    """Evaluate one condition of a row (see the module docstring of knowledge.models)."""
    if not cond:
        return False
    if cond.endswith(":url"):
        given, expr = _value_node(cond[:-4].replace("arg", "@"), node)
        text = ""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            text = expr.value
        elif isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant):
            text = str(expr.values[0].value)
        return text.lower().startswith(_REMOTE_SCHEMES)
    if cond.endswith(":chars"):
        given, expr = _value_node(cond[:-6].replace("arg", "@"), node)
        return expr is not None and bool(_char_codes(expr, A, env))
    if cond.endswith(":codec"):
        given, expr = _value_node(cond[:-6], node)
        return expr is not None and bool(fold.codec_of(fold.fold_str(A, expr, env)))
    if cond.endswith(":const"):
        given, expr = _value_node(cond[:-6], node)
        return expr is not None and fold.fold(A, expr, env) is not fold.UNKNOWN
    if cond.endswith(":folds"):
        given, expr = _value_node(cond[:-6], node)
        return expr is not None and fold.fold_str(A, expr, env) is not None
    if "~" in cond:
        spec, _, want = cond.partition("~")
        given, expr = _value_node(spec, node)
        if expr is None:
            return False
        known, v = _const(expr, A, env)
        items = v if isinstance(v, tuple) else (v,)
        return known and any(isinstance(x, str) and want in x for x in items)
    neg = "!=" in cond
    spec, _, values = cond.partition("!=" if neg else "=")
    wanted = [_parse(v) for v in values.split("|")]
    given, expr = _value_node(spec, node, A)
    if not given:
        match = "missing" in wanted
    else:
        known, v = _const(expr, A, env)  # type: ignore[arg-type]
        match = known and any(_same(v, w) for w in wanted if w != "missing")
    return (given and not match) if neg else match


def _chars_func(func: ast.expr, A: "FunctionAnalyzer", env: "Env") -> str:
    """The name of ``func`` when a ``chars`` row knows it (``chr``), else ""."""
    q = A.qual_of(func, env)
    return _short(q) if q is not None and any(r.effect == "chars" for r in A.E.model_rows(q, False)) else ""


def _char_codes(arg: ast.expr, A: "FunctionAnalyzer", env: "Env") -> str:
    """``chr(c) for c in CONSTANT`` / ``map(chr, CONSTANT)``: the name of the ``chars`` function
    (``chr``), else ""."""
    if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
        elt = arg.elt
        if isinstance(elt, ast.Call):
            f = _chars_func(elt.func, A, env)
            if f and all(A.ev(g.iter, env.copy()).const for g in arg.generators):
                return f
    if isinstance(arg, ast.Call) and len(arg.args) == 2 and A.qual_of(arg.func, env) == "builtins.map":
        f = _chars_func(arg.args[0], A, env)
        if f and A.ev(arg.args[1], env.copy()).const:
            return f
    return ""


def _applies(row: M.Model, node: ast.Call, A: "FunctionAnalyzer", env: "Env") -> bool:
    if row.unless and holds(row.unless, node, A, env):
        return False
    if row.when and not holds(row.when, node, A, env):
        return False
    return True


def _receiver(node: ast.Call) -> Optional[ast.expr]:
    return node.func.value if isinstance(node.func, ast.Attribute) else None


def _arg(node: ast.Call, i: Optional[int], kw: str) -> Optional[ast.expr]:
    """The expression of keyword ``kw`` or positional argument ``i`` (``-1``: the receiver)."""
    if i == -1:
        return _receiver(node)
    if kw:
        for k in node.keywords:
            if k.arg == kw:
                return k.value
    if i is not None and i < len(node.args) and not isinstance(node.args[i], ast.Starred):
        return node.args[i]
    return None


def _operand(node: ast.Call, i: int, recv: Optional[Value], args: List[Value]) -> Tuple[Optional[ast.expr], Value]:
    """(expression, value) of argument ``i`` of the call; ``-1``: the receiver."""
    if i == -1:
        return _receiver(node), (recv if recv is not None else EMPTY)
    if i < len(args) and i < len(node.args):
        return node.args[i], args[i]
    return None, (args[i] if i < len(args) else EMPTY)


def source_step(A: "FunctionAnalyzer", node: ast.AST, kind: str) -> str:
    label = M.SOURCE_KINDS.get(kind, "")
    return f"`{A.text(node)}` returns network data" + (f" ({label})" if label else "")


# ----------------------------------------------------------------------------------- effects
def apply(E, A: "FunctionAnalyzer", node: ast.Call, env: "Env", q: str, rows: List[M.Model],
          recv: Optional[Value], args: List[Value], kws: Dict[str, Value], star_at: Optional[int],
          fallback: bool = False) -> Optional[Value]:
    """Apply the rows of ``q`` to this call; None when none of them says anything about it.
    ``fallback``: the rows are fallback rows; one whose ``when``/``unless`` does not hold is skipped."""
    if fallback:
        rows = [r for r in rows if _applies(r, node, A, env)]
    result: Optional[Value] = None
    types: List[str] = []
    sink_result: Optional[Value] = None
    for row in rows:
        e = row.effect
        if e == "type":
            if not row.when or holds(row.when, node, A, env):
                types.append("inst:" + row.type)
            continue
        if e == "sink":
            if _applies(row, node, A, env):
                _sink(E, A, node, env, q, row, recv, args, kws, star_at)
            if sink_result is None:
                sink_result = labels_only(*args).without(RFILE) if row.kind == K.DATA else EMPTY
            continue
        if e == "stores":
            _stores(E, A, node, env, q, row, recv, args, kws, star_at)
            if sink_result is None:
                sink_result = EMPTY
            continue
        if e == "runs-remote":
            r = _runs_remote(E, A, node, env, q, row)
            if r is not None and result is None:
                result = r
            continue
        if result is not None:
            continue
        fn = _HANDLERS.get(e)
        if fn is not None:
            result = fn(E, A, node, env, q, row, recv, args, kws, star_at)
    if result is None:
        result = sink_result
    if types:
        if result is None:
            return Value(types=frozenset(types))
        return Value(result.labels, frozenset(types) | result.types, result.const)
    return result


def _sink(E, A, node: ast.Call, env, q: str, row: M.Model, recv, args, kws, star_at) -> None:
    name = _short(q)
    if not row.args and not row.kwargs:  # every argument (a configured sink)
        for v, n in zip(args, node.args):
            E.sink_value(A, node, row.kind, E._with_file(A, n, env, v), name)
        for k in node.keywords:
            E.sink_value(A, node, row.kind, kws.get(k.arg or "**", EMPTY), name)
        return
    if -1 in row.args:  # the receiver: ``spec.loader.exec_module(module)``
        n = _receiver(node)
        E.sink_value(A, node, row.kind, E._with_file(A, n, env, (recv if recv is not None else EMPTY)), name)
    sink = K.Sink(row.kind, tuple(i for i in row.args if i >= 0), row.kwargs, "", row.program, row.argv)
    E.check_sink(A, node, env, q, sink, args, kws, star_at)


def _runs_remote(E, A, node: ast.Call, env, q: str, row: M.Model) -> Optional[Value]:
    if not _applies(row, node, A, env):
        return None
    label = M.kind_phrase(row.kind)
    t = Trace((A.step(node, f"`{A.text(node)}` fetches {label} and runs it in the same call"),), source_api=q)
    if row.pinned:
        given, expr = _value_node(row.pinned, node)
        known, v = _const(expr, A, env) if expr is not None else (False, None)
        if known and isinstance(v, str) and _HEX40.match(v.rpartition(":")[2] if ":" in v else v):
            t = t.with_(verified="pinned to a commit")
    E.report(row.rule or "RCE002", t, A, node, _short(q))
    if row.returns:
        st = A.step(node, source_step(A, node, row.kind))
        return Value({REMOTE: Trace((st,), source_api=q)})
    return None


def _source(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if not _applies(row, node, A, env):
        return None
    t = Trace((A.step(node, source_step(A, node, row.kind)),), source_api=q)
    return Value({REMOTE: t})


def _download(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if not _applies(row, node, A, env):
        return None
    what = "" if row.kind in ("download", "") else f" ({M.SOURCE_KINDS.get(row.kind, row.kind)})"
    t = Trace((A.step(node, f"`{A.text(node)}` downloads a file{what}"),), source_api=q)
    dest = _arg(node, row.to, row.to_kw) if (row.to is not None or row.to_kw) else None
    if dest is not None:
        E.write_file(A.pkey(dest, env), Value({REMOTE: t}), A, dest, "saved to")
    return Value({RFILE: t})


def _writes(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    i = row.args[0] if row.args else 0
    dest = _arg(node, row.to, row.to_kw)
    if dest is None or i >= len(args):
        return None
    E.write_file(E._receiver_file_key(A, dest, env), args[i], A, node, "written to" if row.to == -1 else "copied into")
    return EMPTY


def _copies(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    i = row.args[0] if row.args else 0
    dest = _arg(node, row.to, row.to_kw)
    if dest is None or i >= len(args) or i >= len(node.args):
        return None
    src = E._with_file(A, node.args[i], env, args[i])
    if src.has(RFILE):
        E.write_file(A.pkey(dest, env), Value({RFILE: src.labels[RFILE]}), A, node, "copied by")
        return Value({RFILE: src.labels[RFILE]})
    return EMPTY


def _chmod(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    target = _arg(node, row.args[0] if row.args else 0, "")
    if target is None:
        return None
    E._chmod(A, A.pkey(target, env), node)
    return None if row.args[:1] == (-1,) else EMPTY


def _callback(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    vals = [args[i] for i in row.args if i < len(args)] + [kws[k] for k in row.kwargs if k in kws]
    E.mark_callbacks(vals, f"callback of {q}()", row.instances, A)
    return EMPTY


_CALLABLE = ("fn:", "meth:", "partial:", "ref:", "cls:", "inst:", "extm:")


def _calls(E, A, node: ast.Call, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if row.kwargs:
        return _calls_target(E, A, node, env, row, kws)
    i = row.args[0] if row.args else 0
    if row.fallback and (i >= len(args) or not any(t.startswith(_CALLABLE) for t in args[i].types)):
        return None  # ``form.submit(data)``: not a function handed over
    j = row.to if row.to is not None else i + 1
    if i >= len(node.args) or isinstance(node.args[i], ast.Starred) or (star_at is not None and star_at <= i):
        return None
    fake = ast.Call(func=node.args[i], args=list(node.args[j:]), keywords=[])
    ast.copy_location(fake, node)
    fake.end_lineno, fake.end_col_offset = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
    return E.call(A, fake, env, args[i], None, list(args[j:]), {}, None)


def _calls_target(E, A, node: ast.Call, env, row, kws) -> Optional[Value]:
    """``Thread(target=fn, args=(data,), kwargs={...})``: ``fn(data, ...)`` (a tuple or list
    literal of arguments, a dict literal of keywords)."""
    fn = next((k.value for k in node.keywords if k.arg == row.kwargs[0]), None)
    if fn is None:
        return None
    pos = next((k.value for k in node.keywords if k.arg == "args"), None)
    kwn = next((k.value for k in node.keywords if k.arg == "kwargs"), None)
    elts = list(pos.elts) if isinstance(pos, (ast.Tuple, ast.List)) else []
    keywords = [ast.keyword(arg=k.value, value=v) for k, v in zip(kwn.keys, kwn.values)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)] if isinstance(kwn, ast.Dict) else []
    fake = ast.Call(func=fn, args=elts, keywords=keywords)
    ast.copy_location(fake, node)
    fake.end_lineno, fake.end_col_offset = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
    vals = [A.ev(e, env) for e in elts]
    kv = {k.arg: A.ev(k.value, env) for k in keywords}
    return E.call(A, fake, env, kws[row.kwargs[0]], None, vals, kv, None)


def _check(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if row.origin != "built-in":  # a team's own sanitizer: its result is the cleaned value
        return E._verify(A, node, env, args, how=f"cleaned by the configured sanitizer {_short(q)}() "
                                                f"({A.m.key}:{node.lineno})")
    return E._verify(A, node, env, args)


def _compiles(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    i = row.args[0] if row.args else 0
    v = args[i] if i < len(args) else next((kws[k] for k in row.kwargs if k in kws), EMPTY)
    return v.only_labels().add_step(A.step(node, f"compiled by `{A.text(node)}`"))


def _decodes(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if row.when and not holds(row.when, node, A, env):
        return labels_only(*args)
    i = row.args[0] if row.args else 0
    if row.kind == "file" and 0 <= i < len(args) and i < len(node.args):
        # the hidden content of a file (an image): of a downloaded one, network data
        v = E._with_file(A, node.args[i], env, args[i])
        if v.has(RFILE):
            t = v.labels[RFILE].add(A.step(node, f"hidden content read by `{A.text(node)}`"))
            return join(v.without(RFILE).only_labels(), Value({REMOTE: t}))
    if i == -1:  # a method of the data: ``data.decode("rot13")``, ``"".join(chr(c) for c in CODES)``
        consts = [repr(a.value) for a in node.args if isinstance(a, ast.Constant)]
        chars = _char_codes(node.args[0], A, env) if node.args and row.when.endswith(":chars") else ""
        name = f"{chars}-{q}" if chars else f".{q}({', '.join(consts)})" if consts else q
        return E._decoded(A, node, (recv if recv is not None else EMPTY), name, env)
    return E._decoded(A, node, args[i] if i < len(args) else EMPTY, _short(q), env)


def _importable(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    i = row.args[0] if row.args else 0
    if i < len(args) and i < len(node.args):
        v = E._with_file(A, node.args[i], env, args[i])
        if v.has(RFILE):
            env.flags["syspath"] = v.labels[RFILE].add(A.step(node, f"made importable: `{A.text(node)}`"))
    return EMPTY


def _imports(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    t = env.flags.get("syspath")
    if t is not None:
        E.report("RCE003", t, A, node, _short(q))
    mod = fold.import_result(A, node, env)  # the module the call returns (a constant name, folded)
    if mod is not None:
        return Value(types=frozenset({"ref:" + mod}))
    return EMPTY


def _getattr(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if len(node.args) >= 2 and args:
        name = fold.fold_str(A, node.args[1], env)  # "ex" + "ec", "cexe"[::-1], chr(101) + ...
        if name is not None and name.isidentifier():
            return A.attr_of(args[0], node.args[0], None, attr=name, calling=True)  # type: ignore[arg-type]
    return None


def _partial(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if not args:
        return None
    return Value(types=frozenset(f"partial:{len(args) - 1}:{t}" for t in args[0].types
                                 if t.startswith(("fn:", "meth:"))))


def _opens(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if not args:
        return None
    v = E._with_file(A, node.args[0], env, args[0])
    out = {RFILE: v.labels[RFILE]} if v.has(RFILE) else {}
    # a file named by a parameter: its content is what the caller's path names (a summary label)
    step = None
    for lab, t in v.labels.items():
        if isinstance(lab, tuple) and lab[0] == "param":
            step = step or A.step(node, f"opened by `{A.text(node)}`")
            out[("pfile", lab[1])] = t.add(step)
    return Value(out) if out else EMPTY


def _archive(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    v = E._with_file(A, node.args[0], env, args[0]) if args else EMPTY
    return Value({RFILE: v.labels[RFILE]}) if v.has(RFILE) else labels_only(*args)


def _path(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    if not E.files:
        E._read(FILES_APPEAR)
        return None
    k = A.pkey(node, env)
    v = labels_only(recv, *args) if -1 in row.args and recv is not None else labels_only(*args)
    return join(v, E.file_value(k, env, A, node)) if k is not None else v


def _reads(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    n, v = _operand(node, row.args[0] if row.args else 0, recv, args)
    if not v.has(RFILE) and n is not None:
        v = E._with_file(A, n, env, v)
    if not v.has(RFILE):
        return None
    t = v.labels[RFILE].add(A.step(node, f"read back: `{A.text(node)}`"))
    return join(v.without(RFILE).only_labels(), Value({REMOTE: t}))


def _stores(E, A, node, env, q, row, recv, args, kws, star_at) -> None:
    n = _receiver(node)
    extra = join(*args, *kws.values()) if (args or kws) else EMPTY
    if n is not None and (extra.labels or extra.types):
        A._weak_update(n, extra, env)  # labels, and objects of known types as elements


def _hashes(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    n = _receiver(node)
    i = row.args[0] if row.args else 0
    if isinstance(n, ast.Name) and n.id in env.digests and i < len(node.args):
        env.digests[n.id] = env.digests[n.id] | frozenset(A._data_paths(node.args[i], env))
        return EMPTY
    return None


def _extracts(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    v = (recv if recv is not None else EMPTY)
    if v.has(RFILE):
        target = _arg(node, row.to, row.to_kw)
        key = A.pkey(target, env) if target is not None else "c:."
        E.write_file(key, Value({RFILE: v.labels[RFILE]}), A, node, "extracted by")
    return None


def _redirects(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    from . import netshell
    return netshell.redirect(A, node, env, args)


def _chars(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    return None


def _clean(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    return EMPTY


def _loader(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    vals = [E._with_file(A, n, env, v) for n, v in zip(node.args, args)]
    return labels_only(*vals)


def _propagates(E, A, node, env, q, row, recv, args, kws, star_at) -> Optional[Value]:
    vals = [(recv if recv is not None else EMPTY) if i < 0 else (args[i] if i < len(args) else EMPTY) for i in (row.args or (0,))]
    vals += [kws[k] for k in row.kwargs if k in kws]
    out = labels_only(*vals)
    if row.args == (-1,) and recv is not None and recv.const and all(a.const for a in args) \
            and (out.labels or all(k.const for k in kws.values())):
        # a method of a constant with constant arguments (``"ABC".lower()``) is a constant, as for
        # a call no row knows (Engine.generic)
        return Value(out.labels, frozenset(), True)
    return out


_HANDLERS = {
    "source": _source, "download": _download, "writes": _writes, "copies": _copies, "chmod": _chmod,
    "callback": _callback, "calls": _calls, "check": _check, "compiles": _compiles, "decodes": _decodes,
    "importable": _importable, "imports": _imports, "getattr": _getattr, "partial": _partial, "opens": _opens,
    "archive": _archive, "path": _path, "clean": _clean, "loader": _loader, "propagates": _propagates,
    "reads": _reads, "hashes": _hashes, "extracts": _extracts, "redirects": _redirects, "chars": _chars,
}
assert set(_HANDLERS) | set(M.SIDE_EFFECTS) | set(M.NON_CALL_EFFECTS) | set(M.KEY_EFFECTS) == set(M.EFFECTS)


# ----------------------------------------------------------------------------------- kinds
def source_kind(api: str, index: Optional[ModelIndex] = None) -> str:
    """The source kind of a trace's ``source_api`` ("" for encoded payloads and cradles)."""
    if not api:
        return ""
    if api.startswith("callback of ") and api.endswith("()"):
        api = api[len("callback of "):-2]
    for ix in ((index,) if index is not None else ()) + (BUILTIN,):
        k = ix.kind_of(api)
        if not k and "." not in api:  # a method of an object whose type was not known
            k = next((r.kind for r in ix.method_rows(api) if r.kind in M.SOURCE_KINDS), "")
        if k:
            return k
    from ..knowledge import sources as S
    if api in M.ENTRY_POINT_KINDS:
        return M.ENTRY_POINT_KINDS[api]
    if api.partition(".")[0] in S.REQUEST_PARAM_NAMES:  # a handler's `request` parameter (a shape, no row)
        return "http-request"
    base = api.rpartition(".")[0]
    if base in S.CLASS_FIELD_SOURCES:
        return "socket" if base.startswith(("socketserver.", "SocketServer.")) else "http-request"
    if base in M.CALLBACK_METHOD_KINDS:
        return M.CALLBACK_METHOD_KINDS[base]
    return ""
