"""Reports say where things are: a line in another file is named with its file (text, SARIF, GitHub
annotations), the pre-scan count never covers a file that was analysed, RCE004 shows the f-string's
placeholders, and the text report has a code frame under the sink and a closing hint (real engine)."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import List

import pytest

from rceguard.cli import main
from rceguard.findings import Finding, Location, ScanResult
from rceguard.report import render

from test_changes import write
from test_partial_identity import LOADER as BASE_LOADER, NET, UTIL  # the source is on line 5 of NET

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LOADER = BASE_LOADER + "\n\ndef load_direct(url):\n    exec(fetch_text(url))\n"  # exec on line 10


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write(root, {"pyproject.toml": "", "pkg/__init__.py": "", "pkg/net.py": NET, "pkg/util.py": UTIL,
                 "pkg/loader.py": LOADER})
    return root


def out(monkeypatch, capsys, root: Path, *args: str) -> str:
    monkeypatch.chdir(root)
    main(["--no-color", *args])
    return capsys.readouterr().out


def test_a_source_in_another_file_is_named_with_its_file(project: Path, monkeypatch, capsys) -> None:
    text = out(monkeypatch, capsys, project, "pkg/loader.py")
    assert "an HTTP response body from requests.get() (pkg/net.py:5) reaches exec()" in text
    assert "(line 5)" not in text
    sarif = json.loads(out(monkeypatch, capsys, project, "--format", "sarif", "pkg/loader.py"))
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert len(messages) == 2 and all("requests.get() (pkg/net.py:5)" in m for m in messages)
    github = [ln for ln in out(monkeypatch, capsys, project, "--format", "github", "pkg/loader.py").splitlines()
              if ln.startswith("::error ")]
    assert len(github) == 2 and all("requests.get() (pkg/net.py%3A5)" not in g and "(pkg/net.py:5)" in g for g in github)


def test_a_source_in_the_same_file_keeps_the_short_form(tmp_path: Path, monkeypatch, capsys) -> None:
    write(tmp_path, {"m.py": "import requests\n\n\ndef f(u):\n    code = requests.get(u).text\n    exec(code)\n"})
    text = out(monkeypatch, capsys, tmp_path, "m.py")
    assert "an HTTP response body from requests.get() (line 5) reaches exec()" in text


def test_an_integrity_check_in_another_file_is_named_with_its_file(tmp_path: Path, monkeypatch, capsys) -> None:
    write(tmp_path, {
        "pyproject.toml": "", "pkg/__init__.py": "",
        "pkg/net.py": (
            "import hashlib\n\nimport requests\n\nPIN = 'ab' * 32\n\n\ndef fetch(u):\n"
            "    data = requests.get(u).content\n"
            "    if hashlib.sha256(data).hexdigest() != PIN:\n"  # line 10
            "        raise ValueError('bad digest')\n    return data\n"
        ),
        "pkg/main.py": "from pkg.net import fetch\n\n\ndef run(u):\n    exec(fetch(u))\n",
    })
    text = out(monkeypatch, capsys, tmp_path, ".")
    assert "Integrity check: verified by a pinned digest (pkg/net.py:10)." in text
    assert "note: verified by a pinned digest (pkg/net.py:10)" in text


def test_prescan_count_never_covers_an_analysed_file(project: Path, monkeypatch, capsys) -> None:
    # util.py holds an exec but no network read, net.py the read but no exec: the pre-scan rules
    # both out on their own, but loader.py calls into them, so they are analysed (util.py holds the
    # finding); only the empty __init__.py was ruled out
    data = json.loads(out(monkeypatch, capsys, project, "--format", "json", "."))
    assert ("pkg/util.py", 2) in [(f["location"]["path"], f["location"]["line"]) for f in data["findings"]]
    assert data["summary"]["files_scanned"] == 4 and data["summary"]["prescan_skipped"] == 1
    summary = out(monkeypatch, capsys, project, ".").rstrip().splitlines()[-1]
    assert summary.startswith("Scanned 4 files (1 ruled out by a quick pre-scan: no network read or no "
                              "exec-like call in it and its imports): ")
    assert "needed no flow analysis" not in summary


def test_rce004_message_keeps_fstring_placeholders(tmp_path: Path, monkeypatch, capsys) -> None:
    write(tmp_path, {"inst.py": (
        "import os\n\n\ndef install(url):\n    os.system(f\"curl -fsSL {url} | bash\")\n\n\n"
        "def other(url):\n    os.system(\"wget -qO- \" + url + \" | sh\")\n"
    )})
    data = json.loads(out(monkeypatch, capsys, tmp_path, "--format", "json", "inst.py"))
    messages = [f["message"] for f in data["findings"]]
    assert messages[0] == "Shell download cradle run: `curl -fsSL {url} | bash` is passed to os.system()."
    assert data["findings"][0]["steps"][0]["message"] == "shell download cradle: `curl -fsSL {url} | bash`"
    assert messages[1] == "Shell download cradle run: `wget -qO- {url} | sh` is passed to os.system()."


def test_text_report_has_a_code_frame_and_a_closing_hint(project: Path, monkeypatch, capsys) -> None:
    text = out(monkeypatch, capsys, project, "pkg/loader.py")
    lines = text.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("pkg/loader.py:10:5: RCE001 "))
    assert lines[i + 1:i + 5] == [
        "     |",
        "  10 |     exec(fetch_text(url))",
        "     |     ^^^^^^^^^^^^^^^^^^^^^ RCE001",
        "     |",
    ]
    block = lines[i:lines.index("", i)]
    assert block[-2:] == [
        "  = rule: rceguard rule RCE001",
        "  = ignore: add `# rceguard: ignore[RCE001] <reason>` to the flagged statement",
    ]
    # a finding shown at a call names the sink statement, where one comment covers every mode
    j = next(n for n, ln in enumerate(lines) if ln.startswith("pkg/loader.py:6:5: RCE001 "))
    assert lines[j + 3] == "    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ RCE001"
    hint = lines[lines.index("", j) - 1]
    assert hint == ("  = ignore: add `# rceguard: ignore[RCE001] <reason>` to the sink statement (pkg/util.py:2), "
                    "or to this call for runs without that file")


def _frame(line_text: str, col: int, end_col: int, end_line: int = 1) -> List[str]:
    f = Finding("RCE001", "error", "m.", Location("m.py", 1, col, end_line, end_col), sink_text="x",
                line_text=line_text)
    return render("text", ScanResult(findings=[f], notices=[], files_scanned=1)).splitlines()[1:5]


def test_code_frame_columns_follow_wide_characters_tabs_and_long_lines() -> None:
    # a wide character before the sink takes two terminal columns
    assert _frame("x = '漢'; eval(s)", 10, 17)[1:3] == ["  1 | x = '漢'; eval(s)", "    |           ^^^^^^^ RCE001"]
    assert _frame("\teval(s)", 2, 9)[1:3] == ["  1 |  eval(s)", "    |  ^^^^^^^ RCE001"]  # tab shown as one space
    # a sink that goes on over more lines is underlined to the end of its first line
    assert _frame("exec(a,", 1, 3, end_line=2)[2] == "    | ^^^^^^^ RCE001"
    long = "x = 1; " * 40 + "exec(s)"
    frame = _frame(long, len(long) - 6, len(long) + 1)
    assert frame[1].startswith("  1 | ...") and frame[1].endswith("exec(s)") and len(frame[1]) < 140
    caret = frame[2]
    assert frame[1][caret.index("^")] == "e" and caret.count("^") == 7


def test_code_frame_colour_only_when_asked(project: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(project)
    from rceguard.scan import scan

    result = scan(["pkg/loader.py"])
    plain, coloured = render("text", result), render("text", result, color=True)
    assert "\x1b" not in plain and "\x1b[1;31m^^^" in coloured
    assert ANSI.sub("", coloured) == plain
