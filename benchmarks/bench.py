#!/usr/bin/env python3
"""Time rceguard against Bandit (RCE plugins) and a bare ``ast.parse`` loop on the same files.

Usage::

    python benchmarks/bench.py                      # the running Python's stdlib, without tests
    python benchmarks/bench.py --wheels-tree ~/.cache/rceguard-bench   # issue 9's 21-wheel tree
    python benchmarks/bench.py --tree PATH --repeat 5
    python benchmarks/bench.py --rceguard-args "--select RCE001"

Every measurement is a whole process (interpreter start, imports, reading, analysis, writing the
report) started from a neutral temporary directory with the same list of absolute file paths, all
in the bench's own temporary copy of the tree. rceguard runs cold (``--no-cache``), then with a
temporary ``--cache-dir``: once to fill it, warm with no change, warm after a comment line was
appended to one typical file; and cold on the tree copied twice side by side. Wall times are
medians of ``--repeat`` runs. Peak RSS comes from ``os.wait4`` on each child: the largest resident
set of the child or of any process it waited for (e.g. a pool worker), in MB (10^6 bytes), the
maximum over the runs. See benchmarks/README.md.

Only the standard library is needed (and pip, for ``--wheels-tree``'s first use). Bandit is
optional (``pip install bandit``).
"""
from __future__ import annotations

import argparse
import datetime
import errno
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
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


# --------------------------------------------------------------------------- the 21-wheel tree

# Issue 9's large tree: these wheels, downloaded without dependencies and read as zip files (never
# installed, never imported), their *.py files laid out side by side as in a site-packages folder.
WHEELS = (
    "Django==5.2.19", "Flask==3.1.3", "Werkzeug==3.1.9", "requests==2.34.2", "urllib3==2.8.0",
    "httpx==0.28.1", "setuptools==84.2.1", "Jinja2==3.1.6", "Mako==1.4.3", "attrs==26.1.0",
    "pytest==9.2.0", "click==8.5.1", "rich==15.0.0", "sympy==1.14.0", "tornado==6.6.1",
    "fastapi==0.163.2", "starlette==1.10.0", "pydantic==2.14.3", "celery==5.7.0", "scrapy==2.19.0",
    "fsspec==2026.9.0",
)
WHEELS_TREE_NAME = "tree"         # DIR/tree: the extracted *.py files
WHEELS_DIR_NAME = "wheels"        # DIR/wheels: the downloaded *.whl files
WHEELS_STAMP = "tree.json"        # DIR/tree.json: what DIR/tree was made from; written last


def _safe_member(name: str) -> Optional[str]:
    """The relative path a zip member may be written to, or None when it would leave the tree
    (absolute, ``..``, drive letters) or is not a ``*.py`` file."""
    name = name.replace("\\", "/")
    if not name.endswith(".py") or name.startswith("/") or ":" in name:
        return None
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return None
    return "/".join(parts)


