"""The GitHub Action's logic (``python -m rceguard.ci``), kept here so it can be tested without GitHub.

One scan of the **whole tree** feeds everything:

1. Read the inputs from ``RCEGUARD_*`` variables (``action.yml`` passes its inputs through ``env:``,
   never into the script text) and check them:

   ============================ ==========================================================
   ``RCEGUARD_PATHS``           files/directories, shell-style quoting (default ``.``)
   ``RCEGUARD_DIFF_BASE``       the revision the pull request is compared with; empty: the pull
                                request's base commit on ``pull_request``/``pull_request_target``
                                (``merge_group``: its base), else none; ``none``: never compare
   ``RCEGUARD_CHANGED_LINES``   ``true``/``false``; ``auto`` or empty: true on pull requests
   ``RCEGUARD_FAIL_ON``         ``error``/``warning``/``note``/``never`` (empty: the configuration's,
                                else ``warning``)
   ``RCEGUARD_BASELINE``        a file written by ``--write-baseline`` (empty: none)
   ``RCEGUARD_SARIF_FILE``      where to write SARIF (default ``rceguard.sarif``)
   ============================ ==========================================================

2. Scan the whole tree once and write its SARIF: code scanning compares a pull request's analysis
   with the base branch's, so an analysis of the changed lines only would make every other alert
   look fixed.
3. With a diff base, keep for everything else only what the change touches: findings whose sink or
   a flow step is in a changed file (with ``changed-lines``: on an added or modified line), the
   same filter as ``--diff``/``--changed-lines`` applied to the one scan's results.
4. Print one ``::error``/``::warning``/``::notice`` workflow command per kept finding (placed on
   the changed part of its flow) and a ``::warning`` per changed file that could not be read.
5. Append a Markdown report to ``$GITHUB_STEP_SUMMARY``: what was compared (the base branch by name),
   how many files were scanned and changed (also when none), the findings most severe first with
   links to the file and line at the analysed commit, code as code, the rule page and the fix.
   Text from the scanned code is escaped so it cannot inject Markdown or HTML.
6. Write ``findings`` (count kept) and ``sarif-file`` to ``$GITHUB_OUTPUT``.
7. Exit 1 when a kept finding is at or above ``fail-on``, else 0. When the action cannot do its job
   (bad input, shallow checkout, missing path, unreadable baseline or configuration) it prints an
   ``::error title=rceguard::`` annotation and a job summary section, both naming the action's
   input and the fix, writes no outputs (so the upload step is skipped) and exits 2.
"""
from __future__ import annotations

import dataclasses
import os
import re
import shlex
import sys
import uuid
from typing import Any, Dict, List, Optional, TextIO, Tuple
from urllib.parse import quote

from .report.github import command, finding_command, notice_command
from .report.text import clean

PR_EVENTS = ("pull_request", "pull_request_target")
FAIL_ON = ("error", "warning", "note", "never")
SUMMARY_LIMIT = 900_000  # bytes; GitHub accepts up to 1 MiB per step summary
NOTICE_ROWS = 200
SEVERITY = {"error": 0, "warning": 1, "note": 2}
SHALLOW_FIX = "check out with history: `actions/checkout` with `fetch-depth: 0`"
# Markdown/HTML syntax in text from the scanned code: entity references are always literal text.
# (``(`` ``)`` ``!`` only matter after ``[``/``]``; ``$`` starts math; ``#``/``@`` references.)
_MD_SPECIAL = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "|": "&#124;", "`": "&#96;", "*": "&#42;",
    "_": "&#95;", "[": "&#91;", "]": "&#93;", "\\": "&#92;", "~": "&#126;", "#": "&#35;", "$": "&#36;",
    "@": "&#64;",
}
_SAFE_URL_PART = re.compile(r"^[A-Za-z0-9._:/@-]+$")


