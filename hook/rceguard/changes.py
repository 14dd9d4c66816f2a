"""What changed, according to git: the files and lines behind ``--diff REF``, ``--staged`` and
``--changed-lines``.

* ``--diff REF``: files changed between ``merge-base(REF, HEAD)`` and the **working tree** (committed
  and uncommitted changes, plus untracked files that are not ignored): added, modified, renamed,
  copied and type-changed files, never deleted ones. Renames are detected (``-M``), so a moved file
  counts only with the lines that changed in it; a copy counts as a new file, every line changed.
* ``--staged``: files staged in the index, compared with ``HEAD`` (with the empty tree before the
  first commit). A file whose working-tree copy differs from the staged one is analysed **as
  staged**: :attr:`ChangeSet.contents` carries the staged blob, so reports keep the real path.
* Changed lines are the new-side lines of ``git diff -U0`` hunks (added or modified lines).

gitpython is imported only here, and this module is imported only when --diff/--staged is used,
so a plain run never pays for it. Every git failure becomes a :class:`GitError`
(a :class:`~rceguard.config.UsageError`: one line on stderr, exit status 2).
"""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from .config import UsageError
from .findings import Finding, Location
from .scan import real_key

SHALLOW_HINT = "fetch more history, e.g. actions/checkout with fetch-depth: 0"

# git diff statuses that leave a file in the new tree (D = deleted is left out on purpose)
KEPT_STATUSES = "ACMRTU"

# options that make `git diff` output independent of the user's configuration
_DIFF_OPTS = (
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "-M",
)

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_PY_SUFFIXES = (".py", ".pyi")


class GitError(UsageError):
    """--diff/--staged cannot be answered (not a repository, unknown REF, no merge-base, ...)."""


# ------------------------------------------------------------------------------------ line sets


class LineSet:
    """Sorted, merged, inclusive line ranges; ``everything`` for a file that is new as a whole."""

    def __init__(self, ranges: Iterable[Tuple[int, int]] = (), everything: bool = False) -> None:
        merged: List[List[int]] = []
        for lo, hi in sorted(r for r in ranges if r[1] >= r[0]):
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        self.ranges: List[Tuple[int, int]] = [(a, b) for a, b in merged]
        self._starts = [a for a, _ in self.ranges]
        self.everything = everything

    def overlaps(self, lo: int, hi: int) -> bool:
        """True when any line in ``lo..hi`` (inclusive) is in the set."""
        if self.everything:
            return True
        hi = max(lo, hi)
        i = bisect.bisect_right(self._starts, hi) - 1
        return i >= 0 and self.ranges[i][1] >= lo

    def __contains__(self, line: int) -> bool:
        return self.overlaps(line, line)

    def __bool__(self) -> bool:
        return self.everything or bool(self.ranges)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineSet) and (self.everything, self.ranges) == (other.everything, other.ranges)

    def __repr__(self) -> str:
        return "LineSet(everything)" if self.everything else f"LineSet({self.ranges})"


# ------------------------------------------------------------------------------------ change set


