"""Shell lines outside Python: shell scripts, Dockerfiles, GitHub workflow/action files, Makefiles.

Each front end cuts the shell text out of its file (``RUN`` instructions, ``run:`` values, recipe
lines) into :class:`Script` objects that remember, for every character, the line and column it
came from in the file; :mod:`rceguard.analysis.shellscan` finds the download cradles in them, and
findings are reported as RCE004 at the exact place in the file.

YAML: workflow and action files are read with a line scanner for ``run:`` keys (plain and quoted
values, ``|``/``>`` block scalars with their indentation and chomping indicators), not with a YAML
library: a library gives the *value* of a block scalar but not where each of its lines is (pyyaml
only marks the start of the node), and the structure needed here is one key. It also keeps
rceguard free of a dependency for this. A step's ``shell: pwsh``/``powershell`` switches that
step to the PowerShell check; ``shell: python`` and ``cmd`` steps are not shell and are skipped.
"""
from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .findings import Finding, Location, Notice, Step
from .source import SourceError, read_bytes, split_lines

SHELL, DOCKERFILE, WORKFLOW, MAKEFILE = "shell", "dockerfile", "workflow", "makefile"
KIND_LABEL = {SHELL: "shell script", DOCKERFILE: "Dockerfile RUN", WORKFLOW: "workflow run step",
              MAKEFILE: "Makefile recipe"}
SHELL_SUFFIXES = (".sh", ".bash", ".zsh", ".ksh")
_SHEBANG = re.compile(rb"^#![ \t]*(?:/usr)?(?:/local)?/bin/(?:env[ \t]+(?:-\S+[ \t]+)*)?(?:ba|z|da|k|a|mk)?sh\b")
MAX_BYTES = 5 * 1024 * 1024


def kind_of(path: str, sniff: bool = True) -> Optional[str]:
    """The front end for this file, or None (Python files and everything else). ``sniff``: read
    the first bytes of a file without a suffix to look for a shell ``#!`` line."""
    name = os.path.basename(path)
    low = name.lower()
    if low.endswith((".py", ".pyi")):
        return None
    if low.endswith(SHELL_SUFFIXES):
        return SHELL
    if low in ("dockerfile", "containerfile") or low.endswith((".dockerfile", ".containerfile")) or \
            low.startswith(("dockerfile.", "containerfile.")):
        return DOCKERFILE
    if low in ("makefile", "gnumakefile") or low.endswith(".mk"):
        return MAKEFILE
    if low in ("action.yml", "action.yaml"):
        return WORKFLOW
    if low.endswith((".yml", ".yaml")):
        parts = path.replace("\\", "/").split("/")
        if len(parts) >= 3 and parts[-2] == "workflows" and parts[-3] == ".github":
            return WORKFLOW
        return None
    if sniff and "." not in name:
        try:
            with open(path, "rb") as fh:
                head = fh.read(128)
        except OSError:
            return None
        if _SHEBANG.match(head):
            return SHELL
    return None


def explicit_kind(path: str) -> Optional[str]:
    """For a file named on the command line (pre-commit passes them): any ``.yml``/``.yaml`` is read
    as a workflow (only ``run:`` keys are looked at), and a shell ``#!`` line counts whatever the
    suffix."""
    k = kind_of(path)
    if k is not None:
        return k
    low = path.lower()
    if low.endswith((".yml", ".yaml")):
        return WORKFLOW
    if not low.endswith((".py", ".pyi")):
        try:
            with open(path, "rb") as fh:
                if _SHEBANG.match(fh.read(128)):
                    return SHELL
        except OSError:
            return None
    return None


# ----------------------------------------------------------------------------------- scripts


