"""Package archives (``.whl``, ``.zip``, ``.egg``, ``.tar.gz`` sdists ...): triage before installing.

The members are read as bytes **in memory**: nothing is extracted to disk, installed, imported or
run. Only members that hold code are read (``*.py``, ``*.pyi``, ``*.ipynb``, ``*.pth``, and the
top-level ``pyproject.toml`` for an in-tree build backend); the rest of the archive is walked
past. Refused with a notice, never read: a member whose name is absolute or contains ``..``
(a path that would escape the install folder), links, devices and FIFOs in a tar, encrypted zip
members, members over :data:`MEMBER_MAX` bytes, and everything after :data:`TOTAL_MAX` bytes of
code or :data:`SPAN_MAX` bytes of (uncompressed) archive, or :data:`MAX_MEMBERS` members.

The code members are analysed together as one project: a member's module name comes from the
archive's own folders (a folder is a package when it holds an ``__init__.py`` member; a wheel's
``<name>.data/purelib/`` and ``platlib/`` are roots), so ``from .net import fetch`` in one member
finds the other. Reported paths are ``<archive>!/<member>``: ``dist/pkg-1.0.tar.gz!/pkg-1.0/pkg/mod.py``.
"""
from __future__ import annotations

import os
import posixpath
import re
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

from ..findings import Notice
from ..source import MAX_SOURCE_BYTES, ParsedFile, one_line

MEMBER_MAX = MAX_SOURCE_BYTES  # bytes of one member read (larger ones could not be parsed anyway)
TOTAL_MAX = 256 * 1024 * 1024  # bytes of code read from one archive
SPAN_MAX = 4 * 1024 * 1024 * 1024  # uncompressed bytes walked through (a decompression bomb stops here)
MAX_MEMBERS = 200_000
CODE_SUFFIXES = (".py", ".pyi", ".ipynb", ".pth")
SEP = "!/"  # between the archive's display path and the member's name
_WHEEL_DATA = re.compile(r"^[^/]+\.data/(?:purelib|platlib)/")
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_archive_display(path: str) -> bool:
    return SEP in path


def split_display(path: str) -> Tuple[str, str]:
    """``"dist/p.whl!/p/m.py"`` -> ``("dist/p.whl", "p/m.py")``."""
    archive, _, member = path.partition(SEP)
    return archive, member


def unsafe_name(name: str) -> str:
    """Why a member name must not be used ("" when it is fine)."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "an absolute path"
    if ".." in re.split(r"[\\/]", name):
        return "a '..' component"
    if "\x00" in name:
        return "a NUL character"
    return ""


def _wanted(name: str) -> bool:
    low = name.lower()
    return low.endswith(CODE_SUFFIXES) or posixpath.basename(low) == "pyproject.toml"


class _Reader:
    """Yields (member name, bytes) of the code members; problems become notices."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.notices: List[Notice] = []
        self.total = 0
        self.span = 0
        self.count = 0
        self.stopped = False

    def notice(self, member: str, message: str, kind: str = "read") -> None:
        path = f"{self.display}{SEP}{member}" if member else self.display
        self.notices.append(Notice(path=path, message=one_line(message), kind=kind))

    def admit(self, name: str, size: int) -> bool:
        """Checks shared by zip and tar members, in the order they are met."""
        self.count += 1
        self.span += max(0, size)
        if self.count > MAX_MEMBERS or self.span > SPAN_MAX:
            self.notice("", f"archive too large to walk (over {MAX_MEMBERS:,} members or {SPAN_MAX:,} "
                            "uncompressed bytes); the members after that point are not read")
            self.stopped = True
            return False
        if not _wanted(name):
            return False
        why = unsafe_name(name)
        if why:
            self.notice(name, f"member name has {why}: it would be written outside the install folder; "
                              "refused, not read")
            return False
        if size > MEMBER_MAX:
            self.notice(name, f"member too large to analyse ({size:,} bytes; the limit is {MEMBER_MAX:,}); not read")
            return False
        if self.total + size > TOTAL_MAX:
            self.notice("", f"more than {TOTAL_MAX:,} bytes of code; the members after that point are not read")
            self.stopped = True
            return False
        return True

    def took(self, data: bytes) -> bytes:
        self.total += len(data)
        return data

    # -- zip
    def zip_members(self, path: Path) -> Iterator[Tuple[str, bytes]]:
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            self.notice("", f"not a readable zip archive: {exc}", kind="parse")
            return
        with zf:
            for info in zf.infolist():
                name = info.filename
                if name.endswith("/"):
                    continue
                mode = info.external_attr >> 16
                if mode and stat.S_ISLNK(mode):
                    if _wanted(name):
                        self.notice(name, "symbolic link member; not followed")
                    continue
                if not self.admit(name, info.file_size):
                    if self.stopped:
                        return
                    continue
                if info.flag_bits & 0x1:
                    self.notice(name, "encrypted member; not read")
                    continue
                try:
                    with zf.open(info) as fh:
                        data = fh.read(MEMBER_MAX + 1)
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError, EOFError) as exc:
                    self.notice(name, f"cannot read member: {exc}")
                    continue
                except Exception as exc:  # zlib.error, lzma.LZMAError ...
                    self.notice(name, f"cannot read member: {type(exc).__name__}: {exc}")
                    continue
                if len(data) > MEMBER_MAX:
                    self.notice(name, f"member larger than its header says and than {MEMBER_MAX:,} bytes; not read")
                    continue
                yield name, self.took(data)

    # -- tar
    def tar_members(self, path: Path) -> Iterator[Tuple[str, bytes]]:
        try:
            tf = tarfile.open(path, mode="r:*")
        except (tarfile.TarError, OSError, EOFError) as exc:
            self.notice("", f"not a readable tar archive: {exc}", kind="parse")
            return
        with tf:
            try:
                for m in tf:
                    name = m.name
                    while name.startswith("./"):
                        name = name[2:]
                    if m.isdir():
                        continue
                    if not m.isreg():
                        what = ("symbolic link" if m.issym() else "hard link" if m.islnk()
                                else "device or FIFO" if (m.isdev() or m.isfifo()) else "special")
                        if _wanted(name) or m.isdev() or m.isfifo():
                            self.notice(name, f"{what} member; skipped")
                        continue
                    if not self.admit(name, m.size):
                        if self.stopped:
                            return
                        continue
                    fh = tf.extractfile(m)
                    if fh is None:
                        continue
                    yield name, self.took(fh.read(MEMBER_MAX + 1)[:MEMBER_MAX + 1])
            except (tarfile.TarError, OSError, EOFError) as exc:
                self.notice("", f"archive is damaged after some members: {exc}; the rest is not read", kind="parse")
            except Exception as exc:  # zlib.error, lzma.LZMAError ...
                self.notice("", f"archive is damaged after some members: {type(exc).__name__}: {exc}", kind="parse")


