from __future__ import annotations

import json

import pytest

from rceguard.findings import Finding, Location, Notice, ScanResult, Step
from rceguard.report import render

PKG = "pkg/dé jà/net loader.py"


def loc(line: int, col: int, end_col: int, path: str = PKG) -> Location:
    return Location(path, line, col, line, end_col)


def findings() -> list:
    flow = Finding(
        rule_id="RCE002",
        level="error",
        message="Network data from requests.get() is unpickled by pickle.loads().",
        location=loc(12, 12, 41),
        steps=(
            Step(loc(10, 16, 38), "requests.get(url) reads from the network"),
            Step(loc(11, 5, 27), "blob = resp.content"),
            Step(loc(12, 12, 41), "pickle.loads(blob)"),
        ),
        statement_lines=(12, 13),
        context="Client.fetch_model",
        sink_text="pickle.loads(blob)",
        source_api="requests.get",
        notes=("torch is not involved",),
    )
    plain = Finding(
        rule_id="RCE005",
        level="warning",
        message="A zlib-decompressed constant is executed by exec().",
        location=loc(2, 1, 30, path="a.py"),
        sink_text="exec(zlib.decompress(B))",
    )
    return [flow, plain]


def result(items=None) -> ScanResult:
    return ScanResult(
        findings=findings() if items is None else items,
        notices=[Notice("z/broken.py", "cannot decode as UTF-8", "read"),
                 Notice("b/old.py", "invalid syntax", "parse", 4)],
        files_scanned=9,
        suppressed=3,
        bare_ignores=1,
        baselined=2,
        root="/home/ci/repo",
    )


def test_document_shape_and_values():
    doc = json.loads(render("json", result()))
    assert doc["version"] == 1
    assert doc["tool"]["name"] == "rceguard"
    assert isinstance(doc["tool"]["version"], str) and doc["tool"]["version"]
    assert doc["root"] == "/home/ci/repo"
    assert [f["rule"] for f in doc["findings"]] == ["RCE005", "RCE002"]  # a.py before pkg/
    flow = doc["findings"][1]
    src = findings()[0]
    assert flow["rule_name"] == "remote-unsafe-deserialization"
    assert flow["level"] == "error"
    assert flow["message"] == src.message
    assert flow["location"] == {"path": PKG, "line": 12, "col": 12, "end_line": 12, "end_col": 41}
    assert [s["message"] for s in flow["steps"]] == [s.message for s in src.steps]
    assert flow["steps"][0]["location"]["line"] == 10
    assert flow["fingerprint"] == src.fingerprint and len(flow["fingerprint"]) == 32
    assert flow["context"] == "Client.fetch_model"
    assert flow["source_api"] == "requests.get"
    assert flow["sink_text"] == "pickle.loads(blob)"
    assert flow["statement_lines"] == [12, 13]
    assert flow["notes"] == ["torch is not involved"]
    assert doc["findings"][0]["steps"] == []


def test_notices_and_summary():
    doc = json.loads(render("json", result()))
    assert [n["path"] for n in doc["notices"]] == ["b/old.py", "z/broken.py"]
    assert doc["notices"][0] == {"path": "b/old.py", "line": 4, "kind": "parse", "message": "invalid syntax"}
    s = doc["summary"]
    assert s["files_scanned"] == 9
    assert s["findings"] == 2
    assert s["by_level"] == {"error": 1, "warning": 1, "note": 0}
    assert s["by_rule"]["RCE002"] == 1 and s["by_rule"]["RCE005"] == 1 and s["by_rule"]["RCE001"] == 0
    assert set(s["by_rule"]) >= {"RCE001", "RCE002", "RCE003", "RCE004", "RCE005", "RCE006"}
    assert s["unreadable_files"] == 2 and s["notices"] == 2
    assert (s["suppressed"], s["bare_ignores"], s["baselined"]) == (3, 1, 2)


def test_keys_sorted_and_output_deterministic():
    out = render("json", result())
    assert out == json.dumps(json.loads(out), indent=2, sort_keys=True) + "\n"
    reversed_input = render("json", result(list(reversed(findings()))))
    assert reversed_input == out
    assert render("json", result()) == out


def test_non_ascii_path_round_trips():
    doc = json.loads(render("json", result()))
    assert doc["findings"][1]["location"]["path"] == PKG


def test_clean_result():
    doc = json.loads(render("json", ScanResult(findings=[], notices=[], files_scanned=0)))
    assert doc["findings"] == [] and doc["notices"] == []
    assert doc["summary"]["findings"] == 0
    assert doc["root"] == ""


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError):
        render("xml", result())
