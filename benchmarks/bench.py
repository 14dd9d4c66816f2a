#!/usr/bin/env python3
"""Time rceguard against Bandit (RCE plugins) and a bare ``ast.parse`` loop on the same files.

Usage::

    python benchmarks/bench.py                      # the running Python's stdlib, without tests
    python benchmarks/bench.py --tree PATH --repeat 5
    python benchmarks/bench.py --rceguard-args "--select RCE001"

Every measurement is a whole process (interpreter start, imports, reading, analysis, writing the
report) started from a neutral temporary directory with the same list of absolute file paths.
Wall times are medians of ``--repeat`` runs. Peak RSS comes from ``os.wait4`` on each child: the
largest resident set of the child or of any process it waited for (e.g. a pool worker), in MB
(10^6 bytes), the maximum over the runs. See benchmarks/README.md.

Only the standard library is needed. Bandit is optional (``pip install bandit``).
"""
from __future__ import annotations

import argparse
import datetime
import errno
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

BANDIT_TESTS = "B102,B301,B302,B307,B310,B506,B602,B604,B605"

# Directory names skipped anywhere in the tree. For the stdlib this drops Lib/test, the
# per-package test folders (ctypes/test, distutils/tests, unittest/test, lib2to3/tests,
# idlelib/idle_test, ...) and site-packages: 734 files / 327k lines on CPython 3.11.
EXCLUDED_DIRS = frozenset({"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"})

TARGET_VS_BANDIT = 0.1      # rceguard wall / Bandit wall
TARGET_VS_PARSE = 1.0       # rceguard --jobs 1 wall / ast.parse loop wall
TARGET_PRECOMMIT_S = 0.1    # seconds, whole process, 10 typical files
TARGET_RSS_MB = 150.0       # peak RSS, MB (10^6 bytes)

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT_HOOK = os.path.join(os.path.dirname(HERE), "hook")

# Read and parse every file named (NUL-separated) in argv[1]; write a small JSON to argv[2].
PARSE_LOOP = r"""
import ast, json, sys
with open(sys.argv[1], "rb") as fh:
    paths = [p for p in fh.read().decode("utf-8", "surrogateescape").split("\0") if p]
failed = 0
for path in paths:
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        ast.parse(data, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        failed += 1
with open(sys.argv[2], "w") as fh:
    json.dump({"files": len(paths), "failed": failed}, fh)
"""


# --------------------------------------------------------------------------- files


@dataclass
class SourceFile:
    path: str       # absolute
    rel: str        # relative to the tree, forward slashes
    lines: int
    size: int


def default_tree() -> str:
    import sysconfig

    return sysconfig.get_paths()["stdlib"]


