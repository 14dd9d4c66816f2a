"""Cross-module flows when rceguard is given only some files of a project (a pre-commit batch)."""
from __future__ import annotations

import shutil
from pathlib import Path

from rceguard.config import Config
from rceguard.scan import scan

PROJECT = Path(__file__).parent / "cases" / "projects" / "crossmod"


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "crossmod"
    shutil.copytree(PROJECT, dst)
    return dst


def _lines(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_only_loader_given_reports_loader_and_nothing_else(tmp_path: Path) -> None:
    proj = _copy(tmp_path)
    loader = proj / "pkg" / "loader.py"
    result = scan([loader], Config())
    paths = {f.location.path for f in result.findings}
    assert paths == {"pkg/loader.py"}, result.findings
    got = {(f.location.line, f.rule_id) for f in result.findings}
    assert (_lines(loader, "exec(ft(url))"), "RCE001") in got
    assert (_lines(loader, "eval(source)"), "RCE001") in got
    assert (_lines(loader, 'exec(doc["source"])'), "RCE001") in got
    # the wrapper's exec lives in a file that was not given: reported at the call that feeds it
    call_line = _lines(loader, "run_snippet(ft(url))")
    via = [f for f in result.findings if f.location.line == call_line]
    assert via and "via run_snippet()" in via[0].message
    # a local constant given to the same wrapper is not a finding
    assert _lines(loader, 'run_snippet("x = 1")') not in {f.location.line for f in result.findings}
    # the flow crosses files: the source step is in pkg/net.py
    f = next(f for f in result.findings if f.location.line == _lines(loader, "exec(ft(url))"))
    assert f.steps[0].location.path == "pkg/net.py"
    assert any("return value of `fetch_text()`" in s.message or "return value of `ft()`" in s.message
               or "fetch_text" in s.message for s in f.steps)


def test_net_module_alone_has_no_findings(tmp_path: Path) -> None:
    proj = _copy(tmp_path)
    assert scan([proj / "pkg" / "net.py"], Config()).findings == []


def test_sibling_module_import(tmp_path: Path) -> None:
    proj = _copy(tmp_path)
    result = scan([proj / "main.py"], Config())
    assert [(f.location.path, f.rule_id) for f in result.findings] == [("main.py", "RCE001")]
    assert result.findings[0].steps[0].location.path == "netutil.py"


def test_import_of_unknown_module_is_not_read_from_site_packages(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\nversion='0'\n")
    (tmp_path / "app.py").write_text("import requests\nimport yaml\n\ndef f(u):\n    exec(requests.get(u).text)\n")
    result = scan([tmp_path / "app.py"], Config())
    assert [f.rule_id for f in result.findings] == ["RCE001"]