def extract_py_files(wheel: str, dest: str, taken: Dict[str, str]) -> Tuple[int, int]:
    """Write every ``*.py`` member of the zip file ``wheel`` below ``dest`` at its own path (the
    wheel's package layout). ``taken`` maps paths already written to the wheel that wrote them: a
    second wheel holding the same path keeps the first one's file. Returns (written, collisions).
    Nothing in the archive is run; members that would leave ``dest`` are skipped."""
    import zipfile

    written = collisions = 0
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            rel = _safe_member(info.filename)
            if rel is None:
                continue
            if rel in taken:
                collisions += 1
                continue
            target = os.path.join(dest, *rel.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            taken[rel] = os.path.basename(wheel)
            written += 1
    return written, collisions


def wheels_tree(directory: str, specs: Sequence[str] = WHEELS, log=print) -> str:
    """``DIR/tree``, laid out from ``specs`` on the first call (``pip download --no-deps
    --only-binary :all:`` into ``DIR/wheels``, then the ``*.py`` files of each wheel) and reused
    afterwards as long as ``DIR/tree.json`` says it was made from the same specs."""
    directory = os.path.abspath(directory)
    tree = os.path.join(directory, WHEELS_TREE_NAME)
    stamp = os.path.join(directory, WHEELS_STAMP)
    try:
        with open(stamp, encoding="utf-8") as fh:
            if json.load(fh).get("specs") == list(specs) and os.path.isdir(tree):
                log(f"bench: reusing the wheel tree in {tree}")
                return tree
    except (OSError, ValueError, AttributeError):
        pass
    wheel_dir = os.path.join(directory, WHEELS_DIR_NAME)
    os.makedirs(wheel_dir, exist_ok=True)
    log(f"bench: pip download --no-deps --only-binary :all: {len(specs)} wheels into {wheel_dir} ...")
    proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                           "-d", wheel_dir, *specs], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        tail = proc.stdout.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise SystemExit("bench: pip download failed:\n  " + "\n  ".join(tail))
    wheels = [os.path.join(wheel_dir, w) for w in sorted(os.listdir(wheel_dir)) if w.endswith(".whl")]
    missing = [s for s in specs if not any(_wheel_matches(w, s) for w in wheels)]
    if missing:
        raise SystemExit(f"bench: no wheel downloaded for {', '.join(missing)}")
    if os.path.exists(stamp):
        os.unlink(stamp)
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    taken: Dict[str, str] = {}
    per_wheel: Dict[str, int] = {}
    collisions = 0
    for w in wheels:
        if not any(_wheel_matches(w, s) for s in specs):
            continue  # a wheel left in the folder by another list
        n, c = extract_py_files(w, tree, taken)
        per_wheel[os.path.basename(w)] = n
        collisions += c
    with open(stamp, "w", encoding="utf-8") as fh:
        json.dump({"specs": list(specs), "files": len(taken), "per_wheel": per_wheel,
                   "collisions": collisions}, fh, indent=1)
    log(f"bench: extracted {len(taken)} *.py files from {len(per_wheel)} wheels into {tree}"
        + (f" ({collisions} paths held by two wheels: first kept)" if collisions else ""))
    return tree


def select_wheels(names: Optional[str]) -> List[str]:
    """The specs of :data:`WHEELS` named in the comma-separated ``names`` (all when empty): a
    smaller tree of the same packages when the whole one takes too long."""
    if not names:
        return list(WHEELS)
    wanted = {_norm_name(n.strip()) for n in names.split(",") if n.strip()}
    chosen = [s for s in WHEELS if _norm_name(s.partition("==")[0]) in wanted]
    unknown = wanted - {_norm_name(s.partition("==")[0]) for s in chosen}
    if unknown:
        raise SystemExit(f"bench: --wheels: not among the 21 wheels: {', '.join(sorted(unknown))}")
    return chosen


def _norm_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _wheel_matches(wheel_path: str, spec: str) -> bool:
    """Whether a wheel file name (``name-version-...whl``) is the one ``name==version`` asks for."""
    name, _, version = spec.partition("==")
    parts = os.path.basename(wheel_path).split("-")
    return len(parts) >= 2 and _norm_name(parts[0]) == _norm_name(name) and (not version or parts[1] == version)


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
    """Short commit of the git checkout holding ``directory``, the last commit that changed files
    under it, and whether they differ from it."""
    if not shutil.which("git") or not os.path.isdir(directory):
        return ""
    code, rev = _capture(["git", "-C", directory, "rev-parse", "--short", "HEAD"], directory)
    if code != 0:
        return ""
    code, last = _capture(["git", "-C", directory, "log", "-1", "--format=%h", "--", "."], directory)
    code2, dirty = _capture(["git", "-C", directory, "status", "--porcelain", "--untracked-files=no", "--", "."], directory)
    text = f"HEAD {rev.strip()}"
    if code == 0 and last.strip() and last.strip() != rev.strip():
        text += f", package last changed in {last.strip()}"  # HEAD may add only benchmark or doc commits
    return text + (" + uncommitted changes" if code2 == 0 and dirty.strip() else "")


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
    with open(report_path, "rb") as fh:
        raw = fh.read()
    data = json.loads(raw.decode("utf-8"))
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
        "sha256": hashlib.sha256(raw).hexdigest(),  # warm must equal cold byte for byte
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

