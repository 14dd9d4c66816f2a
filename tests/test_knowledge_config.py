"""extend-sources / extend-sinks / extend-sanitizers: a team teaches rceguard its own APIs."""
from __future__ import annotations

from pathlib import Path

import pytest

from rceguard.config import ConfigError, load_config
from rceguard.scan import scan

APP = '''from ourlib.http import fetch
from ourlib import plugins, cache
from ourlib.crypto import check_signature


def a(url):
    exec(fetch(url))


def b(url):
    plugins.run_code(fetch(url))
    cache.load_blob(fetch(url))


def c(url):
    data = fetch(url)
    check_signature(data)
    exec(data)
'''

CONFIG = '''[tool.rceguard]
extend-sources = ["ourlib.http.fetch"]
extend-sinks = ["ourlib.plugins.run_code", "ourlib.cache.load_blob:RCE002"]
extend-sanitizers = ["ourlib.crypto.check_signature"]
'''


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "ourlib").mkdir()
    (tmp_path / "ourlib" / "__init__.py").write_text("")
    (tmp_path / "ourlib" / "http.py").write_text("def fetch(url):\n    return _transport(url)\n")
    (tmp_path / "app.py").write_text(APP)
    return tmp_path / "app.py"


def _found(tmp_path: Path, app: Path):
    result = scan([app], load_config(None, tmp_path))
    return {(f.location.line, f.rule_id, f.level) for f in result.findings}


def test_extensions_make_sources_sinks_and_sanitizers(tmp_path: Path) -> None:
    app = _project(tmp_path, CONFIG)
    assert _found(tmp_path, app) == {
        (7, "RCE001", "error"),     # extend-sources
        (11, "RCE001", "error"),    # extend-sinks, default rule
        (12, "RCE002", "error"),    # extend-sinks with :RCE002
        (18, "RCE001", "note"),     # extend-sanitizers: verified before exec
    }


def test_without_extensions_nothing_is_known(tmp_path: Path) -> None:
    app = _project(tmp_path, "[project]\nname = 'x'\nversion = '0'\n")
    assert _found(tmp_path, app) == set()


def test_bad_sink_rule_suffix_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nextend-sinks = ["a.b:RCE009"]\n')
    with pytest.raises(ConfigError):
        load_config(None, tmp_path)


SANITIZER_APP = '''import requests
from ourlib.safety import sanitize


def cleaned(url):
    code = requests.get(url).text
    code = sanitize(code)
    exec(code)


def other_value(url):
    code = requests.get(url).text
    note = sanitize(url)
    exec(code)
'''


def test_a_sanitizer_that_returns_the_cleaned_value_cleans_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nextend-sanitizers = ["ourlib.safety.sanitize"]\n')
    (tmp_path / "ourlib").mkdir()
    (tmp_path / "ourlib" / "__init__.py").write_text("")
    (tmp_path / "ourlib" / "safety.py").write_text("def sanitize(code):\n    return code.replace('os.', '')\n")
    app = tmp_path / "app.py"
    app.write_text(SANITIZER_APP)
    result = scan([app], load_config(None, tmp_path))
    got = {(f.location.line, f.rule_id, f.level) for f in result.findings}
    assert got == {(8, "RCE001", "note"), (14, "RCE001", "error")}
    note = next(f for f in result.findings if f.level == "note")
    assert "cleaned by the configured sanitizer ourlib.safety.sanitize() (line 7)" in note.message
