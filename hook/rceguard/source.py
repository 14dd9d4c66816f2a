"""Read files into text and parse them.

Every problem with a single file (cannot be read, cannot be decoded, cannot be parsed) becomes a
:class:`~rceguard.findings.Notice` with a one-line message; nothing here raises for bad input.
"""
from __future__ import annotations

import ast
import codecs
import io
import os
import re
import stat
import symtable
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Tuple, Union

from .findings import Notice


@dataclass
class ParsedFile:
    path: Path  # absolute path on disk
    display: str  # path relative to the project root, forward slashes (used in reports)
    text: str
    tree: ast.Module
    lines: List[str] = field(default_factory=list)  # text.splitlines() (no line ends)
    # for notebooks etc.: maps a line of ``text`` to a line of the real file (identity when empty)
    line_map: dict = field(default_factory=dict)
    # when this code runs without being called, for messages: "every interpreter start-up (.pth
    # file)", "install time (in-tree build backend)"; "" for ordinary modules (setup.py is known
    # by its name)
    runs_at: str = ""
    # dotted module name when the file is not on disk (a member of a package archive); "": from the path
    module_name: str = ""


class SourceError(Exception):
    """A file could not be turned into text or an AST. ``line`` is 1-based, 0 when unknown."""

    def __init__(self, message: str, line: int = 0, kind: str = "parse") -> None:
        super().__init__(message)
        self.message = one_line(message)
        self.line = line
        self.kind = kind


