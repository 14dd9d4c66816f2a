"""Writing the report and baseline files the way a shell's ``>`` would, without ever destroying
anything the user owns.

- A symlink is followed: its target is written, the link stays a link.
- A character device, FIFO, socket or any other non-regular file (``/dev/null``, ``/dev/stdout``, a
  named pipe) is opened and written in place; it is never replaced.
- A regular file is written through a temporary file in the same folder and a rename, so a reader
  never sees half a report and a failure leaves the old file in place. An existing file keeps its
  permission bits; a new one gets ``0o666`` minus the umask, like any file a shell creates.
- ``-`` names standard output (only where the caller allows it).

:func:`check_writable` refuses, before any work is done, a path that cannot be written: a missing
folder, a directory, no permission. Every error names the user's path, never a temporary file.
"""
from __future__ import annotations

import os
import stat
from typing import Optional, Tuple

from .errors import UsageError

STDOUT = "-"


class OutputError(UsageError):
    """An output file cannot be written (exit status 2, one line naming the user's path)."""


def _target(path: str) -> str:
    """The file a shell's ``>`` would write: symlinks resolved (a dangling link names the file it
    would create)."""
    return os.path.realpath(os.path.abspath(path))


def _stat(path: str) -> Optional[os.stat_result]:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def check_writable(path: str, option: str) -> None:
    """Raise :class:`OutputError` when ``path`` (given with ``option``) cannot be written."""
    if not path:
        raise OutputError(f"{option}: empty file name")
    target = _target(path)
    try:
        st = _stat(target)
    except OSError as exc:
        raise OutputError(f"{option} {path}: {exc.strerror or exc}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{option} {path}: is a directory")
        if not os.access(target, os.W_OK):
            raise OutputError(f"{option} {path}: permission denied")
        return
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        shown = os.path.dirname(path) or folder
        raise OutputError(f"{option} {path}: folder {shown} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: permission denied (cannot create files in {os.path.dirname(path) or '.'})")


def _write_in_place(target: str, data: bytes) -> None:
    with open(target, "wb") as fh:  # O_CREAT|O_TRUNC, like `>`; truncation is a no-op for devices
        fh.write(data)


def _temp_beside(target: str, prefix: str) -> Tuple[int, str]:
    """Create a new file next to ``target`` with mode 0o666 (the kernel applies the umask)."""
    folder = os.path.dirname(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {folder}")


def _replace_atomically(target: str, data: bytes, prefix: str, mode: Optional[int]) -> None:
    fd, tmp = _temp_beside(target, prefix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if mode is not None:  # an existing file keeps its permissions
                os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_output(path: str, text: str, prefix: str = ".rceguard-", option: str = "output") -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` as described in the module docstring.
    Raises :class:`OutputError` naming ``path`` when it fails."""
    data = text.encode("utf-8")
    target = _target(path)
    try:
        st = _stat(target)
        if st is not None and not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(21, "is a directory")
            _write_in_place(target, data)
            return
        mode = stat.S_IMODE(st.st_mode) if st is not None else None
        try:
            _replace_atomically(target, data, prefix, mode)
        except PermissionError:
            if st is None:
                raise
            _write_in_place(target, data)  # a writable file in a folder we may not create files in
    except OSError as exc:
        raise OutputError(f"cannot write {option} {path}: {exc.strerror or exc}") from None


def write_atomic(path: str, text: str, prefix: str = ".rceguard-") -> None:
    """Compatibility name for :func:`write_output`."""
    write_output(path, text, prefix)
