from __future__ import annotations

from pathlib import Path

import pytest

from rceguard import suppress
from rceguard.cli import main
from rceguard.config import Config
from rceguard.findings import Finding, Location
from rceguard.scan import scan


def finding(rule: str, line: int, end_line: int = 0, stmt=(0, 0), path: str = "m.py") -> Finding:
    loc = Location(path, line, 1, end_line or line, 10)
    return Finding(rule_id=rule, level="error", message="m", location=loc, statement_lines=stmt)


def test_directives_come_from_real_comments_only() -> None:
    text = (
        "a = 1  # rceguard: ignore[RCE001] trusted mirror\n"
        "b = '# rceguard: ignore'\n"
        's = """\n# rceguard: ignore\n"""\n'
        "c = 2  # noqa: E501  # rceguard: ignore[rce002, RCE003]\n"
        "d = 3  #rceguard:ignore\n"
        "e = 4  # rceguard: ignored-not\n"
    )
    table = suppress.directives(text)
    assert sorted(table) == [1, 6, 7]
    assert table[1][0].ids == ("RCE001",)
    assert table[6][0].ids == ("RCE002", "RCE003")
    assert table[7][0].bare


def test_directives_survive_untokenizable_text() -> None:
    table = suppress.directives("x = 1  # rceguard: ignore[RCE001]\ny = '''unterminated\n")
    assert table[1][0].ids == ("RCE001",)


@pytest.mark.parametrize(
    "text, rule, hidden, bare",
    [
        ("exec(x)  # rceguard: ignore[RCE001] reviewed\n", "RCE001", True, False),
        ("exec(x)  # rceguard: ignore[RCE002]\n", "RCE001", False, False),
        ("exec(x)  # rceguard: ignore[RCE002,RCE001]\n", "RCE001", True, False),
        ("exec(x)  # rceguard: ignore[RCE00]\n", "RCE005", True, False),
        ("exec(x)  # rceguard: ignore\n", "RCE006", True, True),
        ("exec(x)  # rceguard: ignore[]\n", "RCE006", True, True),
        ("exec(x)\n# rceguard: ignore[RCE001]\n", "RCE001", False, False),  # next line: not the statement
        ("exec(x)  # RCEGUARD: IGNORE[rce001]\n", "RCE001", True, False),
    ],
)
def test_single_line(text: str, rule: str, hidden: bool, bare: bool) -> None:
    res = suppress.apply([finding(rule, 1)], {"m.py": text})
    assert (res.suppressed == 1) is hidden
    assert len(res.kept) == (0 if hidden else 1)
    assert res.bare == (1 if bare else 0)


def test_any_line_of_a_multiline_statement() -> None:
    text = "y = 0\nresult = run(\n    payload,\n    flag=True,\n)  # rceguard: ignore[RCE006] fixed command\nz = 1\n"
    # the sink spans lines 2-5; a directive on the closing line hides it
    assert suppress.apply([finding("RCE006", 2, 5, (2, 5))], {"m.py": text}).suppressed == 1
    # sink only on line 3, statement 2-5: still hidden
    assert suppress.apply([finding("RCE006", 3, 3, (2, 5))], {"m.py": text}).suppressed == 1
    # no statement lines from the engine: fall back to the sink's own lines
    assert suppress.apply([finding("RCE006", 2, 5)], {"m.py": text}).suppressed == 1
    assert suppress.apply([finding("RCE006", 3, 3)], {"m.py": text}).suppressed == 0
    # a directive on a neighbouring statement does not leak
    assert suppress.apply([finding("RCE006", 6, 6, (6, 6))], {"m.py": text}).suppressed == 0


def test_specific_directive_preferred_over_bare() -> None:
    text = "f(\n  x,  # rceguard: ignore\n)  # rceguard: ignore[RCE001]\n"
    res = suppress.apply([finding("RCE001", 1, 3, (1, 3))], {"m.py": text})
    assert res.suppressed == 1 and res.bare == 0


def test_scan_counts_suppressed_and_bare(make_tree, fake_engine) -> None:
    root = make_tree(
        {
            "pyproject.toml": "",
            "a.py": (
                'danger("RCE001")  # rceguard: ignore[RCE001] pinned mirror\n'
                'danger("RCE002")  # rceguard: ignore\n'
                'danger(\n    "RCE006",\n)  # rceguard: ignore[RCE006]\n'
                'danger("RCE001")\n'
                'print("# rceguard: ignore")\n'
                'danger("RCE002")  # "# rceguard: ignore" in a string after a comment start counts\n'
            ),
            "b.py": 'x = "danger() # rceguard: ignore"; danger("RCE001")\n',
        }
    )
    result = scan([root], Config())
    kept = [(f.location.path, f.location.line, f.rule_id) for f in result.findings]
    assert kept == [("a.py", 6, "RCE001"), ("b.py", 1, "RCE001")]
    assert result.suppressed == 4
    assert result.bare_ignores == 2


def test_suppression_only_counts_selected_rules(make_tree, fake_engine) -> None:
    root = make_tree({"a.py": 'danger("RCE002")  # rceguard: ignore\ndanger("RCE001")\n'})
    result = scan([root], Config(ignore=("RCE002",)))
    assert [f.rule_id for f in result.findings] == ["RCE001"]
    assert result.suppressed == 0 and result.bare_ignores == 0


def test_text_summary_mentions_bare_ignores(make_tree, fake_engine, capsys) -> None:
    root = make_tree({"a.py": 'danger("RCE002")  # rceguard: ignore\n'})
    assert main(["--no-color", str(root)]) == 0
    out = capsys.readouterr().out
    assert "bare ignore" in out
