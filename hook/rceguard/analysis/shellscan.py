"""A small POSIX-shell tokenizer and the download-cradle check that runs on its output.

The tokenizer turns a script into pipelines of commands made of words, with quotes removed,
``$(…)``/backtick/``<(…)`` substitutions parsed recursively, redirections, here-documents and
comments recognised, and every word's character offsets kept (so findings point at the exact
place). It is not a full shell grammar: compound commands (``if``/``while``/``{ … }``/``( … )``)
are flattened into their simple commands, which is all the cradle check needs.

A *cradle* is network data run as a program without being stored and checked first:

* a fetcher writing to stdout piped into an interpreter that reads its program from stdin
  (``curl URL | sh``, ``wget -qO- URL | sudo bash -s --``, ``curl URL | python3 -``);
* a fetch in a process substitution run as a script (``bash <(curl URL)``, ``source <(curl URL)``,
  ``python3 - < <(curl URL)``) or in a command substitution given as the program text
  (``sh -c "$(curl URL)"``, ``eval "$(wget -O- URL)"``, ``bash <<< "$(curl URL)"``);
* a file downloaded earlier in the same script and then run (``curl -o i.sh URL; sh i.sh``)
  with no checksum or signature check in between (``sha256sum -c``, ``shasum -a 256 -c``,
  ``gpg --verify`` …);
* PowerShell cradles (``iex (iwr …)``, ``DownloadString``, ``-EncodedCommand``) in
  ``powershell``/``pwsh`` command lines, checked with :func:`rceguard.analysis.shell.find_cradle`.

Text in ``echo``/``printf`` arguments, comments, here-documents written to a file, and pipes into
programs that do not run their input (``gpg --dearmor``, ``tar x``, ``jq``, ``tee file``) are not
cradles: only words in program position, ``-c`` scripts, and stdin of interpreters are looked at.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from .shell import find_cradle

MAX_DEPTH = 12  # nested substitutions / -c scripts followed this deep
MAX_SCRIPT = 2_000_000  # characters of one script that are tokenized


@dataclass
class Sub:
    """A command substitution ``$(…)``/`` `…` `` or a process substitution ``<(…)``/``>(…)``."""

    kind: str
    body: List["Pipeline"]
    start: int
    end: int


@dataclass
class Word:
    start: int
    end: int
    value: str  # quotes removed; substitutions appear as "$(…)"
    subs: List[Sub] = field(default_factory=list)
    value_start: int = -1  # offset of the first character of the value (after an opening quote)

    @property
    def literal(self) -> bool:
        return not self.subs and "$" not in self.value and "`" not in self.value


@dataclass
class Redirect:
    op: str
    start: int
    target: Optional[Word]


@dataclass
class Heredoc:
    delim: str
    strip: bool
    body: str = ""
    body_start: int = -1


@dataclass
class Command:
    words: List[Word] = field(default_factory=list)
    redirects: List[Redirect] = field(default_factory=list)
    heredocs: List[Heredoc] = field(default_factory=list)
    skip: bool = False  # for/case/select headers, function keywords

    @property
    def start(self) -> int:
        starts = [w.start for w in self.words] + [r.start for r in self.redirects]
        return min(starts) if starts else -1

    @property
    def end(self) -> int:
        ends = [w.end for w in self.words] + [r.target.end for r in self.redirects if r.target is not None]
        return max(ends) if ends else -1


@dataclass
class Pipeline:
    commands: List[Command] = field(default_factory=list)
    pipes: List[int] = field(default_factory=list)  # offset of the `|` before commands[i + 1]


@dataclass
class Comment:
    start: int
    text: str


_SEPARATOR_WORDS = {"then", "do", "else", "elif", "if", "while", "until", "!", "{", "}", "fi", "done", "esac",
                    "time", "coproc"}
_HEADER_WORDS = {"for", "case", "select", "function", "in"}
_WORD_END = set(" \t\n;&|()<>")


class _Parser:
    def __init__(self, text: str) -> None:
        self.t = text
        self.n = len(text)
        self.i = 0
        self.pending: List[Heredoc] = []
        self.comments: List[Comment] = []
        self.depth = 0

    # -------------------------------------------------------------- sequences
    def seq(self, stop: str = "") -> List[Pipeline]:
        t = self.t
        out: List[Pipeline] = []
        pipe = Pipeline()
        cmd = Command()

        def end_cmd() -> None:
            nonlocal cmd
            if cmd.words or cmd.redirects or cmd.heredocs:
                if not cmd.skip:
                    pipe.commands.append(cmd)
            cmd = Command()

        def end_pipe() -> None:
            nonlocal pipe
            end_cmd()
            if pipe.commands:
                del pipe.pipes[len(pipe.commands) - 1:]
                out.append(pipe)
            pipe = Pipeline()

        while self.i < self.n:
            i = self.i
            c = t[i]
            if c in " \t\r":
                self.i += 1
            elif c == "\\" and t.startswith("\n", i + 1):
                self.i += 2
            elif c == "\n":
                end_pipe()
                self.i += 1
                self._heredocs()
            elif c == "#":
                j = t.find("\n", i)
                j = self.n if j < 0 or j > self.n else j
                self.comments.append(Comment(i, t[i:j]))
                self.i = j
            elif stop and c == stop:
                self.i += 1
                end_pipe()
                return out
            elif c == "|":
                if t.startswith("||", i):
                    end_pipe()
                    self.i += 2
                else:
                    end_cmd()
                    pipe.pipes.append(i)
                    self.i += 2 if t.startswith("|&", i) else 1
            elif c == "&":
                if t.startswith("&&", i):
                    end_pipe()
                    self.i += 2
                elif t.startswith("&>", i):
                    self._redirect(cmd, "&>>" if t.startswith("&>>", i) else "&>")
                else:
                    end_pipe()
                    self.i += 1
            elif c == ";":
                end_pipe()
                self.i += 1
            elif c in "()":
                end_pipe()
                self.i += 1
            elif c in "<>" and not t.startswith("(", i + 1):
                self._redirect(cmd, self._redirect_op())
            elif c.isdigit() and self._fd_redirect():
                continue
            else:
                w = self.word()
                if w is None:
                    self.i += 1
                    continue
                if not cmd.words and not cmd.redirects and w.value in _SEPARATOR_WORDS and not w.subs and \
                        w.value_start == w.start:
                    continue
                if not cmd.words and w.value in _HEADER_WORDS and w.value_start == w.start:
                    cmd.skip = True
                if not cmd.words and w.value.endswith("()"):
                    cmd.skip = True
                cmd.words.append(w)
        end_pipe()
        return out

    def _fd_redirect(self) -> bool:
        t, i = self.t, self.i
        j = i
        while j < self.n and t[j].isdigit():
            j += 1
        if j < self.n and t[j] in "<>" and not t.startswith("(", j + 1):
            self.i = j
            return True
        return False

    def _redirect_op(self) -> str:
        t, i = self.t, self.i
        for op in ("<<<", "<<-", "<<", "<&", "<>", ">>", ">&", ">|", "<", ">"):
            if t.startswith(op, i):
                return op
        return t[i]

    def _redirect(self, cmd: Command, op: str) -> None:
        start = self.i
        self.i += len(op)
        while self.i < self.n and self.t[self.i] in " \t":
            self.i += 1
        target = self.word() if self.i < self.n and self.t[self.i] not in _WORD_END else None
        if target is None and self.i < self.n and self.t.startswith(("<(", ">("), self.i):
            target = self.word()
        cmd.redirects.append(Redirect(op, start, target))
        if op in ("<<", "<<-") and target is not None:
            h = Heredoc(target.value, op == "<<-")
            cmd.heredocs.append(h)
            self.pending.append(h)

    def _heredocs(self) -> None:
        t = self.t
        while self.pending:
            h = self.pending.pop(0)
            h.body_start = self.i
            lines = []
            while self.i < self.n:
                j = t.find("\n", self.i)
                j = self.n if j < 0 or j > self.n else j
                line = t[self.i:j]
                self.i = min(j + 1, self.n)
                check = line.lstrip("\t") if h.strip else line
                if check.rstrip("\r") == h.delim:
                    break
                lines.append(line)
            h.body = "\n".join(lines)

    # -------------------------------------------------------------- words
    def word(self) -> Optional[Word]:
        t = self.t
        start = self.i
        buf: List[str] = []
        subs: List[Sub] = []
        value_start = -1
        while self.i < self.n:
            i = self.i
            c = t[i]
            if c in _WORD_END:
                if c in "<>" and t.startswith("(", i + 1):
                    subs.append(self._sub(c + "(", i + 2, ")"))
                    buf.append("$(…)")
                    continue
                break
            if value_start < 0:
                value_start = i + 1 if c in "'\"" else i
            if c == "\\":
                if t.startswith("\n", i + 1):
                    self.i += 2
                    continue
                buf.append(t[i + 1:i + 2])
                self.i += 2
            elif c == "'":
                j = t.find("'", i + 1)
                j = self.n if j < 0 or j > self.n else j
                buf.append(t[i + 1:j])
                self.i = j + 1
            elif c == '"':
                self.i += 1
                self._dquoted(buf, subs)
            else:
                self._plain(c, buf, subs)
        if self.i == start:
            return None
        return Word(start, min(self.i, self.n), "".join(buf), subs, value_start if value_start >= 0 else start)

    def _dquoted(self, buf: List[str], subs: List[Sub]) -> None:
        t = self.t
        while self.i < self.n:
            i = self.i
            c = t[i]
            if c == '"':
                self.i += 1
                return
            if c == "\\" and i + 1 < self.n and t[i + 1] in '$`"\\\n':
                if t[i + 1] != "\n":
                    buf.append(t[i + 1])
                self.i += 2
            else:
                self._plain(c, buf, subs)

    def _plain(self, c: str, buf: List[str], subs: List[Sub]) -> None:
        """One character of a word (inside double quotes or not): an expansion or itself."""
        if c == "$":
            self._dollar(buf, subs)
        elif c == "`":
            self._backtick(buf, subs)
        else:
            buf.append(c)
            self.i += 1

    def _dollar(self, buf: List[str], subs: List[Sub]) -> None:
        t, i = self.t, self.i
        if t.startswith("$((", i):
            j = self._match(i + 1, "(", ")")
            buf.append(t[i:j])
            self.i = j
        elif t.startswith("$(", i):
            subs.append(self._sub("$(", i + 2, ")"))
            buf.append("$(…)")
        elif t.startswith("${", i):
            j = self._match(i + 1, "{", "}")
            buf.append(t[i:j])
            self.i = j
        elif t.startswith("$'", i):
            j = i + 2
            while j < self.n and t[j] != "'":
                j += 2 if t[j] == "\\" else 1
            buf.append(t[i + 2:j])
            self.i = j + 1
        else:
            buf.append("$")
            self.i += 1

    def _match(self, i: int, open_: str, close: str) -> int:
        """Offset just after the bracket matching the one at ``i``."""
        depth = 0
        t = self.t
        while i < self.n:
            c = t[i]
            if c == "\\":
                i += 2
                continue
            if c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return self.n

    def _sub(self, kind: str, body_at: int, close: str) -> Sub:
        start = self.i
        if self.depth >= MAX_DEPTH:
            self.i = self._match(body_at - 1, "(", ")")
            return Sub(kind, [], start, self.i)
        self.depth += 1
        try:
            self.i = body_at
            pending, self.pending = self.pending, []
            body = self.seq(stop=close)
            self.pending = pending + self.pending
        finally:
            self.depth -= 1
        return Sub(kind, body, start, self.i)

    def _backtick(self, buf: List[str], subs: List[Sub]) -> None:
        t, start = self.t, self.i
        j = start + 1
        while j < self.n and t[j] != "`":
            j += 2 if t[j] == "\\" else 1
        j = min(j, self.n)
        body: List[Pipeline] = []
        if self.depth < MAX_DEPTH:
            self.depth += 1
            saved_n, saved_pending = self.n, self.pending
            try:
                self.n, self.i, self.pending = j, start + 1, []
                body = self.seq()
            finally:
                self.n, self.pending = saved_n, saved_pending
                self.depth -= 1
        self.i = j + 1
        subs.append(Sub("`", body, start, self.i))
        buf.append("$(…)")


def tokenize(text: str) -> Tuple[List[Pipeline], List[Comment]]:
    """Parse a shell script into pipelines (and the comments found)."""
    p = _Parser(text[:MAX_SCRIPT])
    pipelines = p.seq()
    return pipelines, p.comments


# ------------------------------------------------------------------------------------- the check

FETCHERS = {"curl", "wget", "fetch", "http", "https", "xh", "aria2c", "lynx", "links", "elinks"}
SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish", "busybox"}
INTERPRETERS = {"python", "python2", "python3", "pypy", "pypy3", "perl", "ruby", "node", "php", "deno", "bun"}
POWERSHELLS = {"powershell", "pwsh", "powershell.exe", "pwsh.exe"}
INLINE_CODE_FLAGS = {"-c", "-e", "-E", "-r", "--eval", "--command"}
VERIFIERS = {"sha256sum", "sha512sum", "sha384sum", "sha224sum", "sha1sum", "b2sum", "shasum", "md5sum", "cksum"}
_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_SUDO_VALUE_OPTS = {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "-R"}
_WRAPPERS = {"sudo", "doas", "env", "exec", "command", "nohup", "nice", "stdbuf", "timeout", "builtin", "time",
             "ionice", "chronic", "unbuffer", "xargs"}


# every cradle needs a fetcher (or a PowerShell download/encoded command): a text without one is
# not tokenized at all
_MAY_WORDS = ("curl", "wget", "fetch", "aria2c", "lynx", "links", "iex", "invoke-", "downloadstring")
_MAY = re.compile(r"\bxh\b|\bhttps?[ \t]|-e(?:nc\w*|c)?[ \t]+[A-Za-z0-9+/=]{16}", re.I)


def may_hold_cradle(text: str) -> bool:
    low = text.lower()
    return any(w in low for w in _MAY_WORDS) or _MAY.search(text) is not None


@dataclass
class Cradle:
    start: int  # offset in the script of the region to report (the pipe into the interpreter ...)
    end: int
    what: str  # the command text, shortened
    how: str  # one sentence: why this runs network data


def prog_name(w: Word) -> str:
    v = w.value.replace("\\", "/").rsplit("/", 1)[-1]
    if v in ("$SHELL", "${SHELL}"):  # the user's shell (make's $(SHELL) too)
        return "sh"
    return v.lower()


def _base(name: str) -> str:
    if name.endswith(".exe") and name not in POWERSHELLS:
        name = name[:-4]
    if name.startswith(("python", "pypy")):
        name = name.rstrip("0123456789.")
        if name.endswith("-"):
            name = name[:-1]
    return name


def unwrap(words: List[Word]) -> List[Word]:
    """Drop leading assignments and wrappers (``sudo -E``, ``env X=1``, ``nohup`` …)."""
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if _ASSIGN.match(w.value) and w.value_start == w.start:
            i += 1
            continue
        name = prog_name(w)
        if name not in _WRAPPERS:
            break
        i += 1
        while i < n:
            v = words[i].value
            if v == "--":
                i += 1
                break
            if name in ("sudo", "doas") and v in _SUDO_VALUE_OPTS:
                i += 2
                continue
            if name in ("nice", "ionice") and v in ("-n", "-c"):
                i += 2
                continue
            if name == "timeout" and (v[:1].isdigit() or v.startswith("-")):
                i += 1
                continue
            if name == "env" and _ASSIGN.match(v):
                i += 1
                continue
            if v.startswith("-") and len(v) > 1:
                i += 1
                continue
            break
    return words[i:]


def _short(text: str, limit: int = 80) -> str:
    s = " ".join(text.replace("\\\n", " ").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _flags(words: List[Word]) -> List[str]:
    return [w.value for w in words]


def fetch_output(words: List[Word]) -> Optional[str]:
    """For a fetcher command: "-" when it writes the download to stdout, the file name when it
    saves it, None when this is not a fetch."""
    if not words:
        return None
    name = _base(prog_name(words[0]))
    if name not in FETCHERS:
        return None
    args = _flags(words[1:])
    url = next((a for a in args if re.match(r"^[a-z][a-z0-9+.-]*://", a, re.I)), "")
    remote_name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] if url else ""
    if name == "curl":
        out = "-"
        for k, a in enumerate(args):
            nxt = args[k + 1] if k + 1 < len(args) else ""
            if a in ("-o", "--output"):
                out = nxt or "-"
            elif a.startswith("--output="):
                out = a.split("=", 1)[1]
            elif a in ("-O", "--remote-name", "--remote-name-all"):
                out = remote_name or "?"
            elif a.startswith("-") and not a.startswith("--") and len(a) > 2:
                letters = a[1:]
                if "o" in letters:
                    rest = letters[letters.index("o") + 1:]
                    out = rest or nxt or "-"
                elif "O" in letters:
                    out = remote_name or "?"
        return out
    if name == "wget":
        out = remote_name or "?"
        for k, a in enumerate(args):
            nxt = args[k + 1] if k + 1 < len(args) else ""
            if a in ("-O", "--output-document"):
                out = nxt or "-"
            elif a.startswith("--output-document="):
                out = a.split("=", 1)[1]
            elif a.startswith("-") and not a.startswith("--") and "O" in a:
                rest = a[a.index("O") + 1:]
                out = rest or nxt or "-"
        return out
    if name == "fetch":
        for k, a in enumerate(args):
            if a == "-o" and k + 1 < len(args):
                return args[k + 1]
        return remote_name or "?"
    if name == "aria2c":
        return remote_name or "?"
    if name in ("lynx", "links", "elinks"):
        return "-" if any(a in ("-dump", "-source") for a in args) else None
    return "?" if any(a in ("-d", "--download") for a in args) else "-"


def _stdout_redirected(cmd: Command) -> Optional[str]:
    for r in cmd.redirects:
        if r.op in (">", ">>", ">|", "&>", "&>>") and r.target is not None and r.target.value not in (
                "/dev/stdout", "/dev/stderr", "&1"):
            return r.target.value
    return None


def stdin_program(words: List[Word]) -> Optional[str]:
    """The interpreter's name when the command reads its program from stdin, else None."""
    if not words:
        return None
    name = _base(prog_name(words[0]))
    args = words[1:]
    if name in ("source", ".") :
        return name if args and args[0].value in ("/dev/stdin", "-", "/proc/self/fd/0") else None
    if name in SHELLS or name in INTERPRETERS or name in POWERSHELLS:
        value_opts = {"-o", "-O", "--rcfile", "--init-file"} if name in SHELLS else {"-W", "-X"}
        k = 0
        has_s = False
        while k < len(args):
            v = args[k].value
            if name in POWERSHELLS and v.lower() in ("-command", "-c") and k + 1 < len(args):
                return name if args[k + 1].value == "-" else None
            if v == "-" or v == "--":
                return name if v == "-" or has_s else None
            if v.startswith("-") and len(v) > 1:
                if v in INLINE_CODE_FLAGS or v in ("-m", "-f", "-File", "-file", "-EncodedCommand", "-enc", "-ec"):
                    return None
                if name in SHELLS and not v.startswith("--") and "c" in v[1:]:
                    return None
                if name in SHELLS and "s" in v[1:] and not v.startswith("--"):
                    has_s = True
                k += 2 if v in value_opts else 1
                continue
            return name if has_s else None
        return name
    return None


