"""Command line: ``rceguard [PATH ...]`` and ``rceguard rule [ID]``.

Exit status: 0 when no finding is at or above ``--fail-on`` (default ``warning``), 1 when one is,
2 for a usage error, a bad configuration, a missing path or an internal error. Files that cannot
be read or parsed are reported as notices and do not change the exit status, unless ``--strict``
is given (then they make it 1).

Imports are lazy: ``--version`` loads nothing beyond argparse; a scan loads the flow engine only
when a file needs analysis, gitpython only for --diff/--staged, and only the chosen reporter.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import List, NoReturn, Optional, Sequence, TextIO

from . import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

FORMATS = ("text", "json", "sarif", "github", "report")  # report: per-file triage (report/report.py)
FAIL_ON = ("error", "warning", "note", "never")


class _ArgError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors to the caller instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise _ArgError(message)


def _lower(value: str) -> str:
    """Choices are case-insensitive (``--fail-on ERROR``), like rule ids and the configuration."""
    return value.strip().lower()


def _scan_parser() -> _Parser:
    p = _Parser(
        prog="rceguard",
        description="Find network data reaching code execution in Python code.",
        epilog=(
            "Run `rceguard rule` for the rule catalogue and `rceguard rule ID` for one rule. "
            "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or internal error."
        ),
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to scan (default: .)")
    p.add_argument("--format", choices=FORMATS, type=_lower, default="text", help="output format (default: text)")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout (`-`: stdout)"
    )
    p.add_argument("--select", metavar="IDS", help="comma-separated rule ids or prefixes to report (e.g. RCE001,RCE00)")
    p.add_argument("--ignore", metavar="IDS", help="comma-separated rule ids or prefixes not to report")
    p.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        type=_lower,
        default=None,
        help="lowest finding level that makes the exit status 1 (default: warning, or fail-on in the config)",
    )
    p.add_argument("--config", metavar="FILE", help="read [tool.rceguard] from this TOML file")
    p.add_argument("--no-color", action="store_true", help="never colour the text output")
    p.add_argument(
        "--show-root",
        action="store_true",
        help="put the absolute path of the scan root in the report (JSON root, SARIF originalUriBaseIds); "
        "by default reports hold only relative paths",
    )
    p.add_argument("--version", action="store_true", help="print the version and exit")
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for reading and pre-scanning files (default or 0: number of CPUs; "
        "small runs, such as a pre-commit batch, stay in one process); the report is the same for any N",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit status 1 also when a file could not be read, parsed or analysed (default: such "
        "files are reported as notices and only findings decide the exit status)",
    )
    p.add_argument(
        "--no-prescan",
        action="store_true",
        help="analyse every file fully instead of skipping the ones a byte-level pre-scan rules out "
        "(slower; the findings are the same unless the pre-scan has a bug)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the result cache (default: .rceguard_cache/ at the project root)",
    )
    p.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="keep the result cache in DIR (default: $RCEGUARD_CACHE_DIR, else .rceguard_cache/ at the project root)",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress line and, with -o FILE, no summary line on stderr",
    )
    changes = p.add_argument_group("changes and baseline")
    changes.add_argument(
        "--diff",
        metavar="REF",
        help="only files changed between merge-base(REF, HEAD) and the working tree (needs git history)",
    )
    changes.add_argument(
        "--staged", action="store_true", help="only files staged in the index, analysed as staged"
    )
    changes.add_argument(
        "--changed-lines",
        action="store_true",
        help="with --diff/--staged: only findings whose sink or a flow step is on an added or modified line",
    )
    changes.add_argument("--baseline", metavar="FILE", help="hide the findings recorded in FILE")
    changes.add_argument(
        "--write-baseline", metavar="FILE", help="record the findings of this run in FILE (then hide them)"
    )
    return p


def _rule_parser() -> _Parser:
    p = _Parser(prog="rceguard rule", description="Explain a rule, or list all rules.")
    p.add_argument("rule_id", nargs="?", metavar="ID", help="rule id or name, e.g. RCE001 or remote-code-exec")
    return p


def _models_parser() -> _Parser:
    p = _Parser(prog="rceguard models", description="List the built-in API models (sources, sinks, effects).")
    p.add_argument("--kind", metavar="K", help="only rows of this effect, source kind or sink kind "
                   "(e.g. source, sink, llm-completion, data)")
    return p


def _run_models(argv: Sequence[str]) -> int:
    args = _models_parser().parse_args(list(argv))
    from .knowledge import models

    if args.kind is not None and args.kind not in models.kinds_for_filter():
        _err(f"unknown kind '{args.kind}' (known: {', '.join(models.kinds_for_filter())})")
        return EXIT_ERROR
    _write_stdout(models.table(args.kind or ""), sys.stdout)
    return EXIT_OK


def _err(message: str) -> None:
    sys.stderr.write(f"rceguard: error: {message}\n")


def _warn(message: str) -> None:
    sys.stderr.write(f"rceguard: {message}\n")


def _write_stdout(text: str, stream: TextIO) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        data = text.encode(encoding, errors="backslashreplace")
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
        else:
            stream.write(data.decode(encoding, errors="replace"))
    stream.flush()


def _write_file(path: str, text: str) -> None:
    """Write like a shell's ``>`` (see :mod:`rceguard.fsutil`): through symlinks, devices and FIFOs in
    place, regular files atomically keeping their mode."""
    from .fsutil import write_output

    write_output(path, text, option="-o")


def use_color(no_color_flag: bool, stream: TextIO) -> bool:
    """Colour on a TTY. Never with --no-color or a non-empty ``NO_COLOR`` (no-color.org: an empty
    value does not count); always with a non-empty ``FORCE_COLOR``, even when the stream is not a
    terminal; never on a terminal with TERM=dumb."""
    if no_color_flag or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    from .progress import is_terminal

    return is_terminal(stream)


def _run_rule(argv: Sequence[str]) -> int:
    args = _rule_parser().parse_args(list(argv))
    from . import rules

    if args.rule_id is None:
        _write_stdout(rules.catalogue(), sys.stdout)
        return EXIT_OK
    key = args.rule_id.strip()
    by_name = {rule.name.lower(): rid for rid, rule in rules.RULES.items()}
    rid = key.upper() if key.upper() in rules.RULES else by_name.get(key.lower().replace("_", "-"))
    if rid is None:
        known = ", ".join(f"{r} ({rules.RULES[r].name})" for r in sorted(rules.RULES))
        _err(f"unknown rule '{args.rule_id}': give an id or a name from `rceguard rule` (known: {known})")
        return EXIT_ERROR
    _write_stdout(rules.explain(rid), sys.stdout)
    return EXIT_OK


def _run_scan(argv: Sequence[str]) -> int:
    args = _scan_parser().parse_args(list(argv))
    if args.version:
        _write_stdout(f"rceguard {__version__}\n", sys.stdout)
        return EXIT_OK
    if args.diff is not None and args.staged:
        raise _ArgError("--diff and --staged cannot be combined")
    if args.changed_lines and args.diff is None and not args.staged:
        raise _ArgError("--changed-lines needs --diff REF or --staged")
    if args.jobs is not None and args.jobs < 0:
        raise _ArgError("--jobs must be 0 or more")

    from pathlib import Path

    from .config import load_config, parse_id_list, validate_selectors
    from .scan import common_dir, default_jobs, fails, scan, strict_failure
    from .report import render

    output = None if args.output in (None, "-") else args.output
    if output is not None or args.write_baseline:
        from .fsutil import check_writable  # before the scan: a bad path fails fast

        if output is not None:
            check_writable(output, "-o")
        if args.write_baseline:
            check_writable(args.write_baseline, "--write-baseline")

    paths: List[str] = list(args.paths) or [os.curdir]
    explicit = Path(args.config) if args.config else None
    config = load_config(explicit, common_dir(paths))
    select = parse_id_list(args.select) if args.select is not None else None
    ignore = parse_id_list(args.ignore) if args.ignore is not None else None
    config = config.with_overrides(select=select, ignore=ignore, fail_on=args.fail_on)
    where = f"[tool.rceguard] in {config.source}" if config.source else "config"
    if config.select or config.ignore:
        from .rules import RULES

        validate_selectors(config.select, RULES, "--select" if select is not None else f"select ({where})")
        validate_selectors(config.ignore, RULES, "--ignore" if ignore is not None else f"ignore ({where})")
    if args.jobs is None and os.environ.get("PRE_COMMIT") == "1":
        jobs = 1  # pre-commit already runs batches of files in parallel
    else:
        jobs = args.jobs or default_jobs()
    from . import cache as cache_mod
    from .progress import Progress, wanted

    how = {
        "jobs": jobs,
        "prescan": False if args.no_prescan else None,
        "result_cache": cache_mod.options_from(args.cache_dir, args.no_cache, _warn),
    }
    progress = Progress(sys.stderr) if wanted(sys.stderr, args.quiet) else None
    if progress is not None:
        how["progress"] = progress

    changeset = None
    if args.diff is not None or args.staged:
        from .changes import collect  # imports gitpython: only for --diff/--staged

        changeset = collect(paths, diff=args.diff, staged=args.staged)
    base = None
    if args.baseline:
        from . import baseline

        base = baseline.read(args.baseline)  # before scanning: a bad file fails fast

    try:
        if changeset is None:
            result = scan(paths, config, **how)
        else:
            result = scan(paths, config, only=changeset.files, contents=changeset.contents or None, **how)
    finally:
        if progress is not None:
            progress.close()
    if changeset is not None:
        if result.files_scanned == 0:
            _say_nothing_changed(changeset, args.diff)
        if args.changed_lines:
            result = changeset.filter_result(result)
    if args.write_baseline:
        from . import baseline

        baseline.write(args.write_baseline, result.findings)
        base = baseline.loads(baseline.dumps(result.findings))  # the file may be a FIFO or /dev/null
    if base is not None:
        result = baseline.apply(result, base)

    if not args.show_root and result.root:  # no local absolute path in a report unless asked
        import dataclasses

        result = dataclasses.replace(result, root="")
    color = args.format == "text" and output is None and use_color(args.no_color, sys.stdout)
    out = render(args.format, result, color=color)
    if out and not out.endswith("\n"):
        out += "\n"
    if output is not None:
        _write_file(output, out)
        if not args.quiet:  # the report went to a file: say in one line what it holds
            from .report.text import summary

            sys.stderr.write(summary(result) + "\n")
    else:
        try:
            _write_stdout(out, sys.stdout)
        except BrokenPipeError:  # e.g. `rceguard | head`: the exit status still tells the truth
            _silence_stdout()
    if fails(result, config.fail_on) or (args.strict and strict_failure(result)):
        return EXIT_FINDINGS
    return EXIT_OK


def _say_nothing_changed(changeset, ref: Optional[str]) -> None:
    """One stderr line when --diff/--staged left no file to scan, so "0 files" is not mistaken for a
    clean check of the change."""
    if changeset.mode == "diff":
        since = f"changed since {ref} (merge base {changeset.base[:12]})"
    else:
        since = f"staged (compared with {changeset.base})"
    n = len(changeset.files)
    if n == 0:
        msg = f"no files {since}: nothing to scan"
    else:
        files = f"{n} file{'s' if n != 1 else ''}"
        msg = f"none of the {files} {since} is a Python file in the given paths: nothing to scan"
    sys.stderr.write(f"rceguard: {msg}\n")


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the flush at exit does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _looks_like_rule_command(arg: str) -> bool:
    """``rceguard rules`` (or ``ruel``, ``RULE``): a misspelt subcommand, not a path to scan."""
    if arg.startswith("-") or os.path.lexists(arg):
        return False
    import difflib

    return bool(difflib.get_close_matches(arg.lower(), ["rule"], n=1, cutoff=0.75))


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of the ``rceguard`` console script and ``python -m rceguard``."""
    args = list(sys.argv[1:] if argv is None else argv)
    from .errors import UsageError

    try:
        if args and args[0] == "rule":
            return _run_rule(args[1:])
        if args and args[0] == "models":
            return _run_models(args[1:])
        if args and _looks_like_rule_command(args[0]):
            _err(f"'{args[0]}' is neither a command nor an existing path: did you mean `rceguard rule`?")
            return EXIT_ERROR
        return _run_scan(args)
    except _ArgError as exc:
        prog = f"rceguard {args[0]}" if args and args[0] in ("rule", "models") else "rceguard"
        sys.stderr.write(f"{prog}: error: {exc} (see `{prog} --help`)\n")
        return EXIT_ERROR
    except UsageError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except SystemExit as exc:  # --help
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("rceguard: interrupted\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except OSError as exc:
        _err(f"{exc.strerror or exc}" + (f": {exc.filename}" if getattr(exc, "filename", None) else ""))
        return EXIT_ERROR
    except Exception as exc:  # never a traceback
        msg = " ".join(f"{type(exc).__name__}: {exc}".split())
        _err(f"internal error: {msg}")
        return EXIT_ERROR
