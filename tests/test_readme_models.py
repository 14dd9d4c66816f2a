"""The README's "Source kinds" and "Models" sections against the code: every source kind and user
effect is documented, the row keys are the parser's, and the worked example (its TOML rows and
the code under them) gives exactly the findings its comments say. The docs cannot drift."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Set, Tuple

import tomllib

from rceguard import config as C
from rceguard.config import config_from_table, load_config
from rceguard.knowledge import models as M
from rceguard.scan import scan

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def _examples() -> Dict[str, str]:
    """The fenced blocks that follow a ``<!-- models-example: NAME -->`` marker."""
    out = {}
    for m in re.finditer(r"<!-- models-example: (\S+) -->\n```\w*\n(.*?)```", README, re.S):
        out[m.group(1)] = m.group(2)
    return out


def test_every_source_kind_is_listed_with_its_printed_name() -> None:
    text = _section("Source kinds")
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+?) \|", text, re.M))
    assert rows == dict(M.SOURCE_KINDS)


def test_the_sources_example_is_a_valid_setting() -> None:
    text = _section("Source kinds")
    block = re.search(r"```toml\n(.*?)```", text, re.S).group(1)  # type: ignore[union-attr]
    table = tomllib.loads(block)["tool"]["rceguard"]
    cfg = config_from_table(table, Path("pyproject.toml"))
    assert set(C.disabled_sources(cfg)) == {"llm-completion", "llm-tool-call"}


def test_every_user_effect_and_row_key_is_documented() -> None:
    text = _section("Models")
    documented: Set[str] = set()
    for cell in re.findall(r"^\| ((?:`[a-z-]+`(?: / )?)+) \|", text, re.M):
        documented |= set(re.findall(r"`([a-z-]+)`", cell))
    assert documented == set(M.USER_EFFECTS)
    keys = re.search(r"or a table with the keys (.*?); a list of them", text, re.S).group(1)  # type: ignore[union-attr]
    named = re.findall(r"`([a-z-]+)`", re.sub(r"\(.*?\)", "", keys, flags=re.S))
    assert set(named) == set(C._MODEL_KEYS)
    assert set(re.findall(r"`(code|data|cmd|file|process)`", text)) == set(M.SINK_KINDS)


def test_the_worked_example_gives_the_findings_its_comments_say(tmp_path: Path) -> None:
    ex = _examples()
    assert set(ex) == {"pyproject.toml", "app.py"}
    for name, body in ex.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    want: Set[Tuple[int, str]] = set()
    for i, line in enumerate(ex["app.py"].splitlines(), 1):
        m = re.search(r"#\s*(RCE00\d)\b", line)
        if m:
            want.add((i, m.group(1)))
    assert len(want) == 4
    cfg = load_config(None, tmp_path)
    assert len(cfg.models) == 6
    for prescan in (True, False):
        got = {(f.location.line, f.rule_id) for f in scan([tmp_path / "app.py"], cfg, prescan=prescan).findings}
        assert got == want
    # each row matters: without it, its lines are not reported (without the propagator, one more is)
    base = ex["pyproject.toml"]
    lines = {line for line, _ in want}
    for api, gone, more in (('"acme_ai.Client" =', {13, 14, 17}, set()), ('"blobstore.load" =', {17}, set()),
                            ('"mycorp.artifacts.fetch" =', {24}, set()), ('"mycorp.text.strip_fence" =', set(), {16})):
        (tmp_path / "pyproject.toml").write_text("\n".join(l for l in base.splitlines() if not l.startswith(api)))
        got = {f.location.line for f in scan([tmp_path / "app.py"], load_config(None, tmp_path)).findings}
        assert got == (lines - gone) | more, api