def inline_code(words: List[Word]) -> Optional[Word]:
    """The program text given on the command line: ``sh -c X``, ``python -c X``, ``perl -e X``,
    ``eval X`` (the first word; eval joins them)."""
    if not words:
        return None
    name = _base(prog_name(words[0]))
    if name == "eval":
        return words[1] if len(words) > 1 else None
    if name in SHELLS or name in INTERPRETERS or name in ("su", "runuser"):
        for k, w in enumerate(words[1:], 1):
            v = w.value
            if v in INLINE_CODE_FLAGS or (name in SHELLS and v.startswith("-") and not v.startswith("--")
                                          and v.endswith("c") and len(v) > 1):
                return words[k + 1] if k + 1 < len(words) else None
            if not v.startswith("-"):
                if name in ("su", "runuser"):
                    continue
                return None
    return None


def script_arg(words: List[Word]) -> Optional[Word]:
    """The script file an interpreter runs (its first operand), or the file ``source``/``.`` read."""
    if not words:
        return None
    name = _base(prog_name(words[0]))
    if name in ("source", "."):
        return words[1] if len(words) > 1 else None
    if name in SHELLS or name in INTERPRETERS:
        k = 1
        while k < len(words):
            v = words[k].value
            if v in INLINE_CODE_FLAGS or v == "-m":
                return None
            if v.startswith("-") and len(v) > 1:
                if name in SHELLS and not v.startswith("--") and "c" in v[1:]:
                    return None
                k += 2 if v in ("-o", "-O", "-W", "-X", "--rcfile", "--init-file") else 1
                continue
            return words[k] if v != "-" else None
    return None


