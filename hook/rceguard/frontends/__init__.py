"""Front ends: files whose code is not a plain Python module.

:func:`kind_of` names what a file is by its name; :func:`load` turns its bytes into the
:class:`~rceguard.source.ParsedFile` the engine analyses (a notebook's code cells, the executed
lines of a ``.pth`` file); :func:`collect` gathers what the front ends found themselves (shell
lines of a notebook, notices about single cells) and :func:`relocate` moves finished findings to
the positions of the real files. Package archives are read by :mod:`rceguard.frontends.archive`.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

from ..findings import Finding, Notice
from ..source import ParsedFile, SourceError, guarded_load, load as load_python, read_bytes
from .mapped import MappedFile, PositionMap, relocate as _relocate

PYTHON, NOTEBOOK, PTH, ARCHIVE = "python", "notebook", "pth", "archive"
ARCHIVE_SUFFIXES = (".whl", ".zip", ".egg", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
WALKED_SUFFIXES = (".ipynb", ".pth")  # picked up by directory walks, besides *.py / *.pyi


def kind_of(name: str) -> str:
    low = name.lower()
    if low.endswith(".ipynb"):
        return NOTEBOOK
    if low.endswith(".pth"):
        return PTH
    if low.endswith(ARCHIVE_SUFFIXES):
        return ARCHIVE
    return PYTHON


def load(path: Path, display: str, data: Optional[bytes] = None) -> Union[ParsedFile, Notice]:
    """:func:`rceguard.source.load` for every kind of file a front end reads."""
    kind = kind_of(path.name)
    if kind == NOTEBOOK:
        from .notebook import load_notebook

        return guarded_load(path, display, data, load_notebook, catch_all=True)
    if kind == PTH:
        from .pth import load_pth

        return guarded_load(path, display, data, load_pth, catch_all=True)
    return load_python(path, display, data)


def needs_full_analysis(path: Union[str, Path]) -> bool:
    """Files the byte-level pre-scan cannot judge from their bytes (the code is inside JSON, or
    only some lines run): always parsed and analysed."""
    return kind_of(Path(path).name) in (NOTEBOOK, PTH)


def collect(targets: Sequence[ParsedFile]) -> Tuple[List[Finding], List[Notice], Dict[str, PositionMap]]:
    """Findings and notices the front ends produced for ``targets``, and the position maps."""
    findings: List[Finding] = []
    notices: List[Notice] = []
    maps: Dict[str, PositionMap] = {}
    for pf in targets:
        if isinstance(pf, MappedFile):
            findings.extend(pf.extra_findings)
            notices.extend(pf.notices)
            if pf.positions is not None:
                maps[pf.display] = pf.positions
    return findings, notices, maps


def relocate(findings: Sequence[Finding], maps: Dict[str, PositionMap]) -> List[Finding]:
    return _relocate(findings, maps)


def with_backends(files: Sequence[Path], inputs: Sequence[Union[str, "os.PathLike[str]"]],
                  project_root: Path) -> Tuple[List[Path], Set[str]]:
    """The files to scan with the project's in-tree build backend (see
    :mod:`rceguard.frontends.backend`) added when the scan covers the project folder or names its
    ``pyproject.toml`` (which is not Python: it is dropped from the list), and the real paths of
    the backend modules, whose findings say they run at install time."""
    from .backend import backend_candidates

    pyproject = Path(os.path.abspath(project_root)) / "pyproject.toml"
    named = {os.path.realpath(os.fspath(p)) for p in inputs}
    out = [f for f in files if not (f.name == "pyproject.toml" and os.path.realpath(f) in named)]
    try:
        text = read_bytes(pyproject).decode("utf-8")
    except (SourceError, UnicodeDecodeError):
        return out, set()
    root_real = os.path.realpath(pyproject.parent)
    backends: List[Path] = []
    for rel in backend_candidates(text):
        cand = pyproject.parent / rel
        real = os.path.realpath(cand)
        if real.startswith(root_real + os.sep) and os.path.isfile(real):
            backends.append(cand)
            break  # the first one found is the one pip imports
    keys = {os.path.realpath(b) for b in backends}
    covered = os.path.realpath(pyproject) in named or any(
        os.path.isdir(p) and (root_real == os.path.realpath(p) or root_real.startswith(os.path.realpath(p) + os.sep))
        for p in named)
    if covered:
        have = {os.path.realpath(f) for f in out}
        out += [b for b in backends if os.path.realpath(b) not in have]
        out.sort()
    return out, keys