def list_files(root: str, excluded_dirs: frozenset = EXCLUDED_DIRS) -> List[SourceFile]:
    """All ``*.py`` files under ``root`` (not following directory symlinks), sorted by relative
    path, skipping directories named in ``excluded_dirs``. Reads each file once to count lines
    (which also warms the page cache for the timed runs)."""
    root = os.path.abspath(root)
    out: List[SourceFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in excluded_dirs and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            if not os.path.isfile(path):  # dangling symlink, FIFO, ...
                continue
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            out.append(SourceFile(path=path, rel=rel, lines=lines, size=len(data)))
    out.sort(key=lambda f: f.rel)
    return out


def pick_typical(files: Sequence[SourceFile], n: int = 10) -> List[SourceFile]:
    """``n`` files whose line counts are closest to the median (ties by path): a deterministic
    stand-in for a typical pre-commit batch."""
    if not files:
        return []
    median = statistics.median(f.lines for f in files)
    ranked = sorted(files, key=lambda f: (abs(f.lines - median), f.rel))
    return sorted(ranked[:n], key=lambda f: f.rel)


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    wall: float
    returncode: int
    cpu: Optional[float] = None       # user + sys seconds of the child and its waited-for children
    rss_kb: Optional[int] = None      # peak RSS of the largest single process, KiB
    stderr: str = ""


def run_child(cmd: Sequence[str], cwd: str, env: Optional[Dict[str, str]] = None) -> Run:
    """Run ``cmd`` to completion; wall time from just before the fork to the reap."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        try:
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)
                rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
                cpu: Optional[float] = usage.ru_utime + usage.ru_stime
            else:  # pragma: no cover - Windows
                proc.wait()
                wall = time.perf_counter() - start
                rss, cpu = None, None
        except BaseException:
            if proc.returncode is None:
                proc.kill()
                proc.wait()
            raise
        err.seek(0)
        tail = err.read()[-4000:].decode("utf-8", "replace")
    return Run(wall=wall, returncode=proc.returncode, cpu=cpu, rss_kb=rss, stderr=tail)


@dataclass
class Measure:
    label: str
    runs: List[Run] = field(default_factory=list)
    ok_codes: Tuple[int, ...] = (0,)
    counts: List[Dict[str, object]] = field(default_factory=list)  # per run, parsed from the report
    skipped: str = ""  # reason, when not measured

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode in self.ok_codes for r in self.runs)

    @property
    def median(self) -> Optional[float]:
        return statistics.median(r.wall for r in self.runs) if self.runs else None

    @property
    def cpu(self) -> Optional[float]:
        cpus = [r.cpu for r in self.runs if r.cpu is not None]
        return statistics.median(cpus) if cpus else None

    @property
    def rss_mb(self) -> Optional[float]:
        rss = [r.rss_kb for r in self.runs if r.rss_kb is not None]
        return max(rss) * 1024 / 1e6 if rss else None

    @property
    def error(self) -> str:
        bad = [r for r in self.runs if r.returncode not in self.ok_codes]
        if not bad:
            return ""
        last = bad[-1].stderr.strip().splitlines()
        return f"exit {bad[-1].returncode}" + (f": {last[-1]}" if last else "")


# --------------------------------------------------------------------------- tools


def rceguard_path(explicit: Optional[str], installed: bool) -> Optional[str]:
    """Directory to put first on PYTHONPATH for rceguard: ``explicit``, else this checkout's
    ``hook/`` (unless ``installed``), else None (whatever ``import rceguard`` finds)."""
    if explicit:
        return os.path.abspath(explicit)
    if not installed and os.path.isfile(os.path.join(CHECKOUT_HOOK, "rceguard", "__init__.py")):
        return CHECKOUT_HOOK
    return None


def rceguard_env(path: Optional[str]) -> Dict[str, str]:
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    if path:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (path, env.get("PYTHONPATH", "")) if p)
    return env


def _capture(cmd: Sequence[str], cwd: str, env: Optional[Dict[str, str]] = None) -> Tuple[int, str]:
    try:
        p = subprocess.run(list(cmd), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return 127, str(exc)
    return p.returncode, p.stdout.decode("utf-8", "replace")


@dataclass
class RceguardInfo:
    version: str
    location: str
    jobs_supported: bool
    jobs_help: str
    revision: str = ""   # git commit of the package's checkout, "+ uncommitted changes" if dirty


def probe_rceguard(cwd: str, env: Dict[str, str]) -> Optional[RceguardInfo]:
    code, where = _capture([sys.executable, "-c", "import rceguard; print(rceguard.__version__, rceguard.__file__)"], cwd, env)
    if code != 0:
        return None
    version, _, location = where.strip().partition(" ")
    code, helptext = _capture([sys.executable, "-m", "rceguard", "--help"], cwd, env)
    jobs_supported, jobs_help = parse_jobs_help(helptext if code == 0 else "")
    package = os.path.dirname(location)
    return RceguardInfo(version=version, location=package, jobs_supported=jobs_supported,
                        jobs_help=jobs_help, revision=git_revision(package))


def git_revision(directory: str) -> str:
    """Short commit of the git checkout holding ``directory`` and whether files under it differ."""
    if not shutil.which("git") or not os.path.isdir(directory):
        return ""
    code, rev = _capture(["git", "-C", directory, "rev-parse", "--short", "HEAD"], directory)
    if code != 0:
        return ""
    code, dirty = _capture(["git", "-C", directory, "status", "--porcelain", "--untracked-files=no", "--", "."], directory)
    return rev.strip() + (" + uncommitted changes" if code == 0 and dirty.strip() else "")


def parse_jobs_help(helptext: str) -> Tuple[bool, str]:
    """Whether ``--help`` lists ``--jobs``, and its description (wrapped lines joined)."""
    lines = helptext.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s+(?:-\w+,\s*)?--jobs\b\S*(?:\s\S+)?\s*(.*)$", line)
        if m:
            desc = [m.group(1).strip()]
            for nxt in lines[i + 1:]:
                if not nxt.strip() or nxt.lstrip().startswith("-") or len(nxt) - len(nxt.lstrip()) < 10:
                    break
                desc.append(nxt.strip())
            return True, " ".join(d for d in desc if d)
    return False, ""


def bandit_command(explicit: Optional[str]) -> Optional[List[str]]:
    if explicit:
        return shlex.split(explicit)
    import importlib.util

    if importlib.util.find_spec("bandit") is not None:
        return [sys.executable, "-m", "bandit"]
    exe = shutil.which("bandit")
    return [exe] if exe else None


def rceguard_counts(report_path: str) -> Dict[str, object]:
    """Finding counts from a ``--format json`` report (format version 1)."""
    with open(report_path, encoding="utf-8") as fh:
        data = json.load(fh)
    findings = data.get("findings", [])
    summary = data.get("summary", {})
    by_rule: Counter = Counter({k: 0 for k in summary.get("by_rule", {})})
    by_rule.update(f.get("rule", "?") for f in findings)
    by_level: Counter = Counter({k: 0 for k in ("error", "warning", "note")})
    by_level.update(f.get("level", "?") for f in findings)
    return {
        "total": len(findings),
        "by_rule": dict(sorted(by_rule.items())),
        "by_level": dict(by_level),
        "files": summary.get("files_scanned"),
        "unreadable": summary.get("unreadable_files"),
        "suppressed": summary.get("suppressed"),
    }


def bandit_counts(report_path: str) -> Dict[str, object]:
    with open(report_path, encoding="utf-8") as fh:
        data = json.load(fh)
    results = data.get("results", [])
    by_test = Counter(r.get("test_id", "?") for r in results)
    metrics = data.get("metrics", {})
    return {
        "total": len(results),
        "by_rule": dict(sorted(by_test.items())),
        "by_level": dict(Counter(r.get("issue_severity", "?").lower() for r in results)),
        "files": len([k for k in metrics if k != "_totals"]),
        "unreadable": len(data.get("errors", [])),
    }


# --------------------------------------------------------------------------- benchmark


@dataclass
class Results:
    tree: str
    files: List[SourceFile]
    small: List[SourceFile]
    repeat: int
    repeat_small: int
    rceguard: Optional[RceguardInfo]
    bandit_version: str                 # "" when Bandit is not available
    bandit_missing: str                 # install hint when not available
    rceguard_args: List[str]
    measures: Dict[str, Measure]
    started: str = ""
    machine: str = ""
    load: str = ""      # load average before and after, to judge how busy the machine was


def _jobs_variants(info: Optional[RceguardInfo]) -> List[Tuple[str, List[str]]]:
    if info is not None and info.jobs_supported:
        return [("rg_j1", ["--jobs", "1"]), ("rg_default", [])]
    return [("rg_default", [])]


def benchmark(args: argparse.Namespace, log=print) -> Results:
    tree = os.path.abspath(args.tree or default_tree())
    if not os.path.isdir(tree):
        raise SystemExit(f"bench: not a directory: {tree}")
    files = list_files(tree)
    if not files:
        raise SystemExit(f"bench: no *.py files under {tree}")
    small = pick_typical(files, args.precommit_files)
    extra = shlex.split(args.rceguard_args or "")
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_before = load_average()
    work = tempfile.mkdtemp(prefix="rceguard-bench-")
    try:
        res = _benchmark(args, tree, files, small, extra, work, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res.started = started
    if load_before:
        res.load = f"{load_before} before, {load_average()} after"
    return res


def load_average() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return ""


def _benchmark(args, tree, files, small, extra, work, log) -> Results:
    cwd = os.path.join(work, "cwd")  # neutral: nothing here shadows a module or holds a config
    os.mkdir(cwd)
    env = rceguard_env(rceguard_path(args.rceguard_path, args.installed))
    info = probe_rceguard(cwd, env)
    bandit = None if args.no_bandit else bandit_command(args.bandit)
    bandit_version, bandit_missing = "", ""
    if args.no_bandit:
        bandit_missing = "skipped (--no-bandit)"
    elif bandit is None:
        bandit_missing = "not installed: `python -m pip install bandit` (PyPI), then run again"
    else:
        code, out = _capture(bandit + ["--version"], cwd)
        if code == 0 and out.strip():
            first = out.strip().splitlines()[0]  # "bandit 1.9.4" or "__main__.py 1.9.4"
            m = re.search(r"\d+(?:\.\d+)+\S*", first)
            bandit_version = f"bandit {m.group(0)}" if m else first
        else:
            bandit_missing = f"`{' '.join(bandit)} --version` failed: {out.strip()[-200:]}"
            bandit = None

    paths = [f.path for f in files]
    small_paths = [f.path for f in small]
    list_file = os.path.join(work, "files.nul")
    with open(list_file, "wb") as fh:
        fh.write("\0".join(paths).encode("utf-8", "surrogateescape"))
    out_file = os.path.join(work, "out.json")

    measures: Dict[str, Measure] = {}

    def add(key: str, label: str, ok_codes=(0,)) -> Measure:
        measures[key] = Measure(label=label, ok_codes=tuple(ok_codes))
        return measures[key]

    def timed(m: Measure, cmd: List[str], child_env, parse=None) -> None:
        if os.path.exists(out_file):
            os.unlink(out_file)
        try:
            run = run_child(cmd, cwd, child_env)
        except OSError as exc:
            if exc.errno == errno.E2BIG:
                raise SystemExit("bench: the file list is too long for one command line; benchmark a smaller --tree")
            raise
        m.runs.append(run)
        if parse is not None and run.returncode in m.ok_codes and os.path.exists(out_file):
            try:
                m.counts.append(parse(out_file))
            except (OSError, ValueError) as exc:
                m.counts.append({"error": f"unreadable report: {exc}"})

    def rg_cmd(jobs_args: List[str], targets: List[str]) -> List[str]:
        return [sys.executable, "-m", "rceguard", "--format", "json", "-o", out_file, *jobs_args, *extra, "--", *targets]

    def bandit_cmd(targets: List[str]) -> List[str]:
        return [*bandit, "-q", "-r", "-f", "json", "-o", out_file, "-t", BANDIT_TESTS, "--", *targets]

    variants = _jobs_variants(info)
    labels = {"rg_j1": "rceguard --jobs 1", "rg_default": "rceguard (default jobs)"}
    if info is not None and not info.jobs_supported:
        labels["rg_default"] = "rceguard (no --jobs option)"

    # Pre-commit-sized call first: its untimed warm-up also compiles rceguard's .pyc files.
    log(f"bench: pre-commit call, {len(small)} files x {args.repeat_small} ...")
    m_start = add("startup", "python -c pass")
    m_small = add("small_rg", "rceguard (default jobs)" if info is None or info.jobs_supported else "rceguard", (0, 1))
    m_small_b = add("small_bandit", "bandit", (0, 1))
    if info is None:
        m_small.skipped = "rceguard is not importable"
    else:
        run_child(rg_cmd([], small_paths), cwd, env)  # warm-up, not counted
    if bandit is None:
        m_small_b.skipped = "not run (see bandit: above)"
    for _ in range(args.repeat_small):
        timed(m_start, [sys.executable, "-c", "pass"], None)
        if info is not None:
            timed(m_small, rg_cmd([], small_paths), env, rceguard_counts)
        if bandit is not None:
            timed(m_small_b, bandit_cmd(small_paths), None, bandit_counts)

    # Whole tree, interleaved so that drift of the machine hits every tool alike.
    m_parse = add("parse", "ast.parse loop (read + parse)")
    rg_measures = [(key, jobs, add(key, labels[key], (0, 1))) for key, jobs in variants]
    m_bandit = add("bandit", f"bandit -t {BANDIT_TESTS}", (0, 1))
    if bandit is None:
        m_bandit.skipped = "not run (see bandit: above)"
    for key, _, m in rg_measures:
        if info is None:
            m.skipped = "rceguard is not importable"
    for i in range(args.repeat):
        log(f"bench: whole tree, round {i + 1}/{args.repeat} ...")
        parse_out = os.path.join(work, "parse.json")
        timed(m_parse, [sys.executable, "-c", PARSE_LOOP, list_file, parse_out], None)
        if os.path.exists(parse_out):
            with open(parse_out, encoding="utf-8") as fh:
                m_parse.counts.append(json.load(fh))
        if info is not None:
            for _, jobs, m in rg_measures:
                timed(m, rg_cmd(jobs, paths), env, rceguard_counts)
        if bandit is not None:
            timed(m_bandit, bandit_cmd(paths), None, bandit_counts)

    return Results(
        tree=tree, files=files, small=small, repeat=args.repeat, repeat_small=args.repeat_small,
        rceguard=info, bandit_version=bandit_version, bandit_missing=bandit_missing,
        rceguard_args=extra, measures=measures, machine=machine_description(),
    )


def machine_description() -> str:
    try:
        usable = len(os.sched_getaffinity(0))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        usable = os.cpu_count() or 0
    impl = platform.python_implementation()
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({usable} usable), "
            f"{impl} {platform.python_version()}")


# --------------------------------------------------------------------------- report


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()) -> str:
    """Plain aligned table; columns whose index is in ``right`` are right-aligned."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) if i < len(r) else 0 for r in cells) for i in range(len(headers))]
    out = []
    for n, row in enumerate(cells):
        parts = []
        for i, w in enumerate(widths):
            c = row[i] if i < len(row) else ""
            parts.append(c.rjust(w) if i in right else c.ljust(w))
        out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def _fmt_s(v: Optional[float]) -> str:
    if v is None:
        return "-"
    return f"{v:.3f}" if v < 10 else f"{v:.2f}" if v < 100 else f"{v:.1f}"


def _fmt_mb(v: Optional[float]) -> str:
    return "-" if v is None else f"{v:.0f}"


LEVEL_ORDER = ("error", "warning", "note", "high", "medium", "low", "undefined")


def _fmt_by(d: object, order: Sequence[str] = ()) -> str:
    """``{"a": 2, "b": 0}`` -> ``"a 2"``: non-zero entries, in ``order`` then sorted."""
    if not isinstance(d, dict):
        return "-"
    keys = [k for k in order if k in d] + sorted(k for k in d if k not in order)
    return ", ".join(f"{k} {d[k]}" for k in keys if d[k]) or "-"


def _ratio(a: Optional[Measure], b: Optional[Measure]) -> Optional[float]:
    if a is None or b is None or not a.ok or not b.ok or not b.median:
        return None
    return a.median / b.median  # type: ignore[operator]


def _cpu_ratio(a: Optional[Measure], b: Optional[Measure]) -> Optional[float]:
    if a is None or b is None or not a.ok or not b.ok or not a.cpu or not b.cpu:
        return None
    return a.cpu / b.cpu


def target_rows(res: Results) -> List[Tuple[str, str, str, str, str]]:
    """(measure, value, target, status, cpu-time ratio for information)."""
    m = res.measures
    rows: List[Tuple[str, str, str, str, str]] = []

    def status(value: Optional[float], limit: float) -> str:
        return "n/a" if value is None else ("met" if value <= limit else "NOT MET")

    def num(v: Optional[float], fmt: str) -> str:
        return "-" if v is None else format(v, fmt)

    rg_keys = [k for k in ("rg_j1", "rg_default") if k in m]
    for k in rg_keys:
        r = _ratio(m[k], m.get("bandit"))
        rows.append((f"{m[k].label} / bandit", num(r, ".3f"), f"<= {TARGET_VS_BANDIT}", status(r, TARGET_VS_BANDIT),
                     num(_cpu_ratio(m[k], m.get("bandit")), ".3f")))
    j1 = m["rg_j1"] if "rg_j1" in m else m.get("rg_default")
    if j1 is not None:
        r = _ratio(j1, m.get("parse"))
        rows.append((f"{j1.label} / ast.parse loop", num(r, ".2f"), f"<= {TARGET_VS_PARSE}", status(r, TARGET_VS_PARSE),
                     num(_cpu_ratio(j1, m.get("parse")), ".2f")))
    small = m.get("small_rg")
    if small is not None:
        v = small.median if small.ok else None
        rows.append((f"pre-commit call, {len(res.small)} files (s)", _fmt_s(v), f"<= {TARGET_PRECOMMIT_S}",
                     status(v, TARGET_PRECOMMIT_S), ""))
    for k in rg_keys:
        v = m[k].rss_mb if m[k].ok else None
        rows.append((f"peak RSS, {m[k].label} (MB)", _fmt_mb(v), f"<= {TARGET_RSS_MB:.0f}", status(v, TARGET_RSS_MB), ""))
    return rows


def render(res: Results) -> str:
    m = res.measures
    lines_total = sum(f.lines for f in res.files)
    size_total = sum(f.size for f in res.files)
    small_lines = sum(f.lines for f in res.small)
    out: List[str] = []
    out.append(f"rceguard benchmark, {res.started}")
    out.append(f"machine:  {res.machine}")
    if res.load:
        out.append(f"load:     1/5/15-min load average {res.load} (timings are only comparable on an idle machine)")
    out.append(f"tree:     {res.tree}")
    out.append(f"          {len(res.files)} files, {lines_total:,} lines, {size_total / 1e6:.1f} MB "
               f"(skipping dirs named {', '.join(sorted(EXCLUDED_DIRS))})")
    if res.rceguard:
        jobs = (f"--jobs supported: \"{res.rceguard.jobs_help}\"" if res.rceguard.jobs_supported
                else "--jobs not in --help: measured once without it")
        rev = f" (git {res.rceguard.revision})" if res.rceguard.revision else ""
        out.append(f"rceguard: {res.rceguard.version} from {res.rceguard.location}{rev}")
        out.append(f"          {jobs}")
    else:
        out.append("rceguard: NOT importable by this interpreter (pip install -e . in the checkout)")
    if res.rceguard_args:
        out.append(f"          extra args: {' '.join(shlex.quote(a) for a in res.rceguard_args)}")
    out.append(f"bandit:   {res.bandit_version or res.bandit_missing}")
    out.append(f"timing:   median wall time of {res.repeat} run(s) (pre-commit call: {res.repeat_small}); "
               "cpu = user+sys incl. workers; RSS = largest single process, max over runs, MB = 10^6 bytes")

    def row(mm: Measure) -> List[object]:
        if mm.skipped:
            return [mm.label, "-", "-", "-", "-", mm.skipped]
        runs = " ".join(_fmt_s(r.wall) for r in mm.runs)
        note = mm.error or ("exit " + "/".join(sorted({str(r.returncode) for r in mm.runs})))
        return [mm.label, _fmt_s(mm.median), _fmt_s(mm.cpu), _fmt_mb(mm.rss_mb), runs, note]

    headers = ["command", "wall s", "cpu s", "RSS MB", "runs (s)", "status"]
    out.append("")
    out.append(f"Whole tree ({len(res.files)} files, {lines_total:,} lines, same file list for every command)")
    keys = [k for k in ("parse", "rg_j1", "rg_default", "bandit") if k in m]
    out.append(format_table(headers, [row(m[k]) for k in keys], right=(1, 2, 3)))
    out.append("")
    out.append(f"Pre-commit-sized call ({len(res.small)} files nearest the median size, {small_lines:,} lines)")
    keys = [k for k in ("startup", "small_rg", "small_bandit") if k in m]
    out.append(format_table(headers, [row(m[k]) for k in keys], right=(1, 2, 3)))
    out.append("  files: " + " ".join(f.rel for f in res.small))
    out.append("")
    out.append("Targets (issue 5)")
    out.append(format_table(["measure", "value", "target", "status", "cpu-time ratio (info)"], target_rows(res),
                            right=(1, 4)))
    out.append("")
    out.append("Findings on the whole tree (rceguard reports network data reaching a sink; Bandit flags sink calls")
    out.append("whatever their input, so the counts differ by design; watch each tool's count across versions)")
    frows: List[List[object]] = []
    for k in ("rg_j1", "rg_default", "bandit"):
        mm = m.get(k)
        if mm is None or mm.skipped:
            continue
        if not mm.counts:
            frows.append([mm.label, "-", "-", "-", "-", "-", mm.error or "no report"])
            continue
        c = mm.counts[-1]
        if "error" in c:
            frows.append([mm.label, "-", "-", "-", "-", "-", c["error"]])
            continue
        same = all(x == c for x in mm.counts)
        frows.append([mm.label, c.get("files", "-"), c.get("unreadable", "-"), c.get("total", "-"),
                      _fmt_by(c.get("by_level"), LEVEL_ORDER), _fmt_by(c.get("by_rule")),
                      "" if same else "COUNTS DIFFER BETWEEN RUNS"])
    if frows:
        out.append(format_table(["tool", "files", "unreadable", "findings", "by level/severity", "by rule", "note"],
                                frows, right=(1, 2, 3)))
    j1, dflt = m.get("rg_j1"), m.get("rg_default")
    if j1 and dflt and j1.counts and dflt.counts and j1.counts[-1] != dflt.counts[-1]:
        out.append("WARNING: rceguard findings differ between --jobs 1 and the default jobs")
    parse = m.get("parse")
    if parse and parse.counts and parse.counts[-1].get("failed"):
        out.append(f"note: ast.parse failed on {parse.counts[-1]['failed']} file(s) of the tree")
    return "\n".join(out) + "\n"


def to_json(res: Results) -> Dict[str, object]:
    return {
        "started": res.started,
        "machine": res.machine,
        "tree": res.tree,
        "files": len(res.files),
        "lines": sum(f.lines for f in res.files),
        "precommit_files": [f.rel for f in res.small],
        "rceguard": vars(res.rceguard) if res.rceguard else None,
        "bandit": res.bandit_version or None,
        "measures": {
            k: {"label": mm.label, "median_s": mm.median, "cpu_s": mm.cpu, "rss_mb": mm.rss_mb,
                "runs_s": [r.wall for r in mm.runs], "exit": [r.returncode for r in mm.runs],
                "counts": mm.counts[-1] if mm.counts else None, "skipped": mm.skipped or None}
            for k, mm in res.measures.items()
        },
        "load": res.load,
        "targets": [dict(zip(("measure", "value", "target", "status", "cpu_ratio"), r)) for r in target_rows(res)],
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tree", metavar="PATH", help="directory to benchmark (default: this Python's stdlib without tests)")
    p.add_argument("--repeat", type=int, default=3, metavar="N", help="runs per whole-tree timing; the median is reported (default 3)")
    p.add_argument("--repeat-small", type=int, default=5, metavar="N", help="runs of the pre-commit-sized call (default 5)")
    p.add_argument("--precommit-files", type=int, default=10, metavar="N", help="files in the pre-commit-sized call (default 10)")
    p.add_argument("--rceguard-args", metavar="ARGS", default="", help="extra arguments for rceguard, one shell-quoted string")
    p.add_argument("--installed", action="store_true", help="run the installed rceguard instead of this checkout's hook/")
    p.add_argument("--rceguard-path", metavar="DIR", help="run the rceguard package found in DIR (e.g. an exported older commit's hook/)")
    p.add_argument("--bandit", metavar="CMD", help="command that runs Bandit (default: python -m bandit, else bandit on PATH)")
    p.add_argument("--no-bandit", action="store_true", help="skip Bandit")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    args = p.parse_args(argv)
    if args.repeat < 1 or args.repeat_small < 1 or args.precommit_files < 1:
        p.error("--repeat, --repeat-small and --precommit-files must be at least 1")

    def log(msg: str) -> None:
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    try:
        res = benchmark(args, log)
    except KeyboardInterrupt:
        log("bench: interrupted")
        return 130
    sys.stdout.write(render(res))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(to_json(res), fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