class Script:
    """Shell text cut out of a file, with the file position of each character."""

    def __init__(self, powershell: bool = False, label: str = "") -> None:
        self.powershell = powershell
        self.label = label
        self._parts: List[str] = []
        self._len = 0
        self._offsets: List[int] = []
        self._pos: List[Tuple[int, int]] = []  # (line, 0-based col) of _offsets[i]

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    @text.setter
    def text(self, value: str) -> None:  # same length: a character replaced in place
        self._parts = [value]
        self._len = len(value)

    def add(self, piece: str, line: int, col: int) -> None:
        """Append ``piece`` (no newline) that sits at ``line``/``col`` (0-based) in the file."""
        if piece:
            self._offsets.append(self._len)
            self._pos.append((line, col))
            self._parts.append(piece)
            self._len += len(piece)

    def newline(self, char: str = "\n") -> None:
        if self._pos:
            line, col = self._pos[-1]
            last = self._offsets[-1]
            self._offsets.append(self._len)
            self._pos.append((line, col + self._len - last))
        self._parts.append(char)
        self._len += len(char)

    def position(self, offset: int) -> Tuple[int, int]:
        """(line, 1-based column) of a script offset."""
        if not self._offsets:
            return 1, 1
        k = max(0, bisect.bisect_right(self._offsets, offset) - 1)
        line, col = self._pos[k]
        return line, col + (offset - self._offsets[k]) + 1


def _whole(text: str) -> Script:
    s = Script(label=KIND_LABEL[SHELL])
    for n, line in enumerate(split_lines(text), 1):
        s.add(line, n, 0)
        s.newline()
    return s


# ------------------------------------------------------------------------------- Dockerfile

_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*(\S)", re.I)
_HEREDOC = re.compile(r"<<-?\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")


def dockerfile_scripts(text: str) -> List[Script]:
    lines = split_lines(text)
    escape = "\\"
    for line in lines[:5]:
        m = _DIRECTIVE.match(line.strip())
        if m:
            escape = m.group(1)
        elif line.strip() and not line.lstrip().startswith("#"):
            break
    out: List[Script] = []
    powershell = False
    k = 0
    while k < len(lines):
        line = lines[k]
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            k += 1
            continue
        # gather the instruction: continuation lines (comment lines inside are dropped)
        parts: List[Tuple[int, int, str]] = [(k + 1, len(line) - len(stripped), stripped)]
        k += 1
        while parts[-1][2].rstrip().endswith(escape) and k < len(lines):
            nxt = lines[k]
            k += 1
            if nxt.lstrip().startswith("#"):
                continue
            parts.append((k, 0, nxt))
        head = parts[0][2]
        m = re.match(r"(?i)(onbuild\s+)?(\w+)\s*", head)
        instr = m.group(2).upper() if m else ""
        rest_at = m.end() if m else 0
        if instr == "SHELL":
            body = " ".join(p[2] for p in parts)[rest_at:]
            try:
                argv = json.loads(body.replace(escape + "\n", ""))
                powershell = bool(argv) and os.path.basename(str(argv[0])).lower().split(".")[0] in ("powershell", "pwsh")
            except ValueError:
                pass
            continue
        if instr != "RUN":
            continue
        # RUN flags (--mount=…, --network=…)
        first_line, first_col, first_text = parts[0]
        pos = rest_at
        while True:
            fm = re.match(r"--\S+\s*", first_text[pos:])
            if not fm:
                break
            pos += fm.end()
        script = Script(powershell=powershell, label=KIND_LABEL[DOCKERFILE])
        body = first_text[pos:]
        if body.startswith("["):
            joined = body + "".join(p[2] for p in parts[1:])
            _exec_form(script, joined.replace(escape + "\n", ""), first_line, first_col + pos)
            if script.text:
                out.append(script)
            continue
        hd = _HEREDOC.search(body)
        if hd is not None and len(parts) == 1:
            # BuildKit heredoc: the body lines follow the instruction
            delim = hd.group(2)
            body_lines: List[Tuple[int, str]] = []
            while k < len(lines):
                k += 1
                if lines[k - 1].strip() == delim:
                    break
                body_lines.append((k, lines[k - 1]))
            if body.startswith("<<"):
                for n, bl in body_lines:
                    script.add(bl, n, 0)
                    script.newline()
            else:
                script.add(body, first_line, first_col + pos)
                script.newline()
                for n, bl in body_lines:
                    script.add(bl, n, 0)
                    script.newline()
                script.add(delim, body_lines[-1][0] if body_lines else first_line, 0)
            out.append(script)
            continue
        script.add(body, first_line, first_col + pos)
        for n, col, piece in parts[1:]:
            if escape != "\\" and script.text.rstrip().endswith(escape):
                trimmed = script.text.rstrip()[:-1]
                script.text = trimmed + " " * (len(script.text) - len(trimmed))
            script.newline()
            script.add(piece, n, col)
        if escape != "\\" and script.text.rstrip().endswith(escape):
            script.text = script.text.rstrip()[:-1]
        script.newline()
        out.append(script)
    return out


