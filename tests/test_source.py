from __future__ import annotations

import codecs
import os
import sys
import threading
from pathlib import Path

import pytest

from rceguard.findings import Notice
from rceguard.source import ParsedFile, SourceError, decode_source, load, parse_text, split_lines


def _load_bytes(tmp_path: Path, data: bytes, name: str = "m.py"):
    path = tmp_path / name
    path.write_bytes(data)
    return load(path, name)


# ------------------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "data",
    [
        "x = 'é'\n".encode("utf-8"),
        codecs.BOM_UTF8 + "x = 'é'\n".encode("utf-8"),
        codecs.BOM_UTF16_LE + "x = 'é'\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "x = 'é'\n".encode("utf-16-be"),
        codecs.BOM_UTF32_LE + "x = 'é'\n".encode("utf-32-le"),
        codecs.BOM_UTF32_BE + "x = 'é'\n".encode("utf-32-be"),
        "# -*- coding: latin-1 -*-\nx = 'é'\n".encode("latin-1"),
        "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = 'é'\n".encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le", "utf16be", "utf32le", "utf32be", "latin1-cookie", "cp1252-cookie-line2"],
)
def test_decodes_boms_and_coding_lines(data: bytes) -> None:
    text = decode_source(data)
    assert "x = 'é'" in text
    assert not text.startswith("\ufeff")


def test_non_utf8_without_coding_line_is_an_error_with_line() -> None:
    data = b"a = 1\nb = 2\nc = '\xff\xfe caf\xe9'\n"
    with pytest.raises(SourceError) as info:
        decode_source(data)
    assert "UTF-8" in info.value.message
    assert info.value.line == 3


@pytest.mark.parametrize(
    "data",
    [b"# coding: no-such-codec\nx = 1\n", b"# coding: rot13\nx = 1\n", codecs.BOM_UTF8 + b"# coding: latin-1\nx = 1\n"],
    ids=["unknown", "not-a-text-encoding", "bom-contradicts-cookie"],
)
def test_invalid_coding_declaration_is_a_notice(tmp_path: Path, data: bytes) -> None:
    result = _load_bytes(tmp_path, data)
    assert isinstance(result, Notice)
    assert "coding" in result.message or "encoding" in result.message
    assert "\n" not in result.message


def test_newlines_are_normalised_and_lines_split_like_python() -> None:
    text = decode_source(b"a = 1\r\nb = 2\rc = '\x0c'\n")
    assert "\r" not in text
    # form feed is not a line break for Python (str.splitlines would split there)
    assert split_lines("a\x0cb\nc\n") == ["a\x0cb", "c"]
    assert split_lines("a\r\nb\rc") == ["a", "b", "c"]
    assert split_lines("") == []


def test_crlf_file_positions_match_lines(tmp_path: Path) -> None:
    pf = _load_bytes(tmp_path, b"x = 1\r\n\x0cy = 2\r\nexec('z')\r\n")
    assert isinstance(pf, ParsedFile)
    call = pf.tree.body[-1].value
    assert pf.lines[call.lineno - 1].startswith("exec(")
    assert pf.lines == ["x = 1", "\x0cy = 2", "exec('z')"]


# -------------------------------------------------------------------------------------- parsing


def test_parsed_file_fields(tmp_path: Path) -> None:
    pf = _load_bytes(tmp_path, b"import os\nos.getcwd()\n")
    assert isinstance(pf, ParsedFile)
    assert pf.display == "m.py"
    assert pf.path == tmp_path / "m.py"
    assert pf.lines == ["import os", "os.getcwd()"]
    assert pf.line_map == {}


def test_empty_file_is_fine(tmp_path: Path) -> None:
    pf = _load_bytes(tmp_path, b"")
    assert isinstance(pf, ParsedFile)
    assert pf.tree.body == [] and pf.lines == []


@pytest.mark.parametrize(
    "data, line, words",
    [
        (b'print "hello"\n', 1, "syntax error"),
        (b"x = 1\ndef f(:\n    pass\n", 2, "syntax error"),
        (b"if True:\n\tx = 1\n        y = 2\n", 3, "syntax error"),
        (b"x = 1\ny = 'a\x00b'\n", 2, "NUL"),
    ],
    ids=["python2-print", "syntax", "tabs-vs-spaces", "nul"],
)
def test_bad_source_is_a_one_line_notice(tmp_path: Path, data: bytes, line: int, words: str) -> None:
    result = _load_bytes(tmp_path, data)
    assert isinstance(result, Notice)
    assert result.kind == "parse"
    assert words in result.message
    assert result.line == line
    assert "\n" not in result.message and result.path == "m.py"


@pytest.mark.parametrize(
    "src",
    ["(" * 200_000 + ")" * 200_000, "-" * 500_000 + "1", "x = " + "[" * 5000 + "]" * 5000],
    ids=["parens", "unary-minus", "lists"],
)
def test_deep_nesting_is_a_notice_not_a_crash(tmp_path: Path, src: str) -> None:
    result = _load_bytes(tmp_path, src.encode())
    assert isinstance(result, Notice)
    assert "\n" not in result.message


def test_parse_text_recursion_error_becomes_source_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    def boom(*a, **k):
        raise RecursionError("maximum recursion depth exceeded during ast construction")

    monkeypatch.setattr(ast, "parse", boom)
    with pytest.raises(SourceError) as info:
        parse_text("x = 1")
    assert "nested" in info.value.message


# ----------------------------------------------------------------------------------- bad files


def test_directory_is_a_read_notice(tmp_path: Path) -> None:
    (tmp_path / "x.py").mkdir()
    result = load(tmp_path / "x.py", "x.py")
    assert isinstance(result, Notice) and result.kind == "read"
    assert "directory" in result.message


def test_dangling_symlink_is_a_read_notice(tmp_path: Path) -> None:
    (tmp_path / "link.py").symlink_to(tmp_path / "gone.py")
    result = load(tmp_path / "link.py", "link.py")
    assert isinstance(result, Notice) and result.kind == "read"
    assert "dangling" in result.message


def test_missing_file_is_a_read_notice(tmp_path: Path) -> None:
    result = load(tmp_path / "vanished.py", "vanished.py")
    assert isinstance(result, Notice) and result.kind == "read"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_a_notice_and_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    box = []
    t = threading.Thread(target=lambda: box.append(load(fifo, "pipe.py")), daemon=True)
    t.start()
    t.join(10)
    assert box, "reading a FIFO blocked"
    assert isinstance(box[0], Notice) and "regular file" in box[0].message


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_is_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "secret.py"
    path.write_text("x = 1\n")
    path.chmod(0)
    try:
        result = load(path, "secret.py")
    finally:
        path.chmod(0o644)
    assert isinstance(result, Notice) and "permission" in result.message


def test_permission_error_is_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.py"
    path.write_text("x = 1\n")

    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", deny)
    result = load(path, "secret.py")
    assert isinstance(result, Notice) and result.kind == "read" and "permission" in result.message


@pytest.mark.parametrize("data, line", [(b"x = '\xe9'\n", 1), (b"a = 1\nb = 2\n# \xff\n", 3)], ids=["line1", "line3"])
def test_latin1_without_coding_line(tmp_path: Path, data: bytes, line: int) -> None:
    result = _load_bytes(tmp_path, data)
    assert isinstance(result, Notice)
    assert "not valid UTF-8 and no PEP 263 coding line" in result.message
    assert result.line == line
