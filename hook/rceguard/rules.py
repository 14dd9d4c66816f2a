"""The rule catalogue: every rule rceguard can report, with its documentation.

Each :class:`Rule` carries what reporters need (SARIF ``rules[]``, ``rceguard rule ID``):
an identifier-like ``name``, one-sentence ``short`` description, a ``full`` description
(at most 1024 characters, GitHub's limit), the help page in plain text and Markdown
(What it finds / Why is this dangerous / Example / How to fix), the CWE list, the
``security_severity`` score as a string, ``precision``, ``default_level`` and ``tags``.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Dict, Iterable, Tuple

__all__ = [
    "Rule",
    "RULES",
    "RULE_IDS",
    "UnknownRuleError",
    "get",
    "explain",
    "catalogue",
    "severity_label",
    "cwe_tag",
]

_ID_RE = re.compile(r"^RCE\d{3}$")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
_LEVELS = ("error", "warning", "note")
_PRECISIONS = ("very-high", "high", "medium", "low")
_MAX_FULL = 1024
_MAX_TAGS = 10
_WIDTH = 88

# Short titles of the weaknesses the rules refer to (from the public CWE list).
CWE_TITLES: Dict[int, str] = {
    78: "OS Command Injection",
    94: "Code Injection",
    95: "Eval Injection",
    494: "Download of Code Without Integrity Check",
    502: "Deserialization of Untrusted Data",
    506: "Embedded Malicious Code",
    829: "Inclusion of Functionality from Untrusted Control Sphere",
}


def cwe_tag(number: int) -> str:
    """The tag GitHub code scanning understands for a CWE: ``external/cwe/cwe-094``."""
    return f"external/cwe/cwe-{number:03d}"


def severity_label(score: str) -> str:
    """GitHub's bucket for a ``security-severity`` score."""
    value = float(score)
    if value > 9.0:
        return "critical"
    if value >= 7.0:
        return "high"
    if value >= 4.0:
        return "medium"
    return "low"


class UnknownRuleError(KeyError, ValueError):
    """Raised by :func:`get` / :func:`explain` for an id that is not in the catalogue."""

    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id

    def __str__(self) -> str:
        return f"unknown rule {self.rule_id!r} (known: {', '.join(RULE_IDS)})"


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    short: str
    full: str
    help_text: str
    help_markdown: str
    cwe: Tuple[int, ...]
    security_severity: str
    precision: str
    default_level: str
    tags: Tuple[str, ...]
    fix_hint: str = ""  # the first paragraph of "How to fix" (job summary, hints)

    def __post_init__(self) -> None:
        problems = []
        if not _ID_RE.match(self.id):
            problems.append("id must look like RCE001")
        if not _NAME_RE.match(self.name):
            problems.append("name must be identifier-like")
        if len(self.full) > _MAX_FULL:
            problems.append(f"full description is {len(self.full)} > {_MAX_FULL} chars")
        if self.default_level not in _LEVELS:
            problems.append(f"default_level must be one of {_LEVELS}")
        if self.precision not in _PRECISIONS:
            problems.append(f"precision must be one of {_PRECISIONS}")
        try:
            score = float(self.security_severity)
        except ValueError:
            problems.append("security_severity must be a number written as a string")
        else:
            if not 0.0 <= score <= 10.0 or self.security_severity.strip() in ("9", "9.0"):
                problems.append("security_severity must be in 0..10 and not exactly 9.0")
        if len(self.tags) > _MAX_TAGS:
            problems.append(f"at most {_MAX_TAGS} tags")
        if "security" not in self.tags:
            problems.append("tags must include 'security'")
        if problems:
            raise ValueError(f"rule {self.id}: " + "; ".join(problems))

    @property
    def cwe_ids(self) -> Tuple[str, ...]:
        return tuple(f"CWE-{n}" for n in self.cwe)

    @property
    def severity_label(self) -> str:
        return severity_label(self.security_severity)


# --------------------------------------------------------------------------- help pages


