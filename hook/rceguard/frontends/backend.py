"""In-tree build backends (PEP 517 ``backend-path``): code that runs at install time.

``[build-system] build-backend = "pkg.mod:obj"`` with ``backend-path = ["_build"]`` makes pip
import ``pkg.mod`` from ``_build/`` of the source tree to build the package, so that module runs on
every machine that installs from source, like ``setup.py``. Its findings say so, and when a scan
covers the project's folder (or names its ``pyproject.toml``) the backend module is analysed even
if the walk would skip its folder (a backend in ``build/``).
"""
from __future__ import annotations

import posixpath
from typing import Any, Dict, List

RUNS_AT = "install time (in-tree build backend named in pyproject.toml)"


def _toml(text: str) -> Dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads(text)


def backend_candidates(pyproject_text: str) -> List[str]:
    """Relative POSIX paths (from the pyproject.toml's folder) where the in-tree backend module may
    be, in pip's search order; [] when there is no ``backend-path`` or the file cannot be read.
    Paths that leave the folder (``..``, absolute) are not returned: PEP 517 forbids them."""
    try:
        system = _toml(pyproject_text).get("build-system")
    except Exception:
        return []
    if not isinstance(system, dict):
        return []
    backend, dirs = system.get("build-backend"), system.get("backend-path")
    if not isinstance(backend, str) or not isinstance(dirs, list):
        return []
    module = backend.partition(":")[0].strip()
    parts = module.split(".")
    if not module or not all(p.isidentifier() for p in parts):
        return []
    out: List[str] = []
    for d in dirs:
        if not isinstance(d, str):
            continue
        base = posixpath.normpath(d.replace("\\", "/"))
        if base.startswith("/") or base == ".." or base.startswith("../"):
            continue
        stem = posixpath.normpath(posixpath.join(base, *parts))
        out += [stem + ".py", posixpath.join(stem, "__init__.py")]
    return out