def _module_names(names: List[str]) -> Dict[str, str]:
    """Member name -> dotted module name, from the archive's own package folders."""
    roots = {}
    for n in names:
        m = _WHEEL_DATA.match(n)
        roots[n] = n[m.end():] if m else n
    init_dirs: Set[str] = {posixpath.dirname(r) for r in roots.values()
                           if posixpath.basename(r) == "__init__.py"}
    out: Dict[str, str] = {}
    for n, rel in roots.items():
        base = posixpath.basename(rel)
        stem = base.rsplit(".", 1)[0]
        parts = [] if base == "__init__.py" else [stem]
        d = posixpath.dirname(rel)
        while d and d in init_dirs:
            parts.append(posixpath.basename(d))
            d = posixpath.dirname(d)
        out[n] = ".".join(reversed(parts)) if parts else stem
    return out


def read_archive(path: Path, display: str) -> Tuple[List[ParsedFile], List[Notice]]:
    """The code members of an archive as parsed files (virtual paths below the archive's path,
    displayed as ``<archive>!/<member>``), and notices."""
    from . import load  # the front ends by member name (notebooks and .pth files inside too)
    from .backend import RUNS_AT, backend_candidates

    reader = _Reader(display)
    low = path.name.lower()
    try:
        is_zip = zipfile.is_zipfile(path) if not low.endswith((".tar", ".gz", ".tgz", ".bz2", ".tbz2", ".xz", ".txz")) else False
    except OSError:
        is_zip = False
    members = reader.zip_members(path) if is_zip else reader.tar_members(path)
    contents: Dict[str, bytes] = {}
    for name, data in members:
        if name in contents:
            reader.notice(name, "member appears twice; the last copy (the one an installer leaves) is analysed",
                          kind="other")
        contents[name] = data
    code = sorted(n for n in contents if n.lower().endswith(CODE_SUFFIXES))
    names = _module_names(code)
    # an sdist's in-tree build backend (pyproject.toml at the top of the archive or of its folder)
    install_time: Set[str] = set()
    for n in contents:
        if posixpath.basename(n) == "pyproject.toml" and n.count("/") <= 1:
            try:
                text = contents[n].decode("utf-8")
            except UnicodeDecodeError:
                continue
            top = posixpath.dirname(n)
            for rel in backend_candidates(text):
                cand = posixpath.join(top, rel) if top else rel
                if cand in contents:
                    install_time.add(cand)
                    break
    base = Path(os.path.abspath(path))
    out: List[ParsedFile] = []
    for n in code:
        item = load(base / n, f"{display}{SEP}{n}", contents[n])
        if isinstance(item, ParsedFile):
            item.module_name = names[n]
            if n in install_time:
                item.runs_at = RUNS_AT
            out.append(item)
        else:
            reader.notices.append(item)
    return out, reader.notices