@dataclass
class ChangeSet:
    """The answer to --diff/--staged. Keys are :func:`rceguard.scan.real_key` of absolute paths."""

    mode: str  # "diff" | "staged"
    root: str  # absolute path of the repository's working tree
    base: str  # what was compared, for messages: the merge-base commit, or "HEAD"
    lines: Dict[str, LineSet] = field(default_factory=dict)  # changed file -> its changed lines
    paths: Dict[str, str] = field(default_factory=dict)  # changed file -> repository-relative path
    contents: Dict[str, bytes] = field(default_factory=dict)  # file -> content to scan (--staged)

    @property
    def files(self) -> frozenset:
        """The changed files (keys), for ``scan(..., only=...)``."""
        return frozenset(self.lines)

    def touches(self, loc: Location, root: str) -> bool:
        """Does ``loc`` (display path relative to ``root``) cover an added or modified line?"""
        path = loc.path if os.path.isabs(loc.path) else os.path.join(root, loc.path)
        lines = self.lines.get(real_key(path))
        return bool(lines) and lines.overlaps(loc.line, max(loc.line, loc.end_line))  # type: ignore[union-attr]

    def on_changed_lines(self, finding: Finding, root: str) -> bool:
        """--changed-lines: the sink or any step of the flow lies on a changed line."""
        if self.touches(finding.location, root):
            return True
        return any(self.touches(step.location, root) for step in finding.steps)

    def filter_result(self, result):  # ScanResult -> ScanResult
        """A copy of ``result`` keeping only the findings :meth:`on_changed_lines` accepts."""
        import dataclasses

        root = result.root or os.getcwd()
        kept = [f for f in result.findings if self.on_changed_lines(f, root)]
        return dataclasses.replace(result, findings=kept)


# ------------------------------------------------------------------------------------ parsing