def _exec_form(script: Script, body: str, line: int, col: int) -> None:
    """``RUN ["sh", "-c", "…"]``: the -c argument is the script (mapped onto the JSON string)."""
    try:  # the JSON array; a trailing `# comment` is tolerated
        argv, end = json.JSONDecoder().raw_decode(body)
    except ValueError:
        return
    if body[end:].strip() and not body[end:].strip().startswith("#"):
        return
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv) or not argv:
        return
    from .analysis.shellscan import POWERSHELLS, SHELLS

    prog = argv[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    for k, a in enumerate(argv[1:-1], 1):
        if a in ("-c", "-Command", "-command", "/c", "/C"):
            code = argv[k + 1]
            raw = json.dumps(code)
            at = body.find(raw)
            if at < 0:
                at = body.find('"' + code[:10])
            script.powershell = prog.split(".")[0] in POWERSHELLS or prog in POWERSHELLS
            if prog in SHELLS or script.powershell or prog.startswith("python"):
                if not prog.startswith("python"):
                    script.add(code.replace("\n", " "), line, col + max(at, 0) + 1)
            return
    # not through a shell: the words themselves are the command
    from shlex import quote

    script.add(" ".join(quote(a) for a in argv), line, col)


# ---------------------------------------------------------------------------- GitHub workflows

_RUN_KEY = re.compile(r"^(\s*)(-\s+)?run\s*:(?=\s|$)\s*(.*)$")
_SHELL_KEY = re.compile(r"^(\s*)(-\s+)?shell\s*:\s*([^#\s][^#]*?)\s*(?:#.*)?$")
_BLOCK = re.compile(r"^([|>])([+-]?)([1-9]?)([+-]?)\s*(?:#.*)?$")


def workflow_scripts(text: str) -> List[Script]:
    lines = split_lines(text)
    out: List[Script] = []
    default_shell = ""
    for n, line in enumerate(lines):
        m = _SHELL_KEY.match(line)
        if m and line.strip().startswith("shell") and _indent_of(m) >= 4 and _is_defaults_shell(lines, n):
            default_shell = m.group(3)
    for n, line in enumerate(lines):
        m = _RUN_KEY.match(line)
        if not m:
            continue
        key_indent = len(m.group(1)) + (len(m.group(2)) if m.group(2) else 0)
        value = m.group(3)
        value_col = len(line) - len(value)
        shell = _step_shell(lines, n, len(m.group(1)), bool(m.group(2))) or default_shell
        sh = shell.split()[0].lower() if shell else ""
        if sh in ("python", "cmd"):
            continue
        script = Script(powershell=sh in ("pwsh", "powershell"), label=KIND_LABEL[WORKFLOW])
        bm = _BLOCK.match(value)
        if bm:
            folded = bm.group(1) == ">"
            explicit = bm.group(3)
            body_indent = key_indent + int(explicit) if explicit else -1
            k = n + 1
            prev_blank = True
            while k < len(lines):
                bl = lines[k]
                if bl.strip() == "":
                    script.newline()
                    prev_blank = True
                    k += 1
                    continue
                ind = len(bl) - len(bl.lstrip(" "))
                if body_indent < 0:
                    if ind <= key_indent:
                        break
                    body_indent = ind
                if ind < body_indent:
                    break
                if folded and not prev_blank and ind == body_indent and script.text.endswith("\n"):
                    script.text = script.text[:-1] + " "  # folded: a line break is a space
                script.add(bl[body_indent:], k + 1, body_indent)
                script.newline()
                prev_blank = ind > body_indent
                k += 1
        elif value[:1] in ("'", '"'):
            q = value[0]
            end = _quote_end(value, q)
            inner = value[1:end]
            if q == "'":
                inner = inner.replace("''", "'")
            else:
                inner = inner.replace('\\"', '"').replace("\\\\", "\\")
            script.add(inner, n + 1, value_col + 1)
        else:
            plain = re.sub(r"\s+#.*$", "", value)
            script.add(plain, n + 1, value_col)
        if script.text.strip():
            out.append(script)
    return out


def _indent_of(m: "re.Match[str]") -> int:
    return len(m.group(1)) + (len(m.group(2)) if m.group(2) else 0)


def _is_defaults_shell(lines: List[str], n: int) -> bool:
    """``defaults: run: shell: X`` (workflow or job level)."""
    ind = len(lines[n]) - len(lines[n].lstrip())
    for k in range(n - 1, -1, -1):
        s = lines[k]
        if not s.strip() or s.lstrip().startswith("#"):
            continue
        i2 = len(s) - len(s.lstrip())
        if i2 < ind:
            if s.strip().startswith("run:"):
                ind = i2
                continue
            return s.strip().startswith("defaults:")
    return False


def _step_shell(lines: List[str], n: int, indent: int, dash: bool) -> str:
    """The ``shell:`` key of the step that holds the ``run:`` at line ``n``."""
    key_indent = indent + (2 if dash else 0)
    # the step mapping starts at the `- ` item at or above n
    start = n
    if not dash:
        for k in range(n - 1, -1, -1):
            s = lines[k]
            if not s.strip():
                continue
            i2 = len(s) - len(s.lstrip())
            if s.lstrip().startswith("- ") and i2 + 2 == key_indent:
                start = k
                break
            if i2 < key_indent:
                return ""
    for k in range(start, len(lines)):
        s = lines[k]
        if k > start and s.strip():
            i2 = len(s) - len(s.lstrip())
            if i2 < key_indent or (s.lstrip().startswith("- ") and i2 + 2 <= key_indent):
                break
        m = _SHELL_KEY.match(s)
        if m and _indent_of(m) == key_indent:
            return m.group(3).strip().strip("'\"")
    return ""


def _quote_end(value: str, q: str) -> int:
    i = 1
    while i < len(value):
        if q == '"' and value[i] == "\\":
            i += 2
            continue
        if value[i] == q:
            if q == "'" and value[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return len(value)


# ----------------------------------------------------------------------------------- Makefile

_RULE = re.compile(r"^[^\t#=][^=]*?:(?!=)")


def makefile_scripts(text: str) -> List[Script]:
    lines = split_lines(text)
    out: List[Script] = []
    in_rule = False
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith("\t") and in_rule:
            script = Script(label=KIND_LABEL[MAKEFILE])
            body = line[1:]
            col = 1
            while body[:1] in ("@", "-", "+", " "):
                body = body[1:]
                col += 1
            script.add(_make_text(body), k + 1, col)
            while body.endswith("\\") and k + 1 < len(lines):
                k += 1
                script.newline()
                nxt = lines[k]
                c2 = 1 if nxt.startswith("\t") else 0
                body = nxt[c2:]
                script.add(_make_text(body), k + 1, c2)
            script.newline()
            out.append(script)
            k += 1
            continue
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            in_rule = bool(_RULE.match(line)) and not stripped.startswith(("define ", "ifeq", "ifneq", "ifdef",
                                                                           "ifndef", "else", "endif", "export "))
            for sm in re.finditer(r"\$\(shell\s", line):
                end = _make_close(line, sm.start() + 1)
                inner = line[sm.end():end]
                s = Script(label="Makefile $(shell …)")
                s.add(_make_text(inner), k + 1, sm.end())
                out.append(s)
        elif not stripped:
            pass
        k += 1
    return out


def _make_close(line: str, i: int) -> int:
    depth = 0
    for j in range(i, len(line)):
        if line[j] == "(":
            depth += 1
        elif line[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return len(line)


def _make_text(body: str) -> str:
    """Make's own syntax out, same length (columns stay right): ``$$`` is a shell ``$``, ``$(VAR)``
    and ``${VAR}`` are make variables (a placeholder word), ``$(shell …)`` is checked on its own."""
    if "$" not in body:
        return body
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "$":
            j = body.find("$", i)
            j = len(body) if j < 0 else j
            out.append(body[i:j])
            i = j
        elif body[i + 1:i + 2] == "$":
            out.append(" $")
            i += 2
        elif c == "$" and body[i + 1:i + 2] in ("(", "{"):
            close = ")" if body[i + 1] == "(" else "}"
            depth, j = 0, i + 1
            while j < len(body):
                if body[j] == body[i + 1]:
                    depth += 1
                elif body[j] == close:
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            j = min(j, len(body) - 1)
            inner = re.sub(r"[^A-Za-z0-9_.,: -]", "_", body[i + 2:j])
            out.append("${" + inner + "}" if body[j:j + 1] == close else "$_" + inner + "_")
            i = j + 1
        elif c == "$" and i + 1 < len(body) and body[i + 1] in "@<^*?%+|":
            out.append("$_")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------- scan

FRONT_ENDS = {DOCKERFILE: dockerfile_scripts, WORKFLOW: workflow_scripts, MAKEFILE: makefile_scripts}


@dataclass
class FileResult:
    findings: List[Finding] = field(default_factory=list)
    notice: Optional[Notice] = None
    text: str = ""


def decode(data: bytes, display: str) -> str:
    if len(data) > MAX_BYTES:
        raise SourceError(f"too large to scan ({len(data):,} bytes; the limit is {MAX_BYTES:,}); not analysed")
    if b"\x00" in data[:8192] or b"\x00" in data:
        raise SourceError("contains NUL bytes; not a text file", data.count(b"\n", 0, data.find(b"\x00")) + 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                          data.count(b"\n", 0, exc.start) + 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def scan_file(path: Path, display: str, kind: str, data: Optional[bytes] = None) -> FileResult:
    """Read one shell-kind file and report its cradles. Never raises."""
    from .analysis.shellscan import Checker, may_hold_cradle

    res = FileResult()
    try:
        if data is None:
            data = read_bytes(path)
        text = decode(data, display)
    except SourceError as exc:
        res.notice = Notice(path=display, message=exc.message, kind=exc.kind, line=exc.line)
        return res
    res.text = text
    try:
        if not may_hold_cradle(text):
            return res
        scripts = FRONT_ENDS[kind](text) if kind in FRONT_ENDS else [_whole(text)]
        checker = Checker()
        lines = split_lines(text)
        seen = set()
        for script in scripts:
            for c in checker.check_script(script.text, script.powershell):
                line, col = script.position(c.start)
                eline, ecol = script.position(max(c.start, c.end - 1))
                ecol += 1
                key = (line, col, c.how)
                if key in seen:
                    continue
                seen.add(key)
                loc = Location(display, line, col, eline, ecol)
                sink = lines[line - 1].strip() if 0 < line <= len(lines) else c.what
                msg = f"Shell download cradle run: `{c.what}` ({script.label}): {c.how}."
                res.findings.append(Finding(
                    rule_id="RCE004", level="error", message=msg, location=loc,
                    steps=(Step(loc, f"{c.how}: `{c.what}`"),), statement_lines=(line, eline),
                    context=script.label, sink_text=sink, source_api=c.what))
    except (RecursionError, MemoryError) as exc:
        res.notice = Notice(path=display, message=f"too complex to analyse ({type(exc).__name__})", kind="other")
    except Exception as exc:  # never a traceback for one file
        res.notice = Notice(path=display, message=f"internal error while analysing: {type(exc).__name__}: {exc}"[:300],
                            kind="other")
    return res


def directives(text: str) -> Dict[int, list]:
    """Suppression comments in a shell-kind file: ``# rceguard: ignore[RCE004]`` after a ``#`` that
    starts a comment (line start or after whitespace), as in shell, YAML, Dockerfile and make."""
    from .suppress import _parse_comment

    out: Dict[int, list] = {}
    if "rceguard" not in text.lower():
        return out
    for n, line in enumerate(split_lines(text), 1):
        for m in re.finditer(r"(?:^|(?<=\s))#[^\n]*", line):
            d = _parse_comment(m.group(0), n)
            if d is not None:
                out.setdefault(n, []).append(d)
                break
    return out
