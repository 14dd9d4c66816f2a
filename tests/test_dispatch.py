"""Class-hierarchy dispatch and functions passed as values (analysis/dispatch.py): the bound on
the implementations a call may run, and the pre-scan agreeing on the dispatch cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from rceguard.analysis import dispatch as D
from rceguard.config import Config
from rceguard.scan import scan

CASES = Path(__file__).parent / "cases"
DISPATCH_CASES = sorted((CASES / "dispatch").glob("*.py")) + [CASES / "projects" / "tasklane",
                                                               CASES / "projects" / "imported_members"]


def _keys(result) -> list:
    return [(f.sort_key(), f.steps, f.notes, f.level) for f in result.findings]


@pytest.mark.parametrize("case", DISPATCH_CASES, ids=lambda p: p.name)
def test_prescan_agrees_on_dispatch_cases(case: Path) -> None:
    assert _keys(scan([case], Config())) == _keys(scan([case], Config(), prescan=False))


def _hierarchy(tmp_path: Path, n: int, sink_at: int) -> Path:
    """A base whose run() execs self.generate(), and n subclasses; only subclass ``sink_at``
    returns network data."""
    lines = ["import requests", "", "class Base:", "    def generate(self):", "        raise NotImplementedError",
             "", "    def run(self):", "        exec(self.generate())", ""]
    for i in range(n):
        body = "requests.get('https://example.com').text" if i == sink_at else repr(f"x = {i}")
        lines += [f"class Sub{i}(Base):", "    def generate(self):", f"        return {body}", ""]
    p = tmp_path / "tasks.py"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def test_an_override_among_a_few_is_found(tmp_path: Path) -> None:
    got = scan([_hierarchy(tmp_path, 4, 3)], Config()).findings
    assert [(f.rule_id, f.location.line) for f in got] == [("RCE001", 8)]


def test_implementations_are_capped(tmp_path: Path) -> None:
    """At most MAX_IMPLS definitions per call: the base's and the nearest subclasses' (a class
    with a hundred subclasses does not make every self.m() call a hundred calls)."""
    n = D.MAX_IMPLS + 4
    assert scan([_hierarchy(tmp_path, n, n - 1)], Config()).findings == []
    p = _hierarchy(tmp_path, n, 0)
    assert len(scan([p], Config()).findings) == 1


def test_base_names_follow_an_import_alias() -> None:
    import ast

    from rceguard.analysis.project import ClassInfo

    class _M:
        scope = {"B": ("ref", "pkg.base.Base")}

    node = ast.parse("class Sub(B, mixins.Logged, Generic[T]): pass").body[0]
    ci = ClassInfo("k", "Sub", node, _M())  # type: ignore[arg-type]
    assert D._base_names(ci) == ["B", "Base", "Logged", "Generic"]


def _chain(depth: int) -> str:
    """``start()`` fetches data and hands it down ``depth`` functions to a call on a base-class
    object whose only implementation that runs it is a subclass override."""
    lines = ["import requests", "", "class Base:", "    def handle(self, data):", "        raise NotImplementedError",
             "", "class Sub(Base):", "    def handle(self, data):", "        exec(data)", ""]
    for i in range(depth):
        lines += [f"def f{i}(data):", f"    return f{i + 1}(data)", ""]
    lines += [f"def f{depth}(data):", "    Base().handle(data)", "",
              "def start(u):", "    f0(requests.get(u).text)", ""]
    return "\n".join(lines)


def test_override_dispatch_is_bounded_by_the_analysis_nesting(tmp_path, monkeypatch):
    """Deep class trees fan out at every level (sympy's raised RecursionError): a method call binds
    to subclass overrides only while few functions are under analysis; beyond, to the class's own."""
    from rceguard.analysis import flow
    shallow, deep = tmp_path / "shallow", tmp_path / "deep"
    for d, depth in ((shallow, 1), (deep, flow.MAX_DISPATCH_NESTING + 2)):
        d.mkdir()
        (d / "app.py").write_text(_chain(depth), encoding="utf-8")
    assert [f.rule_id for f in scan([shallow], Config()).findings] == ["RCE001"]
    assert scan([deep], Config()).findings == []
    monkeypatch.setattr(flow, "MAX_DISPATCH_NESTING", 100)  # the limit, not the chain, stops it
    assert [f.rule_id for f in scan([deep], Config()).findings] == ["RCE001"]
