from __future__ import annotations

import re

import pytest

from rceguard.findings import Finding, Location, Notice, ScanResult, Step
from rceguard.report import render

PKG = "src/plüg ins/remote loader.py"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def loc(line: int, col: int, end_col: int, path: str = PKG, end_line: int = 0) -> Location:
    return Location(path, line, col, end_line or line, end_col)


def remote_exec() -> Finding:
    return Finding(
        rule_id="RCE001",
        level="error",
        message="Network data from http.request() is executed by exec().",
        location=loc(50, 9, 40),
        steps=(
            Step(loc(44, 24, 46), "http.request(\"GET\", url) reads from the network"),
            Step(loc(47, 29, 42), "response.data"),
            Step(loc(48, 20, 51), "compile(response.data, url, \"exec\") builds a code object"),
            Step(loc(50, 9, 40), "exec(compiled, module.__dict__) runs it"),
        ),
        statement_lines=(50, 50),
        context="analytics.register",
        sink_text="exec(compiled,\n     module.__dict__)",
        source_api="urllib3.PoolManager.request",
        notes=("no digest or signature check on this path",),
    )


def encoded() -> Finding:
    return Finding(
        rule_id="RCE005",
        level="warning",
        message="A base64-decoded constant is executed by exec().",
        location=loc(3, 1, 45, path="a/setup.py"),
        sink_text="   exec(base64.b64decode(BLOB))   ",
    )


def sample() -> ScanResult:
    return ScanResult(
        findings=[remote_exec(), encoded()],  # deliberately not in report order
        notices=[Notice("legacy/py2 module.py", "invalid syntax (line 3)", "parse", 3)],
        files_scanned=7,
        suppressed=2,
        bare_ignores=1,
        root="/srv/repo",
    )


def test_finding_block_layout():
    out = render("text", sample())
    lines = out.splitlines()
    i = lines.index(f"{PKG}:50:9: RCE001 Network data from http.request() is executed by exec().")
    assert lines[i + 1] == "    exec(compiled, ..."  # first line of the sink, trimmed, indented
    steps = lines[i + 2:i + 6]
    assert [s.split(".", 1)[0].strip() for s in steps] == ["1", "2", "3", "4"]
    assert steps[0] == f"  1. {PKG}:44:24  http.request(\"GET\", url) reads from the network"
    assert steps[3] == f"  4. {PKG}:50:9  exec(compiled, module.__dict__) runs it"
    assert lines[i + 6] == "  note: no digest or signature check on this path"


def test_findings_are_in_report_order():
    out = render("text", sample())
    assert out.index("a/setup.py:3:1: RCE005") < out.index(f"{PKG}:50:9: RCE001")
    assert "\n    exec(base64.b64decode(BLOB))\n" in out


def test_notice_and_summary():
    out = render("text", sample())
    lines = out.rstrip("\n").splitlines()
    assert "legacy/py2 module.py: invalid syntax (line 3)" in lines
    summary = lines[-1]
    assert summary.startswith("Scanned 7 files")
    assert "2 findings (1 error, 1 warning)" in summary
    assert "1 file could not be read or parsed" in summary
    assert "2 suppressed" in summary
    assert "1 bare ignore" in summary
    assert lines.index("legacy/py2 module.py: invalid syntax (line 3)") < len(lines) - 1


def test_clean_summary_mentions_no_zero_counts():
    out = render("text", ScanResult(findings=[], notices=[], files_scanned=1))
    assert out.strip() == "Scanned 1 file: no findings."
    assert "suppressed" not in out and "could not" not in out


def test_baselined_and_notice_counts_use_distinct_files():
    result = ScanResult(
        findings=[encoded()],
        notices=[Notice("x.py", "not UTF-8", "read"), Notice("x.py", "NUL byte", "read"),
                 Notice("y.py", "syntax error", "parse")],
        files_scanned=3,
        baselined=4,
    )
    summary = render("text", result).rstrip().splitlines()[-1]
    assert "1 finding (1 warning)" in summary
    assert "2 files could not be read or parsed" in summary
    assert "4 in baseline" in summary
    assert "suppressed" not in summary


def test_no_colour_unless_asked():
    plain = render("text", sample())
    assert "\x1b" not in plain
    coloured = render("text", sample(), color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured) == plain


def test_hostile_text_from_the_scanned_file_is_escaped():
    bad = Finding(
        rule_id="RCE006",
        level="error",
        message="Network data reaches os.system().",
        location=loc(9, 5, 30, path="evil\x1b[2J.py"),
        sink_text="os.system(cmd)  # \x1b]0;pwned\x07 \u202e",
        steps=(Step(loc(8, 5, 20, path="evil\x1b[2J.py"), "cmd = sock.recv(1024)\r"),),
    )
    for colour in (False, True):
        out = render("text", ScanResult(findings=[bad], notices=[], files_scanned=1), color=colour)
        stripped = ANSI.sub("", out)
        assert "\x1b" not in stripped and "\x07" not in stripped and "\r" not in stripped
        assert "\u202e" not in stripped
        assert "evil\\x1b[2J.py:9:5: RCE006" in stripped


@pytest.mark.parametrize("sink, shown", [("", None), ("\n\n  eval(x)\n", "    eval(x)")])
def test_sink_line_edge_cases(sink, shown):
    f = Finding("RCE001", "error", "m.", loc(1, 1, 8, path="m.py"), sink_text=sink)
    lines = render("text", ScanResult(findings=[f], notices=[], files_scanned=1)).splitlines()
    assert lines[0] == "m.py:1:1: RCE001 m."
    if shown is None:
        assert lines[1] == "  = rule: rceguard rule RCE001"  # no sink line: the hint follows the header
    else:
        assert lines[1] == shown


def test_prescan_skipped_files_are_counted_not_hidden():
    result = ScanResult(findings=[], notices=[], files_scanned=5, prescan_skipped=3)
    assert "Scanned 5 files (3 ruled out by a quick pre-scan: " in render("text", result)
    assert "ruled out" not in render("text", ScanResult(findings=[], notices=[], files_scanned=5))
    import json
    assert json.loads(render("json", result))["summary"]["prescan_skipped"] == 3
