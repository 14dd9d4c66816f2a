"""The GitHub Action's logic (``python -m rceguard.ci``), kept here so it can be tested without GitHub.

One rceguard run writes the SARIF file; everything else is derived from that file, so the
annotations, the job summary and the uploaded alerts always agree:

1. Build the command line from ``RCEGUARD_*`` variables (``action.yml`` passes its inputs through
   ``env:``, never into the script text):

   ============================ ==========================================================
   ``RCEGUARD_PATHS``           files/directories, shell-style quoting (default ``.``)
   ``RCEGUARD_DIFF_BASE``       REF for ``--diff``; empty: the pull request's base commit on
                                ``pull_request``/``pull_request_target`` (``merge_group``: its
                                base), else the whole tree; ``none``: always the whole tree
   ``RCEGUARD_CHANGED_LINES``   ``true``/``false``; ``auto`` or empty: true on pull requests
   ``RCEGUARD_FAIL_ON``         ``--fail-on`` (empty: the configuration's, else ``warning``)
   ``RCEGUARD_BASELINE``        ``--baseline FILE`` (empty: none)
   ``RCEGUARD_SARIF_FILE``      where to write SARIF (default ``rceguard.sarif``)
   ============================ ==========================================================

2. Run rceguard once (in this process) with ``--format sarif -o FILE``.
3. Print one ``::error``/``::warning``/``::notice`` workflow command per result (escaped; GitHub
   shows 10 per type and step, so the job summary lists them all), and a ``::warning`` per file that
   could not be read or parsed.
4. Append a Markdown report to ``$GITHUB_STEP_SUMMARY``: a table of rule, file:line, message and
   flow; text from the scanned code is escaped so it cannot inject Markdown or HTML.
5. Write ``findings`` (count) and ``sarif-file`` to ``$GITHUB_OUTPUT``.
6. Exit with rceguard's status (0 clean, 1 findings at or above fail-on, 2 error).
"""
from __future__ import annotations

import json
import os
import shlex
import sys
import uuid
from typing import Any, Dict, List, Optional, Sequence, TextIO, Tuple
from urllib.parse import unquote

from .report.github import command
from .report.text import clean

PR_EVENTS = ("pull_request", "pull_request_target")
SUMMARY_LIMIT = 900_000  # bytes; GitHub accepts up to 1 MiB per step summary
NOTICE_ROWS = 200
_COMMAND = {"error": "error", "warning": "warning", "note": "notice", "none": "notice"}
# Markdown/HTML syntax in text from the scanned code: entity references are always literal text.
# (``(`` ``)`` ``!`` only matter after ``[``/``]``; ``$`` starts math; ``#``/``@`` references.)
_MD_SPECIAL = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "|": "&#124;", "`": "&#96;", "*": "&#42;",
    "_": "&#95;", "[": "&#91;", "]": "&#93;", "\\": "&#92;", "~": "&#126;", "#": "&#35;", "$": "&#36;",
    "@": "&#64;",
}


class Settings:
    def __init__(self, env: Dict[str, str]) -> None:
        self.env = env
        self.event = env.get("GITHUB_EVENT_NAME", "")
        self.paths = shlex.split(env.get("RCEGUARD_PATHS", "")) or ["."]
        self.sarif_file = env.get("RCEGUARD_SARIF_FILE", "").strip() or "rceguard.sarif"
        self.fail_on = env.get("RCEGUARD_FAIL_ON", "").strip()
        self.baseline = env.get("RCEGUARD_BASELINE", "").strip()
        self.diff_base = self._diff_base(env.get("RCEGUARD_DIFF_BASE", "").strip())
        self.changed_lines, self.changed_lines_note = self._changed_lines(
            env.get("RCEGUARD_CHANGED_LINES", "").strip().lower()
        )

    def _event_payload(self) -> Dict[str, Any]:
        path = self.env.get("GITHUB_EVENT_PATH", "")
        if not path:
            return {}
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _diff_base(self, value: str) -> Optional[str]:
        if value.lower() == "none":
            return None
        if value:
            return value
        payload = self._event_payload()
        if self.event in PR_EVENTS:
            sha = ((payload.get("pull_request") or {}).get("base") or {}).get("sha")
        elif self.event == "merge_group":
            sha = (payload.get("merge_group") or {}).get("base_sha")
        else:
            sha = None
        return sha if isinstance(sha, str) and sha else None

    def _changed_lines(self, value: str) -> Tuple[bool, str]:
        if value in ("", "auto"):
            return self.diff_base is not None and self.event in PR_EVENTS + ("merge_group",), ""
        if value in ("true", "yes", "1", "on"):
            if self.diff_base is None:
                return False, "changed-lines is set but there is no diff base: the whole tree is scanned"
            return True, ""
        if value in ("false", "no", "0", "off"):
            return False, ""
        raise ValueError(f"changed-lines must be true, false or auto, not {value!r}")

    def argv(self) -> List[str]:
        args = ["--format", "sarif", "-o", self.sarif_file, "--no-color"]
        if self.diff_base:
            args += ["--diff", self.diff_base]
        if self.changed_lines:
            args.append("--changed-lines")
        if self.fail_on:
            args += ["--fail-on", self.fail_on]
        if self.baseline:
            args += ["--baseline", self.baseline]
        return args + ["--", *self.paths]