# Whole-tree rows, in table order. Cold runs pass --no-cache; the cache rows use a fresh temporary
# --cache-dir and run on the bench's own copy of the tree (the user's tree is never written to).
TREE_ROWS = ("parse", "rg_j1", "rg_default", "rg_prime", "rg_warm", "rg_touched", "rg_doubled", "bandit")
RG_ROWS = ("rg_j1", "rg_default", "rg_prime", "rg_warm", "rg_touched", "rg_doubled")
SKIPPABLE = ("cold", "j1", "cache", "doubled", "precommit")
TOUCH_LINE = "# rceguard bench: this copy was touched ({n})\n"


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
    kind: str = "stdlib"                # whose targets apply: "stdlib" or "wheels"
    touched: str = ""                   # relative path of the file changed for the rg_touched row
    excluded: Tuple[str, ...] = tuple(sorted(EXCLUDED_DIRS))
    wheels: Tuple[str, ...] = ()        # the specs the tree was laid out from (kind "wheels")
    interrupted: str = ""               # set when the run was stopped early: partial results


def _jobs_variants(info: Optional[RceguardInfo]) -> List[Tuple[str, List[str]]]:
    if info is not None and info.jobs_supported:
        return [("rg_j1", ["--jobs", "1"]), ("rg_default", [])]
    return [("rg_default", [])]