def _wrap(paragraph: str, indent: str = "") -> str:
    return textwrap.fill(
        paragraph, width=_WIDTH, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )


def _code_text(code: str) -> str:
    return textwrap.indent(code.strip("\n"), "    ")


def _code_md(code: str) -> str:
    return "```python\n" + code.strip("\n") + "\n```"


def _bullets_text(items: Iterable[str]) -> str:
    out = []
    for item in items:
        wrapped = textwrap.fill(
            item, width=_WIDTH, initial_indent="  - ", subsequent_indent="    ",
            break_long_words=False, break_on_hyphens=False,
        )
        out.append(wrapped)
    return "\n".join(out)


def _help(
    *,
    what: Tuple[str, ...],
    why: Tuple[str, ...],
    example: str,
    fix: Tuple[str, ...],
    fixed_example: str,
    cwe: Tuple[int, ...],
) -> Tuple[str, str]:
    """Build the plain-text and Markdown help pages from the same sections."""
    refs_text = [f"CWE-{n}: {CWE_TITLES.get(n, '')}".rstrip(": ") for n in cwe]
    refs_md = [
        f"[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html): {CWE_TITLES.get(n, '')}"
        .rstrip(": ")
        for n in cwe
    ]

    def section(title: str, *blocks: str) -> str:
        return title + "\n" + "\n\n".join(blocks)

    help_text = "\n\n".join([
        section("What it finds", *(_wrap(p, "  ") for p in what)),
        section("Why is this dangerous", *(_wrap(p, "  ") for p in why)),
        section("Example", _code_text(example)),
        section("How to fix", *(_wrap(p, "  ") for p in fix), "  Use instead:",
                _code_text(fixed_example)),
        section("References", _bullets_text(refs_text)),
    ]) + "\n"

    md: list = ["## What it finds", *what, "## Why is this dangerous", *why,
                "## Example", _code_md(example), "## How to fix", *fix,
                "Use instead:", _code_md(fixed_example), "## References",
                "\n".join(f"- {r}" for r in refs_md)]
    help_markdown = "\n\n".join(md) + "\n"
    return help_text, help_markdown


def _rule(
    *,
    id: str,
    name: str,
    short: str,
    full: str,
    cwe: Tuple[int, ...],
    security_severity: str,
    precision: str,
    default_level: str,
    extra_tags: Tuple[str, ...],
    what: Tuple[str, ...],
    why: Tuple[str, ...],
    example: str,
    fix: Tuple[str, ...],
    fixed_example: str,
) -> Rule:
    help_text, help_markdown = _help(
        what=what, why=why, example=example, fix=fix, fixed_example=fixed_example, cwe=cwe
    )
    tags = ("security",) + tuple(cwe_tag(n) for n in cwe) + extra_tags
    return Rule(
        id=id, name=name, short=short, full=" ".join(full.split()), help_text=help_text,
        help_markdown=help_markdown, cwe=cwe, security_severity=security_severity,
        precision=precision, default_level=default_level, tags=tags,
        fix_hint=" ".join(fix[0].split()) if fix else "",
    )


# --------------------------------------------------------------------------- the rules

