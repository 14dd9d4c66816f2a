"""SARIF 2.1.0 report (``--format sarif``), shaped for GitHub code scanning.

One run with:

* ``tool.driver``: name, version, semanticVersion (when the version is SemVer),
  no informationUri (no checked home page to name), and all catalogue rules (help text + Markdown, default level, tags,
  precision, ``security-severity`` as a string), always, even when nothing was found;
* ``results`` (``[]`` when clean): ruleId + ruleIndex, level, message, the sink as
  ``locations[0]`` with a URI relative to ``%SRCROOT%`` (percent-encoded, forward slashes)
  and a full region, a content-based ``partialFingerprints["rceguard/v1"]`` (never
  ``primaryLocationLineHash``, which upload-sarif computes itself), and ``codeFlows`` with
  the source-to-sink path when the finding has steps;
* ``columnKind: unicodeCodePoints`` (our columns count code points);
* ``originalUriBaseIds["%SRCROOT%"]`` when the scan root is known;
* ``invocations[0]`` with ``executionSuccessful`` and one ``toolExecutionNotification`` per
  notice (files that could not be read or parsed);
* for findings inside package archives, ``artifacts`` with the archive and its members as nested
  artifacts (see :mod:`rceguard.report.nested`).

:func:`render` is a pure function of the ScanResult; the same input gives the same bytes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Dict, List, Optional
from urllib.parse import quote

from ..findings import Finding, Location, Notice, ScanResult
from ..rules import RULES, Rule
from . import TOOL_NAME, nested, sorted_findings, sorted_notices, tool_version
from .text import first_line

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "rceguard/v1"

_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)

# Notice kinds that mean a file was not analysed at all.
_NOTIFICATION_LEVEL = {"read": "error", "parse": "warning", "config": "warning", "other": "warning"}


# --------------------------------------------------------------------------- locations


def _is_absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def artifact_location(path: str) -> Dict[str, Any]:
    """``artifactLocation`` for a display path: relative, forward slashes, percent-encoded."""
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    if _is_absolute(path):
        # Not under the root: give an absolute file URI without a base id.
        win = PureWindowsPath(path)
        pure = win if win.drive else PurePosixPath(p)
        return {"uri": pure.as_uri()}
    return {"uri": quote(p, safe="/"), "uriBaseId": SRCROOT}


def region(loc: Location) -> Dict[str, int]:
    """All four region fields, 1-based, end column exclusive; repairs unknown ends."""
    start_line = max(1, loc.line)
    start_col = max(1, loc.col)
    end_line = max(start_line, loc.end_line)
    end_col = loc.end_col
    if end_line == start_line:
        if end_col <= start_col:
            end_col = start_col + 1
    elif end_col < 1:
        end_col = 1
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def physical_location(loc: Location, snippet: str = "") -> Dict[str, Any]:
    reg: Dict[str, Any] = region(loc)
    if snippet:
        reg["snippet"] = {"text": snippet}
    return {"physicalLocation": {"artifactLocation": artifact_location(loc.path), "region": reg}}


def root_uri(root: str) -> Optional[str]:
    """``file:`` URI of the scan root with a trailing slash, or None when unusable."""
    if not root:
        return None
    try:
        uri = Path(root).as_uri()
    except ValueError:  # relative path
        return None
    return uri if uri.endswith("/") else uri + "/"


# --------------------------------------------------------------------------- rules


def rule_descriptor(rule: Rule) -> Dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.full},
        "help": {"text": rule.help_text, "markdown": rule.help_markdown},
        "defaultConfiguration": {"level": rule.default_level},
        "properties": {
            "tags": list(rule.tags),
            "precision": rule.precision,
            "security-severity": rule.security_severity,
        },
    }


def _driver() -> Dict[str, Any]:
    version = tool_version()
    driver: Dict[str, Any] = {
        "name": TOOL_NAME,
        "version": version,
        "rules": [rule_descriptor(rule) for rule in RULES.values()],
    }
    if _SEMVER.match(version):
        driver["semanticVersion"] = version
    return driver


# --------------------------------------------------------------------------- results


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def result_message(f: Finding) -> str:
    parts = [_sentence(f.message)]
    parts += [_sentence("Note: " + note.strip()) for note in f.notes if note.strip()]
    return " ".join(p for p in parts if p)


def code_flow(f: Finding) -> Dict[str, Any]:
    locations = [
        {"location": {**physical_location(step.location), "message": {"text": step.message}}}
        for step in f.steps
    ]
    flow: Dict[str, Any] = {"threadFlows": [{"locations": locations}]}
    sink = first_line(f.sink_text)
    if f.source_api and sink:
        flow["message"] = {"text": f"{f.source_api} to {sink}"}
    return flow


def result_object(f: Finding, rule_index: Dict[str, int]) -> Dict[str, Any]:
    res: Dict[str, Any] = {"ruleId": f.rule_id}
    if f.rule_id in rule_index:
        res["ruleIndex"] = rule_index[f.rule_id]
    res["level"] = f.level
    res["message"] = {"text": result_message(f)}
    res["locations"] = [physical_location(f.location, f.sink_text)]
    res["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    if f.steps:
        res["codeFlows"] = [code_flow(f)]
    if f.source_kind:
        from ..knowledge.models import SOURCE_KINDS

        res["properties"] = {"sourceKind": f.source_kind, "sourceKindLabel": SOURCE_KINDS.get(f.source_kind, "")}
    return res


def notification(n: Notice) -> Dict[str, Any]:
    text = f"{n.path}: {n.message}" if n.path else n.message
    note: Dict[str, Any] = {
        "level": _NOTIFICATION_LEVEL.get(n.kind, "warning"),
        "message": {"text": text},
        "descriptor": {"id": f"rceguard/{n.kind or 'other'}"},
    }
    if n.path:
        physical: Dict[str, Any] = {"artifactLocation": artifact_location(nested.notice_location(n.path))}
        if n.line > 0:
            physical["region"] = {"startLine": n.line}
        note["locations"] = [{"physicalLocation": physical}]
    return note


def to_dict(result: ScanResult) -> Dict[str, Any]:
    rule_index = {rule_id: i for i, rule_id in enumerate(RULES)}
    findings = sorted_findings(result)
    results: List[Dict[str, Any]] = [result_object(f, rule_index) for f in findings]
    artifacts = nested.Artifacts(artifact_location)  # findings inside package archives
    nested.rewrite(results, findings, artifacts, region)
    run: Dict[str, Any] = {"tool": {"driver": _driver()}}
    base = root_uri(result.root)
    if base:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base}}
    run["invocations"] = [{
        "executionSuccessful": True,
        "toolExecutionNotifications": [notification(n) for n in sorted_notices(result)],
    }]
    run["columnKind"] = "unicodeCodePoints"
    if artifacts.items:
        run["artifacts"] = artifacts.items
    run["results"] = results
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, sort_keys=False) + "\n"
