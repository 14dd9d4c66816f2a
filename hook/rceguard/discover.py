"""Turn command-line paths into the list of files to scan.

* Directories are walked for ``*.py`` / ``*.pyi``, notebooks (``*.ipynb``), ``*.pth`` files and
  the shell-kind files of :mod:`rceguard.shellfiles` (shell scripts, Dockerfiles, workflow/action
  files, Makefiles) in sorted order, skipping VCS directories, virtualenvs (``venv``, ``.venv`` and any directory
  holding ``pyvenv.cfg`` or ``conda-meta``), ``node_modules``, caches and build output.
* Directory symlinks are followed only when they point inside one of the scanned roots (each
  real directory is visited once, so symlink loops end); file symlinks found while walking are
  scanned only when their target lies inside the scanned roots.
* Explicitly named files are always scanned, whatever their suffix, unless ``exclude`` matches them
  (pre-commit passes file names, so excludes must apply to them too).
* A missing path raises :class:`~rceguard.config.UsageError`; a dangling symlink, a FIFO, a
  directory named ``x.py`` or an unlistable directory becomes a :class:`Notice` and the run goes on.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Pattern, Sequence, Set, Tuple, Union

from .config import UsageError
from .findings import Notice
from .shellfiles import kind_of as shell_kind

PY_SUFFIXES = (".py", ".pyi")

SKIP_DIR_NAMES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "venv",
        ".venv",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        ".eggs",
        ".ipynb_checkpoints",  # Jupyter's autosaved copies of the notebooks next to it
    }
)
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")


# other files whose code rceguard reads, picked up by directory walks (rceguard.frontends)
FRONTEND_SUFFIXES = (".ipynb", ".pth")


def is_python_name(name: str) -> bool:
    return name.endswith(PY_SUFFIXES)


def is_scanned_name(name: str) -> bool:
    """Files a directory walk picks up: Python modules, notebooks, ``.pth`` files."""
    return name.endswith(PY_SUFFIXES) or name.lower().endswith(FRONTEND_SUFFIXES)


def skip_dir(path: str, name: str) -> bool:
    """Directories never descended into while walking (explicitly named ones are still walked)."""
    if name in SKIP_DIR_NAMES or name.endswith(".egg-info"):
        return True
    return any(os.path.exists(os.path.join(path, marker)) for marker in VENV_MARKERS)


# --------------------------------------------------------------------------------------- excludes


def glob_to_regex(pattern: str) -> Pattern[str]:
    """Translate a glob: ``*`` and ``?`` stay within one path segment, ``**`` spans segments."""
    out: List[str] = []
    i, n = 0, len(pattern)
    while i < n:
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        c = pattern[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                body = body.replace("\\", "\\\\")
                out.append("[" + body + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("(?s:" + "".join(out) + r")\Z")


class Excluder:
    """``exclude`` globs from the configuration.

    A pattern without ``/`` matches any single path component (``migrations``, ``*_pb2.py``);
    a pattern with ``/`` is anchored at ``base`` (the directory of the config file) and matches the
    path or any of its parent directories (``tests/fixtures`` excludes everything below it).
    """

    def __init__(self, patterns: Iterable[str], base: Optional[Path]) -> None:
        self.base = os.path.abspath(base) if base is not None else os.path.abspath(os.curdir)
        self.component: List[Pattern[str]] = []
        self.anchored: List[Pattern[str]] = []
        for raw in patterns:
            pat = raw.strip().replace("\\", "/")
            while pat.startswith("./"):
                pat = pat[2:]
            pat = pat.rstrip("/")
            if not pat:
                continue
            if "/" in pat:
                self.anchored.append(glob_to_regex(pat.lstrip("/")))
            else:
                self.component.append(glob_to_regex(pat))

    def __bool__(self) -> bool:
        return bool(self.component or self.anchored)

    def excluded(self, path: Union[str, Path]) -> bool:
        if not self:
            return False
        full = os.path.abspath(path)
        try:
            rel = os.path.relpath(full, self.base)
        except ValueError:  # other drive on Windows
            rel = None
        if rel is not None and (rel == os.pardir or rel.startswith(os.pardir + os.sep)):
            rel = None
        if rel is not None:
            rel = rel.replace(os.sep, "/")
            parts = [p for p in rel.split("/") if p not in ("", ".")]
        else:
            parts = [p for p in Path(full).parts[1:]]
        for part in parts:
            if any(rx.match(part) for rx in self.component):
                return True
        if rel is not None and self.anchored and parts:
            for k in range(len(parts), 0, -1):
                prefix = "/".join(parts[:k])
                if any(rx.match(prefix) for rx in self.anchored):
                    return True
        return False


# -------------------------------------------------------------------------------------- discovery


@dataclass
class Discovery:
    files: List[Path] = field(default_factory=list)  # absolute (not symlink-resolved), sorted, unique
    notices: List[Notice] = field(default_factory=list)


def _inside(real: str, roots: Sequence[str]) -> bool:
    for root in roots:
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


class _Walker:
    def __init__(self, excluder: Optional[Excluder], display: Callable[[Path], str]) -> None:
        self.excluder = excluder
        self.display = display
        # real path -> (reached through a symlink?, absolute path); a direct path beats a link
        self.found: Dict[str, Tuple[bool, str]] = {}
        self.deferred: List[str] = []  # symlinked directories, walked after all real ones
        self.notices: List[Notice] = []
        self.visited: Set[str] = set()
        self.roots: List[str] = []

    def notice(self, path: str, message: str) -> None:
        self.notices.append(Notice(path=self.display(Path(path)), message=message, kind="read"))

    def excluded(self, path: str) -> bool:
        return bool(self.excluder) and self.excluder.excluded(path)  # type: ignore[union-attr]

    def add(self, path: str, via_link: bool) -> None:
        real = os.path.realpath(path)
        key = (via_link, path)
        prev = self.found.get(real)
        if prev is None or key < prev:
            self.found[real] = key

    def run_deferred(self) -> None:
        while self.deferred:
            path = self.deferred.pop(0)
            self.walk(path, via_link=True)

    def walk(self, directory: str, via_link: bool = False) -> None:
        real = os.path.realpath(directory)
        if real in self.visited:
            return
        self.visited.add(real)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except PermissionError:
            self.notice(directory, "cannot list directory: permission denied")
            return
        except OSError as exc:
            self.notice(directory, f"cannot list directory: {exc.strerror or exc}")
            return
        for entry in entries:
            path = os.path.join(directory, entry.name)
            try:
                self.visit(entry, path, via_link)
            except OSError as exc:
                if is_scanned_name(entry.name):
                    self.notice(path, f"cannot read: {exc.strerror or exc}")

    def visit(self, entry: "os.DirEntry[str]", path: str, via_link: bool) -> None:
        name = entry.name
        if entry.is_symlink():
            target = os.path.realpath(path)
            if not os.path.exists(target):
                if is_scanned_name(name):
                    self.notice(path, "dangling symbolic link")
                return
            if not _inside(target, self.roots):
                return  # never follow a link out of the scanned roots
            if os.path.isdir(target):
                if not skip_dir(path, name) and not self.excluded(path):
                    self.deferred.append(path)
            elif (is_scanned_name(name) or shell_kind(target)) and not self.excluded(path):
                self.file_candidate(path, target, True)
            return
        if entry.is_dir(follow_symlinks=False):
            if skip_dir(path, name) or self.excluded(path):
                return
            if is_python_name(name):
                self.notice(path, "is a directory named like a Python file; its contents are scanned as a directory")
            self.walk(path, via_link)
            return
        if self.excluded(path) or not (is_scanned_name(name) or shell_kind(path)):
            return
        self.file_candidate(path, path, via_link)

    def file_candidate(self, path: str, target: str, via_link: bool = False) -> None:
        try:
            mode = os.stat(target).st_mode
        except OSError as exc:
            self.notice(path, f"cannot read: {exc.strerror or exc}")
            return
        if stat.S_ISREG(mode):
            self.add(path, via_link)
        else:
            self.notice(path, "not a regular file (FIFO, socket or device); skipped")


def discover(
    paths: Sequence[Union[str, Path]],
    *,
    excluder: Optional[Excluder] = None,
    display: Optional[Callable[[Path], str]] = None,
) -> Discovery:
    """Expand ``paths`` to Python files. Raises :class:`UsageError` when a path does not exist."""
    show = display or (lambda p: str(p).replace(os.sep, "/"))
    walker = _Walker(excluder, show)
    inputs: List[Tuple[str, str]] = []
    for raw in paths:
        text = os.fspath(raw)
        if text == "":
            raise UsageError("empty path")
        if "\x00" in text:
            raise UsageError(f"invalid path (contains a NUL character): {text!r}")
        full = os.path.abspath(text)
        if not os.path.lexists(full):
            raise UsageError(f"path does not exist: {text}")
        inputs.append((text, full))
    for _, full in inputs:
        if os.path.isdir(full):
            walker.roots.append(os.path.realpath(full))
    for text, full in inputs:
        if walker.excluded(full):
            continue
        if os.path.islink(full) and not os.path.exists(full):
            walker.notice(full, "dangling symbolic link")
            continue
        if os.path.isdir(full):
            if is_python_name(os.path.basename(full.rstrip(os.sep))):
                walker.notice(full, "is a directory named like a Python file; its contents are scanned as a directory")
            walker.walk(full)
            continue
        # explicitly named file: scanned whatever its suffix
        walker.file_candidate(full, full)
    walker.run_deferred()
    files = sorted(path for _, path in walker.found.values())
    notices = sorted(set(walker.notices))
    return Discovery(files=[Path(f) for f in files], notices=notices)