_RCE001 = _rule(
    id="RCE001",
    name="remote-code-exec",
    short="Network data is executed as Python code.",
    full=(
        "Data read from the network (an HTTP response body, a socket) reaches exec, eval, "
        "compile followed by exec, types.FunctionType or InteractiveInterpreter.runsource. "
        "Whoever controls the server, the DNS answer, a proxy or the configured URL can then run "
        "arbitrary Python in this process. The finding points at the executing call and lists "
        "every step from the download to it."
    ),
    cwe=(94, 95, 494),
    security_severity="9.3",
    precision="high",
    default_level="error",
    extra_tags=("remote-code-execution", "supply-chain"),
    what=(
        "Calls that run Python source or code objects (`exec`, `eval`, `compile(..., \"exec\")` "
        "whose result is executed, `types.FunctionType`, `code.InteractiveInterpreter.runsource`) "
        "where the code comes from a network read such as `requests.get(url).text`, "
        "`urlopen(url).read()`, a `urllib3` response's `.data` or `socket.recv()`.",
        "rceguard follows the value through assignments, `with` blocks, string building, decoding "
        "and the return values of functions, and reports the executing call together with the path "
        "from the download to it. Executing constants, local templates or files shipped with the "
        "project is not reported.",
    ),
    why=(
        "The code that runs is whatever the server answers at that moment. A compromised or "
        "expired domain, a hijacked DNS answer, an intercepting proxy or a configuration value "
        "pointing elsewhere turns this into remote code execution on every machine running the "
        "program, including CI runners and developer laptops that hold credentials.",
        "Downloaded code also skips everything that protects installed code: version pinning, "
        "hash checking, review and scanning. Fetching a second stage this way is a common pattern "
        "in malicious packages.",
    ),
    example='''
import requests

def load_plugin(url: str) -> dict:
    source = requests.get(url, timeout=10).text
    namespace: dict = {}
    exec(source, namespace)
    return namespace
''',
    fix=(
        "Ship the code in your package and import it. If the server only needs to tell the client "
        "what to do, send data (JSON) and parse it with `json.loads`, never code.",
        "If downloading code cannot be avoided, verify it before running it: compare its SHA-256 "
        "digest with a value pinned in your source using `hmac.compare_digest`, or check a "
        "signature against a public key you ship, and refuse anything that does not match.",
    ),
    fixed_example='''
import hashlib
import hmac

import requests

PLUGIN_SHA256 = "9f2c...e1"  # pinned when the plugin was reviewed

def load_plugin(url: str) -> dict:
    payload = requests.get(url, timeout=10).content
    if not hmac.compare_digest(hashlib.sha256(payload).hexdigest(), PLUGIN_SHA256):
        raise RuntimeError("plugin does not match the pinned digest")
    namespace: dict = {}
    exec(payload.decode("utf-8"), namespace)
    return namespace
''',
)

_RCE002 = _rule(
    id="RCE002",
    name="remote-unsafe-deserialization",
    short="Network data is given to a deserializer that can run code.",
    full=(
        "Data read from the network reaches a deserializer that can construct arbitrary objects "
        "and call arbitrary functions while loading: pickle and its relatives (cPickle, dill, "
        "cloudpickle, joblib, shelve, jsonpickle, pandas.read_pickle), marshal, yaml.load with an "
        "unsafe loader, torch.load without weights_only=True or numpy.load with allow_pickle=True. "
        "Loading such data is equivalent to running code supplied by whoever controls it."
    ),
    cwe=(502,),
    security_severity="8.8",
    precision="high",
    default_level="error",
    extra_tags=("remote-code-execution", "deserialization"),
    what=(
        "Calls to `pickle.loads`/`pickle.load`/`Unpickler`, `marshal.loads`, `dill`, `joblib.load`, "
        "`jsonpickle.decode`, `shelve`, `pandas.read_pickle`, `yaml.load` with no loader or an "
        "unsafe one, `yaml.unsafe_load`, `torch.load` without `weights_only=True` and "
        "`numpy.load(..., allow_pickle=True)`, when the bytes come from a network read.",
    ),
    why=(
        "A pickle stream is a small program: its `__reduce__` mechanism lets the sender name any "
        "importable callable and its arguments, for example `os.system` and a command. The payload "
        "runs during loading, before your code can inspect the result. YAML's full loader and "
        "model files saved with pickle have the same property.",
    ),
    example='''
import pickle

import requests

def fetch_model(url: str):
    response = requests.get(url, timeout=30)
    return pickle.loads(response.content)
''',
    fix=(
        "Exchange data in a format that cannot carry code: JSON (`json.loads`), "
        "`yaml.safe_load`, `numpy.load` with the default `allow_pickle=False`, "
        "`torch.load(..., weights_only=True)` or safetensors for model weights.",
        "If you must unpickle downloaded files, pin them: check a SHA-256 digest against a value in "
        "your source, or an HMAC/signature with a key the sender cannot obtain, before loading.",
    ),
    fixed_example='''
import json

import requests

def fetch_model(url: str) -> dict:
    response = requests.get(url, timeout=30)
    return json.loads(response.content)
''',
)

