"""Precision rules: small decisions that keep ordinary code out of the findings.

Each function here answers one question for a hook in :mod:`.flow` or :mod:`.engine`; API names
stay in the knowledge tables and model rows.
"""
from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Dict, List, Optional

from ..knowledge import propagators as P
from .values import REMOTE, RFILE, Value

if TYPE_CHECKING:  # pragma: no cover
    from .models import ModelIndex


def clean_attribute(v: Value, attr: str, index: Optional["ModelIndex"] = None) -> bool:
    """Is ``v.<attr>`` free of ``v``'s outside data? ``status_code`` / ``ok`` always are (nothing
    else calls a field that); ``code``, ``status``, ``reason`` ... only when ``v`` is an HTTP response
    (its network data comes from an HTTP client), not an LLM reply, a request body or a parameter."""
    if attr not in P.CLEAN_ATTRS:
        return False
    if attr not in P.RESPONSE_ONLY_ATTRS:
        return True
    if not v.labels:
        return True
    from .models import source_kind
    for lab, t in v.labels.items():
        if lab not in (REMOTE, RFILE):
            return False
        if source_kind(t.source_api, index) not in P.RESPONSE_KINDS:
            return False
    return True


# ----------------------------------------------------------------------------- **kwargs
def _dict_value(d: ast.expr, name: str, scope: ast.AST, module: ast.Module, depth: int = 0) -> Optional[ast.expr]:
    """The value a dict expression gives key ``name``: a literal, ``dict(name=...)``, either arm of
    ``{...} if c else {}``, or a name bound to one of those (in ``scope``, else at module level)."""
    if depth > 3:
        return None
    if isinstance(d, ast.Dict):
        for k, v in zip(d.keys, d.values):
            if isinstance(k, ast.Constant) and k.value == name:
                return v
            if k is None:  # {**base, ...}
                got = _dict_value(v, name, scope, module, depth + 1)
                if got is not None:
                    return got
        return None
    if isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "dict":
        return next((k.value for k in d.keywords if k.arg == name), None)
    if isinstance(d, ast.IfExp):
        return _dict_value(d.body, name, scope, module, depth + 1) or \
            _dict_value(d.orelse, name, scope, module, depth + 1)
    if isinstance(d, ast.Name):
        for where in (scope, module) if scope is not module else (module,):
            nodes = ast.walk(where) if where is scope else iter(where.body)
            for s in nodes:
                if isinstance(s, (ast.Assign, ast.AnnAssign)) and s.value is not None:
                    targets = s.targets if isinstance(s, ast.Assign) else [s.target]
                    if any(isinstance(t, ast.Name) and t.id == d.id for t in targets):
                        got = _dict_value(s.value, name, scope, module, depth + 1)
                        if got is not None:
                            return got
                elif isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Subscript):
                    t = s.targets[0]
                    if isinstance(t.value, ast.Name) and t.value.id == d.id and \
                            isinstance(t.slice, ast.Constant) and t.slice.value == name:
                        return s.value
    return None


def star_keyword(node: ast.Call, name: str, A) -> Optional[ast.expr]:
    """``f(**opts)`` where ``opts`` holds key ``name``: the expression given for it, else None."""
    scope = A.f.node if A.f is not None else A.m.pf.tree
    for k in node.keywords:
        if k.arg is None:
            got = _dict_value(k.value, name, scope, A.m.pf.tree)
            if got is not None:
                return got
    return None


# ----------------------------------------------------------------------------- unknown calls
def payload_keywords(kws: Dict[str, Value]) -> List[Value]:
    """The keyword arguments whose data an unknown call's result may carry: not the request
    metadata (``headers=``, ``user_agent=``, ``timeout=``, ``auth=`` ...)."""
    return [v for k, v in kws.items() if k not in P.REQUEST_METADATA_KEYWORDS]


# ----------------------------------------------------------------------------- opt-in gates
from .state import GATE  # noqa: E402  (Env.flags key: the code there runs only when an opt-in switch is on)
GATE_PREFIX = "opt-in gate"
# names of switches a user turns on to allow something dangerous
_SWITCH_WORDS = re.compile(r"trust|allow|enable|unsafe|insecure|danger|permit|opt_?in", re.I)
_NORMALIZERS = {"lower", "upper", "strip", "casefold", "lstrip", "rstrip"}
_ENV_READERS = {"os.getenv", "os.environ.get", "os.environ.__getitem__"}


