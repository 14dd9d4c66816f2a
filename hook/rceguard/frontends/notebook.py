"""Jupyter notebooks (``.ipynb``): the code cells, in order, analysed as one module.

* Read with the standard library's JSON decoder (no Jupyter dependency). The pure-Python scanner
  is used with a string hook that remembers where each string starts in the file, so every
  character of a cell maps back to its line and column in the raw ``.ipynb`` (what GitHub code
  scanning shows); reports also name the cell (``analysis.ipynb:cell 3:2:5``: cell 3 counting
  every cell from the top, markdown ones included, its line 2, column 5).
* ``source`` may be a list of strings or one string (nbformat 4; ``input`` in nbformat 3).
  Markdown/raw cells and outputs are never code.
* Virtual line N is placed on the raw line that holds it when that is possible (always for
  notebooks written by Jupyter, one source line per JSON line), so line numbers in messages are
  those of the file; blank lines pad between cells.
* IPython syntax: ``%magic`` lines become ``pass`` (``%time stmt`` / ``%timeit stmt`` keep
  ``stmt``); ``!cmd``, ``x = !cmd``, ``%sx``/``%system`` lines are shell commands and are checked for
  download cradles (RCE004) right here; ``obj?`` help lines are skipped. A first line ``%%time``,
  ``%%timeit``, ``%%capture``, ``%%prun`` or ``%%python`` keeps the cell as Python; ``%%bash``,
  ``%%sh``, ``%%script bash|sh|zsh``, ``%%powershell`` cells are shell and are checked for cradles;
  other cell magics (``%%writefile``, ``%%html``, ``%%javascript`` ...) are not code. Only lines
  that start a statement are treated this way (not lines inside a triple-quoted string or a
  bracket).
* Each cell is parsed on its own, as IPython runs it: a cell with a syntax error gets a one-line
  notice and the other cells are still analysed.
"""
from __future__ import annotations

import ast
import json
import json.decoder
import json.scanner
import re
import warnings
from pathlib import Path
from typing import Any, List, Optional, Sequence, Tuple

from ..findings import Finding, Location, Notice, Step
from ..source import SourceError, check_size, one_line, split_lines
from .mapped import MappedFile, Offsets, PositionMap

PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "python", "python3", "pypy"})
SHELL_CELL_MAGICS = frozenset({"bash", "sh", "zsh", "powershell", "pwsh", "system"})
SHELL_SCRIPT_PROGRAMS = frozenset({"bash", "sh", "zsh", "dash", "ksh", "powershell", "pwsh"})
SHELL_LINE_MAGICS = frozenset({"sx", "system"})
_TIMING = re.compile(r"%time(?:it)?(?:\s+-[A-Za-z]+(?:\s+\d+)?)*\s+")
_ASSIGN_ESCAPE = re.compile(r"([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*(?=[!%])")


class _Str(str):
    """A decoded JSON string that remembers where its text starts in the file."""

    start = 0  # offset of the first character after the opening quote
    raw = ""  # the undecoded text between the quotes


def _decoder() -> json.JSONDecoder:
    dec = json.JSONDecoder()
    plain = json.decoder.scanstring

    def parse_string(text: str, idx: int, strict: bool) -> Tuple[str, int]:
        value, end = plain(text, idx, strict)
        s = _Str(value)
        s.start = idx
        s.raw = text[idx:end - 1]
        return s, end

    dec.parse_string = parse_string  # type: ignore[attr-defined]
    dec.scan_once = json.scanner.py_make_scanner(dec)  # type: ignore[attr-defined]
    return dec


def _offsets(piece: _Str) -> Optional[List[int]]:
    """Offset in the file of every character of ``piece``, or None when it has no escapes."""
    raw = piece.raw
    if "\\" not in raw:
        return None
    out: List[int] = []
    j, n = 0, len(raw)
    while j < n:
        out.append(piece.start + j)
        if raw[j] != "\\":
            j += 1
        elif raw[j + 1:j + 2] == "u":
            high = raw[j + 2:j + 6]
            if high[:1].lower() == "d" and high[1:2].lower() in "89ab" and raw[j + 6:j + 8] == "\\u":
                j += 12  # a surrogate pair decodes to one character
            else:
                j += 6
        else:
            j += 2
    if len(out) != len(piece):  # should not happen; fall back to an approximate mapping
        return None
    return out


