"""``[tool.rceguard]`` configuration from pyproject.toml.

Keys (all optional)::

    [tool.rceguard]
    select = ["RCE001", "RCE00"]      # rule ids or id prefixes to report (default: all)
    ignore = ["RCE005"]               # rule ids or id prefixes never to report
    exclude = ["tests/fixtures/**"]   # globs, relative to the directory of the config file
    fail-on = "warning"               # error | warning | note | never
    extend-sources = ["mycorp.http.fetch"]
    extend-sinks = ["mycorp.plugins.run_code"]
    extend-sanitizers = ["mycorp.crypto.verify"]
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .errors import UsageError  # re-exported; defined there so the CLI catches it without importing this module

FAIL_ON_CHOICES = ("error", "warning", "note", "never")
DEFAULT_FAIL_ON = "warning"
CONFIG_FILE_NAMES = ("pyproject.toml",)


class ConfigError(UsageError):
    """Invalid configuration file."""


@dataclass(frozen=True)
class Config:
    select: Tuple[str, ...] = ()  # empty: every rule
    ignore: Tuple[str, ...] = ()
    exclude: Tuple[str, ...] = ()
    fail_on: str = DEFAULT_FAIL_ON
    extend_sources: Tuple[str, ...] = ()
    extend_sinks: Tuple[str, ...] = ()
    extend_sanitizers: Tuple[str, ...] = ()
    # where the configuration came from (None: defaults); exclude globs are relative to ``base``
    source: Optional[Path] = None
    base: Optional[Path] = None

    def with_overrides(self, **changes: Any) -> "Config":
        """Return a copy with the given fields replaced (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_LIST_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "exclude": "exclude",
    "extend-sources": "extend_sources",
    "extend-sinks": "extend_sinks",
    "extend-sanitizers": "extend_sanitizers",
}
_KNOWN_KEYS = set(_LIST_KEYS) | {"fail-on"}
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _toml_loads(text: str) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older Pythons only
        import tomli as tomllib
    return tomllib.loads(text)


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not valid UTF-8") from None
    try:
        return _toml_loads(text)
    except Exception as exc:  # tomllib.TOMLDecodeError (and anything odd): one line, no traceback
        msg = " ".join(str(exc).split())
        raise ConfigError(f"invalid TOML in {path}: {msg}") from None


def _table_of(doc: Dict[str, Any], path: Path) -> Optional[Dict[str, Any]]:
    tool = doc.get("tool")
    if isinstance(tool, dict) and "rceguard" in tool:
        table = tool["rceguard"]
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.rceguard] must be a table")
        return table
    return None


def _as_str_list(value: Any, key: str, path: Path) -> Tuple[str, ...]:
    if isinstance(value, str):  # a wrong type like any other, said with the fix
        raise ConfigError(
            f"{path}: [tool.rceguard] {key} must be a list of strings, got a string: write {key} = "
            + json.dumps([value], ensure_ascii=False)
        )
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.rceguard] {key} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _did_you_mean(key: str) -> str:
    """``: did you mean 'fail-on'?`` for ``fail_on``, ``FAIL-ON`` or ``fial-on``; else empty."""
    import difflib

    spelled = key.strip().lower().replace("_", "-")
    if spelled in _KNOWN_KEYS:
        return f": did you mean '{spelled}'?"
    close = difflib.get_close_matches(spelled, sorted(_KNOWN_KEYS), n=1, cutoff=0.75)
    return f": did you mean '{close[0]}'?" if close else ""


