"""Baseline files: ``--write-baseline FILE`` records the current findings, ``--baseline FILE`` hides them.

Findings are matched on :attr:`rceguard.findings.Finding.fingerprint`, a hash of the rule, the sink
call's text with whitespace removed, the qualified name of the enclosing function/class and the
network API the data came from. Line numbers play no part, so moving code (within a file or to
another file) does not bring a finding back, while new code does: a copy of a flagged function
under another name has another fingerprint, and matching is **count-aware**, so a baseline entry
with ``count: 1`` hides one occurrence, not every copy of it. Occurrences in the file the baseline
names are matched first.

A finding is identified by its **sink statement**, wherever it is placed. When only some files are
scanned (pre-commit, ``--diff``) and a sink sits in a helper module that was not given, the finding
is reported at the call in the given file ("…, via run_snippet() (pkg/util.py:2)"); it still has the
fingerprint and ``path`` of the sink, so an entry written by a full scan hides it. One occurrence is
one sink statement: several calls in the given files that reach the same helper sink are one
occurrence, as they are one finding when the helper's file is scanned.

File format (version 1), written with sorted keys, two-space indents, one entry per
(fingerprint, path), entries sorted by path, rule, context, sink and fingerprint, UTF-8, ``\\n``
line ends and a final newline; it holds no dates, versions or line numbers, so rewriting it when
nothing changed gives a byte-identical file, and a change touches only the entries it affects::

    {
      "comment": "...",
      "findings": [
        {
          "context": "plugins.load",          # enclosing function/class, "" at module level
          "count": 1,                         # occurrences hidden by this entry
          "fingerprint": "<32 hex chars>",    # what is matched
          "path": "src/plugins.py",           # the sink's file (informational, preferred match)
          "rule": "RCE001",
          "sink": "exec(code, ns)",           # sink call, whitespace collapsed (informational)
          "source": "requests.get"            # network API, "" when none (informational)
        }
      ],
      "version": 1
    }

Only ``fingerprint`` (and ``count``, default 1) is needed to match; the other fields are there so
a reviewer can read the file.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Dict, Iterable, List, Tuple

from .config import UsageError
from .findings import Finding

FORMAT_VERSION = 1
COMMENT = (
    "rceguard baseline: findings listed here are not reported. They are matched on 'fingerprint' "
    "(rule, sink text, enclosing function, network source), not on line numbers; each entry hides "
    "'count' occurrences. Regenerate with: rceguard --write-baseline FILE"
)
SINK_LIMIT = 200


class BaselineError(UsageError):
    """The baseline file cannot be read or is not a baseline (exit status 2)."""


def _sink(f: Finding) -> str:
    text = " ".join(f.sink.text.split())
    return text if len(text) <= SINK_LIMIT else text[: SINK_LIMIT - 3] + "..."


def occurrence(f: Finding) -> Tuple[str, str, int, int]:
    """What one unit of ``count`` stands for: a sink statement (calls reaching the same helper sink
    from files that were given share it)."""
    loc = f.sink.location
    return (f.fingerprint, loc.path, loc.line, loc.col)


def to_dict(findings: Iterable[Finding]) -> dict:
    groups: Dict[Tuple[str, str], dict] = {}
    seen = set()
    for f in findings:
        occ = occurrence(f)
        if occ in seen:
            continue
        seen.add(occ)
        key = (f.fingerprint, f.sink.location.path)
        entry = groups.get(key)
        if entry is None:
            groups[key] = {
                "context": f.sink.context,
                "count": 1,
                "fingerprint": f.fingerprint,
                "path": f.sink.location.path,
                "rule": f.rule_id,
                "sink": _sink(f),
                "source": f.source_api,
            }
        else:
            entry["count"] += 1
    entries = sorted(
        groups.values(), key=lambda e: (e["path"], e["rule"], e["context"], e["sink"], e["fingerprint"])
    )
    return {"comment": COMMENT, "findings": entries, "version": FORMAT_VERSION}


def dumps(findings: Iterable[Finding]) -> str:
    return json.dumps(to_dict(findings), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline like a shell's ``>`` (atomically for a regular file, see
    :mod:`rceguard.fsutil`); returns the number of occurrences recorded."""
    findings = list(findings)
    text = dumps(findings)
    from .fsutil import write_output

    write_output(path, text, prefix=".rceguard-baseline-", option="--write-baseline")
    return len({occurrence(f) for f in findings})


@dataclasses.dataclass
class Baseline:
    entries: List[Tuple[str, str, int]]  # (fingerprint, path, count)

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.entries)


def loads(text: str, where: str = "baseline") -> Baseline:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{where}: not an rceguard baseline (expected an object with a 'findings' list)")
    version = data.get("version")
    if version != FORMAT_VERSION:
        raise BaselineError(f"{where}: unsupported baseline version {version!r} (expected {FORMAT_VERSION})")
    entries: List[Tuple[str, str, int]] = []
    for i, item in enumerate(data["findings"]):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str) or not item["fingerprint"]:
            raise BaselineError(f"{where}: findings[{i}] has no 'fingerprint' string")
        count = item.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise BaselineError(f"{where}: findings[{i}].count must be a positive integer")
        path = item.get("path", "")
        entries.append((item["fingerprint"], path if isinstance(path, str) else "", count))
    return Baseline(entries)


def read(path: str) -> Baseline:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path} (create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not UTF-8") from None
    return loads(text, path)


def split(findings: Iterable[Finding], baseline: Baseline) -> Tuple[List[Finding], List[Finding]]:
    """(reported, hidden). Each entry hides up to ``count`` occurrences (sink statements, see
    :func:`occurrence`) with its fingerprint, those in the entry's own path first, then anywhere
    (code that moved to another file). Every finding of a hidden occurrence is hidden."""
    findings = sorted(findings, key=lambda f: f.sort_key())
    occurrences: Dict[Tuple[str, str, int, int], List[int]] = {}
    for idx, f in enumerate(findings):
        occurrences.setdefault(occurrence(f), []).append(idx)
    budget: Dict[str, int] = {}
    local: Dict[Tuple[str, str], int] = {}
    for fp, path, count in baseline.entries:
        budget[fp] = budget.get(fp, 0) + count
        local[(fp, path)] = local.get((fp, path), 0) + count
    hidden_occ = set()
    for passno in (0, 1):
        for occ in occurrences:  # in report order (dicts keep insertion order)
            fp, path = occ[0], occ[1]
            if occ in hidden_occ or budget.get(fp, 0) <= 0:
                continue
            if passno == 0:
                if local.get((fp, path), 0) <= 0:
                    continue
                local[(fp, path)] -= 1
            budget[fp] -= 1
            hidden_occ.add(occ)
    hidden_ids = {idx for occ in hidden_occ for idx in occurrences[occ]}
    kept = [f for i, f in enumerate(findings) if i not in hidden_ids]
    hidden = [f for i, f in enumerate(findings) if i in hidden_ids]
    return kept, hidden


def apply(result, baseline: Baseline):  # ScanResult -> ScanResult
    """A copy of ``result`` without the baselined findings, counting them in ``baselined``."""
    kept, hidden = split(result.findings, baseline)
    return dataclasses.replace(result, findings=kept, baselined=result.baselined + len(hidden))
