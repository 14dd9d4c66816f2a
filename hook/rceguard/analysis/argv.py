"""Argument vectors held in variables.

``subprocess.Popen(["sh", "-c", data])`` is checked element by element; so must be
``args = ["sh", "-c"]; args.append(data); subprocess.Popen(args)``. :func:`elements` rebuilds the
list a name holds at a call from the statements of the same scope that come before it: the
assignment of a list (or a ``+`` of lists and such names), ``+=``, ``.append``, ``.extend`` and
``.insert``. It is a syntactic reconstruction (the order of the text, both arms of an ``if``), used
only to find which element follows ``-c``; pieces it cannot see are left out as
:class:`ast.Starred` placeholders, which the process check skips.
"""
from __future__ import annotations

import ast
from typing import List, Optional, Tuple

MAX_DEPTH = 4
_SEQ = (ast.List, ast.Tuple)


def _walk_scope(scope: ast.AST):
    """Nodes of one scope: nested functions, lambdas and classes are other scopes."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        n = todo.pop()
        yield n
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(n))


def _pos(n: ast.AST) -> Tuple[int, int]:
    return (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))


def _unknown(n: ast.expr) -> ast.expr:
    star = ast.Starred(value=n, ctx=ast.Load())
    return ast.copy_location(star, n)


def elements(scope: ast.AST, name: str, at: ast.AST, depth: int = 0) -> Optional[List[ast.expr]]:
    """The elements of the list ``name`` holds when ``at`` runs, or None when ``name`` is never
    given a list literal in this scope before ``at`` (then it is not an argument vector we know)."""
    if depth > MAX_DEPTH:
        return None
    limit = _pos(at)
    events = []
    for n in _walk_scope(scope):
        if _pos(n) >= limit:
            continue
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets):
            events.append((_pos(n), "set", n.value))
        elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == name and n.value:
            events.append((_pos(n), "set", n.value))
        elif isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name) and n.target.id == name and \
                isinstance(n.op, ast.Add):
            events.append((_pos(n), "add", n.value))
        elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                isinstance(n.func.value, ast.Name) and n.func.value.id == name and n.args:
            meth = n.func.attr
            if meth == "append":
                events.append((_pos(n), "append", n.args[0]))
            elif meth == "extend":
                events.append((_pos(n), "add", n.args[0]))
            elif meth == "insert" and len(n.args) == 2:
                events.append((_pos(n), "insert", n.args))
    events.sort(key=lambda e: e[0])
    out: Optional[List[ast.expr]] = None
    for pos, what, node in events:
        if what == "set":
            out = _flatten(scope, node, pos, depth)
        elif out is None:
            continue
        elif what == "add":
            got = _flatten(scope, node, pos, depth)
            out = out + (got if got is not None else [_unknown(node)])
        elif what == "append":
            out = out + [node]
        else:  # insert(i, x)
            i, x = node
            if isinstance(i, ast.Constant) and isinstance(i.value, int) and 0 <= i.value <= len(out):
                out = out[: i.value] + [x] + out[i.value:]
            else:
                out = out + [_unknown(x)]
    return out


def _flatten(scope: ast.AST, node: ast.expr, pos: Tuple[int, int], depth: int) -> Optional[List[ast.expr]]:
    """Elements of a list expression: a literal, ``a + b`` of such, or a name holding one."""
    if isinstance(node, _SEQ):
        return list(node.elts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a = _flatten(scope, node.left, pos, depth)
        b = _flatten(scope, node.right, pos, depth)
        if a is None and b is None:
            return None
        return (a if a is not None else [_unknown(node.left)]) + (b if b is not None else [_unknown(node.right)])
    if isinstance(node, ast.Name):
        marker = ast.Pass()
        marker.lineno, marker.col_offset = pos
        return elements(scope, node.id, marker, depth + 1)
    return None


def argv_of(A, node: Optional[ast.expr]) -> Optional[List[ast.expr]]:
    """For the process check: the elements of the list a plain name holds at this call (the
    analysed function's scope, else the module's), None when it is not a list we can rebuild."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = argv_of(A, node.left) if not isinstance(node.left, _SEQ) else list(node.left.elts)
        right = argv_of(A, node.right) if not isinstance(node.right, _SEQ) else list(node.right.elts)
        if left is None and right is None:
            return None
        return (left if left is not None else [_unknown(node.left)]) + \
            (right if right is not None else [_unknown(node.right)])
    if not isinstance(node, ast.Name):
        return None
    scope = A.f.node if A.f is not None else A.m.pf.tree
    got = elements(scope, node.id, node)
    if got is None and A.f is not None and not any(
            isinstance(n, ast.Name) and n.id == node.id and isinstance(n.ctx, ast.Store) for n in _walk_scope(scope)):
        got = elements(A.m.pf.tree, node.id, A.f.node)
    if got is None or not any(not isinstance(e, ast.Starred) for e in got):
        return None
    return got
