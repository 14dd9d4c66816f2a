"""``.pth`` files: the lines that Python's ``site`` module executes at every interpreter start-up.

``site.addpackage`` reads a ``.pth`` file in ``site-packages`` (UTF-8, a BOM allowed), splits it
with ``str.splitlines()``, skips ``#`` comments and blank lines, and runs each line that starts with
``import `` or ``import\\t`` (exactly: no leading whitespace) with ``exec``; every other line is a
path added to ``sys.path``. The first line that raises stops the processing of the file. So: each
executed line is parsed on its own and analysed as module-level code of one virtual module (line
N of it is line N of the file); path lines are blank; a line that is not valid Python gets a
notice, and the lines after it are not analysed, because ``site`` never runs them. Findings say
that the code runs at every interpreter start-up.
"""
from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path
from typing import List

from ..findings import Notice
from ..source import check_size, one_line
from .mapped import MappedFile, Offsets, PositionMap

RUNS_AT = "every interpreter start-up (.pth file)"


def executed(line: str) -> bool:
    """The rule of ``site.addpackage``."""
    return line.startswith(("import ", "import\t"))


def decode_pth(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # site falls back to the locale's encoding; Latin-1 maps every byte, so nothing hides
        return data.decode("latin-1")


def load_pth(path: Path, display: str, data: bytes) -> MappedFile:
    check_size(data)
    text = decode_pth(data)
    pm = PositionMap(text)
    # the offset of each str.splitlines() line in the text
    offsets: List[int] = []
    pos = 0
    vlines: List[str] = []
    for line in text.splitlines(True):
        offsets.append(pos)
        pos += len(line)
        vlines.append(line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"))
    body: List[ast.stmt] = []
    notices: List[Notice] = []
    out: List[str] = []
    stopped = False
    for n, line in enumerate(vlines, 1):
        pm.lines.append((Offsets(offsets[n - 1]), ""))
        if line.startswith("#") and not stopped:
            out.append(line)  # a comment for Python too (the report's `purpose` reads it)
            continue
        if stopped or not executed(line):
            out.append("")
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(line, filename=display)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            msg = getattr(exc, "msg", "") or type(exc).__name__
            notices.append(Notice(path=display, kind="parse", line=pm.real_line(n), message=one_line(
                f"line {n}: not valid Python ({msg}); site.py stops reading the file there, so the "
                "lines after it are not analysed")))
            out.append("")
            stopped = True
            continue
        ast.increment_lineno(tree, n - 1)
        body.extend(tree.body)
        out.append(line)
    vtext = "\n".join(out) + "\n" if out else ""
    if "\x00" in vtext:
        vtext = vtext.replace("\x00", " ")
    tree = ast.Module(body=body, type_ignores=[])
    plain = re.search(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", text) is None
    return MappedFile(path=path, display=display, text=vtext, tree=tree, lines=out, runs_at=RUNS_AT,
                      positions=None if plain else pm, notices=notices)
