"""The analyser does not depend on the engine: ``engine -> flow -> host/state`` runs one way."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ANALYSIS = Path(__file__).resolve().parents[1] / "hook" / "rceguard" / "analysis"


def _imported_modules(path: Path) -> set:
    """Every module a file imports, also inside functions and ``if TYPE_CHECKING:`` blocks."""
    out = set()
    for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(n, ast.ImportFrom):
            out.add("." * n.level + (n.module or ""))
        elif isinstance(n, ast.Import):
            out.update(a.name for a in n.names)
    return out


def test_flow_never_imports_the_engine() -> None:
    for name in ("flow.py", "state.py", "host.py"):
        mods = _imported_modules(ANALYSIS / name)
        assert not any(m.endswith("engine") for m in mods), (name, mods)


def test_flow_imports_alone() -> None:
    code = "import sys, rceguard.analysis.flow; assert 'rceguard.analysis.engine' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
