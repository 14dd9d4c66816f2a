"""Precision rules: small decisions that keep ordinary code out of the findings.

Each function here answers one question for a hook in :mod:`.flow` or :mod:`.engine`; API names
stay in the knowledge tables and model rows.
"""
from __future__ import annotations

import ast
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
