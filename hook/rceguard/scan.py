"""The orchestrator: paths -> :class:`~rceguard.findings.ScanResult`.

discover -> read & parse each file once -> ``engine.analyze`` (with a loader for other project
modules, sharing the same parse cache) -> select/ignore -> inline suppression -> sorted result.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Collection, Dict, List, Mapping, Optional, Sequence, Union

from .config import Config, rule_enabled
from .discover import Excluder, discover
from .findings import Finding, Notice, ScanResult
from .source import ParsedFile, load, one_line
from . import suppress

PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")

PathLike = Union[str, "os.PathLike[str]"]


# ------------------------------------------------------------------------------------ root logic


def common_dir(paths: Sequence[PathLike]) -> Path:
    """The deepest directory containing every input (a file input counts as its directory)."""
    dirs = []
    for p in paths or [os.curdir]:
        full = os.path.abspath(os.fspath(p))
        dirs.append(full if os.path.isdir(full) else os.path.dirname(full))
    try:
        return Path(os.path.commonpath(dirs))
    except ValueError:  # different drives
        return Path(dirs[0])


def find_git_root(start: Path) -> Optional[Path]:
    """Nearest ancestor (or ``start`` itself) holding ``.git`` (a directory, or a file for worktrees)."""
    current = Path(os.path.abspath(start))
    while True:
        if (current / ".git").exists():
            return current
        if current.parent == current:
            return None
        current = current.parent


def find_project_root(start: Path) -> Path:
    """Nearest ancestor with pyproject.toml / setup.py / setup.cfg, not looking above the git root;
    else the git root; else the current directory when it contains ``start`` (so reported paths
    are relative to where the user is); else ``start`` (the common directory of the inputs)."""
    current = Path(os.path.abspath(start))
    while True:
        if any((current / m).is_file() for m in PROJECT_MARKERS):
            return current
        if (current / ".git").exists() or current.parent == current:
            break
        current = current.parent
    git = find_git_root(start)
    if git is not None:
        return git
    here = Path(os.path.abspath(os.curdir))
    start = Path(os.path.abspath(start))
    if here == start or here in start.parents:
        return here
    return start


def display_root(start: Path, project_root: Path) -> Path:
    """Directory that reported paths are relative to: the repository root when inside a git
    checkout (so SARIF URIs are repository-relative, also in monorepos), else the project root."""
    git = find_git_root(start)
    if git is not None and (project_root == git or git in project_root.parents):
        return git
    return project_root


def real_key(path: PathLike) -> str:
    """Identity of a file on disk (symlinks resolved, case-folded where the OS does), used to match
    discovered files against the changed files of --diff/--staged."""
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def make_display(root: Path) -> Callable[[Path], str]:
    root_s = os.path.abspath(root)

    def display(path: Path) -> str:
        full = os.path.abspath(os.fspath(path))
        try:
            rel = os.path.relpath(full, root_s)
        except ValueError:
            rel = full
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            rel = full
        return rel.replace(os.sep, "/")

    return display


# ---------------------------------------------------------------------------------------- loader


class FileCache:
    """Parses each file at most once per run; shared by targets and the engine's loader."""

    def __init__(
        self,
        display: Callable[[Path], str],
        project_root: Path,
        contents: Optional[Mapping[str, bytes]] = None,
    ) -> None:
        self.display = display
        self.project_root = os.path.abspath(project_root)
        self.contents = contents  # real_key -> bytes to parse instead of the file (--staged)
        self._cache: Dict[str, Union[ParsedFile, Notice]] = {}

    def get(self, path: Path) -> Union[ParsedFile, Notice]:
        key = os.path.normcase(os.path.abspath(os.fspath(path)))
        hit = self._cache.get(key)
        if hit is None:
            full = Path(os.path.abspath(os.fspath(path)))
            data = self.contents.get(real_key(path)) if self.contents else None
            if data is None:
                hit = load(full, self.display(Path(path)))
            else:
                hit = load(full, self.display(Path(path)), data)
            self._cache[key] = hit
        return hit

    def loader(self, path: Path) -> Optional[ParsedFile]:
        """For ``engine.analyze``: another project module, or None. Never reads outside the root."""
        try:
            full = os.path.abspath(os.fspath(path))
            rel = os.path.relpath(full, self.project_root)
            if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
                return None
            hit = self.get(Path(full))
        except Exception:
            return None
        return hit if isinstance(hit, ParsedFile) else None


