from __future__ import annotations

import json
from pathlib import Path

import pytest

from rceguard.cli import main
from rceguard.config import (
    Config,
    ConfigError,
    UsageError,
    find_config,
    load_config,
    load_file,
    parse_id_list,
    rule_enabled,
    validate_selectors,
)

FULL = """
[project]
name = "demo"

[tool.rceguard]
select = ["rce00"]
ignore = ["RCE005"]
exclude = ["gen/**"]
fail-on = "error"
extend-sources = ["corp.net.fetch"]
extend-sinks = ["corp.plugins.run"]
extend-sanitizers = ["corp.crypto.verify"]
"""


def test_full_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(FULL)
    cfg = load_file(tmp_path / "pyproject.toml")
    assert cfg.select == ("RCE00",)
    assert cfg.ignore == ("RCE005",)
    assert cfg.exclude == ("gen/**",)
    assert cfg.fail_on == "error"
    assert cfg.extend_sources == ("corp.net.fetch",)
    assert cfg.extend_sinks == ("corp.plugins.run",)
    assert cfg.extend_sanitizers == ("corp.crypto.verify",)
    assert cfg.base == tmp_path and cfg.source == tmp_path / "pyproject.toml"


def test_defaults() -> None:
    cfg = Config()
    assert cfg.fail_on == "warning" and cfg.select == () and cfg.ignore == ()


@pytest.mark.parametrize(
    "body, words",
    [
        ('fail_on = "error"', "unknown key 'fail_on'"),
        ('colour = true\nselect = ["RCE001"]', "unknown key 'colour'"),
        ('fail-on = "fatal"', "fail-on must be one of"),
        ("select = 3", "select must be a list of strings"),
        ('extend-sinks = ["not a name"]', "not a dotted name"),
    ],
)
def test_invalid_tables(tmp_path: Path, body: str, words: str) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard]\n" + body + "\n")
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        load_file(tmp_path / "pyproject.toml")


@pytest.mark.parametrize("value", ["ERROR", "Error", " error "])
def test_fail_on_is_case_insensitive_like_the_cli(tmp_path: Path, value: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.rceguard]\nfail-on = "{value}"\n')
    assert load_file(tmp_path / "pyproject.toml").fail_on == "error"


@pytest.mark.parametrize("key", ["select", "ignore", "exclude", "extend-sources", "extend-sinks", "extend-sanitizers"])
def test_a_string_where_a_list_belongs_is_a_type_error(tmp_path: Path, key: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.rceguard]\n{key} = "RCE001"\n')
    with pytest.raises(ConfigError) as info:
        load_file(tmp_path / "pyproject.toml")
    assert f"{key} must be a list of strings, got a string: write {key} = [\"RCE001\"]" in str(info.value)


@pytest.mark.parametrize(
    "key, suggestion",
    [("fail_on", "fail-on"), ("FAIL-ON", "fail-on"), ("extend_sinks", "extend-sinks"), ("selct", "select")],
)
def test_an_unknown_key_suggests_the_known_one(tmp_path: Path, key: str, suggestion: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.rceguard]\n{key} = "error"\n')
    with pytest.raises(ConfigError, match=f"unknown key '{key}' in \\[tool.rceguard\\]: did you mean '{suggestion}'\\?"):
        load_file(tmp_path / "pyproject.toml")
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\ncolour = true\n')
    with pytest.raises(ConfigError) as info:
        load_file(tmp_path / "pyproject.toml")
    assert "did you mean" not in str(info.value)


