"""Value classes that carry results from the analyzer to the reporters."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

LEVELS = ("note", "warning", "error")


@dataclass(frozen=True, order=True)
class Location:
    """A region in a file. Lines and columns are 1-based; columns count Unicode
    code points (not UTF-8 bytes); ``end_col`` is exclusive."""

    path: str  # display path: relative to the project/repository root, forward slashes
    line: int
    col: int
    end_line: int
    end_col: int
    # where a reader finds it when line/col are those of a container file rather than of the code,
    # e.g. "cell 3:2:5" (cell 3, its line 2, column 5) in a notebook; "" for ordinary files
    label: str = ""

    def short(self) -> str:
        if self.label:
            return f"{self.path}:{self.label}"
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Step:
    """One hop of a flow: where it happens and what happens there."""

    location: Location
    message: str


@dataclass(frozen=True)
class SinkRef:
    """The sink statement of a finding: where it is, its lines, its text and the qualified name of
    the function/class holding it. A finding's identity (fingerprint, baseline entry, the inline
    ignore that silences it) comes from here, wherever the finding itself is placed."""

    location: Location
    statement_lines: Tuple[int, int]
    text: str
    context: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    level: str  # "error" | "warning" | "note"
    message: str
    location: Location  # the sink call (primary location)
    steps: Tuple[Step, ...] = ()  # source -> ... -> sink, in order; may be empty
    # lines of the whole flagged statement (for inline suppression on any line of it)
    statement_lines: Tuple[int, int] = (0, 0)
    context: str = ""  # qualified name of the enclosing function/class, "" at module level
    sink_text: str = ""  # source text of the sink call
    source_api: str = ""  # e.g. "requests.get", "" when there is no network source
    notes: Tuple[str, ...] = field(default=())  # extra remarks ("verified by a pinned digest", ...)
    # set when the finding is placed at a call in a given file because the sink itself is in a file
    # the run was not given ("..., via run_snippet() (pkg/util.py:2)"); ``location``,
    # ``statement_lines``, ``sink_text`` and ``context`` then describe the call. Not reported on its
    # own: it only makes the fingerprint and suppression the same as when the sink's file is scanned.
    via: Optional[SinkRef] = None
    # the whole source line at ``location.line`` (filled in by the scan), for the text report's code
    # frame; "" when unknown. Not part of the identity and not in JSON/SARIF (they carry the region).
    line_text: str = field(default="", compare=False)

    @property
    def sink(self) -> SinkRef:
        """The sink statement itself (for a "via" finding: in the other file, not the call)."""
        if self.via is not None:
            return self.via
        return SinkRef(self.location, self.statement_lines, self.sink_text, self.context)
    # which kind of outside data the flow starts from ("llm-completion", "http-request" ...; see
    # ``rceguard models``), "" for encoded payloads and cradles
    source_kind: str = ""

    @property
    def fingerprint(self) -> str:
        """Content-based identity: stable when code moves, different for other code, and the same
        whether the finding is reported at its sink or, via a call, in another file."""
        sink = self.sink
        norm = re.sub(r"\s+", "", sink.text)
        raw = "\x1f".join((self.rule_id, norm, sink.context, self.source_api))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (self.location.path, self.location.line, self.location.col, self.rule_id, self.message)


@dataclass(frozen=True, order=True)
class Notice:
    """A file that could not be read or parsed (or another non-fatal problem)."""

    path: str
    message: str
    kind: str = "parse"  # "read" | "parse" | "config" | "other"
    line: int = 0


def char_col(line_text: str, byte_offset: int) -> int:
    """Convert a 0-based UTF-8 byte offset within ``line_text`` to a 0-based code point offset."""
    if byte_offset <= 0:
        return 0
    if line_text.isascii():
        return min(byte_offset, len(line_text))
    return len(line_text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


@dataclass
class ScanResult:
    """Everything one run produced; reporters render this."""

    findings: list  # list[Finding], sorted with Finding.sort_key, suppressed ones removed
    notices: list  # list[Notice], sorted
    files_scanned: int = 0
    suppressed: int = 0  # findings hidden by inline `# rceguard: ignore[...]`
    bare_ignores: int = 0  # of those, hidden by a bare `# rceguard: ignore` without ids
    baselined: int = 0  # findings hidden by --baseline
    # of files_scanned, ruled out by the byte-level pre-scan and so never analysed (a skipped file
    # that an analysed file calls into is analysed after all and is not counted)
    prescan_skipped: int = 0
    root: str = ""  # absolute path the display paths are relative to
    scanned: Tuple[str, ...] = ()  # display paths of the files scanned, sorted (len == files_scanned)
    # display path -> what the file says it is for (module docstring or first comment), for the
    # files with findings (``--format report``)
    purposes: Dict[str, str] = field(default_factory=dict)