def unquote_path(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"caf\\303\\251 x.py"``); plain paths pass through."""
    if not (len(raw) >= 2 and raw.startswith(b'"') and raw.endswith(b'"')):
        return raw
    body = raw[1:-1]
    out = bytearray()
    simple = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}
    i = 0
    while i < len(body):
        c = body[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = body[i + 1:i + 2]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif re.match(rb"[0-7]{3}", body[i + 1:i + 4]):
            out.append(int(body[i + 1:i + 4], 8))
            i += 4
        else:  # unknown escape: keep it literally
            out += c
            i += 1
    return bytes(out)


def parse_name_status(data: bytes) -> List[Tuple[str, bytes]]:
    """``git diff --name-status -z`` -> [(status letter, new path)]; renames/copies give the new path."""
    parts = data.split(b"\0")
    out: List[Tuple[str, bytes]] = []
    i = 0
    while i < len(parts):
        status = parts[i].decode("ascii", "replace")
        if not status:
            i += 1
            continue
        letter = status[0]
        if letter in "RC":
            if i + 2 >= len(parts):
                break
            out.append((letter, parts[i + 2]))
            i += 3
        else:
            if i + 1 >= len(parts):
                break
            out.append((letter, parts[i + 1]))
            i += 2
    return out


def _header_path(line: bytes, prefix: bytes) -> Optional[bytes]:
    """The path of a ``+++ b/path`` line (git adds a TAB after names with a space)."""
    rest = line[4:]
    if rest.endswith(b"\t"):
        rest = rest[:-1]
    if rest == b"/dev/null":
        return None
    rest = unquote_path(rest)
    return rest[len(prefix):] if rest.startswith(prefix) else rest


def parse_hunks(data: bytes) -> Dict[bytes, List[Tuple[int, int]]]:
    """``git diff -U0`` output -> {new path: [(first, last) added/modified line ranges]}.

    A state machine, so that an added line reading ``++ x`` (shown as ``+++ x``) is not taken for
    a file header: headers are only read between ``diff --git`` and the first ``@@``.
    """
    out: Dict[bytes, List[Tuple[int, int]]] = {}
    current: Optional[bytes] = None
    in_header = False
    for line in data.split(b"\n"):
        if line.startswith(b"diff --git ") or line.startswith(b"diff --cc ") or line.startswith(b"diff --combined "):
            current, in_header = None, True
            continue
        if in_header:
            if line.startswith(b"+++ "):
                current = _header_path(line, b"b/")
                if current is not None:
                    out.setdefault(current, [])
                continue
            if not line.startswith(b"@@"):
                continue
            in_header = False
        if line.startswith(b"@@") and current is not None:
            m = _HUNK.match(line)
            if m:
                start = int(m.group(1))
                count = 1 if m.group(2) is None else int(m.group(2))
                if count > 0:
                    out[current].append((start, start + count - 1))
    return out


# ------------------------------------------------------------------------------------ git access


def _import_git():
    try:
        import git  # gitpython; imported lazily on purpose
    except ImportError as exc:  # gitpython missing, or no git executable on PATH
        raise GitError(f"--diff/--staged need git and gitpython: {' '.join(str(exc).split())[:200]}") from None
    return git


def open_repo(start: str):
    """The repository containing ``start`` (a file or directory)."""
    git = _import_git()
    where = os.path.abspath(start)
    while not os.path.isdir(where) and os.path.dirname(where) != where:
        where = os.path.dirname(where)  # a missing path is reported by the scan itself
    try:
        repo = git.Repo(where, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"not a git repository: {start} (--diff and --staged need one)") from None
    except git.GitError as exc:
        raise GitError(f"cannot open the git repository at {start}: {_one_line(exc)}") from None
    if repo.bare or not repo.working_tree_dir:
        raise GitError(f"the git repository at {start} has no working tree")
    return repo


def _one_line(exc: BaseException) -> str:
    stderr = getattr(exc, "stderr", None)
    text = stderr if isinstance(stderr, str) and stderr.strip() else str(exc)
    text = " ".join(text.replace("stderr:", " ").split()).strip(" '")
    return text[:300]


def _git(repo, *args: str) -> bytes:
    """Run ``git ARGS`` in the work tree; stdout as bytes; failures become GitError."""
    git = _import_git()
    try:
        return repo.git.execute(["git", *args], stdout_as_string=False)
    except git.GitCommandError as exc:
        raise GitError(f"git {args[0]} failed: {_one_line(exc)}") from None


def _is_shallow(repo) -> bool:
    try:
        return os.path.exists(os.path.join(repo.git_dir, "shallow"))
    except Exception:
        return False


def _resolve(repo, rev: str) -> Optional[str]:
    """Full commit id of ``rev``, or None when it does not name a commit."""
    git = _import_git()
    try:
        out = repo.git.execute(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"])
    except git.GitCommandError:
        return None
    return out.strip() or None


def merge_base(repo, ref: str) -> str:
    """``merge-base(REF, HEAD)``, with a clear error for each way it can fail."""
    git = _import_git()
    if not ref or ref.startswith("-") or "\0" in ref or "\n" in ref:
        raise GitError(f"--diff: invalid revision {ref!r}")
    hint = f"; {SHALLOW_HINT}" if _is_shallow(repo) else ""
    head = _resolve(repo, "HEAD")
    if head is None:
        raise GitError("--diff: HEAD does not point to a commit yet (no commits in this repository)")
    target = _resolve(repo, ref)
    if target is None:
        raise GitError(f"--diff: unknown revision {ref!r} (not a branch, tag or commit in this repository{hint})")
    try:
        out = repo.git.execute(["git", "merge-base", target, head])
    except git.GitCommandError as exc:
        if exc.status == 1 and not str(exc.stderr or "").strip():
            raise GitError(
                f"--diff: {ref!r} and HEAD have no common ancestor (no merge-base); "
                f"if the clone is shallow, {SHALLOW_HINT}"
            ) from None
        raise GitError(f"--diff: git merge-base failed: {_one_line(exc)}") from None
    base = out.strip().splitlines()[0] if out.strip() else ""
    if not base:
        raise GitError(f"--diff: {ref!r} and HEAD have no common ancestor; {SHALLOW_HINT}")
    return base


def _abs(root: str, rel: bytes) -> str:
    return os.path.join(root, os.fsdecode(rel).replace("/", os.sep))


def _collect(repo, diff_args: Sequence[str]) -> Tuple[Dict[str, LineSet], Dict[str, str]]:
    root = os.path.abspath(repo.working_tree_dir)
    names = parse_name_status(
        _git(repo, "diff", *_DIFF_OPTS, "--name-status", "-z", f"--diff-filter={KEPT_STATUSES}", *diff_args)
    )
    hunks = parse_hunks(_git(repo, "diff", *_DIFF_OPTS, "-U0", f"--diff-filter={KEPT_STATUSES}", *diff_args))
    lines: Dict[str, LineSet] = {}
    paths: Dict[str, str] = {}
    for status, rel in names:
        key = real_key(_abs(root, rel))
        if status == "A" or status == "C":
            lines[key] = LineSet(everything=True)  # new file, or a copy: every line is new code
        else:
            lines[key] = LineSet(hunks.get(rel, ()))
        paths[key] = os.fsdecode(rel)
    return lines, paths


def diff_changes(ref: str, start: str = os.curdir) -> ChangeSet:
    """Files and lines changed between ``merge-base(ref, HEAD)`` and the working tree."""
    repo = open_repo(start)
    try:
        base = merge_base(repo, ref)
        lines, paths = _collect(repo, [base, "--"])
        # untracked files that are not ignored are new files of the working tree
        for rel in _git(repo, "ls-files", "--others", "--exclude-standard", "-z").split(b"\0"):
            if rel:
                key = real_key(_abs(repo.working_tree_dir, rel))
                lines[key] = LineSet(everything=True)
                paths[key] = os.fsdecode(rel)
        return ChangeSet(mode="diff", root=os.path.abspath(repo.working_tree_dir), base=base, lines=lines, paths=paths)
    finally:
        repo.close()


def staged_changes(start: str = os.curdir) -> ChangeSet:
    """Files and lines staged in the index (vs HEAD), with their staged content."""
    repo = open_repo(start)
    try:
        root = os.path.abspath(repo.working_tree_dir)
        if _resolve(repo, "HEAD") is None:
            base = "the empty tree (no commits yet)"
        else:
            base = "HEAD"
        # without a commit `git diff --cached` compares the index with the empty tree by itself
        lines, paths = _collect(repo, ["--cached", "--"])
        contents = staged_contents(repo, root, set(lines))
        return ChangeSet(mode="staged", root=root, base=base, lines=lines, paths=paths, contents=contents)
    finally:
        repo.close()


def staged_contents(repo, root: str, staged: set) -> Dict[str, bytes]:
    """Staged blobs of the files whose working-tree copy differs from the index: every staged file,
    and every Python file (a changed file may import it; the commit holds the staged version)."""
    raw = _git(repo, "diff", "--no-color", "--no-ext-diff", "--no-relative", "--raw", "-z", "--no-abbrev")
    parts = raw.split(b"\0")
    out: Dict[str, bytes] = {}
    i = 0
    while i + 1 < len(parts):
        meta, rel = parts[i], parts[i + 1]
        i += 2
        if not meta.startswith(b":"):
            continue
        fields = meta[1:].split(b" ")
        if len(fields) < 5:
            continue
        src_mode, sha, status = fields[0], fields[2], fields[4][:1]
        if status in (b"R", b"C"):  # not produced without -M/-C; skip the extra path defensively
            i += 1
            continue
        if status == b"U" or set(sha) == {ord("0")} or not src_mode.startswith(b"100"):
            continue  # unmerged, not in the index, or not a regular file (symlink, submodule)
        key = real_key(_abs(root, rel))
        if key not in staged and not os.fsdecode(rel).endswith(_PY_SUFFIXES):
            continue
        try:
            out[key] = repo.odb.stream(bytes.fromhex(sha.decode("ascii"))).read()
        except Exception as exc:
            raise GitError(f"--staged: cannot read the staged content of {os.fsdecode(rel)}: {_one_line(exc)}") from None
    return out


def collect(paths: Sequence[str], *, diff: Optional[str] = None, staged: bool = False) -> ChangeSet:
    """The change set for the CLI: the repository is the one holding the scanned paths."""
    from .scan import common_dir

    start = str(common_dir(list(paths) or [os.curdir]))
    if staged:
        return staged_changes(start)
    assert diff is not None
    return diff_changes(diff, start)
