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
    # [tool.rceguard.models] rows (rceguard.knowledge.models.Model), and the source kinds kept
    models: Tuple[Any, ...] = ()
    sources: Tuple[str, ...] = ()  # empty: every kind; "-kind" entries only: every kind but those
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
_KNOWN_KEYS = set(_LIST_KEYS) | {"fail-on", "models", "models-file", "sources"}
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
    if "sources" in table:
        values["sources"] = _sources(_as_str_list(table["sources"], "sources", path), path)
    rows: List[Any] = []
    if "models-file" in table:
        mf = table["models-file"]
        if not isinstance(mf, str) or not mf.strip():
            raise ConfigError(f"{path}: [tool.rceguard] models-file must be a file name")
        mpath = (base / mf).resolve()
        doc = _read_toml(mpath)
        mtable = doc.get("models", doc)
        rows += _model_rows(mtable, mpath, "models")
    if "models" in table:
        rows += _model_rows(table["models"], path, "[tool.rceguard.models]")
    if rows:
        values["models"] = tuple(rows)
    return Config(source=path, base=base, **values)


def _sources(kinds: Tuple[str, ...], path: Path) -> Tuple[str, ...]:
    from .knowledge.models import SOURCE_KINDS

    for k in kinds:
        name = k[1:] if k.startswith("-") else k
        if name not in SOURCE_KINDS:
            raise ConfigError(f"{path}: [tool.rceguard] sources: unknown source kind '{name}' "
                              f"(known: {', '.join(sorted(SOURCE_KINDS))})")
    neg = [k.startswith("-") for k in kinds]
    if any(neg) and not all(neg):
        raise ConfigError(f"{path}: [tool.rceguard] sources: list the kinds to keep, or only '-kind' entries to "
                          "turn those off, not both")
    return kinds


def disabled_sources(config: Config) -> Tuple[str, ...]:
    """The source kinds ``sources`` turns off."""
    from .knowledge.models import SOURCE_KINDS

    if not config.sources:
        return ()
    if all(k.startswith("-") for k in config.sources):
        return tuple(sorted(k[1:] for k in config.sources))
    return tuple(sorted(k for k in SOURCE_KINDS if k not in config.sources))


_MODEL_KEYS = {"effect": str, "kind": str, "args": list, "kwargs": list, "to": int, "to-kw": str, "unless": str,
               "when": str, "type": str, "rule": str, "pinned": str, "fallback": bool}
_API = re.compile(r"^(?:\*\.)?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _model_rows(table: Any, path: Path, where: str) -> List[Any]:
    """``"api" = "effect [kind] [argN ...]"`` or ``"api" = {effect = ..., kind = ..., args = [0]}``
    (or a list of those) -> model rows."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: {where} must be a table of API name = model")
    out = []
    for api, spec in table.items():
        if not (isinstance(api, str) and (_API.match(api) or api.startswith("re:"))):
            raise ConfigError(f"{path}: {where}: '{api}' is not a dotted name (or '*.method', 're:pattern')")
        specs = spec if isinstance(spec, list) else [spec]
        for one in specs:
            out.append(_model_row(api, one, path, where))
    return out


def _model_row(api: str, spec: Any, path: Path, where: str) -> Any:
    from .knowledge import models as M

    bad = f"{path}: {where}: '{api}'"
    fields: Dict[str, Any] = {}
    if isinstance(spec, str):
        words = spec.split()
        if not words:
            raise ConfigError(f"{bad}: empty model")
        fields["effect"] = words[0]
        args: List[int] = []
        for w in words[1:]:
            if re.match(r"^arg\d+$", w):
                args.append(int(w[3:]))
            elif w == "receiver":
                args.append(-1)
            elif re.match(r"^to=arg\d+$", w):
                fields["to"] = int(w[6:])
            elif w == "to=receiver":
                fields["to"] = -1
            elif w == "fallback":
                fields["fallback"] = True
            elif re.match(r"^RCE00\d$", w.upper()):
                fields["rule"] = w.upper()
            elif "=" in w or "~" in w:
                fields["unless"] = w
            elif fields["effect"] == "type":
                fields["type"] = w
            else:
                fields["kind"] = w
        if args:
            fields["args"] = args
    elif isinstance(spec, dict):
        for k, v in spec.items():
            want = _MODEL_KEYS.get(k)
            if want is None:
                raise ConfigError(f"{bad}: unknown key '{k}' (known: {', '.join(sorted(_MODEL_KEYS))})")
            if k == "args" and isinstance(v, int):
                v = [v]
            if not isinstance(v, want) or (isinstance(v, bool) and want is not bool):
                raise ConfigError(f"{bad}: '{k}' must be a {want.__name__}")
            fields[k.replace("-", "_")] = v
    else:
        raise ConfigError(f"{bad}: a model is a string or a table")
    effect = fields.get("effect")
    if fields.get("fallback") and not api.startswith("*."):
        raise ConfigError(f"{bad}: 'fallback' is for rows of any receiver ('*.method')")
    if effect not in M.USER_EFFECTS:
        raise ConfigError(f"{bad}: unknown effect '{effect}' (known: {', '.join(M.USER_EFFECTS)})")
    kind = fields.get("kind", "")
    if effect in ("source", "download", "runs-remote", "callback", "holds", "entry"):
        kind = kind or ("download" if effect == "download" else "custom")
        if kind not in M.SOURCE_KINDS:
            raise ConfigError(f"{bad}: unknown source kind '{kind}' (known: {', '.join(sorted(M.SOURCE_KINDS))})")
    elif effect == "sink":
        kind = kind or "code"
        if kind not in M.SINK_KINDS:
            raise ConfigError(f"{bad}: unknown sink kind '{kind}' (known: {', '.join(M.SINK_KINDS)})")
    elif kind:
        raise ConfigError(f"{bad}: effect '{effect}' takes no kind")
    if effect == "type" and not fields.get("type"):
        raise ConfigError(f"{bad}: effect 'type' needs the type name")
    if effect == "runs-remote":
        rule = fields.get("rule", "RCE002")
        if rule not in ("RCE001", "RCE002", "RCE003", "RCE006"):
            raise ConfigError(f"{bad}: rule must be RCE001, RCE002, RCE003 or RCE006")
        fields["rule"] = rule
    if effect in ("writes", "copies") and fields.get("to") is None and not fields.get("to_kw"):
        raise ConfigError(f"{bad}: effect '{effect}' needs 'to' (the destination argument)")
    args = tuple(fields.pop("args", ()))
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        raise ConfigError(f"{bad}: 'args' must be a list of argument positions")
    kwargs = tuple(fields.pop("kwargs", ()))
    if not all(isinstance(a, str) for a in kwargs):
        raise ConfigError(f"{bad}: 'kwargs' must be a list of keyword names")
    fields.pop("effect", None)
    fields.pop("kind", None)
    if effect in ("writes", "copies", "opens") and not args:
        args = (0,)
    return M.Model(api, effect, kind, args, kwargs, origin=str(path), **fields)


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
