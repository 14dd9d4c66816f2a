"""Read files into text and parse them. (skeleton; frontend owner fills in)"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import List


@dataclass
class ParsedFile:
    path: Path  # absolute path on disk
    display: str  # path relative to the project root, forward slashes (used in reports)
    text: str
    tree: ast.Module
    lines: List[str] = field(default_factory=list)  # text.splitlines() (no line ends)
    # for notebooks etc.: maps a line of ``text`` to a line of the real file (identity when empty)
    line_map: dict = field(default_factory=dict)
