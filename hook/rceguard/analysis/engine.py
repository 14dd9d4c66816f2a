"""Flow engine entry point (skeleton; the analyzer owner fills this in).

Contract used by ``rceguard.scan``:

    analyze(targets, root=..., loader=..., extend_sources=(), extend_sinks=(), extend_sanitizers=())
        -> list[Finding]

* ``targets``: the ParsedFile objects of the files the user asked about. Findings are reported
  only in these files.
* ``root``: project root (Path) used to resolve imports of project modules, or None.
* ``loader(path: Path) -> ParsedFile | None``: reads and parses another project file on demand
  (for summaries); returns None when it cannot be read/parsed.
* ``extend_*``: dotted names from configuration.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, List, Optional, Sequence

from ..findings import Finding
from ..source import ParsedFile


def analyze(
    targets: Sequence[ParsedFile],
    *,
    root: Optional[Path] = None,
    loader: Optional[Callable[[Path], Optional[ParsedFile]]] = None,
    extend_sources: Iterable[str] = (),
    extend_sinks: Iterable[str] = (),
    extend_sanitizers: Iterable[str] = (),
) -> List[Finding]:
    return []
