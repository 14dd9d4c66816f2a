from __future__ import annotations

import re

import pytest

from rceguard.findings import Finding, Location, Notice, ScanResult, Step
from rceguard.report import render
from rceguard.report.github import escape_data, escape_property

PKG = "src/plüg ins/remote loader.py"
COMMAND = re.compile(r"^::(?P<cmd>[a-z]+)(?: (?P<props>[^:]*))?::(?P<msg>.*)$")


def unescape(value: str) -> str:
    # Inverse of the runner's escaping; %25 last so "%253A" stays "%3A".
    for code, ch in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, ch)
    return value


def parse(line: str) -> tuple:
    m = COMMAND.match(line)
    assert m, line
    props = {}
    if m.group("props"):
        for item in m.group("props").split(","):
            key, _, value = item.partition("=")
            props[key] = unescape(value)
    return m.group("cmd"), props, unescape(m.group("msg"))


def loc(line: int, col: int, end_col: int, path: str = PKG, end_line: int = 0) -> Location:
    return Location(path, line, col, end_line or line, end_col)


def flow_finding() -> Finding:
    return Finding(
        rule_id="RCE001",
        level="error",
        message="Network data from http.request() is executed by exec(): 100% remote, no check.",
        location=loc(50, 9, 40),
        steps=(
            Step(loc(44, 24, 46), "http.request(\"GET\", url) reads from the network"),
            Step(loc(47, 29, 42), "response.data"),
            Step(loc(50, 9, 40), "exec(compiled, module.__dict__)"),
        ),
        sink_text="exec(compiled, module.__dict__)",
        source_api="urllib3.PoolManager.request",
        notes=("no digest check",),
    )


def sample() -> ScanResult:
    return ScanResult(
        findings=[
            flow_finding(),
            Finding("RCE005", "warning", "Encoded payload is executed.", loc(2, 1, 9, path="b,c:d.py")),
            Finding("RCE001", "note", "Informational.", loc(7, 3, 4, path="n.py")),
        ],
        notices=[Notice("legacy/py2 mod.py", "invalid syntax (line 3)", "parse", 3),
                 Notice("bin/x.py", "not valid UTF-8", "read")],
        files_scanned=4,
    )


def test_escaping_rules():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_data("a:b,c") == "a:b,c"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("%0A") == "%250A"  # an already-escaped-looking string is escaped again


def test_one_command_line_per_finding_and_notice():
    lines = render("github", sample()).rstrip("\n").split("\n")
    commands = [ln for ln in lines if ln.startswith("::")]
    assert len(commands) == 5
    assert lines[-1].startswith("Scanned 4 files")
    assert [parse(c)[0] for c in commands[:3]] == ["warning", "notice", "error"]  # b,c:d.py, n.py, src/


def test_finding_annotation_properties_and_flow():
    lines = render("github", sample()).splitlines()
    cmd, props, msg = parse(next(ln for ln in lines if ln.startswith("::error")))
    assert cmd == "error"
    assert props["file"] == PKG
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == ("50", "9", "50", "40")
    assert "RCE001" in props["title"] and "remote-code-exec" in props["title"]
    msg_lines = msg.split("\n")
    assert msg_lines[0] == flow_finding().message
    for i, step in enumerate(flow_finding().steps, 1):
        assert f"{i}. {step.location.short()}  {step.message}" in msg
    assert "no digest check" in msg


def test_property_values_with_comma_and_colon():
    lines = render("github", sample()).splitlines()
    raw = next(ln for ln in lines if ln.startswith("::warning file=b"))
    assert "file=b%2Cc%3Ad.py," in raw
    _, props, _ = parse(raw)
    assert props["file"] == "b,c:d.py"


def test_notices_become_warnings():
    lines = render("github", sample()).splitlines()
    parsed = [parse(ln) for ln in lines if ln.startswith("::warning file=legacy") or ln.startswith("::warning file=bin")]
    assert len(parsed) == 2
    by_file = {p[1]["file"]: p for p in parsed}
    assert by_file["legacy/py2 mod.py"][2] == "could not parse: invalid syntax (line 3)"
    assert by_file["legacy/py2 mod.py"][1]["line"] == "3"
    assert by_file["bin/x.py"][2] == "could not read: not valid UTF-8"


def test_message_cannot_inject_a_second_command():
    evil = Finding(
        "RCE006", "error", "Runs a command.\n::error file=x.py::forged\r\n::add-mask::x",
        loc(1, 1, 5, path="e.py"), sink_text="os.system(x)\n::warning::also forged",
    )
    out = render("github", ScanResult(findings=[evil], notices=[], files_scanned=1))
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("::error file=e.py,")
    assert sum(ln.startswith("::") for ln in lines) == 1
    _, _, msg = parse(lines[0])
    assert "::error file=x.py::forged" in msg  # kept as text, on its own escaped line


@pytest.mark.parametrize("level, cmd", [("error", "error"), ("warning", "warning"), ("note", "notice")])
def test_level_mapping(level, cmd):
    f = Finding("RCE002", level, "m.", loc(1, 1, 2, path="a.py"))
    first = render("github", ScanResult(findings=[f], notices=[], files_scanned=1)).splitlines()[0]
    assert parse(first)[0] == cmd


def test_clean_output_is_just_the_summary():
    out = render("github", ScanResult(findings=[], notices=[], files_scanned=2))
    assert out == "Scanned 2 files: no findings.\n"