class ActionError(Exception):
    """The action cannot do its job: ``message`` names the input, ``fix`` says what to change."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


class Settings:
    def __init__(self, env: Dict[str, str]) -> None:
        self.env = env
        self.event = env.get("GITHUB_EVENT_NAME", "")
        try:
            self.paths = shlex.split(env.get("RCEGUARD_PATHS", "")) or ["."]
        except ValueError as exc:
            raise ActionError(f"`paths` cannot be read: {exc}", "close the quote, or quote names with spaces") from None
        self.sarif_file = env.get("RCEGUARD_SARIF_FILE", "").strip() or "rceguard.sarif"
        self.fail_on = env.get("RCEGUARD_FAIL_ON", "").strip().lower()
        if self.fail_on and self.fail_on not in FAIL_ON:
            raise ActionError(
                f"`fail-on` must be error, warning, note or never, not {env.get('RCEGUARD_FAIL_ON', '').strip()!r}",
                "set `fail-on:` to one of those, or leave it empty to use fail-on from [tool.rceguard]",
            )
        self.baseline = env.get("RCEGUARD_BASELINE", "").strip()
        self.diff_base_input = env.get("RCEGUARD_DIFF_BASE", "").strip()
        self.diff_base = self._diff_base(self.diff_base_input)
        self.changed_lines, self.changed_lines_note = self._changed_lines(
            env.get("RCEGUARD_CHANGED_LINES", "").strip().lower()
        )

    def _event_payload(self) -> Dict[str, Any]:
        import json

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
                return False, "changed-lines is set but there is no diff base: the whole tree is reported"
            return True, ""
        if value in ("false", "no", "0", "off"):
            return False, ""
        raise ActionError(f"`changed-lines` must be true, false or auto, not {value!r}",
                          "set `changed-lines:` to true, false or auto (the default)")

    @property
    def base_name(self) -> str:
        """The compared base as people know it: the pull request's base branch (GITHUB_BASE_REF)
        when the base is the pull request's, else the ``diff-base`` input as given."""
        if not self.diff_base_input and self.env.get("GITHUB_BASE_REF", "").strip():
            return self.env["GITHUB_BASE_REF"].strip()
        return self.diff_base or ""

    def blob_url(self, path: str, line: int) -> str:
        """Link to ``path`` at ``line`` in the analysed commit, or "" without the runner's variables."""
        server = self.env.get("GITHUB_SERVER_URL", "").strip().rstrip("/")
        repo = self.env.get("GITHUB_REPOSITORY", "").strip()
        sha = self.env.get("GITHUB_SHA", "").strip()
        if not (server.startswith(("https://", "http://")) and _SAFE_URL_PART.match(server)
                and re.fullmatch(r"[\w.-]+/[\w.-]+", repo) and re.fullmatch(r"[0-9a-fA-F]{7,64}", sha)):
            return ""
        if os.path.isabs(path) or path.startswith("../"):
            return ""
        return f"{server}/{repo}/blob/{sha}/{quote(path, safe='/')}" + (f"#L{line}" if line > 0 else "")


# ---------------------------------------------------------------------------- the scan


@dataclasses.dataclass
class Outcome:
    full: Any  # ScanResult of the whole tree (the SARIF)
    shown: Any  # ScanResult limited to what the change touches (annotations, summary, exit status)
    changed: Optional[List[str]]  # scanned files the change touches; None: no diff base
    fail_on: str
    status: int