# ------------------------------------------------------------------------------------------ scan


def _internal_notice(pf: ParsedFile, exc: BaseException) -> Notice:
    if isinstance(exc, RecursionError):
        msg = "too deeply nested to analyse (RecursionError)"
    elif isinstance(exc, MemoryError):
        msg = "too large to analyse (MemoryError)"
    else:
        msg = one_line(f"internal error while analysing: {type(exc).__name__}: {exc}")
    return Notice(path=pf.display, message=msg, kind="other")


def _analyze(targets: List[ParsedFile], cache: FileCache, root: Path, config: Config, notices: List[Notice]) -> List[Finding]:
    from .analysis import engine

    def run(batch: Sequence[ParsedFile]) -> List[Finding]:
        return list(
            engine.analyze(
                batch,
                root=root,
                loader=cache.loader,
                extend_sources=config.extend_sources,
                extend_sinks=config.extend_sinks,
                extend_sanitizers=config.extend_sanitizers,
            )
        )

    if not targets:
        return []
    try:
        return run(targets)
    except Exception as exc:  # includes RecursionError and MemoryError
        if len(targets) == 1:
            notices.append(_internal_notice(targets[0], exc))
            return []
    # one file broke the analysis of the batch: analyse file by file so the others still report
    findings: List[Finding] = []
    for pf in targets:
        try:
            findings.extend(run([pf]))
        except Exception as exc:
            notices.append(_internal_notice(pf, exc))
    return findings


def scan(
    paths: Sequence[PathLike],
    config: Optional[Config] = None,
    *,
    only: Optional[Collection[str]] = None,
    contents: Optional[Mapping[str, bytes]] = None,
) -> ScanResult:
    """Scan files/directories. Raises :class:`~rceguard.config.UsageError` for a missing path.

    ``only``: keep just the discovered files whose :func:`real_key` is in it (``--diff``/``--staged``:
    the changed files, so the result is their intersection with ``paths``). ``contents``: real_key ->
    bytes to analyse instead of the file on disk (``--staged``: the staged blobs).
    """
    config = config or Config()
    paths = list(paths) or [os.curdir]
    start = common_dir(paths)
    project_root = find_project_root(start)
    root = display_root(start, project_root)
    display = make_display(root)

    excluder = Excluder(config.exclude, config.base or project_root) if config.exclude else None
    found = discover(paths, excluder=excluder, display=display)
    notices: List[Notice] = list(found.notices)

    files = found.files
    if only is not None:
        files = [p for p in files if real_key(p) in only]
    cache = FileCache(display, project_root, contents)
    targets: List[ParsedFile] = []
    for path in files:
        item = cache.get(path)
        if isinstance(item, ParsedFile):
            targets.append(item)
        else:
            notices.append(item)

    findings = _analyze(targets, cache, project_root, config, notices)
    target_displays = {pf.display for pf in targets}
    findings = [f for f in findings if f.location.path in target_displays]
    findings = [f for f in findings if rule_enabled(f.rule_id, config)]
    texts = {pf.display: pf.text for pf in targets}
    sup = suppress.apply(findings, texts)

    # identical findings (same rule, place and message) reported twice collapse to one
    unique: Dict[tuple, Finding] = {}
    for f in sup.kept:
        unique.setdefault(f.sort_key(), f)
    return ScanResult(
        findings=sorted(unique.values(), key=lambda f: f.sort_key()),
        notices=sorted(set(notices)),
        files_scanned=len(targets),
        suppressed=sup.suppressed,
        bare_ignores=sup.bare,
        root=str(root),
    )


def fails(result: ScanResult, fail_on: str) -> bool:
    """True when a finding is at or above ``fail_on`` (``never``: never)."""
    order = {"note": 0, "warning": 1, "error": 2}
    if fail_on == "never":
        return False
    threshold = order[fail_on]
    return any(order.get(f.level, 2) >= threshold for f in result.findings)