_RCE003 = _rule(
    id="RCE003",
    name="downloaded-file-exec",
    short="A downloaded file is executed, imported or loaded as a library.",
    full=(
        "A file written from network data is later run as a program (subprocess, os.system, "
        "os.exec*, os.spawn*, os.startfile), run or imported as Python (runpy, importlib loading "
        "from a path, adding its directory to sys.path) or loaded as a native library "
        "(ctypes.CDLL). Without an integrity check the downloaded program runs with the "
        "privileges of this process."
    ),
    cwe=(494, 829),
    security_severity="9.3",
    precision="medium",
    default_level="error",
    extra_tags=("remote-code-execution", "supply-chain"),
    what=(
        "A path whose contents were written from a network response (`open(path, \"wb\").write("
        "resp.content)`, `urlretrieve`, `shutil.copyfileobj` from a response) that is then passed "
        "to `subprocess.run`/`Popen`, `os.system`, `os.exec*`, `os.spawn*`, `os.startfile`, "
        "`runpy.run_path`, `importlib.util.spec_from_file_location` or `ctypes.CDLL`.",
    ),
    why=(
        "Installers and updaters that download a binary or script and run it are a classic way to "
        "get compromised: anyone who can change what the URL serves, or intercept the connection, "
        "chooses the program that runs. Marking a file executable or importing it from a temporary "
        "directory gives the same control.",
    ),
    example='''
import subprocess
import urllib.request

def install_tool(url: str) -> None:
    path, _ = urllib.request.urlretrieve(url, "/tmp/install.sh")
    subprocess.run(["sh", path], check=True)
''',
    fix=(
        "Prefer a package manager that verifies what it installs (pip with `--require-hashes`, "
        "your OS packages). If you download a file yourself, pin the URL to a release and compare "
        "the file's SHA-256 digest with a value in your source (or verify a signature with a key "
        "you ship) before running, importing or loading it.",
    ),
    fixed_example='''
import hashlib
import hmac
import subprocess
import urllib.request

INSTALLER_SHA256 = "5d41...9a"  # published with the release

def install_tool(url: str) -> None:
    path, _ = urllib.request.urlretrieve(url, "/tmp/install.sh")
    with open(path, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    if not hmac.compare_digest(digest, INSTALLER_SHA256):
        raise RuntimeError("installer does not match the pinned digest")
    subprocess.run(["sh", path], check=True)
''',
)