def _norm_path(p: str) -> str:
    p = p.strip()
    while p.startswith("./"):
        p = p[2:]
    return p.replace("${", "$").replace("}", "") if "${" in p else p


class Checker:
    """Runs over the scripts of one file in order (a Dockerfile's RUN lines, a workflow's steps):
    downloads saved to a file are remembered across them."""

    def __init__(self) -> None:
        self.saved: Dict[str, Tuple[str, bool]] = {}  # path -> (what downloaded it, verified)
        self.comments: List[Comment] = []

    # ---------------------------------------------------------------- entry points
    def check_script(self, text: str, powershell: bool = False) -> List[Cradle]:
        if not self.saved and not may_hold_cradle(text):
            return []
        if powershell:
            return check_powershell(text)
        pipelines, comments = tokenize(text)
        self.comments.extend(comments)
        out: List[Cradle] = []
        self._seq(text, pipelines, out, 0)
        return out

    # ---------------------------------------------------------------- walking
    def _seq(self, text: str, pipelines: List[Pipeline], out: List[Cradle], depth: int) -> None:
        for p in pipelines:
            self._pipeline(text, p, out, depth)

    def _produces(self, body: List[Pipeline]) -> Optional[str]:
        """Does the output of this (substituted) script come from the network?"""
        for p in body:
            for k, cmd in enumerate(p.commands):
                words = unwrap(cmd.words)
                if fetch_output(words) == "-" and _stdout_redirected(cmd) is None and all(
                        _stdout_redirected(c) is None for c in p.commands[k + 1:]):
                    return prog_name(words[0])
        return None

    def _subs_produce(self, w: Word) -> Optional[str]:
        for s in w.subs:
            if s.kind in ("$(", "`", "<(") :
                got = self._produces(s.body)
                if got:
                    return got
        return None

    def _pipeline(self, text: str, p: Pipeline, out: List[Cradle], depth: int) -> None:
        cmds = p.commands
        stripped = [unwrap(c.words) for c in cmds]
        # 1. fetch | … | interpreter
        for k, words in enumerate(stripped):
            if fetch_output(words) != "-":
                continue
            for j in range(k + 1, len(cmds)):
                if _stdout_redirected(cmds[j - 1]) is not None:
                    break
                interp = stdin_program(stripped[j])
                if interp:
                    start = p.pipes[j - 1] if j - 1 < len(p.pipes) else cmds[j].start
                    what = _short(text[cmds[k].start:cmds[j].end])
                    out.append(Cradle(start, cmds[j].end, what,
                                      f"the download is piped straight into {interp}"))
                    break
        for cmd, words in zip(cmds, stripped):
            self._command(text, cmd, words, out, depth)

    def _command(self, text: str, cmd: Command, words: List[Word], out: List[Cradle], depth: int) -> None:
        name = _base(prog_name(words[0])) if words else ""
        what = _short(text[cmd.start:cmd.end]) if cmd.start >= 0 else ""
        # 2. bash <(curl …) / source <(curl …)
        script = script_arg(words)
        if script is not None:
            src = next((self._produces(s.body) for s in script.subs if s.kind == "<("), None)
            if src:
                out.append(Cradle(words[0].start, script.end, what, f"{name} runs the output of {src} as a script"))
        # 3. sh -c "$(curl …)" / eval "$(curl …)" / python -c "$(curl …)"
        code = inline_code(words)
        if code is not None:
            src = self._subs_produce(code)
            if src:
                out.append(Cradle(words[0].start, code.end, what, f"{name} runs the output of {src} as code"))
            elif depth < MAX_DEPTH and name in SHELLS | {"eval", "su", "runuser"} and code.value.strip():
                self._nested(code, out, depth, what)
        else:
            self._nested_shell_c(words, out, depth, what)
        # 4. interp < <(curl …) / interp <<< "$(curl …)" / heredoc to a shell
        interp = stdin_program(words)
        if interp:
            for r in cmd.redirects:
                if r.op in ("<", "<<<") and r.target is not None:
                    src = self._subs_produce(r.target)
                    if src:
                        out.append(Cradle(r.start, r.target.end, what, f"{interp} reads its program from {src}"))
            if name in SHELLS and depth < MAX_DEPTH:
                for h in cmd.heredocs:
                    if h.body and h.body_start >= 0:
                        sub = Checker()
                        sub.saved = self.saved
                        for c in sub.check_script(h.body):
                            out.append(Cradle(c.start + h.body_start, c.end + h.body_start, c.what, c.how))
        # 5. powershell -Command "iex (iwr …)" / -EncodedCommand
        if name in POWERSHELLS or name == "cmd":
            joined = " ".join(w.value for w in words)
            c = find_cradle(joined)
            if c:
                out.append(Cradle(words[0].start, words[-1].end, _short(joined), f"PowerShell runs `{c}`"))
        # 6. downloaded to a file, then run
        saved = fetch_output(words)
        dest = _stdout_redirected(cmd)
        if saved == "-" and dest:
            saved = dest
        if saved and saved not in ("-", "?"):
            self.saved[_norm_path(saved)] = (what, False)
        elif name in VERIFIERS and any(w.value in ("-c", "--check") or (w.value.startswith("-") and not
                                       w.value.startswith("--") and "c" in w.value[1:]) for w in words[1:]):
            self._verify_all()
        elif name in ("gpg", "gpg2", "gpgv", "cosign", "minisign", "signify", "slsa-verifier") or (
                name == "gh" and "attestation" in _flags(words)):
            if name in ("gpgv",) or any(w.value in ("--verify", "verify", "verify-blob", "-V", "verify-artifact")
                                        for w in words[1:]):
                self._verify_all()
        elif name in VERIFIERS or name == "openssl":
            for w in words[1:]:
                key = _norm_path(w.value)
                if key in self.saved:
                    self.saved[key] = (self.saved[key][0], True)
        else:
            run = script_arg(words)
            target = run if run is not None else (words[0] if words else None)
            if target is not None and not target.subs:
                key = _norm_path(target.value)
                hit = self.saved.get(key)
                if hit is not None and not hit[1] and (run is not None or "/" in target.value or key != target.value):
                    out.append(Cradle(target.start if run is None else words[0].start, target.end, what,
                                      f"it runs {target.value}, downloaded by `{hit[0]}`, with no checksum or "
                                      "signature check in between"))
        # 7. substitutions hold commands too: x=$(curl … | sh)
        for w in cmd.words + [r.target for r in cmd.redirects if r.target is not None]:
            for s in w.subs:
                if depth < MAX_DEPTH:
                    self._seq(text, s.body, out, depth + 1)
        # hash checks inside substitutions: [ "$(sha256sum f | cut -d' ' -f1)" = "$SUM" ]
        for w in cmd.words:
            if any(ch in w.value for ch in "$") and w.subs:
                for s in w.subs:
                    for p in s.body:
                        for c in p.commands:
                            cw = unwrap(c.words)
                            if cw and _base(prog_name(cw[0])) in VERIFIERS:
                                for a in cw[1:]:
                                    key = _norm_path(a.value)
                                    if key in self.saved:
                                        self.saved[key] = (self.saved[key][0], True)

    def _verify_all(self) -> None:
        for k, (what, _) in list(self.saved.items()):
            self.saved[k] = (what, True)

    def _nested_shell_c(self, words: List[Word], out: List[Cradle], depth: int, what: str) -> None:
        """``docker run img sh -c "…"``, ``ssh``-less wrappers: a shell word followed by -c."""
        for k, w in enumerate(words[1:], 1):
            if _base(prog_name(w)) in SHELLS and k + 2 < len(words) + 1:
                code = inline_code(words[k:])
                if code is not None and depth < MAX_DEPTH:
                    src = self._subs_produce(code)
                    if src:
                        out.append(Cradle(w.start, code.end, what, f"{prog_name(w)} runs the output of {src} as code"))
                    else:
                        self._nested(code, out, depth, what)
                return

    def _nested(self, code: Word, out: List[Cradle], depth: int, what: str) -> None:
        sub = Checker()
        sub.saved = self.saved
        for c in sub._run_nested(code.value, depth + 1):
            out.append(Cradle(code.start, code.end, c.what, c.how))

    def _run_nested(self, text: str, depth: int) -> List[Cradle]:
        pipelines, _ = tokenize(text)
        out: List[Cradle] = []
        self._seq(text, pipelines, out, depth)
        return out