def test_cli_choices_are_case_insensitive(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["--format", "JSON", "--fail-on", "ERROR", str(tmp_path)]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_invalid_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard\nselect = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_file(tmp_path / "pyproject.toml")


def test_other_toml_file_is_the_table_itself(tmp_path: Path) -> None:
    (tmp_path / "rceguard.toml").write_text('ignore = ["RCE002"]\n')
    assert load_file(tmp_path / "rceguard.toml").ignore == ("RCE002",)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_file(tmp_path / "pyproject.toml") == Config(source=tmp_path / "pyproject.toml", base=tmp_path)


def test_find_config_walks_up_to_the_git_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nignore = ["RCE002"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub" / "pkg").mkdir(parents=True)
    (repo / "sub" / "pyproject.toml").write_text('[project]\nname = "no-table-here"\n')
    # above the repository: never used
    assert find_config(repo / "sub" / "pkg") is None
    (repo / "pyproject.toml").write_text('[tool.rceguard]\nignore = ["RCE003"]\n')
    assert find_config(repo / "sub" / "pkg") == repo / "pyproject.toml"
    assert load_config(None, repo / "sub" / "pkg").ignore == ("RCE003",)
    explicit = load_config(tmp_path / "pyproject.toml", repo)
    assert explicit.ignore == ("RCE002",)


def test_selectors() -> None:
    assert parse_id_list(" rce001, RCE002 ,,") == ("RCE001", "RCE002")
    assert rule_enabled("RCE001", Config(select=("RCE00",)))
    assert not rule_enabled("RCE001", Config(select=("RCE002",)))
    assert not rule_enabled("RCE005", Config(ignore=("RCE005",)))
    assert not rule_enabled("RCE005", Config(select=("RCE",), ignore=("RCE00",)))
    with pytest.raises(UsageError, match="RCE9"):
        validate_selectors(["RCE9"], ["RCE001"], "--select")


# ------------------------------------------------------------------------------- through the CLI


def test_cli_unknown_key_is_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nselct = ["RCE001"]\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main([str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'selct'" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--config", str(tmp_path / "nope.toml"), str(tmp_path)]) == 2
    assert "config file not found" in capsys.readouterr().err


def test_cli_unknown_rule_in_config(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nignore = ["XYZ1"]\n')
    assert main([str(tmp_path)]) == 2
    assert "XYZ1" in capsys.readouterr().err


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard]\n" + table + "\n")
    (tmp_path / "a.py").write_text('danger("RCE001")\ndanger("RCE005", "warning")\n')
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "b.py").write_text('danger("RCE002")\n')
    return tmp_path


def _rules(capsys: pytest.CaptureFixture) -> list:
    return sorted(f["rule"] for f in json.loads(capsys.readouterr().out)["findings"])


def test_config_select_ignore_exclude_and_cli_overrides(tmp_path: Path, fake_engine, capsys) -> None:
    root = _project(tmp_path, 'ignore = ["RCE005"]\nexclude = ["gen"]\nfail-on = "error"')
    assert main(["--format", "json", str(root)]) == 1
    assert _rules(capsys) == ["RCE001"]
    # exclude also applies to a file named on the command line (pre-commit passes names)
    assert main(["--format", "json", str(root / "gen" / "b.py")]) == 0
    assert _rules(capsys) == []
    # CLI --ignore replaces the configured list; fail-on = "error" from the config: a warning
    # alone does not fail ...
    assert main(["--format", "json", "--ignore", "RCE001", str(root)]) == 0
    assert _rules(capsys) == ["RCE005"]
    # ... unless the CLI overrides it
    assert main(["--format", "json", "--ignore", "RCE001", "--fail-on", "warning", str(root)]) == 1
    assert _rules(capsys) == ["RCE005"]
    assert main(["--format", "json", "--select", "RCE002", str(root / "a.py")]) == 0
    assert _rules(capsys) == []


def test_config_from_explicit_file(tmp_path: Path, fake_engine, capsys) -> None:
    root = _project(tmp_path, "")
    other = tmp_path / "strict.toml"
    other.write_text('select = ["RCE002"]\n')
    assert main(["--format", "json", "--config", str(other), str(root)]) == 1
    assert _rules(capsys) == ["RCE002"]


def test_extend_lists_reach_the_engine(tmp_path: Path, fake_engine, capsys) -> None:
    (tmp_path / "pyproject.toml").write_text(FULL)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main([str(tmp_path)]) == 0
    (call,) = fake_engine
    assert tuple(call["extend_sources"]) == ("corp.net.fetch",)
    assert tuple(call["extend_sinks"]) == ("corp.plugins.run",)
    assert tuple(call["extend_sanitizers"]) == ("corp.crypto.verify",)
    assert Path(call["root"]) == tmp_path
