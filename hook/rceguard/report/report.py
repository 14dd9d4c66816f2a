"""Per-file triage report (``--format report``): for each file with findings, what static analysis
can state about it, in JSON. Deterministic: the same input gives the same bytes.

Schema (version 1)::

    {
      "version": 1,
      "tool": {"name": "rceguard", "version": "<version>"},
      "files": [                                # one object per file with findings, sorted by path
        {
          "path": "<display path>",
          "purpose": "<first paragraph of the module docstring, else its first comment, else ''>",
          "sources": [{"line": 3, "kind": "network" | "http-request" | "encoded-constant" |
                       "downloaded-file" | "shell-download" | "other", "api": "requests.get",
                       "text": "<where the data comes from>"}],
          "sinks": [{"line": 5, "rule": "RCE001", "runs": "python code" | "deserialized data" |
                     "a downloaded file" | "a shell download cradle" | "an os command", "call": "exec(code)"}],
          "flows": ["<source> (line 3) -> <step> (line 4) -> <sink> (line 5)"],
          "anomalies": ["code fetched and executed with no integrity check", ...],
          "analysis": "<a few sentences built from the findings>",
          "conclusion": "<one or two sentences: the risk, and the signs of intent if any>",
          "obfuscated": 0 | 1,
          "confidence": <0..1>, "securityRisk": <0..1>, "malware": <0..1>
        }
      ],
      "notices": [{"path", "line", "kind", "message"}],
      "summary": {"files_scanned": <int>, "files_with_findings": <int>, "findings": <int>}
    }

Scores (rounded to two decimals; ``findings`` are the file's findings, ``p(rule)`` the rule's
precision as a number: very-high 0.95, high 0.85, medium 0.65, low 0.4; a finding at level ``note``,
i.e. verified by an integrity check, counts a quarter):

* ``confidence`` = 1 - prod(1 - p(rule) * w) over the findings (w = 1, or 0.25 for a note): how
  likely it is that at least one reported flow is real.
* ``securityRisk`` = min(1, max(severity/10 * p(rule) * w) + 0.05 * (unverified findings - 1)),
  severity being the rule's ``security-severity`` (9.3 for RCE001).
* ``malware`` = min(1, sum of the weights of the signs of intent found): obfuscation (an encoded
  payload run, RCE005) 0.35; runs by itself at install time or interpreter start-up 0.25; a
  fetch from or cradle to a raw IP address 0.2; a decoded payload that fetches more code 0.2; a
  shell download cradle 0.1; a downloaded file made executable 0.1. It measures signs of intent
  rather than of a mistake; it is never a verdict.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..findings import Finding, ScanResult
from ..rules import RULES
from . import TOOL_NAME, sorted_findings, sorted_notices, tool_version
from .purpose import purpose_of  # noqa: F401 (re-exported)

FORMAT_VERSION = 1
PRECISION = {"very-high": 0.95, "high": 0.85, "medium": 0.65, "low": 0.4}
NOTE_WEIGHT = 0.25
INTENT_WEIGHTS = {
    "obfuscation": 0.35,
    "runs by itself": 0.25,
    "raw IP address": 0.2,
    "decoded payload fetches more": 0.2,
    "shell download cradle": 0.1,
    "made executable": 0.1,
}
RUNS = {"RCE001": "python code", "RCE002": "deserialized data", "RCE003": "a downloaded file",
        "RCE004": "a shell download cradle", "RCE005": "python code", "RCE006": "an os command"}
_IPV4 = re.compile(r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])")
_DECODER = re.compile(r"decoded by `([A-Za-z_][\w.]*)\(")


# ----------------------------------------------------------------------------- per finding


def _weight(f: Finding) -> float:
    rule = RULES.get(f.rule_id)
    p = PRECISION.get(rule.precision if rule else "medium", 0.65)
    return p * (NOTE_WEIGHT if f.level == "note" else 1.0)


def _severity(f: Finding) -> float:
    rule = RULES.get(f.rule_id)
    try:
        return float(rule.security_severity) / 10 if rule else 0.5
    except ValueError:
        return 0.5


def _source(f: Finding) -> Optional[Dict[str, Any]]:
    if not f.steps:
        return None
    first = f.steps[0]
    msg = first.message
    if f.rule_id == "RCE005":
        kind = "encoded-constant"
    elif f.rule_id == "RCE004" and not f.source_api:
        kind = "shell-download"
    elif "HTTP request" in f.message:
        kind = "http-request"
    elif f.rule_id == "RCE003":
        kind = "downloaded-file"
    elif f.source_api or "network" in msg:
        kind = "network"
    else:
        kind = "other"
    return {"line": first.location.line, "kind": kind, "api": f.source_api, "text": msg}


_CODEC_ARG = re.compile(r"decode\([^,]*,\s*[\"']([\w-]+)")
_LABELS = {"b64decode": "base64", "b32decode": "base32", "b16decode": "hex", "b85decode": "base85",
           "a85decode": "ascii85", "urlsafe_b64decode": "base64", "a2b_base64": "base64", "unhexlify": "hex",
           "a2b_hex": "hex", "fromhex": "hex", "decompress": "", "loads": ""}


def _decoder_label(message: str, name: str) -> str:
    mod, _, func = name.rpartition(".")
    if func == "decode" and mod in ("codecs", ""):
        m = _CODEC_ARG.search(message)
        return m.group(1).lower().replace("_codec", "") if m else "a codec"
    label = _LABELS.get(func)
    if label == "" or label is None:
        return mod.split(".")[0] or func
    return label


def _decoders(f: Finding) -> List[str]:
    """The decoders a payload goes through, in order: ``["base64", "zlib"]``."""
    out: List[str] = []
    for s in f.steps:
        labels = [_decoder_label(s.message, n) for n in _DECODER.findall(s.message)]
        if not labels and "decoded by" in s.message and "chr" in s.message:
            labels = ["chr codes"]
        for label in labels:
            if label and label not in out:
                out.append(label)
    return out


def _signs(findings: Sequence[Finding]) -> Tuple[List[str], List[str]]:
    """(anomalies in words, signs of intent by INTENT_WEIGHTS key)."""
    anomalies: List[str] = []
    signs: List[str] = []

    def add(text: str, sign: str = "") -> None:
        if text not in anomalies:
            anomalies.append(text)
        if sign and sign not in signs:
            signs.append(sign)

    for f in findings:
        words = " ".join([f.message, f.sink_text] + [s.message for s in f.steps])
        unverified = f.level != "note"
        if f.rule_id in ("RCE001", "RCE003", "RCE006") and unverified:
            add("code fetched and executed with no integrity check")
        if f.rule_id == "RCE002" and unverified:
            add("network data deserialized with no integrity check")
        if f.rule_id == "RCE004":
            add("shell download cradle: a script fetched and piped into an interpreter", "shell download cradle")
        if f.rule_id == "RCE005":
            chain = _decoders(f)
            add(f"payload hidden by {'+'.join(chain) if chain else 'an encoding'}", "obfuscation")
            if re.search(r"\b(fetch|download|network|urlopen|curl|wget)", f.message, re.I):
                add("the decoded payload fetches more code", "decoded payload fetches more")
        if "runs at install time" in f.message:
            add("runs at install time", "runs by itself")
        if "every interpreter start-up" in f.message:
            add("runs at every interpreter start-up", "runs by itself")
        if "same origin is not an integrity check" in words:
            add("integrity check compares with a digest from the same server")
        if any(s.message.startswith("made executable") for s in f.steps):
            add("downloaded file made executable", "made executable")
        ips = sorted(set(_IPV4.findall(words)))
        if ips:
            add(f"fetches from a raw IP address ({', '.join(ips)})", "raw IP address")
    return anomalies, signs


def _flow_words(f: Finding) -> str:
    parts = [f"{s.message} (line {s.location.line})" for s in f.steps]
    if not parts:
        parts = [f"{f.message} (line {f.location.line})"]
    return " -> ".join(parts)


def file_report(path: str, findings: Sequence[Finding], purpose: str) -> Dict[str, Any]:
    findings = sorted(findings, key=lambda f: f.sort_key())
    sources: List[Dict[str, Any]] = []
    for f in findings:
        s = _source(f)
        if s is not None and s not in sources:
            sources.append(s)
    sinks: List[Dict[str, Any]] = []
    for f in findings:
        call = f.sink_text.strip().splitlines()[0] if f.sink_text.strip() else ""
        entry = {"line": f.location.line, "rule": f.rule_id, "runs": RUNS.get(f.rule_id, "code"), "call": call}
        if entry not in sinks:
            sinks.append(entry)
    anomalies, signs = _signs(findings)
    unverified = [f for f in findings if f.level != "note"]
    miss = 1.0
    for f in findings:
        miss *= 1 - _weight(f)
    confidence = 1 - miss
    risk = max((_severity(f) * _weight(f) for f in findings), default=0.0)
    risk = min(1.0, risk + 0.05 * max(0, len(unverified) - 1))
    malware = min(1.0, sum(INTENT_WEIGHTS[s] for s in signs))
    obfuscated = 1 if "obfuscation" in signs else 0
    return {
        "path": path,
        "purpose": purpose,
        "sources": sources,
        "sinks": sinks,
        "flows": [_flow_words(f) for f in findings],
        "anomalies": anomalies,
        "analysis": _analysis(findings),
        "conclusion": _conclusion(unverified, signs, risk),
        "obfuscated": obfuscated,
        "confidence": round(confidence, 2),
        "securityRisk": round(risk, 2),
        "malware": round(malware, 2),
    }


def _analysis(findings: Sequence[Finding]) -> str:
    n = len(findings)
    verified = sum(1 for f in findings if f.level == "note")
    head = f"{n} flow{'s' if n != 1 else ''} into execution"
    if verified:
        head += f", {verified} of {'them' if n != 1 else 'it'} verified by an integrity check"
    sentences = [head + "."]
    for f in findings[:5]:
        first = f.message.split(". ")[0].rstrip(".")
        sentences.append(f"Line {f.location.line} ({f.rule_id}): {first}.")
    if n > 5:
        sentences.append(f"{n - 5} more flow{'s' if n - 5 != 1 else ''} of the same kind.")
    return " ".join(sentences)


def _conclusion(unverified: Sequence[Finding], signs: Sequence[str], risk: float) -> str:
    if not unverified:
        text = "Every flow found is verified before it runs; review the checks, low risk."
    else:
        level = "High" if risk >= 0.7 else "Moderate" if risk >= 0.4 else "Low"
        rules = sorted({f.rule_id for f in unverified})
        text = (f"{level} risk: outside data reaches execution without an integrity check "
                f"({', '.join(rules)}); whoever controls the source can run code here.")
    if signs:
        text += f" Signs of intent rather than of a mistake: {', '.join(signs)} (a measure, not a verdict)."
    elif unverified:
        text += " No sign of deliberate hiding: more likely a risky design than malware."
    return text


def to_dict(result: ScanResult) -> Dict[str, Any]:
    by_path: Dict[str, List[Finding]] = {}
    for f in sorted_findings(result):
        by_path.setdefault(f.location.path, []).append(f)
    purposes = getattr(result, "purposes", {}) or {}
    files = [file_report(p, fs, purposes.get(p, "")) for p, fs in sorted(by_path.items())]
    return {
        "version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version()},
        "files": files,
        "notices": [{"path": n.path, "line": n.line, "kind": n.kind, "message": n.message}
                    for n in sorted_notices(result)],
        "summary": {"files_scanned": result.files_scanned, "files_with_findings": len(files),
                    "findings": len(result.findings)},
    }


def render(result: ScanResult) -> str:
    return json.dumps(to_dict(result), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