_BOMS: Tuple[Tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 little-endian BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")


def one_line(message: str, limit: int = 300) -> str:
    """Collapse whitespace so a message always fits on one line."""
    text = " ".join(str(message).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, max(0, offset)) + 1


_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


def _coding_cookie(data: bytes):
    """The PEP 263 coding name in the first two lines, or None."""
    for line in data.split(b"\n", 2)[:2]:
        m = _COOKIE_RE.match(line)
        if m:
            return m.group(1)
        if line.strip() and not line.lstrip().startswith(b"#"):
            break
    return None


def _not_utf8(data: bytes) -> SourceError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return SourceError(
            f"not valid UTF-8 and no PEP 263 coding line ({exc.reason} at byte {exc.start})",
            _line_of_offset(data, exc.start),
        )
    return SourceError("not valid UTF-8 and no PEP 263 coding line")


def decode_source(data: bytes) -> str:
    """Decode Python source bytes the way the interpreter would.

    Honours a UTF-8/UTF-16/UTF-32 byte-order mark and a PEP 263 coding line; without either the
    source must be UTF-8. Newlines are normalised to ``\\n`` (the tokenizer does the same, so AST
    positions stay valid). Raises :class:`SourceError`.
    """
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise SourceError(f"cannot decode as {encoding} (byte-order mark): {exc.reason}") from None
            break
    if text is None:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:
            if _coding_cookie(data) is None:
                # no cookie: detect_encoding found non-UTF-8 bytes in the first two lines
                raise _not_utf8(data) from None
            # unknown encoding in the coding line, or a BOM that contradicts the coding line
            raise SourceError(f"invalid PEP 263 coding declaration: {exc}", getattr(exc, "lineno", 0) or 0) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding in ("utf-8", "utf-8-sig") and _coding_cookie(data) is None:
                why = "not valid UTF-8 and no PEP 263 coding line"
            else:
                why = f"cannot decode with the declared encoding {encoding}"
            raise SourceError(f"{why} ({exc.reason} at byte {exc.start})", _line_of_offset(data, exc.start)) from None
        except LookupError as exc:  # e.g. ``# coding: rot13`` names a codec that is not a text encoding
            raise SourceError(f"invalid PEP 263 coding declaration: {exc}") from None
        if text.startswith("\ufeff"):
            text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_lines(text: str) -> List[str]:
    """Split on the line breaks Python itself recognises (not form feed, U+2028 etc.)."""
    if not text:
        return []
    lines = _NEWLINE_RE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_text(text: str, display: str = "<unknown>") -> ast.Module:
    """``ast.parse`` that turns every failure into a one-line :class:`SourceError`."""
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError("contains NUL bytes; not a Python source file", text.count("\n", 0, nul) + 1)
    try:
        with warnings.catch_warnings():
            # SyntaxWarning/DeprecationWarning about the scanned code are not ours to print, and
            # under ``-W error`` they would turn into SyntaxErrors
            warnings.simplefilter("ignore")
            return ast.parse(text, filename=display)
    except SyntaxError as exc:  # includes IndentationError, TabError, Python 2 code
        line = exc.lineno or 0
        msg = exc.msg or "invalid syntax"
        raise SourceError(f"syntax error: {msg}", line) from None
    except RecursionError:
        raise SourceError("too deeply nested to parse (RecursionError)") from None
    except MemoryError:
        raise SourceError("too deeply nested or too large to parse (MemoryError)") from None
    except ValueError as exc:
        raise SourceError(f"cannot parse: {exc}") from None
    except Exception as exc:  # anything else the compiler may raise; never a traceback
        raise SourceError(f"cannot parse: {type(exc).__name__}: {exc}") from None


# CPython's parser needs memory in proportion to the number of tokens, not bytes: 10 MB of
# ``1,1,1,...`` (5 million list items) took 14.7 s and 3.9 GB in symtable and 4.9 GB in ast.parse,
# while 10 MB of ordinary stdlib code (~0.8 million of the bytes counted below) took 2 s / 0.5 GB
# and 4.5 s / 0.7 GB. Files beyond these limits are reported as a notice instead of risking the
# whole run being killed for lack of memory.
MAX_SOURCE_BYTES = 10 * 1024 * 1024
MAX_TOKEN_ESTIMATE = 1_500_000
_TOKEN_BYTES = (b",", b"(", b"[", b"{", b"=", b".", b":", b"\n", b"+", b"-", b"*")


def check_size(data: bytes) -> None:
    """Raise :class:`SourceError` for a file too large (or too token-dense) to parse safely."""
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(
            f"too large to parse safely ({len(data):,} bytes; the limit is {MAX_SOURCE_BYTES:,}); not analysed"
        )
    if len(data) > MAX_TOKEN_ESTIMATE:  # fewer bytes cannot hold more tokens
        estimate = sum(data.count(b) for b in _TOKEN_BYTES)
        if estimate > MAX_TOKEN_ESTIMATE:
            raise SourceError(
                f"too many tokens to parse safely (about {estimate:,}; the limit is {MAX_TOKEN_ESTIMATE:,}); not analysed"
            )


def parse_source(data: bytes, path: Path, display: str) -> ParsedFile:
    """Bytes -> :class:`ParsedFile`; raises :class:`SourceError`."""
    check_size(data)
    text = decode_source(data)
    tree = parse_text(text, display)
    return ParsedFile(path=path, display=display, text=text, tree=tree, lines=split_lines(text))


def check_source(data: bytes, display: str = "<unknown>") -> str:
    """Decode and syntax-check without building an AST; returns the text. Raises :class:`SourceError`
    with exactly the message a full :func:`parse_source` would give.

    For files the pre-scan found no need to analyse: they are still named when they cannot be
    decoded or parsed. ``symtable`` runs CPython's parser without converting the tree to Python
    objects (about a third of the cost of ``ast.parse``); when it complains, :func:`parse_text`
    gives the message (and has the last word: symtable also rejects a few semantic errors, such as
    ``nonlocal`` at module level, that ``ast.parse`` accepts).
    """
    check_size(data)
    text = decode_source(data)
    if "\x00" in text:
        parse_text(text, display)  # raises the NUL notice
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            symtable.symtable(text, display, "exec")
    except Exception:  # SyntaxError, RecursionError, MemoryError, ValueError...
        parse_text(text, display)
    return text


def read_bytes(path: Path) -> bytes:
    """Read a regular file without ever blocking on a FIFO/device. Raises :class:`SourceError`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(str(path), flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise SourceError("dangling symbolic link", kind="read") from None
        raise SourceError("file not found (removed while scanning?)", kind="read") from None
    except IsADirectoryError:
        raise SourceError("is a directory, not a file", kind="read") from None
    except PermissionError:
        raise SourceError("permission denied", kind="read") from None
    except OSError as exc:
        raise SourceError(f"cannot open: {exc.strerror or exc}", kind="read") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise SourceError("is a directory, not a file", kind="read")
        if not stat.S_ISREG(st.st_mode):
            raise SourceError("not a regular file (FIFO, socket or device); skipped", kind="read")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except SourceError:
        raise
    except MemoryError:
        raise SourceError("too large to read", kind="read") from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", kind="read") from None
    finally:
        os.close(fd)


def load(path: Path, display: str, data: Optional[bytes] = None) -> Union[ParsedFile, Notice]:
    """Read and parse one file. Returns a :class:`ParsedFile`, or a :class:`Notice` saying why not.
    ``data``: the content to parse instead of reading ``path`` (e.g. the staged blob for --staged)."""
    return guarded_load(path, display, data, lambda p, d, b: parse_source(b, p, d))


def guarded_load(path: Path, display: str, data: Optional[bytes],
                 parse: Callable[[Path, str, bytes], ParsedFile],
                 catch_all: bool = False) -> Union[ParsedFile, Notice]:
    """Read ``path`` (unless ``data`` is given) and turn its bytes into a :class:`ParsedFile` with
    ``parse(path, display, data)``; every failure becomes a one-line :class:`Notice`. Front ends pass ``catch_all`` so a
    bug in their own reader is reported for that file and the run goes on."""
    try:
        if data is None:
            data = read_bytes(path)
        return parse(path, display, data)
    except SourceError as exc:
        return Notice(path=display, message=exc.message, kind=exc.kind, line=exc.line)
    except RecursionError:
        return Notice(path=display, message="too deeply nested to parse (RecursionError)", kind="parse")
    except MemoryError:
        return Notice(path=display, message="too large to parse (MemoryError)", kind="parse")
    except Exception as exc:
        if not catch_all:
            raise
        return Notice(path=display, kind="other",
                      message=one_line(f"internal error while reading: {type(exc).__name__}: {exc}"))