# ---------------------------------------------------------------------------- reading the SARIF


class Result:
    def __init__(self, rule: str, title: str, level: str, message: str, path: str, region: Dict[str, int],
                 snippet: str, steps: List[Tuple[str, int, int, str]]) -> None:
        self.rule, self.title, self.level, self.message = rule, title, level, message
        self.path, self.region, self.snippet, self.steps = path, region, snippet, steps


def _uri_path(loc: Dict[str, Any]) -> Tuple[str, Dict[str, int]]:
    phys = loc.get("physicalLocation") or {}
    uri = (phys.get("artifactLocation") or {}).get("uri", "")
    path = unquote(uri)
    if path.startswith("file://"):
        path = path[len("file://"):]
    return path, phys.get("region") or {}


def read_sarif(path: str) -> Tuple[List[Result], List[Tuple[str, int, str]]]:
    """(results, notices) of the first run. Raises OSError/ValueError when unreadable."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    run = data["runs"][0]
    names = {r.get("id"): r.get("name", "") for r in run.get("tool", {}).get("driver", {}).get("rules", [])}
    results: List[Result] = []
    for res in run.get("results", []):
        rule = res.get("ruleId", "")
        locs = res.get("locations") or [{}]
        file, region = _uri_path(locs[0])
        snippet = ((locs[0].get("physicalLocation") or {}).get("region") or {}).get("snippet", {}).get("text", "")
        steps = []
        for flow in res.get("codeFlows", [])[:1]:
            for tf in flow.get("threadFlows", [])[:1]:
                for item in tf.get("locations", []):
                    loc = item.get("location") or {}
                    spath, sreg = _uri_path(loc)
                    steps.append((spath, sreg.get("startLine", 0), sreg.get("startColumn", 0),
                                  (loc.get("message") or {}).get("text", "")))
        title = f"{rule} {names[rule]}" if names.get(rule) else rule
        results.append(Result(rule, title, res.get("level", "warning"), res.get("message", {}).get("text", ""),
                              file, region, snippet, steps))
    notices = []
    for inv in run.get("invocations", []):
        for n in inv.get("toolExecutionNotifications", []):
            locs = n.get("locations") or [{}]
            npath, nreg = _uri_path(locs[0])
            notices.append((npath, nreg.get("startLine", 0), (n.get("message") or {}).get("text", "")))
    return results, notices


# ---------------------------------------------------------------------------- annotations


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return (lines[0] + (" ..." if len(lines) > 1 else "")) if lines else ""


def annotation(r: Result) -> str:
    lines = [r.message]
    if r.snippet:
        lines.append(f"Sink: {_first_line(r.snippet)}")
    if r.steps:
        lines.append("Flow:")
        lines += [f"  {i}. {p}:{ln}:{col}  {msg}" for i, (p, ln, col, msg) in enumerate(r.steps, 1)]
    props: Dict[str, object] = {"file": r.path}
    for key, name in (("startLine", "line"), ("startColumn", "col"), ("endLine", "endLine"), ("endColumn", "endColumn")):
        if r.region.get(key):
            props[name] = r.region[key]
    props["title"] = r.title
    body = "\n".join(clean(line) for line in "\n".join(lines).splitlines())
    return command(_COMMAND.get(r.level, "warning"), props, body)


def notice_annotation(path: str, line: int, message: str) -> str:
    props: Dict[str, object] = {}
    if path:
        props["file"] = path
        if line:
            props["line"] = line
    return command("warning", props, clean(message))


# ---------------------------------------------------------------------------- job summary


def md(text: str) -> str:
    """Escape text from scanned code for a Markdown table cell (no Markdown, no HTML, one line)."""
    out = []
    for ch in clean(text):
        out.append(_MD_SPECIAL.get(ch, ch))
    return "".join(out)


def summary(results: Sequence[Result], notices: Sequence[Tuple[str, int, str]], settings: Settings,
            status: int) -> str:
    n = len(results)
    head = "## rceguard: " + ("no findings" if n == 0 else f"{n} finding{'s' if n != 1 else ''}")
    parts = [head, ""]
    if settings.diff_base:
        what = "lines changed" if settings.changed_lines else "files changed"
        parts += [f"Only {what} since the merge base with <code>{md(settings.diff_base)}</code> were reported.", ""]
    else:
        parts += ["The whole tree was scanned.", ""]
    if settings.changed_lines_note:
        parts += [f"Note: {md(settings.changed_lines_note)}.", ""]
    parts += [f"Exit status: {status} ({'fails the job' if status else 'passes'}).", ""]
    if results:
        parts += ["| Rule | Location | Message | Flow |", "|---|---|---|---|"]
        size = sum(len(p.encode()) + 1 for p in parts)
        for i, r in enumerate(results):
            loc = f"{r.path}:{r.region.get('startLine', 0)}"
            flow = "<br>".join(
                f"{k}. <code>{md(f'{p}:{ln}')}</code> {md(msg)}" for k, (p, ln, _c, msg) in enumerate(r.steps, 1)
            )
            message = md(r.message)
            if r.snippet:
                message += f"<br><code>{md(_first_line(r.snippet))}</code>"
            row = f"| {md(r.title)} ({md(r.level)}) | <code>{md(loc)}</code> | {message} | {flow} |"
            size += len(row.encode()) + 1
            if size > SUMMARY_LIMIT:
                parts.append("")
                parts.append(f"... and {n - i} more; see the SARIF file <code>{md(settings.sarif_file)}</code>.")
                break
            parts.append(row)
        parts.append("")
    if notices:
        parts.append(f"**{len(notices)} file{'s' if len(notices) != 1 else ''} could not be read or parsed:**")
        parts.append("")
        for path, line, message in list(notices)[:NOTICE_ROWS]:
            parts.append(f"- {md(message)}")
        if len(notices) > NOTICE_ROWS:
            parts.append(f"- ... and {len(notices) - NOTICE_ROWS} more")
        parts.append("")
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------- outputs


def set_outputs(path: str, values: Dict[str, str]) -> None:
    with open(path, "a", encoding="utf-8", newline="\n") as fh:
        for name, value in values.items():
            delim = f"ghadelimiter_{uuid.uuid4().hex}"
            fh.write(f"{name}<<{delim}\n{value}\n{delim}\n")


def run(env: Optional[Dict[str, str]] = None, out: TextIO = sys.stdout) -> int:
    env = dict(os.environ if env is None else env)
    try:
        settings = Settings(env)
    except ValueError as exc:
        out.write(command("error", {"title": "rceguard"}, str(exc)) + "\n")
        return 2
    if settings.changed_lines_note:
        out.write(command("warning", {"title": "rceguard"}, settings.changed_lines_note) + "\n")
    argv = settings.argv()
    out.write("rceguard " + " ".join(shlex.quote(a) for a in argv) + "\n")
    out.flush()

    from .cli import main as rceguard_main

    status = rceguard_main(argv)

    outputs: Dict[str, str] = {}
    results: List[Result] = []
    notices: List[Tuple[str, int, str]] = []
    try:
        if status == 2:  # rceguard failed before writing: a file there now is an old one
            raise FileNotFoundError("rceguard did not write it")
        results, notices = read_sarif(settings.sarif_file)
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        if status != 2:
            out.write(command("error", {"title": "rceguard"}, f"cannot read {settings.sarif_file}: {exc}") + "\n")
            status = 2
    else:
        outputs = {"findings": str(len(results)), "sarif-file": settings.sarif_file}
        for r in results:
            out.write(annotation(r) + "\n")
        for path, line, message in notices:
            out.write(notice_annotation(path, line, message) + "\n")
        n = len(results)
        out.write(f"rceguard: {n} finding{'s' if n != 1 else ''}; SARIF written to {settings.sarif_file}\n")

    step_summary = env.get("GITHUB_STEP_SUMMARY", "")
    if step_summary:
        if status == 2 and not outputs:
            text = "## rceguard: error\n\nrceguard could not run; see the step's log.\n"
        else:
            text = summary(results, notices, settings, status)
        with open(step_summary, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    gh_output = env.get("GITHUB_OUTPUT", "")
    if gh_output and outputs:
        set_outputs(gh_output, outputs)
    out.flush()
    return status


def main() -> int:
    return run()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