_PS_COMMENT_BLOCK = re.compile(r"<#.*?#>", re.S)


def check_powershell(text: str) -> List[Cradle]:
    """PowerShell scripts: line by line (backtick continuations joined), comments removed."""
    from ..frontends.notebook import strip_shell_comment  # a `#` that starts a word, outside quotes

    out: List[Cradle] = []
    clean = _PS_COMMENT_BLOCK.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    offset = 0
    lines = clean.split("\n")
    k = 0
    while k < len(lines):
        start = offset
        line = strip_shell_comment(lines[k])
        joined = line
        offset += len(lines[k]) + 1
        while joined.rstrip().endswith("`") and k + 1 < len(lines):
            k += 1
            joined = joined.rstrip()[:-1] + " " + strip_shell_comment(lines[k])
            offset += len(lines[k]) + 1
        k += 1
        c = find_cradle(joined)
        if c:
            lead = len(line) - len(line.lstrip())
            end = start + len(line.rstrip()) if joined == line else offset - 1
            out.append(Cradle(start + lead, max(end, start + lead + 1), _short(joined.strip()),
                              f"PowerShell runs `{c}`"))
    return out


def find_shell_cradles(text: str, powershell: bool = False) -> List[Cradle]:
    """All cradles in one shell (or PowerShell) script."""
    return Checker().check_script(text, powershell)


def comment_offsets(text: str) -> Set[int]:
    """Offsets where comments start (for tests and callers that want them)."""
    return {c.start for c in tokenize(text)[1]}