_RCE004 = _rule(
    id="RCE004",
    name="shell-download-cradle",
    short="A shell command downloads a script and runs it in one go.",
    full=(
        "A command string given to a shell pipes a download straight into an interpreter: "
        "curl or wget piped to sh/bash/python, bash <(curl ...), PowerShell iex (iwr ...) or "
        "IEX (New-Object Net.WebClient).DownloadString(...), including variants hidden in "
        "-EncodedCommand. The downloaded script runs unverified with the caller's privileges."
    ),
    cwe=(78, 494),
    security_severity="9.3",
    precision="high",
    default_level="error",
    extra_tags=("remote-code-execution", "supply-chain", "shell"),
    what=(
        "Constant or built command strings passed to `os.system`, `subprocess` with `shell=True`, "
        "`[\"sh\", \"-c\", ...]` or `powershell -Command`/`-EncodedCommand` that fetch a script "
        "and feed it to an interpreter without storing and checking it first: `curl -fsSL URL | sh`, "
        "`wget -qO- URL | bash`, `bash <(curl URL)`, `iex (iwr URL)`, "
        "`IEX (New-Object Net.WebClient).DownloadString(URL)`.",
        "The same shapes in shell lines outside Python: shell scripts, Dockerfile `RUN` instructions, "
        "GitHub workflow/action `run:` steps and Makefile recipes, including a file downloaded and "
        "then run with no `sha256sum -c`/`gpg --verify` in between. `echo` text, comments, "
        "here-documents written to files and pipes into `gpg --dearmor`/`tar x`/`jq` are not reported.",
    ),
    why=(
        "The interpreter runs whatever arrives, as it arrives. A compromised server, a changed "
        "release, a truncated download or a man-in-the-middle all result in arbitrary commands. "
        "Hiding the cradle in base64 (`-EncodedCommand`) is a common trick of malware, and there "
        "is no legitimate need for it in a program's source.",
    ),
    example='''
import subprocess

def bootstrap() -> None:
    subprocess.run("curl -fsSL https://example.com/install.sh | sh", shell=True, check=True)
''',
    fix=(
        "Download to a file, verify its SHA-256 digest or signature against a value pinned in "
        "your source, then run the file with an argument list and no `shell=True`. Better still, "
        "install the tool from a package manager that verifies hashes.",
    ),
    fixed_example='''
import hashlib
import hmac
import subprocess
import urllib.request

INSTALL_SH_SHA256 = "0c8b...41"  # digest of the reviewed release

def bootstrap() -> None:
    path, _ = urllib.request.urlretrieve("https://example.com/v1.4.2/install.sh")
    with open(path, "rb") as fh:
        if not hmac.compare_digest(hashlib.sha256(fh.read()).hexdigest(), INSTALL_SH_SHA256):
            raise RuntimeError("install.sh does not match the pinned digest")
    subprocess.run(["sh", path], check=True)
''',
)

_RCE005 = _rule(
    id="RCE005",
    name="encoded-payload-exec",
    short="An encoded or obfuscated payload is decoded and executed.",
    full=(
        "Code that is stored encoded (base64, zlib, hex, marshal, rot13, lists of character codes "
        "joined into a string, a cipher whose key is in the file, an image read by a steganography "
        "tool) is decoded, directly or by a small helper or lambda, and run: passed to exec, eval or "
        "compile, to a shell or a process, or to a deserializer. Legitimate code has "
        "no reason to hide what it runs; this shape is typical of malicious packages and of "
        "backdoors inserted into otherwise normal files."
    ),
    cwe=(506, 94),
    security_severity="8.1",
    precision="medium",
    default_level="warning",
    extra_tags=("obfuscation", "malicious-code"),
    what=(
        "`exec`, `eval` or `compile` applied to a value decoded from a constant: "
        "`base64.b64decode`, `zlib.decompress`, `bytes.fromhex`, `codecs.decode(..., \"rot13\")`, "
        "`marshal.loads`, or `\"\".join(chr(c) for c in [...])`. No network source is needed; "
        "the payload is in the file.",
    ),
    why=(
        "Reviewers and scanners read source code; an encoded blob hides what actually runs from "
        "both. Attackers who slip code into a dependency or a pull request use exactly this to "
        "make the payload look like data. Even when the intent is benign, nobody can review it.",
    ),
    example='''
import base64

exec(base64.b64decode("cHJpbnQoImhlbGxvIGZyb20gYSBoaWRkZW4gcGF5bG9hZCIp"))
''',
    fix=(
        "Put the code in the file as plain source. If the blob came from somewhere you do not "
        "control, treat the file as compromised: remove it and audit how it got there. Data that "
        "really is encoded should be decoded to data (`json.loads`), never executed.",
    ),
    fixed_example='''
print("hello from a hidden payload")
''',
)