def benchmark(args: argparse.Namespace, log=print) -> Results:
    wheels_dir = getattr(args, "wheels_tree", None)
    specs = select_wheels(getattr(args, "wheels", None))
    if wheels_dir:
        tree = wheels_tree(wheels_dir, specs, log=log)
        excluded = frozenset({"__pycache__"})  # the issue's 3,745 files include the wheels' own tests
        kind = "wheels"
    else:
        tree = os.path.abspath(args.tree or default_tree())
        excluded = EXCLUDED_DIRS
        kind = getattr(args, "targets", None) or "stdlib"
    if not os.path.isdir(tree):
        raise SystemExit(f"bench: not a directory: {tree}")
    files = list_files(tree, excluded)
    if not files:
        raise SystemExit(f"bench: no *.py files under {tree}")
    log(f"bench: {len(files):,} files, {sum(f.lines for f in files):,} lines under {tree}")
    small = pick_typical(files, args.precommit_files)
    extra = shlex.split(args.rceguard_args or "")
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load_before = load_average()
    work = tempfile.mkdtemp(prefix="rceguard-bench-")
    saved = {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    if saved["PYTHONDONTWRITEBYTECODE"]:
        # An installed tool runs from byte-compiled modules; with this variable set, every child
        # would compile all of rceguard's (and Bandit's) modules at each start (~0.2 s here).
        # Compiled files go to a folder of the benchmark's own, never next to anyone's sources.
        log("bench: PYTHONDONTWRITEBYTECODE is set; the children cache bytecode under a temporary folder instead")
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = os.path.join(work, "pycache")
    try:
        res = _benchmark(args, tree, files, small, extra, work, log)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(work, ignore_errors=True)
    res.started = started
    res.kind = kind
    res.excluded = tuple(sorted(excluded))
    res.wheels = tuple(specs) if wheels_dir else ()
    if load_before:
        res.load = f"{load_before} before, {load_average()} after"
    return res


def load_average() -> str:
    try:
        return "/".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return ""


def copy_files(files: Sequence[SourceFile], dest: str) -> List[str]:
    """Copy ``files`` to ``dest`` at their relative paths (contents and mtimes); returns the new
    absolute paths in the same order. The bench runs on such copies so that the cache rows can
    change a file without touching the user's tree."""
    out = []
    for f in files:
        target = os.path.join(dest, *f.rel.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(f.path, target)
        out.append(target)
    return out


def touch_file(path: str, n: int) -> None:
    """Append one comment line: a change to the file's bytes (so its hash and signature change)
    that cannot change what it does."""
    with open(path, "rb") as fh:
        data = fh.read()
    with open(path, "ab") as fh:
        if data and not data.endswith(b"\n"):
            fh.write(b"\n")
        fh.write(TOUCH_LINE.format(n=n).encode("ascii"))


def _skips(args: argparse.Namespace) -> set:
    raw = getattr(args, "skip", "") or ""
    return {x.strip() for x in raw.split(",") if x.strip()}


def _benchmark(args, tree, files, small, extra, work, log) -> Results:
    cwd = os.path.join(work, "cwd")  # neutral: nothing here shadows a module or holds a config
    os.mkdir(cwd)
    skip = _skips(args)
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

    # Every command reads the bench's copy: the same bytes as the tree, and free to change.
    log(f"bench: copying {len(files)} files to {work} ...")
    paths = copy_files(files, os.path.join(work, "tree"))
    by_rel = {f.rel: p for f, p in zip(files, paths)}
    small_paths = [by_rel[f.rel] for f in small]
    touched = pick_typical(files, 1)[0]
    list_file = os.path.join(work, "files.nul")
    with open(list_file, "wb") as fh:
        fh.write("\0".join(paths).encode("utf-8", "surrogateescape"))
    out_file = os.path.join(work, "out.json")
    cache_dir = os.path.join(work, "cache")  # the warm rows' --cache-dir, never in the tree

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
        # One line per run on stderr: a long run that is stopped early still leaves its numbers.
        found = f", {m.counts[-1].get('total')} finding(s)" if parse is not None and m.counts else ""
        rss = f", {run.rss_kb * 1024 / 1e6:.0f} MB" if run.rss_kb is not None else ""
        log(f"bench:   {m.label}: {run.wall:.3f} s{rss}{found}, exit {run.returncode}")

    def rg_cmd(jobs_args: List[str], targets: List[str], cache: Optional[str] = None) -> List[str]:
        cache_args = ["--cache-dir", cache] if cache else ["--no-cache"]
        return [sys.executable, "-m", "rceguard", "--quiet", "--format", "json", "-o", out_file, *cache_args,
                *jobs_args, *extra, "--", *targets]

    def bandit_cmd(targets: List[str]) -> List[str]:
        return [*bandit, "-q", "-r", "-f", "json", "-o", out_file, "-t", BANDIT_TESTS, "--", *targets]

    variants = [(k, j) for k, j in _jobs_variants(info)
                if "cold" not in skip and not (k == "rg_j1" and "j1" in skip)]
    labels = {"rg_j1": "rceguard cold --jobs 1", "rg_default": "rceguard cold (default jobs)"}
    if info is not None and not info.jobs_supported:
        labels["rg_default"] = "rceguard cold (no --jobs option)"

    interrupted = ""
    try:  # Ctrl-C or SIGTERM: stop, and report what was measured so far
        # Pre-commit-sized call first: its untimed warm-up also compiles rceguard's .pyc files.
        m_start = add("startup", "python -c pass")
        m_small = add("small_rg", "rceguard --no-cache (default jobs)", (0, 1))
        m_small_b = add("small_bandit", "bandit", (0, 1))
        if "precommit" in skip:
            for mm in (m_start, m_small, m_small_b):
                mm.skipped = "skipped (--skip precommit)"
        else:
            log(f"bench: pre-commit call, {len(small)} files x {args.repeat_small} ...")
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

        # Whole tree, cold, interleaved so that drift of the machine hits every tool alike.
        m_parse = add("parse", "ast.parse loop (read + parse)")
        rg_measures = [(key, jobs, add(key, labels[key], (0, 1))) for key, jobs in variants]
        m_bandit = add("bandit", f"bandit -t {BANDIT_TESTS}", (0, 1))
        if bandit is None:
            m_bandit.skipped = "not run (see bandit: above)"
        for key, _, m in rg_measures:
            if info is None:
                m.skipped = "rceguard is not importable"
        for i in range(args.repeat):
            log(f"bench: whole tree cold, round {i + 1}/{args.repeat} ...")
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

        # The result cache: one run that fills it, then runs with no change, then runs that each see
        # one more comment line at the end of one typical file (so every round has exactly one change).
        m_prime = add("rg_prime", "rceguard first run, writing the cache (info)", (0, 1))
        m_warm = add("rg_warm", "rceguard warm (cache, no change)", (0, 1))
        m_touch = add("rg_touched", "rceguard warm, one file changed", (0, 1))
        if "cache" in skip or info is None:
            for mm in (m_prime, m_warm, m_touch):
                mm.skipped = "skipped (--skip cache)" if info is not None else "rceguard is not importable"
        else:
            log("bench: filling the cache ...")
            timed(m_prime, rg_cmd([], paths, cache_dir), env, rceguard_counts)
            for i in range(args.repeat):
                log(f"bench: warm, round {i + 1}/{args.repeat} ...")
                timed(m_warm, rg_cmd([], paths, cache_dir), env, rceguard_counts)
            for i in range(args.repeat):
                log(f"bench: warm after touching {touched.rel}, round {i + 1}/{args.repeat} ...")
                touch_file(by_rel[touched.rel], i + 1)
                timed(m_touch, rg_cmd([], paths, cache_dir), env, rceguard_counts)

        # Linear growth: two copies of the tree side by side, cold.
        m_double = add("rg_doubled", "rceguard cold, tree doubled (2 copies)", (0, 1))
        if "doubled" in skip or info is None:
            m_double.skipped = "skipped (--skip doubled)" if info is not None else "rceguard is not importable"
        else:
            log(f"bench: copying the tree twice ...")
            doubled = (copy_files(files, os.path.join(work, "doubled", "copy1"))
                       + copy_files(files, os.path.join(work, "doubled", "copy2")))
            for i in range(args.repeat):
                log(f"bench: doubled tree cold, round {i + 1}/{args.repeat} ...")
                timed(m_double, rg_cmd([], doubled), env, rceguard_counts)
            shutil.rmtree(os.path.join(work, "doubled"), ignore_errors=True)
    except KeyboardInterrupt:
        interrupted = "interrupted: the rows below were measured before the run was stopped"
        for mm in measures.values():
            if not mm.runs and not mm.skipped:
                mm.skipped = "not reached (interrupted)"

    return Results(
        tree=tree, files=files, small=small, repeat=args.repeat, repeat_small=args.repeat_small,
        rceguard=info, bandit_version=bandit_version, bandit_missing=bandit_missing,
        rceguard_args=extra, measures=measures, machine=machine_description(), touched=touched.rel,
        interrupted=interrupted,
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
    if a is None or b is None or a.skipped or b.skipped or not a.ok or not b.ok or not b.median:
        return None
    return a.median / b.median  # type: ignore[operator]


def _cpu_ratio(a: Optional[Measure], b: Optional[Measure]) -> Optional[float]:
    if a is None or b is None or a.skipped or b.skipped or not a.ok or not b.ok or not a.cpu or not b.cpu:
        return None
    return a.cpu / b.cpu


# Issue 9's targets: (row id, what, numerator, denominator or None for an absolute value,
# {tree kind: limit}). A limit given for the other kind only is printed for information.
TARGETS: Tuple[Tuple[str, str, str, Optional[str], Dict[str, float]], ...] = (
    ("cold_j1_parse", "rceguard cold --jobs 1 / ast.parse loop", "rg_j1", "parse", {"stdlib": 1.0, "wheels": 2.0}),
    ("cold_parse", "rceguard cold (default jobs) / ast.parse loop", "rg_default", "parse",
     {"stdlib": 1.0, "wheels": 2.0}),
    ("cold_j1_bandit", "rceguard cold --jobs 1 / bandit", "rg_j1", "bandit", {"stdlib": 0.1}),
    ("cold_bandit", "rceguard cold (default jobs) / bandit", "rg_default", "bandit", {"stdlib": 0.1}),
    ("warm_parse", "rceguard warm / ast.parse loop", "rg_warm", "parse", {"wheels": 0.2}),
    ("touched_parse", "rceguard one file changed / ast.parse loop", "rg_touched", "parse", {"wheels": 0.3}),
    ("doubled", "tree doubled / single tree (cold, default jobs)", "rg_doubled", "rg_default",
     {"stdlib": 2.2, "wheels": 2.2}),
    ("rss_j1", "peak RSS, rceguard cold --jobs 1 (MB)", "rg_j1", None, {"wheels": 500.0}),
    ("rss_cold", "peak RSS, rceguard cold (default jobs) (MB)", "rg_default", None, {"wheels": 500.0}),
    ("precommit", "pre-commit call, {n} files (s)", "small_rg", None, {"stdlib": 0.15, "wheels": 0.15}),
)
KIND_NAMES = {"stdlib": "stdlib", "wheels": "21 wheels"}


def _fmt_limit(v: float) -> str:
    return f"{v:.1f}" if v == int(v) and v < 10 else f"{v:g}"


def target_rows(res: Results) -> List[Tuple[str, str, str, str, str]]:
    """(measure, value, target, status, cpu-time ratio for information). The target column names
    the tree it is defined for; a target of the other tree is shown as ``(wheels: <= 0.2)`` with
    status ``info``."""
    m = res.measures
    rows: List[Tuple[str, str, str, str, str]] = []
    for _, what, num_key, den_key, limits in TARGETS:
        num = m.get(num_key)
        if num is None:
            continue
        label = what.format(n=len(res.small))
        cpu = ""
        if den_key is not None:
            value = _ratio(num, m.get(den_key))
            text = "-" if value is None else f"{value:.3f}" if value < 1 else f"{value:.2f}"
            c = _cpu_ratio(num, m.get(den_key))
            cpu = "-" if c is None else f"{c:.3f}" if c < 1 else f"{c:.2f}"
        elif label.startswith("peak RSS"):
            value = num.rss_mb if num.ok and not num.skipped else None
            text = _fmt_mb(value)
        else:
            value = num.median if num.ok and not num.skipped else None
            text = _fmt_s(value)
        limit = limits.get(res.kind)
        if limit is not None:
            target = f"<= {_fmt_limit(limit)} ({KIND_NAMES.get(res.kind, res.kind)})"
            status = "n/a" if value is None else ("met" if value <= limit else "NOT MET")
        else:
            other = ", ".join(f"{KIND_NAMES.get(k, k)}: <= {_fmt_limit(v)}" for k, v in limits.items())
            target, status = f"({other})", "info"
        rows.append((label, text, target, status, cpu))
    return rows


def _digest(mm: Optional[Measure]) -> Optional[str]:
    if mm is None or not mm.counts:
        return None
    return mm.counts[-1].get("sha256")  # type: ignore[return-value]


def consistency_notes(res: Results) -> List[str]:
    """Warnings when a row's report differs where it must not: --jobs 1 vs default jobs, warm vs
    cold (byte for byte), one file changed by a comment line vs cold (same findings), and the
    doubled tree vs twice the single tree (finding count)."""
    m = res.measures
    notes: List[str] = []
    j1, dflt = m.get("rg_j1"), m.get("rg_default")
    if j1 and dflt and j1.counts and dflt.counts and _digest(j1) != _digest(dflt):
        notes.append("WARNING: rceguard reports differ between --jobs 1 and the default jobs")
    for key, what in (("rg_prime", "the cache-filling run"), ("rg_warm", "the warm run")):
        mm = m.get(key)
        if dflt and mm and mm.counts and dflt.counts and _digest(mm) != _digest(dflt):
            notes.append(f"WARNING: the report of {what} is not byte-identical to the cold run's")
    prime, warm = m.get("rg_prime"), m.get("rg_warm")
    if not (dflt and dflt.counts) and prime and warm and prime.counts and warm.counts and _digest(prime) != _digest(warm):
        notes.append("WARNING: the report of the warm run is not byte-identical to the cache-filling run's")
    touched = m.get("rg_touched")
    if dflt and touched and touched.counts and dflt.counts:
        a, b = touched.counts[-1], dflt.counts[-1]
        if (a.get("total"), a.get("by_rule")) != (b.get("total"), b.get("by_rule")):
            notes.append(f"WARNING: appending a comment line to {res.touched} changed the findings "
                         f"({b.get('total')} cold, {a.get('total')} after the change)")
    doubled = m.get("rg_doubled")
    if dflt and doubled and doubled.counts and dflt.counts:
        one, two = dflt.counts[-1].get("total"), doubled.counts[-1].get("total")
        if isinstance(one, int) and isinstance(two, int) and two != 2 * one:
            notes.append(f"note: the doubled tree has {two} findings, not twice the single tree's {one}")
    for key in RG_ROWS + ("bandit", "small_rg", "small_bandit"):
        mm = m.get(key)
        if mm and mm.counts and not all(x == mm.counts[0] for x in mm.counts):
            notes.append(f"WARNING: {mm.label}: the report differs between repeated runs")
    parse = m.get("parse")
    if parse and parse.counts and parse.counts[-1].get("failed"):
        notes.append(f"note: ast.parse failed on {parse.counts[-1]['failed']} file(s) of the tree")
    return notes


def _findings_cell(mm: Measure) -> str:
    if not mm.counts:
        return "-"
    c = mm.counts[-1]
    return "?" if "error" in c else str(c.get("total", "-"))


def render(res: Results) -> str:
    m = res.measures
    lines_total = sum(f.lines for f in res.files)
    size_total = sum(f.size for f in res.files)
    small_lines = sum(f.lines for f in res.small)
    out: List[str] = []
    out.append(f"rceguard benchmark, {res.started}")
    if res.interrupted:
        out.append(f"INCOMPLETE: {res.interrupted}")
    out.append(f"machine:  {res.machine}")
    if res.load:
        out.append(f"load:     1/5/15-min load average {res.load} (timings are only comparable on an idle machine)")
    out.append(f"tree:     {res.tree}")
    skipped_dirs = f"skipping dirs named {', '.join(res.excluded)}" if res.excluded else "no dirs skipped"
    out.append(f"          {len(res.files):,} files, {lines_total:,} lines, {size_total / 1e6:.1f} MB ({skipped_dirs})")
    if res.wheels:
        out.append(f"          laid out from {len(res.wheels)} wheels (pip download --no-deps, read as zip files): "
                   + " ".join(res.wheels))
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

    parse = m.get("parse")

    def row(mm: Measure, ratio: str = "") -> List[object]:
        if mm.skipped:
            return [mm.label, "-", "-", "-", "-", "-", "-", mm.skipped]
        runs = " ".join(_fmt_s(r.wall) for r in mm.runs)
        note = mm.error or ("exit " + "/".join(sorted({str(r.returncode) for r in mm.runs})))
        return [mm.label, _fmt_s(mm.median), ratio, _fmt_s(mm.cpu), _fmt_mb(mm.rss_mb), _findings_cell(mm), runs, note]

    def vs(mm: Measure, base: Optional[Measure], unit: str) -> str:
        r = _ratio(mm, base)
        return "" if r is None else f"{r:.2f}x {unit}"

    headers = ["command", "wall s", "ratio", "cpu s", "RSS MB", "findings", "runs (s)", "status"]
    out.append("")
    out.append(f"Whole tree ({len(res.files):,} files, {lines_total:,} lines, the same files for every command; "
               "cold = --no-cache, the cache rows use a temporary --cache-dir)")
    trows = []
    for k in TREE_ROWS:
        if k not in m:
            continue
        if k == "parse":
            trows.append(row(m[k], "1.00x parse" if m[k].ok else ""))
        elif k == "rg_doubled":
            trows.append(row(m[k], vs(m[k], m.get("rg_default"), "single")))
        else:
            trows.append(row(m[k], vs(m[k], parse, "parse")))
    out.append(format_table(headers, trows, right=(1, 3, 4, 5)))
    if res.touched and "rg_touched" in m and not m["rg_touched"].skipped:
        out.append(f"  one file changed: a comment line appended to (the bench's copy of) {res.touched} before each run")
    if "rg_doubled" in m and not m["rg_doubled"].skipped:
        out.append(f"  tree doubled: {2 * len(res.files):,} files, two copies of the tree side by side; ratio to the cold default-jobs row")
    if "startup" in m and not m["startup"].skipped:
        out.append("")
        out.append(f"Pre-commit-sized call ({len(res.small)} files nearest the median size, {small_lines:,} lines)")
        keys = [k for k in ("startup", "small_rg", "small_bandit") if k in m]
        out.append(format_table(headers, [row(m[k]) for k in keys], right=(1, 3, 4, 5)))
        out.append("  files: " + " ".join(f.rel for f in res.small))
    out.append("")
    out.append(f"Targets (issue 9; this tree is judged by the {KIND_NAMES.get(res.kind, res.kind)} targets)")
    out.append(format_table(["measure", "value", "target", "status", "cpu-time ratio (info)"], target_rows(res),
                            right=(1, 4)))
    out.append("")
    out.append("Findings (rceguard reports network data reaching a sink; Bandit flags sink calls")
    out.append("whatever their input, so the counts differ by design; watch each tool's count across versions)")
    frows: List[List[object]] = []
    for k in RG_ROWS + ("bandit",):
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
        digest = c.get("sha256")
        frows.append([mm.label, c.get("files", "-"), c.get("unreadable", "-"), c.get("total", "-"),
                      _fmt_by(c.get("by_level"), LEVEL_ORDER), _fmt_by(c.get("by_rule")),
                      str(digest)[:12] if digest else ""])
    if frows:
        out.append(format_table(["tool", "files", "unreadable", "findings", "by level/severity", "by rule",
                                 "report sha256"], frows, right=(1, 2, 3)))
    out.extend(consistency_notes(res))
    return "\n".join(out) + "\n"


def to_json(res: Results) -> Dict[str, object]:
    return {
        "started": res.started,
        "machine": res.machine,
        "tree": res.tree,
        "kind": res.kind,
        "wheels": list(res.wheels),
        "excluded_dirs": list(res.excluded),
        "files": len(res.files),
        "lines": sum(f.lines for f in res.files),
        "bytes": sum(f.size for f in res.files),
        "precommit_files": [f.rel for f in res.small],
        "touched_file": res.touched,
        "repeat": res.repeat,
        "repeat_small": res.repeat_small,
        "rceguard": vars(res.rceguard) if res.rceguard else None,
        "rceguard_args": res.rceguard_args,
        "bandit": res.bandit_version or None,
        "measures": {
            k: {"label": mm.label, "median_s": mm.median, "cpu_s": mm.cpu, "rss_mb": mm.rss_mb,
                "vs_parse": _ratio(mm, res.measures.get("parse")),
                "runs_s": [r.wall for r in mm.runs], "cpu_runs_s": [r.cpu for r in mm.runs],
                "rss_runs_kb": [r.rss_kb for r in mm.runs], "exit": [r.returncode for r in mm.runs],
                "error": mm.error or None, "counts": mm.counts[-1] if mm.counts else None,
                "counts_stable": all(x == mm.counts[0] for x in mm.counts) if mm.counts else None,
                "skipped": mm.skipped or None}
            for k, mm in res.measures.items()
        },
        "load": res.load,
        "targets": [dict(zip(("measure", "value", "target", "status", "cpu_ratio"), r)) for r in target_rows(res)],
        "notes": consistency_notes(res),
        "interrupted": res.interrupted or None,
    }


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--tree", metavar="PATH", help="directory to benchmark (default: this Python's stdlib without tests)")
    where.add_argument("--wheels-tree", metavar="DIR",
                       help="benchmark issue 9's 21-wheel tree, laid out in DIR on the first use (pip download "
                            "--no-deps into DIR/wheels, *.py files extracted to DIR/tree) and reused afterwards")
    p.add_argument("--wheels", metavar="NAMES", help="with --wheels-tree: only these of the 21 wheels, comma-separated "
                   "(e.g. flask,werkzeug,requests); use another DIR for each selection")
    p.add_argument("--targets", choices=("stdlib", "wheels"), help="whose targets judge a --tree (default stdlib; "
                   "--wheels-tree: wheels)")
    p.add_argument("--repeat", type=int, default=3, metavar="N", help="runs per whole-tree timing; the median is reported (default 3)")
    p.add_argument("--repeat-small", type=int, default=5, metavar="N", help="runs of the pre-commit-sized call (default 5)")
    p.add_argument("--precommit-files", type=int, default=10, metavar="N", help="files in the pre-commit-sized call (default 10)")
    p.add_argument("--skip", metavar="ROWS", default="",
                   help=f"comma-separated rows not to run: {', '.join(SKIPPABLE)} (e.g. on the slow wheel tree)")
    p.add_argument("--rceguard-args", metavar="ARGS", default="", help="extra arguments for rceguard, one shell-quoted string")
    p.add_argument("--installed", action="store_true", help="run the installed rceguard instead of this checkout's hook/")
    p.add_argument("--rceguard-path", metavar="DIR", help="run the rceguard package found in DIR (e.g. an exported older commit's hook/)")
    p.add_argument("--bandit", metavar="CMD", help="command that runs Bandit (default: python -m bandit, else bandit on PATH)")
    p.add_argument("--no-bandit", action="store_true", help="skip Bandit")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON to FILE")
    args = p.parse_args(argv)
    if args.repeat < 1 or args.repeat_small < 1 or args.precommit_files < 1:
        p.error("--repeat, --repeat-small and --precommit-files must be at least 1")
    unknown = _skips(args) - set(SKIPPABLE)
    if unknown:
        p.error(f"--skip: unknown row(s) {', '.join(sorted(unknown))}; choose from {', '.join(SKIPPABLE)}")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)

    def log(msg: str) -> None:
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()

    def on_term(signum, frame):  # `kill PID`: like Ctrl-C, so the partial table is still printed
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term) if hasattr(signal, "SIGTERM") else None
    try:
        res = benchmark(args, log)
    except KeyboardInterrupt:  # before any measurement (listing, copying, downloading)
        log("bench: interrupted")
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    sys.stdout.write(render(res))
    sys.stdout.flush()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(to_json(res), fh, indent=2)
            fh.write("\n")
    return 130 if res.interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