def _env_switch(A, e: ast.expr, env) -> Optional[str]:
    """``os.environ.get("X")`` (also ``os.getenv``, ``os.environ["X"]``, ``.lower()`` of one,
    ``bool(...)``/``int(...)`` of one) -> its text."""
    while isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr in _NORMALIZERS:
        e = e.func.value
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id in ("bool", "int") and e.args:
        e = e.args[0]
    if isinstance(e, ast.Call) and A.qual_of(e.func, env) in _ENV_READERS and e.args:
        return A.text(e)
    if isinstance(e, ast.Subscript) and A.qual_of(e.value, env) == "os.environ":
        return A.text(e)
    return None


def _switch(A, e: ast.expr, env) -> Optional[str]:
    """A flag named like an opt-in (``trust_remote_code``, ``self.allow_pickle``), or a parameter
    whose default is False -> its text. (A None default is an optional value, not a switch:
    ``if not url: return`` gates nothing.)"""
    if isinstance(e, (ast.Name, ast.Attribute)):
        last = e.id if isinstance(e, ast.Name) else e.attr
        if _SWITCH_WORDS.search(last):
            return A.text(e)
        if isinstance(e, ast.Name) and A.f is not None and e.id in A.f.params:
            a = A.f.node.args
            pairs = list(zip(reversed(a.args), reversed(a.defaults))) + list(zip(a.kwonlyargs, a.kw_defaults))
            for arg, d in pairs:
                if arg.arg == e.id and isinstance(d, ast.Constant) and d.value is False:
                    return A.text(e)
    return None


def gate_of(A, test: ast.expr, env) -> Optional[tuple]:
    """``if trust_remote_code:`` / ``if not os.environ.get("ALLOW_EXEC"):`` -> (text, holds) where
    ``holds`` says whether the switch is on in the ``if`` branch (True) or in the ``else`` branch;
    None when the test is not an opt-in switch the program's own configuration sets (a switch that
    carries outside data is no gate)."""
    on = True
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        on = not on
        test = test.operand
    core = test
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, other = test.ops[0], test.comparators[0]
        if not isinstance(other, (ast.Constant, ast.Tuple, ast.List, ast.Set)):
            return None
        if isinstance(other, ast.Constant) and other.value in (None, False, "", 0, "0", "false", "False"):
            on = not on  # `x is None` / `x == "0"`: the switch is off where the test holds
            if isinstance(op, (ast.Eq, ast.Is)):
                pass
            elif isinstance(op, (ast.NotEq, ast.IsNot)):
                on = not on
            else:
                return None
        elif isinstance(op, (ast.NotEq, ast.IsNot, ast.NotIn)):
            on = not on
        elif not isinstance(op, (ast.Eq, ast.Is, ast.In)):
            return None
        core = test.left
    what = _env_switch(A, core, env)
    if what is not None and core is test and not _SWITCH_WORDS.search(what):
        what = None  # `if not os.environ.get("PLUGIN_URL")`: a setting, not a switch (a compare is one)
    if what is None and core is test:
        what = _switch(A, core, env)
    if what is None:
        return None
    if REMOTE in A.ev(core, env.copy()).labels:
        return None
    return what, on


def gate_note(A, test: ast.expr, what: str) -> str:
    return f"{GATE_PREFIX} `{what}` ({A.m.key}:{test.lineno}): runs only when it is switched on"


# ----------------------------------------------------------------------------- allow-lists
def guarded_name(A, left: ast.expr) -> Optional[str]:
    """The local name (or ``self.attr`` path) a membership test constrains: ``name in ALLOWED``,
    ``self.kind in KINDS``, ``name.strip().lower() in ALLOWED`` (a normalised spelling of an allowed
    value is still one of the program's own values); None for anything else."""
    while isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and \
            left.func.attr in _NORMALIZERS and not left.args:
        left = left.func.value
    if isinstance(left, ast.Name):
        return left.id
    if isinstance(left, ast.Attribute):
        return A.path_of(left)
    return subscript_path(A, left)


def subscript_path(A, node: ast.expr) -> Optional[str]:
    """``cfg["plugin"]`` -> the path ``cfg['plugin']`` (a local name or ``self.attr`` path indexed
    by a constant), under which an allow-list test records that the item is one of the program's
    own values; None for anything else."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, (str, int))):
        return None
    base = node.value
    p = base.id if isinstance(base, ast.Name) else A.path_of(base) if isinstance(base, ast.Attribute) else None
    return None if p is None else f"{p}[{node.slice.value!r}]"