def _explain_git(exc: Exception, settings: Settings) -> ActionError:
    text = str(exc)
    for prefix in ("--diff: ", "--diff/--staged "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    name = "`diff-base`" if settings.diff_base_input else "`diff-base` (empty: the pull request's base commit)"
    if "not a git repository" in text:
        return ActionError(f"{name}: the working directory is not a git checkout ({text})",
                           "run `actions/checkout` before this action, or set `diff-base: none`")
    if "fetch-depth" in text or "no common ancestor" in text or "shallow" in text:
        text = text.replace("; fetch more history, e.g. actions/checkout with fetch-depth: 0", "")
        text = text.replace(" (not a branch, tag or commit in this repository)", " (not in this clone)")
        return ActionError(f"{name}: {text}; the clone is shallow or misses the base", SHALLOW_FIX)
    if "unknown revision" in text:
        return ActionError(f"{name}: {text}",
                           "give a branch, tag or commit that exists in the clone; " + SHALLOW_FIX)
    return ActionError(f"{name}: {text}", SHALLOW_FIX)


def analyse(settings: Settings) -> Outcome:
    """The one scan and everything derived from it. Raises :class:`ActionError`."""
    from . import baseline as baseline_mod
    from .config import load_config
    from .errors import UsageError
    from .fsutil import check_writable, write_output
    from .report import render
    from .scan import common_dir, fails, real_key, scan

    try:
        config = load_config(None, common_dir(settings.paths))
    except UsageError as exc:
        raise ActionError(f"configuration: {exc}", "fix [tool.rceguard] in pyproject.toml") from None
    if settings.fail_on:
        config = config.with_overrides(fail_on=settings.fail_on)
    try:
        check_writable(settings.sarif_file, "`sarif-file`")  # before the scan: fail fast
    except UsageError as exc:
        raise ActionError(str(exc), "give a file name in an existing folder of the workspace") from None
    changeset = None
    if settings.diff_base:
        from .changes import GitError, collect

        try:
            changeset = collect(settings.paths, diff=settings.diff_base)
        except GitError as exc:
            raise _explain_git(exc, settings) from None
    base = None
    if settings.baseline:
        try:
            base = baseline_mod.read(settings.baseline)
        except UsageError as exc:
            raise ActionError(f"`baseline`: {exc}",
                              "commit a file written by `rceguard --write-baseline FILE`, or leave `baseline` empty") from None
    try:
        full = scan(settings.paths, config)
    except UsageError as exc:
        raise ActionError(f"`paths`: {exc}",
                          "paths are relative to the repository root; separate them with spaces or new "
                          "lines and quote names with spaces") from None
    if base is not None:
        full = baseline_mod.apply(full, base)
    try:
        # no absolute path of the runner in the report (like the CLI without --show-root)
        write_output(settings.sarif_file, render("sarif", dataclasses.replace(full, root="")), option="`sarif-file`")
    except UsageError as exc:
        raise ActionError(str(exc), "give a file name in an existing folder of the workspace") from None

    shown, changed = full, None
    if changeset is not None:
        root = full.root or os.getcwd()
        changed = [p for p in full.scanned if real_key(os.path.join(root, p)) in changeset.files]
        in_change = set(changed)
        if settings.changed_lines:
            keep = [f for f in full.findings if changeset.on_changed_lines(f, root)]
        else:
            keep = [f for f in full.findings
                    if f.location.path in in_change or any(s.location.path in in_change for s in f.steps)]
        notices = [n for n in full.notices if n.path and real_key(os.path.join(root, n.path)) in changeset.files]
        shown = dataclasses.replace(full, findings=keep, notices=notices)
        shown = dataclasses.replace(shown, findings=[_placed(f, changeset, root, settings, in_change) for f in keep])
    status = 1 if fails(shown, config.fail_on) else 0
    return Outcome(full, shown, changed, config.fail_on, status)


def _placed(f, changeset, root: str, settings: Settings, in_change: set):
    """The finding for an annotation on the pull request: at its sink when the change touches the
    sink, else at the last step of its flow that the change touches (the sink is then named)."""
    def touched(loc) -> bool:
        if settings.changed_lines:
            return changeset.touches(loc, root)
        return loc.path in in_change

    if touched(f.location):
        return f
    for step in reversed(f.steps):
        if touched(step.location):
            where = f"{f.location.path}:{f.location.line}"
            return dataclasses.replace(f, location=step.location, message=f"{f.message} The sink is at {where}.")
    return f


# ---------------------------------------------------------------------------- job summary


def md(text: str) -> str:
    """Escape text from scanned code for a Markdown table cell (no Markdown, no HTML, one line)."""
    return "".join(_MD_SPECIAL.get(ch, ch) for ch in clean(text))


def md_code(text: str) -> str:
    """Like :func:`md`, with each backtick span of our messages shown as code."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: show it literally
        return md(text)
    return "".join(md(p) if i % 2 == 0 else f"<code>{md(p)}</code>" for i, p in enumerate(parts))


def _link(settings: Settings, path: str, line: int) -> str:
    label = f"<code>{md(f'{path}:{line}' if line else path)}</code>"
    url = settings.blob_url(path, line)
    return f'<a href="{url}">{label}</a>' if url else label


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(outcome: Outcome, settings: Settings) -> str:
    from .rules import RULES

    shown, full = outcome.shown, outcome.full
    findings = sorted(shown.findings, key=lambda f: (SEVERITY.get(f.level, 3), f.sort_key()))
    n = len(findings)
    parts: List[str] = ["## rceguard: " + ("no findings" if n == 0 else _plural(n, "finding")), ""]
    where = "of the whole tree" if settings.paths == ["."] else "under <code>paths</code>"
    scanned = f"Scanned {_plural(full.files_scanned, 'file')} {where}"
    sarif = f"the SARIF for code scanning (<code>{md(settings.sarif_file)}</code>) holds all {_plural(len(full.findings), 'finding')}"
    if outcome.changed is None:
        parts += [f"{scanned}; {sarif}.", ""]
    else:
        base = f"<code>{md(settings.base_name)}</code>"
        what = "lines it adds or modifies" if settings.changed_lines else "files it changes"
        parts += [f"{scanned}; {sarif}. Compared with {base}: "
                  f"**{_plural(len(outcome.changed), 'scanned file')} changed**; listed here: findings on the {what}.", ""]
        if not outcome.changed:
            parts += ["Nothing rceguard scans was changed, so there is nothing to report for this change.", ""]
    if settings.changed_lines_note:
        parts += [f"Note: {md(settings.changed_lines_note)}.", ""]
    verdict = "fails the job" if outcome.status else "passes"
    parts += [f"Result: {verdict} (<code>fail-on: {md(outcome.fail_on)}</code>).", ""]
    if findings:
        parts += ["| Level | Rule | Location | Finding |", "|---|---|---|---|"]
        size = sum(len(p.encode()) + 1 for p in parts)
        for i, f in enumerate(findings):
            rule = RULES.get(f.rule_id)
            cell = [md_code(f.message)]
            if f.sink_text:
                first = next((ln.strip() for ln in f.sink_text.splitlines() if ln.strip()), "")
                cell.append(f"<code>{md(first)}</code>")
            if f.steps:
                cell.append("Flow: " + " ".join(
                    f"{k}. {_link(settings, s.location.path, s.location.line)} {md_code(s.message)}"
                    for k, s in enumerate(f.steps, 1)))
            if rule is not None and rule.fix_hint:
                cell.append(f"Fix: {md_code(rule.fix_hint)}")
            cell.append(f"More: <code>rceguard rule {md(f.rule_id)}</code>")
            title = f"{f.rule_id} {rule.name}" if rule else f.rule_id
            row = (f"| {md(f.level)} | {md(title)} | {_link(settings, f.location.path, f.location.line)} | "
                   + "<br>".join(cell) + " |")
            size += len(row.encode()) + 1
            if size > SUMMARY_LIMIT:
                parts.append("")
                parts.append(f"... and {n - i} more; see the SARIF file <code>{md(settings.sarif_file)}</code>.")
                break
            parts.append(row)
        parts.append("")
    notices = list(shown.notices)
    if notices:
        parts.append(f"**{_plural(len(notices), 'file')} could not be read or parsed:**")
        parts.append("")
        for notice in notices[:NOTICE_ROWS]:
            parts.append(f"- {_link(settings, notice.path, notice.line)}: {md(notice.message)}")
        if len(notices) > NOTICE_ROWS:
            parts.append(f"- ... and {len(notices) - NOTICE_ROWS} more")
        parts.append("")
    return "\n".join(parts) + "\n"


def error_summary(exc: ActionError) -> str:
    lines = ["## rceguard: error", "", f"**{md_code(exc.message)}**", ""]
    if exc.fix:
        lines += [f"Fix: {md_code(exc.fix)}.", ""]
    lines += ["Nothing was uploaded to code scanning; the step fails with exit status 2.", ""]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- outputs


def set_outputs(path: str, values: Dict[str, str]) -> None:
    with open(path, "a", encoding="utf-8", newline="\n") as fh:
        for name, value in values.items():
            delim = f"ghadelimiter_{uuid.uuid4().hex}"
            fh.write(f"{name}<<{delim}\n{value}\n{delim}\n")


def _append(path: str, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8", newline="\n") as fh:
            fh.write(text)


def _fail(exc: ActionError, env: Dict[str, str], out: TextIO) -> int:
    text = exc.message + (f". Fix: {exc.fix}." if exc.fix else "")
    out.write(command("error", {"title": "rceguard"}, clean(text)) + "\n")
    out.flush()
    _append(env.get("GITHUB_STEP_SUMMARY", ""), error_summary(exc))
    return 2


def run(env: Optional[Dict[str, str]] = None, out: TextIO = sys.stdout) -> int:
    env = dict(os.environ if env is None else env)
    try:
        settings = Settings(env)
        if settings.changed_lines_note:
            out.write(command("warning", {"title": "rceguard"}, settings.changed_lines_note) + "\n")
        what = f"; changes since {settings.base_name}" if settings.diff_base else ""
        out.write(f"rceguard: scanning {' '.join(shlex.quote(p) for p in settings.paths)} (whole tree{what})\n")
        out.flush()
        outcome = analyse(settings)
    except ActionError as exc:
        return _fail(exc, env, out)
    except Exception as exc:  # never a traceback in the job log
        return _fail(ActionError(f"internal error: {' '.join(f'{type(exc).__name__}: {exc}'.split())}",
                                 "please report it with the step's log"), env, out)

    shown = outcome.shown
    for f in sorted(shown.findings, key=lambda f: (SEVERITY.get(f.level, 3), f.sort_key())):
        out.write(finding_command(f) + "\n")
    for notice in shown.notices:
        out.write(notice_command(notice) + "\n")
    n, total = len(shown.findings), len(outcome.full.findings)
    scope = "" if outcome.changed is None else f" in this change ({_plural(len(outcome.changed), 'changed file')})"
    out.write(f"rceguard: {_plural(n, 'finding')}{scope}; SARIF of the whole tree ({_plural(total, 'finding')}) "
              f"written to {settings.sarif_file}\n")
    _append(env.get("GITHUB_STEP_SUMMARY", ""), summary(outcome, settings))
    gh_output = env.get("GITHUB_OUTPUT", "")
    if gh_output:
        set_outputs(gh_output, {"findings": str(n), "sarif-file": settings.sarif_file})
    out.flush()
    return outcome.status


def main() -> int:
    return run()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
