"""Business logic behind the routers."""
from __future__ import annotations

import ast
import operator
import subprocess
from typing import Dict, List

_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate(expression: str, variables: Dict[str, float]) -> float:
    """The old evaluator, kept for the /calc/eval route."""
    return eval(expression, {"__builtins__": {}}, dict(variables))  # expect: RCE001


def evaluate_safely(expression: str) -> float:
    """Arithmetic only: walks the parsed tree, never runs it."""
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError("unsupported expression")
    return walk(ast.parse(expression, mode="eval"))


def start_job(name: str, command: str) -> int:
    proc = subprocess.Popen(command, shell=True, stdout=subprocess.DEVNULL)  # expect: RCE006
    return proc.pid


def job_status(name: str) -> str:
    """systemd knows our jobs by name; the name is one argv element, no shell."""
    out = subprocess.run(["systemctl", "--user", "status", f"job-{name}.service"], capture_output=True, text=True)
    return out.stdout


def build_report(title: str, columns: List[str], limit: int) -> Dict[str, object]:
    return {"title": title.strip(), "columns": [c.lower() for c in columns], "limit": min(limit, 1000)}
