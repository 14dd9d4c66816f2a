"""A fixed corpus of nasty inputs, generated at test time (nothing here is committed).

Each case is scanned next to a good file with a real finding. The bad file must be named (text
report and SARIF ``toolExecutionNotifications``), the good file's finding must still be reported,
and the exit status must reflect findings only (``--strict`` makes a bad file fail the run).

Most bad inputs come in two flavours: as is (the byte-level pre-scan rules the file out, so it is
only decoded and syntax-checked) and with a trailing comment holding a network-source token and a
sink token (the pre-scan lets it through, so it takes the full-parse path).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest

from rceguard.cli import main

from test_report_sarif import assert_valid

GOOD = (
    "import requests\n"
    "\n"
    "\n"
    "def update(url):\n"
    "    code = requests.get(url, timeout=5).text\n"
    "    exec(code)\n"
)
GOOD_HIT = ("good.py", 6)
TOKENS = b"\n# requests.get -> exec\n"  # makes the pre-scan pass a file on to the full parse

Maker = Callable[[Path, pytest.MonkeyPatch], str]  # creates the bad input under root, returns its name

ALSO_NAMED = {"loop_a.py": {"loop_b.py"}}  # other files a bad input makes bad


def _write(name: str, data: bytes) -> Maker:
    def make(root: Path, mp: pytest.MonkeyPatch) -> str:
        (root / name).write_bytes(data)
        return name

    return make


def _both(name: str, data: bytes) -> Dict[str, Maker]:
    """The input as is, and with the pre-scan tokens appended (full-parse path)."""
    stem = name[:-3]
    return {stem: _write(name, data), stem + "-analysed": _write(stem + "_analysed.py", data + TOKENS)}


def _fifo(root: Path, mp: pytest.MonkeyPatch) -> str:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(root / "fifo.py")
    return "fifo.py"


def _symlink_file_loop(root: Path, mp: pytest.MonkeyPatch) -> str:
    (root / "loop_a.py").symlink_to(root / "loop_b.py")
    (root / "loop_b.py").symlink_to(root / "loop_a.py")
    return "loop_a.py"


def _vanishing(root: Path, mp: pytest.MonkeyPatch) -> str:
    """Discovered, then deleted before it is read (every run re-creates it first)."""
    import rceguard.scan

    real = rceguard.scan.discover
    path = root / "vanish.py"

    def discover_then_delete(*args, **kwargs):
        path.write_bytes(GOOD.encode())  # it would even have had a finding
        found = real(*args, **kwargs)
        assert any(p.name == "vanish.py" for p in found.files)
        path.unlink()
        return found

    mp.setattr(rceguard.scan, "discover", discover_then_delete)
    return "vanish.py"


def _unreadable(root: Path, mp: pytest.MonkeyPatch) -> str:
    """Permission denied on open. We run as root, where chmod 000 changes nothing, so the
    operating system's answer is simulated."""
    (root / "secret.py").write_bytes(GOOD.encode())
    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.fspath(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    mp.setattr(os, "open", deny)
    return "secret.py"


BAD: Dict[str, Maker] = {}
BAD.update(_both("parens.py", b"x = " + b"(" * 200_000 + b")" * 200_000 + b"\n"))
BAD.update(_both("minus.py", b"x = " + b"-" * 500_000 + b"1\n"))
BAD.update(_both("nul.py", b"x = 1\ny = 'a\x00b'\n"))
BAD.update(_both("coding.py", b"# -*- coding: no-such-codec -*-\nx = 1\n"))
BAD.update(_both("latin1.py", b"x = '\xe9t\xe9'\n"))
BAD.update(_both("tabs.py", b"if True:\n\tx = 1\n        y = 2\n"))
BAD.update(_both("py2.py", b'print "hello"\nexec "x = 1"\n'))
BAD.update(_both("dense.py", b"x = [" + b"1," * 5_000_000 + b"]\n"))  # 10 MB, 5M tokens: refused
BAD["fifo"] = _fifo
BAD["symlink-file-loop"] = _symlink_file_loop
BAD["vanishing"] = _vanishing
BAD["unreadable"] = _unreadable

# inputs that are fine: scanned without a notice (and, where they hold the good code, reported)
FINE: Dict[str, Maker] = {}
FINE.update(_both("line10mb.py", b'x = "' + b"a" * 10_000_000 + b'"\n'))
FINE.update(_both("funcs100k.py", "".join(f"def f{i}(a):\n    return a + {i}\n" for i in range(100_000)).encode()))
FINE["utf16-bom"] = _write("utf16.py", GOOD.encode("utf-16"))  # one BOM, then UTF-16-LE/BE
FINE["crlf"] = _write("crlf.py", GOOD.replace("\n", "\r\n").encode())
FINE["cr"] = _write("cr.py", GOOD.replace("\n", "\r").encode())
FINE["bom-utf8"] = _write("bom8.py", b"\xef\xbb\xbf" + GOOD.encode())


def _scan(root: Path, out: Path, capsys, *extra: str) -> tuple:
    """(exit text, text report, exit sarif, sarif document)."""
    code_text = main(["--no-color", *extra, str(root)])
    text = capsys.readouterr().out
    code_sarif = main(["--format", "sarif", "-o", str(out), *extra, str(root)])
    capsys.readouterr()
    return code_text, text, code_sarif, json.loads(out.read_text(encoding="utf-8"))


def _hits(doc: dict) -> List[tuple]:
    out = []
    for r in doc["runs"][0]["results"]:
        loc = r["locations"][0]["physicalLocation"]
        out.append((r["ruleId"], loc["artifactLocation"]["uri"], loc["region"]["startLine"]))
    return sorted(out)


def _notified(doc: dict) -> Dict[str, str]:
    inv = doc["runs"][0]["invocations"][0]
    out = {}
    for n in inv.get("toolExecutionNotifications", []):
        uri = n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        out[uri] = n["message"]["text"]
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / "good.py").write_text(GOOD)
    return root


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_named_and_others_still_reported(case: str, project: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    name = BAD[case](project, monkeypatch)
    started = time.monotonic()
    code_text, text, code_sarif, doc = _scan(project, tmp_path / "out.sarif", capsys)
    elapsed = time.monotonic() - started

    assert_valid(doc)
    assert ("RCE001", *GOOD_HIT) in _hits(doc)
    assert f"{GOOD_HIT[0]}:{GOOD_HIT[1]}:5: RCE001" in text
    notified = _notified(doc)
    assert set(notified) == {name, *ALSO_NAMED.get(name, ())}, notified
    assert "\n" not in notified[name]
    named = [line for line in text.splitlines() if line.startswith(f"{name}: ")]
    assert len(named) == 1, text
    assert "could not be read or parsed" in text.splitlines()[-1]
    assert code_text == code_sarif == 1  # the finding, not the bad file
    assert elapsed < 120, f"{case}: {elapsed:.1f} s"

    # without the good file: the bad file alone does not fail the run, unless --strict
    (project / "good.py").unlink()
    assert main(["--no-color", str(project)]) == 0
    assert main(["--no-color", "--strict", str(project)]) == 1
    assert main(["--no-color", "--strict", "--fail-on", "never", str(project)]) == 1
    capsys.readouterr()


@pytest.mark.parametrize("case", sorted(FINE))
def test_unusual_but_valid_input_is_scanned(case: str, project: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    name = FINE[case](project, monkeypatch)
    code_text, text, code_sarif, doc = _scan(project, tmp_path / "out.sarif", capsys, "--strict")
    assert_valid(doc)
    assert _notified(doc) == {}
    assert "could not be read" not in text
    hits = _hits(doc)
    assert ("RCE001", *GOOD_HIT) in hits
    if case in ("utf16-bom", "crlf", "cr", "bom-utf8"):
        # the same code: the same finding, on the same line (line ends and encodings normalised)
        assert ("RCE001", name, GOOD_HIT[1]) in hits
        assert f"{name}:{GOOD_HIT[1]}:5: RCE001" in text
    else:
        assert [h for h in hits if h[1] == name] == []
    assert code_text == code_sarif == 1
    assert "Scanned 2 files" in text.splitlines()[-1]


def test_directory_symlink_loop_terminates_and_scans_each_file_once(project: Path, tmp_path: Path, capsys) -> None:
    sub = project / "pkg"
    sub.mkdir()
    (sub / "mod.py").write_text(GOOD)
    (sub / "again").symlink_to(project, target_is_directory=True)  # pkg/again -> proj (a loop)
    (project / "self").symlink_to(".", target_is_directory=True)  # proj/self -> proj
    code, text, _, doc = _scan(project, tmp_path / "out.sarif", capsys)
    assert code == 1
    assert _hits(doc) == [("RCE001", "good.py", 6), ("RCE001", "pkg/mod.py", 6)]
    assert "Scanned 2 files" in text.splitlines()[-1]


def test_everything_at_once(tmp_path: Path, monkeypatch, capsys) -> None:
    """All the bad and unusual inputs in one tree: one run, every bad file named, every good
    finding kept."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("")
    (root / "good.py").write_text(GOOD)
    bad = {BAD[c](root, monkeypatch) for c in sorted(BAD) if c != "fifo" or hasattr(os, "mkfifo")}
    bad |= {other for name in bad for other in ALSO_NAMED.get(name, ())}
    for c in ("utf16-bom", "crlf", "cr"):
        FINE[c](root, monkeypatch)
    code, text, _, doc = _scan(root, tmp_path / "out.sarif", capsys)
    assert_valid(doc)
    assert code == 1
    assert set(_notified(doc)) == bad
    assert {h[1] for h in _hits(doc)} == {"good.py", "utf16.py", "crlf.py", "cr.py"}
