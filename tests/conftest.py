"""Shared fixtures."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Callable, Dict, List

import pytest

from rceguard.findings import Finding, Location

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_forced_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """A FORCE_COLOR in the developer's or CI's environment must not colour the reports under test."""
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(autouse=True)
def _own_result_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets a fresh result cache folder (``RCEGUARD_CACHE_DIR``, inherited by the
    subprocesses it starts) outside the trees it scans: no test sees another test's results, and
    scanning ``tests/cases`` leaves no ``.rceguard_cache`` in the checkout. Tests of the default
    location remove the variable."""
    folder = tmp_path_factory.mktemp("rcache") / "cache"
    monkeypatch.setenv("RCEGUARD_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def repo_root() -> Path:
    """The checkout these tests belong to."""
    return REPO_ROOT


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[[Dict[str, object]], Path]:
    """Create files under ``tmp_path`` from ``{"rel/path.py": "text" or b"bytes"}``; returns tmp_path."""

    def make(files: Dict[str, object]) -> Path:
        for rel, content in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(str(content), encoding="utf-8")
        return tmp_path

    return make


def _fake_analyze(targets, *, root=None, loader=None, extend_sources=(), extend_sinks=(), extend_sanitizers=(), deferred=(), project_files=None, read_bytes=None):
    """A stand-in engine: every call ``danger("RCE00x")`` / ``danger("RCE00x", "level")`` is a finding
    (default RCE001/error) located at the call, with the enclosing statement's lines."""
    out: List[Finding] = []
    for pf in targets:
        for stmt in ast.walk(pf.tree):
            if not isinstance(stmt, ast.stmt):
                continue
            for node in _own_nodes(stmt):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "danger":
                    args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                    rule = args[0] if args else "RCE001"
                    level = args[1] if len(args) > 1 else "error"
                    loc = Location(pf.display, node.lineno, node.col_offset + 1, node.end_lineno, node.end_col_offset + 1)
                    out.append(
                        Finding(
                            rule_id=rule,
                            level=level,
                            message=f"fake {rule} finding",
                            location=loc,
                            statement_lines=(stmt.lineno, stmt.end_lineno),
                            sink_text="danger()",
                        )
                    )
    return out


def _own_nodes(stmt: ast.stmt):
    """Nodes of ``stmt`` that are not inside a nested statement."""
    stack = [c for c in ast.iter_child_nodes(stmt) if not isinstance(c, ast.stmt)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, ast.stmt))


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch):
    """Replace the flow engine with :func:`_fake_analyze`; returns the list of recorded calls.
    The byte-level pre-scan is switched off: it knows nothing of ``danger()``."""
    import rceguard.scan
    from rceguard.analysis import engine

    monkeypatch.setattr(rceguard.scan, "PRESCAN", False)

    calls: List[dict] = []

    def analyze(targets, **kwargs):
        calls.append(dict(kwargs, targets=[t.display for t in targets]))
        return _fake_analyze(targets, **kwargs)

    monkeypatch.setattr(engine, "analyze", analyze)
    return calls
