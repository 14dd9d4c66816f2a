"""Plain JSON report (``--format json``).

The output is one JSON object, keys sorted, findings in report order (path, line, column,
rule), notices sorted by path. ``version`` is the version of this format and changes only
when a field is removed or changes meaning; new fields may be added at any time.

Schema (version 1)::

    {
      "version": 1,
      "tool": {"name": "rceguard", "version": "<rceguard version>"},
      "root": "<absolute directory the paths are relative to with --show-root, else empty>",
      "findings": [
        {
          "rule": "RCE001",                  # rule id, see `rceguard rule`
          "rule_name": "remote-code-exec",   # empty for an id not in the catalogue
          "level": "error",                  # "error" | "warning" | "note"
          "message": "<one or more sentences>",
          "location": <location>,            # the sink call
          "steps": [                         # source -> ... -> sink, possibly empty
            {"location": <location>, "message": "<what happens here>"}
          ],
          "fingerprint": "<32 hex chars>",   # content-based; stable when code moves
          "context": "<enclosing function/class qualified name, empty at module level>",
          "source_api": "<network API the data came from, e.g. requests.get, or empty>",
          "source_kind": "<kind of outside data, e.g. llm-completion (see `rceguard models`), or empty>",
          "sink_text": "<source text of the sink call>",
          "statement_lines": [<first line>, <last line>],
          "notes": ["<extra remark>", ...]
        }
      ],
      "notices": [   # files that could not be read or parsed, and other non-fatal problems
        {"path": "<path>", "line": <int, 0 if unknown>, "kind": "read" | "parse" | "config" | "other",
         "message": "<text>"}
      ],
      "summary": {
        "files_scanned": <int>,
        "prescan_skipped": <int>,                 # of those, ruled out by the byte-level pre-scan, never analysed
        "findings": <int>,
        "by_level": {"error": <int>, "warning": <int>, "note": <int>},
        "by_rule": {"RCE001": <int>, ...},        # every catalogue rule, plus any other id seen
        "unreadable_files": <int>,                # distinct paths with a read/parse notice
        "notices": <int>,
        "suppressed": <int>,                      # hidden by inline ignore comments
        "bare_ignores": <int>,                    # of those, by an ignore without rule ids
        "baselined": <int>                        # hidden by --baseline
      }
    }

    <location> = {"path": "<relative, forward slashes>", "line": <int>, "col": <int>,
                  "end_line": <int>, "end_col": <int>,
                  "label": "cell 3:2:5"}     # only in notebooks: cell, its line, column; line/col
                                             # are then those of the raw .ipynb file

Lines and columns are 1-based; columns count Unicode code points; ``end_col`` is exclusive.
"""
from __future__ import annotations

import json
from typing import Any, Dict

from ..findings import Finding, Location, Notice, ScanResult
from ..rules import RULES
from . import TOOL_NAME, sorted_findings, sorted_notices, tool_version
from .text import READ_PARSE_KINDS, level_counts

FORMAT_VERSION = 1


def location_dict(loc: Location) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "path": loc.path,
        "line": loc.line,
        "col": loc.col,
        "end_line": loc.end_line,
        "end_col": loc.end_col,
    }
    if loc.label:
        out["label"] = loc.label
    return out


def finding_dict(f: Finding) -> Dict[str, Any]:
    rule = RULES.get(f.rule_id)
    return {
        "rule": f.rule_id,
        "rule_name": rule.name if rule else "",
        "level": f.level,
        "message": f.message,
        "location": location_dict(f.location),
        "steps": [{"location": location_dict(s.location), "message": s.message} for s in f.steps],
        "fingerprint": f.fingerprint,
        "context": f.context,
        "source_api": f.source_api,
        "source_kind": f.source_kind,
        "sink_text": f.sink_text,
        "statement_lines": list(f.statement_lines),
        "notes": list(f.notes),
    }


def notice_dict(n: Notice) -> Dict[str, Any]:
    return {"path": n.path, "line": n.line, "kind": n.kind, "message": n.message}


def to_dict(result: ScanResult) -> Dict[str, Any]:
    findings = sorted_findings(result)
    by_rule = {rule_id: 0 for rule_id in RULES}
    for f in findings:
        by_rule[f.rule_id] = by_rule.get(f.rule_id, 0) + 1
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "root": result.root,
        "findings": [finding_dict(f) for f in findings],
        "notices": [notice_dict(n) for n in sorted_notices(result)],
        "summary": {
            "files_scanned": result.files_scanned,
            "prescan_skipped": getattr(result, "prescan_skipped", 0),
            "findings": len(findings),
            "by_level": level_counts(findings),
            "by_rule": by_rule,
            "unreadable_files": len({n.path for n in result.notices if n.kind in READ_PARSE_KINDS}),
            "notices": len(result.notices),
            "suppressed": result.suppressed,
            "bare_ignores": result.bare_ignores,
            "baselined": result.baselined,
        },
    }


def render(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, sort_keys=True) + "\n"