class _CellText:
    """The concatenated source of one cell, with the file offset of each of its characters."""

    def __init__(self, pieces: Sequence[_Str]) -> None:
        self.text = "".join(pieces)
        self.parts: List[Tuple[int, _Str, Optional[List[int]]]] = []  # (start in self.text, piece, table)
        pos = 0
        for p in pieces:
            self.parts.append((pos, p, _offsets(p)))
            pos += len(p)

    def offsets(self, start: int, length: int) -> Offsets:
        """Offsets of ``self.text[start:start+length]``."""
        if not self.parts:
            return Offsets(0)
        for k, (pos, piece, table) in enumerate(self.parts):
            nxt = self.parts[k + 1][0] if k + 1 < len(self.parts) else len(self.text) + 1
            if pos <= start < nxt:
                if table is None and start + length <= nxt:
                    return Offsets(piece.start + (start - pos))
                break
        return Offsets(0, [self.at(i) for i in range(start, start + max(length, 1))])

    def at(self, i: int) -> int:
        for pos, piece, table in reversed(self.parts):
            if pos <= i:
                k = i - pos
                if table is None:
                    return piece.start + k
                return table[min(k, len(table) - 1)] if table else piece.start
        return 0


class _Cell:
    def __init__(self, number: int, text: _CellText) -> None:
        self.number = number
        self.text = text
        self.lines: List[Tuple[int, str]] = []  # (start offset in the cell text, line)
        pos = 0
        for line in split_lines(text.text):
            self.lines.append((pos, line))
            pos += len(line)
            nl = text.text[pos:pos + 2]
            pos += 2 if nl == "\r\n" else (1 if nl[:1] in ("\r", "\n") else 0)


class NotebookMap(PositionMap):
    pass


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"notebook is not valid UTF-8 JSON ({exc.reason} at byte {exc.start})", kind="parse") from None


def _load_json(text: str) -> Any:
    try:
        return _decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"not a valid notebook: broken JSON ({exc.msg})", exc.lineno, kind="parse") from None
    except RecursionError:
        raise SourceError("not a valid notebook: JSON nested too deeply", kind="parse") from None


def _code_cells(nb: Any) -> Tuple[List[Tuple[int, List[_Str]]], List[str]]:
    """(cell number, source pieces) of the code cells, and problems worth a notice."""
    if not isinstance(nb, dict):
        raise SourceError("not a valid notebook: the JSON is not an object", kind="parse")
    cells = nb.get("cells")
    if cells is None and isinstance(nb.get("worksheets"), list):  # nbformat 3
        cells = [c for ws in nb["worksheets"] if isinstance(ws, dict) for c in (ws.get("cells") or [])]
    if not isinstance(cells, list):
        raise SourceError("not a valid notebook: no list of cells", kind="parse")
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    lang = ""
    for key in ("kernelspec", "language_info"):
        sub = meta.get(key)
        if isinstance(sub, dict):
            lang = str(sub.get("language") or sub.get("name") or lang)
            if lang:
                break
    if lang and not lang.lower().startswith(("python", "ipython")):
        raise SourceError(f"notebook language is {one_line(lang, 40)}, not Python; not analysed", kind="parse")
    out: List[Tuple[int, List[_Str]]] = []
    problems: List[str] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        src = cell.get("source", cell.get("input", ""))
        if isinstance(src, str):
            pieces = [src]
        elif isinstance(src, list) and all(isinstance(p, str) for p in src):
            pieces = list(src)
        else:
            problems.append(f"cell {number}: source is not text; that cell is not analysed")
            continue
        out.append((number, [p if isinstance(p, _Str) else _Str(p) for p in pieces]))
    return out, problems


# ---------------------------------------------------------------------- IPython syntax