_RCE006 = _rule(
    id="RCE006",
    name="remote-os-command",
    short="Network data is run as an operating-system command.",
    full=(
        "Data read from the network becomes a command line or shell script: os.system, os.popen, "
        "subprocess with shell=True, or an argument list that hands it to an interpreter such as "
        "[\"sh\", \"-c\", data] or [\"python\", \"-c\", data]. Whoever controls the response "
        "chooses the commands that run."
    ),
    cwe=(78,),
    security_severity="9.3",
    precision="high",
    default_level="error",
    extra_tags=("remote-code-execution", "command-injection", "shell"),
    what=(
        "A value from a network read that reaches `os.system`, `os.popen`, a `subprocess` call "
        "with `shell=True`, or the script position of an interpreter argument list "
        "(`[\"sh\", \"-c\", data]`, `[\"bash\", \"-c\", data]`, `[\"python\", \"-c\", data]`). "
        "Passing network data as an ordinary argument of a fixed program "
        "(`subprocess.run([\"echo\", data])`) is not reported.",
        "Shells wired to the network: a shell or interpreter started with a socket as its standard "
        "streams (`os.dup2(s.fileno(), 0)` and then `pty.spawn(\"/bin/sh\")`, "
        "`subprocess.call([\"/bin/sh\", \"-i\"])` or `os.system(\"/bin/sh -i\")`; or "
        "`stdin=s.fileno()`/`stdin=s` given to the child) runs every line the other end sends: a "
        "reverse or bind shell. `dup2` of a regular file, `stdin=subprocess.PIPE`, and a command of "
        "your own whose output goes to a socket are not reported.",
    ),
    why=(
        "The shell interprets the whole string: `;`, `&&`, `$(...)` and backticks let the response "
        "run anything, and a response that is itself a script runs directly. A server that tells "
        "clients which command to run is a remote shell for anyone who controls that server.",
    ),
    example='''
import os

import requests

def run_task(url: str) -> None:
    task = requests.get(url, timeout=10).json()
    os.system(task["command"])
''',
    fix=(
        "Let the server choose among actions your code defines, not send commands. Map an "
        "allowed name to a fixed argument list and run it with `subprocess.run([...])` without "
        "`shell=True`; pass any data from the response as separate arguments after validating it.",
    ),
    fixed_example='''
import subprocess

import requests

ACTIONS = {"refresh": ["myapp", "refresh"], "status": ["myapp", "status"]}

def run_task(url: str) -> None:
    task = requests.get(url, timeout=10).json()
    argv = ACTIONS.get(task.get("action"))
    if argv is None:
        raise ValueError("unknown action")
    subprocess.run(argv, check=True)
''',
)

RULES: Dict[str, Rule] = {r.id: r for r in sorted(
    (_RCE001, _RCE002, _RCE003, _RCE004, _RCE005, _RCE006), key=lambda r: r.id)}
RULE_IDS: Tuple[str, ...] = tuple(RULES)


# --------------------------------------------------------------------------- lookups


def get(rule_id: str) -> Rule:
    """The rule with this id (case-insensitive); :class:`UnknownRuleError` otherwise."""
    key = rule_id.strip().upper() if isinstance(rule_id, str) else rule_id
    try:
        return RULES[key]
    except (KeyError, TypeError):
        raise UnknownRuleError(str(rule_id)) from None


def explain(rule_id: str) -> str:
    """The full documentation page for one rule (``rceguard rule RCE001``).

    Raises :class:`UnknownRuleError` (a ``KeyError`` and a ``ValueError``) for unknown ids.
    """
    rule = get(rule_id)
    header = f"{rule.id} {rule.name}"
    meta = [
        f"Level:     {rule.default_level}",
        f"Severity:  {rule.security_severity} ({rule.severity_label})",
        f"Precision: {rule.precision}",
        f"CWE:       {', '.join(rule.cwe_ids)}",
    ]
    parts = [
        header,
        "=" * len(header),
        "",
        rule.short,
        "",
        *meta,
        "",
        _wrap(rule.full),
        "",
        rule.help_text.rstrip("\n"),
    ]
    return "\n".join(parts) + "\n"


def catalogue() -> str:
    """A table of all rules (``rceguard rule``)."""
    rows = [("ID", "NAME", "LEVEL", "SEVERITY", "DESCRIPTION")]
    for rule in RULES.values():
        rows.append((rule.id, rule.name, rule.default_level,
                     f"{rule.security_severity} {rule.severity_label}", rule.short))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append("Run `rceguard rule ID` for what a rule finds, why it matters and how to fix it.")
    return "\n".join(lines) + "\n"
