from __future__ import annotations

import ast
import re

import pytest

from rceguard import rules
from rceguard.rules import RULE_IDS, RULES, Rule, catalogue, explain

# The rule table of DESIGN.md: id -> (level, CWEs, security-severity)
DESIGN_TABLE = {
    "RCE001": ("error", {94, 95, 494}, "9.3"),
    "RCE002": ("error", {502}, "8.8"),
    "RCE003": ("error", {494, 829}, "9.3"),
    "RCE004": ("error", {78, 494}, "9.3"),
    "RCE005": ("warning", {506, 94}, "8.1"),
    "RCE006": ("error", {78}, "9.3"),
}

SECTIONS_MD = ("## What it finds", "## Why is this dangerous", "## Example", "## How to fix")
SECTIONS_TEXT = ("What it finds", "Why is this dangerous", "Example", "How to fix")


def test_ids_match_design_and_are_ordered():
    assert RULE_IDS == tuple(sorted(DESIGN_TABLE))
    assert list(RULES) == list(RULE_IDS)
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id


@pytest.mark.parametrize("rule_id", sorted(DESIGN_TABLE))
def test_levels_cwes_and_severity_match_design(rule_id):
    level, cwes, severity = DESIGN_TABLE[rule_id]
    rule = RULES[rule_id]
    assert rule.default_level == level
    assert set(rule.cwe) == cwes
    assert isinstance(rule.security_severity, str)
    assert rule.security_severity == severity
    value = float(rule.security_severity)
    assert value != 9.0
    assert rule.precision in ("high", "medium")


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_rule_metadata_is_fit_for_github(rule: Rule):
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9-]+", rule.name)
    assert rule.short.strip() and rule.short.endswith(".") and "\n" not in rule.short
    assert 0 < len(rule.full) <= 1024
    assert 1 <= len(rule.tags) <= 10
    assert "security" in rule.tags
    assert len(set(rule.tags)) == len(rule.tags)
    for number in rule.cwe:
        assert f"external/cwe/cwe-{number:03d}" in rule.tags
    for tag in rule.tags:
        if tag.startswith("external/cwe/"):
            assert re.fullmatch(r"external/cwe/cwe-\d{3,}", tag)


def test_names_are_unique():
    names = [r.name for r in RULES.values()]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_help_has_all_sections_and_valid_examples(rule: Rule):
    md = rule.help_markdown
    positions = [md.index(h) for h in SECTIONS_MD]
    assert positions == sorted(positions), "sections out of order"
    assert md.count("```") % 2 == 0
    blocks = re.findall(r"```python\n(.*?)```", md, flags=re.S)
    assert len(blocks) >= 2, "an example and a fixed example"
    for code in blocks:
        ast.parse(code)  # examples are real Python
    for number in rule.cwe:
        assert f"CWE-{number}" in md
        assert f"CWE-{number}" in rule.help_text
    text = rule.help_text
    for heading in SECTIONS_TEXT:
        assert re.search(rf"^{re.escape(heading)}$", text, flags=re.M), heading
    assert "##" not in text and "```" not in text
    # the plain-text example is indented code that parses after dedenting
    example = text.split("\nExample\n", 1)[1].split("\n\nHow to fix", 1)[0]
    import textwrap

    ast.parse(textwrap.dedent(example))


def test_fix_advice_mentions_the_safe_alternatives():
    assert "compare_digest" in RULES["RCE001"].help_markdown
    assert "yaml.safe_load" in RULES["RCE002"].help_markdown
    assert "weights_only=True" in RULES["RCE002"].help_markdown
    assert "shell=True" in RULES["RCE006"].help_markdown
    assert "shell=True" in RULES["RCE004"].help_markdown
    # the fixed RCE006 example does not use a shell
    fixed = RULES["RCE006"].help_markdown.split("Use instead:", 1)[1]
    assert "shell=True" not in fixed and "os.system" not in fixed


def test_explain_prints_a_full_page():
    page = explain("RCE001")
    rule = RULES["RCE001"]
    assert page.splitlines()[0] == "RCE001 remote-code-exec"
    assert rule.short in page
    assert "9.3" in page and "critical" in page
    assert "CWE-94" in page and "CWE-95" in page and "CWE-494" in page
    for heading in SECTIONS_TEXT:
        assert heading in page
    assert "exec(source" in page  # the example


def test_explain_is_case_insensitive_and_strips():
    assert explain(" rce002 ") == explain("RCE002")
    assert explain("RCE005") != explain("RCE002")


@pytest.mark.parametrize("bad", ["RCE999", "", "B102", "rce00"])
def test_explain_unknown_rule_raises(bad):
    with pytest.raises(KeyError):
        explain(bad)
    with pytest.raises(ValueError) as info:
        explain(bad)
    assert "unknown rule" in str(info.value)


def test_catalogue_lists_every_rule_once():
    table = catalogue()
    for rule in RULES.values():
        rows = [ln for ln in table.splitlines() if ln.startswith(rule.id + " ")]
        assert len(rows) == 1
        row = rows[0]
        assert rule.name in row and rule.short in row and rule.security_severity in row
        assert rule.default_level in row
    assert "RCE007" not in table


def test_severity_buckets():
    assert rules.severity_label("9.3") == "critical"
    assert rules.severity_label("9.0") == "high"
    assert rules.severity_label("8.1") == "high"
    assert rules.severity_label("5.0") == "medium"
    assert rules.severity_label("1.0") == "low"


def _make(**overrides) -> Rule:
    base = dict(RULES["RCE001"].__dict__)
    base.update(overrides)
    return Rule(**base)


def test_rule_validation_rejects_bad_metadata():
    _make()  # a copy of a valid rule is valid
    with pytest.raises(ValueError):
        _make(security_severity="9.0")
    with pytest.raises(ValueError):
        _make(security_severity="high")
    with pytest.raises(ValueError):
        _make(full="x" * 1025)
    with pytest.raises(ValueError):
        _make(tags=("security",) + tuple(f"t{i}" for i in range(10)))
    with pytest.raises(ValueError):
        _make(tags=("external/cwe/cwe-094",))
    with pytest.raises(ValueError):
        _make(default_level="critical")
    with pytest.raises(ValueError):
        _make(name="has space")
