"""Example: code that looks like remote code execution to a grep, but is not.

``rceguard examples/benign.py`` reports nothing here: no network data reaches an executor.
"""
from __future__ import annotations

import json
import re
import urllib.request

VERSION_PATTERN = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def define_accessors(names: list) -> dict:
    """Code generation from a local template, in the style of namedtuple/dataclasses."""
    namespace: dict = {}
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"bad field name {name!r}")
        source = f"def get_{name}(self):\n    return self._data[{name!r}]\n"
        exec(source, namespace)
    return namespace


def setup_constants() -> dict:
    scope: dict = {}
    exec("ANSWER = 6 * 7", scope)
    return scope


def fetch_settings(url: str) -> dict:
    """Network data parsed as data (JSON), never executed."""
    with urllib.request.urlopen(url, timeout=10) as response:
        settings = json.loads(response.read().decode("utf-8"))
    version = str(settings.get("version", ""))
    if not VERSION_PATTERN.match(version):
        raise ValueError("unexpected version string")
    return settings


def describe() -> str:
    # Mentioning exec(requests.get(url).text) in a comment or a string is not running it.
    return "never do exec(requests.get(url).text) or curl https://example.com/install.sh | sh"