class _PyState:
    """Just enough of Python's lexer to know whether a line starts a statement."""

    def __init__(self) -> None:
        self.triple: Optional[str] = None
        self.depth = 0
        self.backslash = False

    def at_statement_start(self) -> bool:
        return self.triple is None and self.depth == 0 and not self.backslash

    def feed(self, line: str) -> None:
        i, n = 0, len(line)
        while i < n:
            if self.triple is not None:
                j = line.find(self.triple, i)
                while j > 0 and line[j - 1] == "\\" and (j < 2 or line[j - 2] != "\\"):
                    j = line.find(self.triple, j + 1)
                if j < 0:
                    break
                i = j + 3
                self.triple = None
                continue
            c = line[i]
            if c == "#":
                break
            if c in "\"'":
                if line.startswith(c * 3, i):
                    self.triple = c * 3
                    i += 3
                    continue
                i += 1
                while i < n and line[i] != c:
                    i += 2 if line[i] == "\\" else 1
                i += 1
                continue
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(0, self.depth - 1)
            i += 1
        self.backslash = self.triple is None and line.endswith("\\")


def _keep_directive(line: str) -> str:
    """An inline ``# rceguard: ignore[...]`` on a replaced line, kept so it still suppresses."""
    k = line.find("# rceguard")
    if k < 0:
        k = line.lower().find("#rceguard")
    return "  " + line[k:] if k >= 0 else ""


def strip_shell_comment(command: str) -> str:
    """``cmd  # comment`` -> ``cmd`` (a ``#`` that starts a word, outside quotes)."""
    quote = ""
    for i, c in enumerate(command):
        if quote:
            if c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or command[i - 1] in " \t"):
            return command[:i].rstrip()
    return command


Script = Tuple[int, int, str, bool]  # (index of its first line in the cell, column there, text, PowerShell?)


