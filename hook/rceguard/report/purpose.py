"""What a file says it is for: its module docstring or first comment (``--format report``).
Kept apart from the reporter so a scan can compute it without loading the rule catalogue."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import List

_NOISE = re.compile(r"^#!|coding[:=]|^#\s*(?:rceguard:|expect:|noqa|type:|pylint|SPDX|-\*-)", re.I)


def purpose_of(text: str, limit: int = 300) -> str:
    """First paragraph of the module docstring, else the first block of whole-line comments
    (shebang, coding line and tool directives left out), else ""."""
    comments: List[str] = []
    last = 0
    code_seen = False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                if comments and tok.start[0] > last + 1:
                    break
                if tok.line.strip().startswith("#") and not _NOISE.search(tok.string):
                    comments.append(tok.string.lstrip("#").strip())
                    last = tok.start[0]
                continue
            if tok.type in (tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING, tokenize.INDENT, tokenize.DEDENT):
                continue
            if comments:
                break
            if tok.type == tokenize.STRING and not code_seen:
                try:
                    doc = ast.literal_eval(tok.string)
                except (ValueError, SyntaxError, MemoryError, RecursionError):
                    doc = None
                if isinstance(doc, str) and doc.strip():
                    return _clip(" ".join(doc.strip().split("\n\n")[0].split()), limit)
            code_seen = True
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    return _clip(" ".join(" ".join(comments).split()), limit)


def _clip(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"