def config_from_table(table: Dict[str, Any], path: Path) -> Config:
    """Validate a ``[tool.rceguard]`` table. Raises :class:`ConfigError` naming the bad key."""
    unknown = sorted(k for k in table if k not in _KNOWN_KEYS)
    if unknown:
        known = ", ".join(sorted(_KNOWN_KEYS))
        hint = _did_you_mean(unknown[0])
        raise ConfigError(f"{path}: unknown key '{unknown[0]}' in [tool.rceguard]{hint} (known keys: {known})")
    values: Dict[str, Any] = {}
    for key, attr in _LIST_KEYS.items():
        if key in table:
            values[attr] = _as_str_list(table[key], key, path)
    for attr in ("select", "ignore"):
        if attr in values:
            values[attr] = tuple(v.upper() for v in values[attr])
    for key in ("extend-sources", "extend-sinks", "extend-sanitizers"):
        for name in values.get(_LIST_KEYS[key], ()):
            dotted, sep, rule = name.partition(":")
            if key == "extend-sinks" and sep:
                if rule.strip().upper() not in ("RCE001", "RCE002", "RCE003", "RCE006"):
                    raise ConfigError(f"{path}: [tool.rceguard] {key}: '{name}': after ':' comes RCE001, RCE002, "
                                      "RCE003 or RCE006")
                name = dotted
            if not _DOTTED.match(name):
                raise ConfigError(f"{path}: [tool.rceguard] {key}: '{name}' is not a dotted name")
    if "fail-on" in table:
        fail_on = table["fail-on"]
        if not isinstance(fail_on, str) or fail_on.strip().lower() not in FAIL_ON_CHOICES:
            raise ConfigError(
                f"{path}: [tool.rceguard] fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, got {fail_on!r}"
            )
        values["fail_on"] = fail_on.strip().lower()  # case-insensitive, like --fail-on
    base = path.parent
    return Config(source=path, base=base, **values)


def load_file(path: Path) -> Config:
    """Load an explicitly named config file (``--config``).

    A file with a ``[tool.rceguard]`` table uses that table. Any other file that is not named
    ``pyproject.toml`` (e.g. ``rceguard.toml``) is read as the table itself; a ``pyproject.toml``
    without the table gives the defaults.
    """
    path = Path(os.path.abspath(path))
    if not path.exists():
        raise ConfigError(f"config file not found: {path}")
    if path.is_dir():
        raise ConfigError(f"config file is a directory: {path}")
    doc = _read_toml(path)
    table = _table_of(doc, path)
    if table is None:
        if path.name == "pyproject.toml":
            return Config(source=path, base=path.parent)
        table = doc
    return config_from_table(table, path)


def find_config(start: Path) -> Optional[Path]:
    """Nearest ``pyproject.toml`` with a ``[tool.rceguard]`` table, from ``start`` upwards.

    The search stops at the root of the git repository containing ``start`` (a directory
    holding ``.git``), so a stray file above the repository is never picked up.
    """
    current = Path(os.path.abspath(start))
    if not current.is_dir():
        current = current.parent
    while True:
        candidate = current / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                text = ""
            # cheap textual pre-check before a full TOML parse
            if "rceguard" in text:
                doc = _read_toml(candidate)
                if _table_of(doc, candidate) is not None:
                    return candidate
        if (current / ".git").exists():
            return None
        parent = current.parent
        if parent == current:
            return None
        current = parent


def load_config(explicit: Optional[Path], start: Path) -> Config:
    """``--config FILE`` if given, else the nearest pyproject.toml with ``[tool.rceguard]``."""
    if explicit is not None:
        return load_file(explicit)
    found = find_config(start)
    if found is None:
        return Config()
    return load_file(found)


def parse_id_list(text: str) -> Tuple[str, ...]:
    """``"RCE001, rce002"`` -> ``("RCE001", "RCE002")``."""
    return tuple(part.strip().upper() for part in text.split(",") if part.strip())


def matches_any(rule_id: str, selectors: Iterable[str]) -> bool:
    """True when ``rule_id`` equals or starts with one of the selectors (``RCE00`` matches RCE001..)."""
    rid = rule_id.upper()
    return any(rid.startswith(sel.upper()) for sel in selectors)


def rule_enabled(rule_id: str, config: Config) -> bool:
    if config.select and not matches_any(rule_id, config.select):
        return False
    return not matches_any(rule_id, config.ignore)


def validate_selectors(selectors: Iterable[str], known_ids: Iterable[str], what: str) -> List[str]:
    """Raise :class:`UsageError` for a selector that matches no known rule."""
    ids = [k.upper() for k in known_ids]
    out = []
    for sel in selectors:
        s = sel.upper()
        if not s or not any(i.startswith(s) for i in ids):
            raise UsageError(f"{what}: unknown rule id or prefix '{sel}' (known: {', '.join(sorted(ids))})")
        out.append(s)
    return out