def transform_cell(lines: List[str]) -> Tuple[List[str], List[Script], str]:
    """IPython lines -> Python lines (same count), the shell scripts found in them (a ``!`` line,
    or the body of a shell cell: its text spans the following lines of the cell), and what kind
    of cell it is ("python", "shell" or "other")."""
    first = next((k for k, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and lines[first].startswith("%%"):
        words = lines[first][2:].split()
        name = words[0] if words else ""
        if name in SHELL_CELL_MAGICS or (name == "script" and len(words) > 1
                                         and words[1].rsplit("/", 1)[-1] in SHELL_SCRIPT_PROGRAMS):
            ps = name in ("powershell", "pwsh") or (len(words) > 1 and words[1].rsplit("/", 1)[-1] in ("powershell", "pwsh"))
            return [""] * len(lines), [(first + 1, 0, "\n".join(lines[first + 1:]), ps)], "shell"
        if name not in PYTHON_CELL_MAGICS:
            return [""] * len(lines), [], "other"
        lines = list(lines)
        lines[first] = ""
    out: List[str] = []
    shell: List[Script] = []
    state = _PyState()
    for k, line in enumerate(lines):
        if not state.at_statement_start():
            out.append(line)
            state.feed(line)
            continue
        body = line.lstrip()
        indent = line[: len(line) - len(body)]
        target = ""
        m = _ASSIGN_ESCAPE.match(body)
        if m and body[m.end():m.end() + 1] in ("!", "%"):
            target, body = m.group(1), body[m.end():]
        if body.startswith("!"):
            shell.append((k, len(line) - len(body.lstrip("!")), body.lstrip("!"), False))
            out.append(indent + (f"{target} = None" if target else "pass") + _keep_directive(line))
            continue
        if body.startswith("%"):
            words = body.lstrip("%").split(None, 1)
            name = words[0] if words else ""
            t = _TIMING.match(body)
            if t and not target and body.startswith(("%time", "%timeit")):
                out.append(indent + "pass;" + " " * (t.end() - 5) + body[t.end():])
                state.feed(out[-1])
                continue
            if name in SHELL_LINE_MAGICS and len(words) > 1:
                shell.append((k, len(line) - len(words[1]), words[1], False))
            out.append(indent + (f"{target} = None" if target else "pass") + _keep_directive(line))
            continue
        if (body.startswith("?") or (body.rstrip().endswith("?") and "#" not in body)) and body.strip():
            out.append(indent + "pass")
            continue
        out.append(line)
        state.feed(line)
    return out, shell, "python"


# ---------------------------------------------------------------------- the front end


def load_notebook(path: Path, display: str, data: bytes) -> MappedFile:
    """Notebook bytes -> a :class:`MappedFile`. Raises :class:`SourceError` for a file that is not a
    notebook at all (broken JSON, no cells, another language)."""
    check_size(data)
    raw = _decode(data)
    cells, problems = _code_cells(_load_json(raw))
    pm = NotebookMap(raw)
    vlines: List[str] = []
    body: List[ast.stmt] = []
    notices = [Notice(path=display, message=p, kind="parse") for p in problems]
    findings: List[Finding] = []
    for number, pieces in cells:
        cell = _Cell(number, _CellText(pieces))
        if not cell.lines:
            continue
        py_lines, shell, _kind = transform_cell([ln for _, ln in cell.lines])
        first_real = pm._line_col(cell.text.at(cell.lines[0][0]))[0] if cell.text.parts else 0
        first_v = len(vlines) + 1
        if first_real > first_v and _spans_plainly(cell, pm):
            first_v = first_real
        while len(vlines) < first_v - 1:
            vlines.append("")
            pm.lines.append(None)
        for k, ((start, line), py) in enumerate(zip(cell.lines, py_lines)):
            vlines.append(py)
            pm.lines.append((cell.text.offsets(start, len(line)), f"cell {number}:{k + 1}"))
        cell_text = "\n".join(py_lines) + "\n"
        if cell_text.strip():
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(cell_text, filename=f"{display} cell {number}")
                ast.increment_lineno(tree, first_v - 1)
                body.extend(tree.body)
            except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
                line = getattr(exc, "lineno", 0) or 1
                msg = getattr(exc, "msg", "") or type(exc).__name__
                notices.append(Notice(path=display, kind="parse", line=pm.real_line(first_v + line - 1),
                                      message=one_line(f"cell {number}: syntax error: {msg}; "
                                                       "the other cells are analysed")))
                for j in range(len(py_lines)):
                    vlines[first_v - 1 + j] = ""
        for k, col, script, powershell in shell:
            for c in _checker().check_script(script, powershell):
                (k1, c1), (k2, c2) = _at(script, c.start, k, col), _at(script, max(c.start, c.end - 1), k, col)
                loc = Location(display, first_v + k1, c1 + 1, first_v + k2, c2 + 2)
                findings.append(Finding(
                    rule_id="RCE004", level="error",
                    message=f"Shell download cradle run: `{c.what}` (notebook cell {number}): {c.how}.",
                    location=loc, steps=(Step(loc, f"{c.how}: `{c.what}`"),),
                    statement_lines=(first_v + k1, first_v + k2), context=f"cell {number}",
                    sink_text=one_line(cell.lines[k1][1], 200), source_api=c.what))
    text = "\n".join(vlines) + "\n" if vlines else ""
    tree = ast.Module(body=body, type_ignores=[])
    return MappedFile(path=path, display=display, text=text, tree=tree, lines=vlines, positions=pm,
                      extra_findings=findings, notices=notices)


def _checker():
    from ..analysis.shellscan import Checker  # the shell tokenizer, loaded only for shell lines

    return Checker()


def _at(script: str, offset: int, first: int, col: int) -> Tuple[int, int]:
    """(index of the cell line, column) of an offset in a script that starts at line ``first``,
    column ``col`` of the cell."""
    before = script[:offset]
    n = before.count("\n")
    return first + n, (col + len(before)) if n == 0 else len(before) - before.rfind("\n") - 1


def _spans_plainly(cell: _Cell, pm: PositionMap) -> bool:
    """True when the cell's lines sit on consecutive lines of the file (one per line, as Jupyter
    writes them), so virtual line numbers can be those of the file."""
    prev = 0
    for start, _line in cell.lines:
        real = pm._line_col(cell.text.at(start))[0]
        if prev and real != prev + 1:
            return False
        prev = real
    return True
