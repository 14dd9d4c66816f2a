"""In-tree backend: setuptools with the version written from the git tag (no network)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from setuptools.build_meta import *  # noqa: F401,F403
from setuptools import build_meta as _orig


def _write_version() -> None:
    tag = subprocess.run(["git", "describe", "--tags"], capture_output=True, text=True).stdout.strip()
    Path("src/gadget/_version.py").write_text(f"__version__ = {tag.lstrip('v')!r}\n")


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _write_version()
    ns: dict = {}
    exec(Path("src/gadget/_version.py").read_text(), ns)
    return _orig.build_wheel(wheel_directory, config_settings, metadata_directory)
