"""Real code: the seed module, and libraries that generate code from local templates.

Wheels are downloaded from PyPI by `.ci/run` (or by hand, see README) into the folder named by
RCEGUARD_WHEELS; the test reads them as zip files and never imports anything from them.
Stdlib files are read from the running Python.
"""
from __future__ import annotations

import os
import sysconfig
import zipfile
from pathlib import Path
from typing import Optional

import pytest

from rceguard.config import Config
from rceguard.report import render
from rceguard.scan import scan

WHEELS = Path(os.environ.get("RCEGUARD_WHEELS", Path(__file__).parent.parent / ".wheels"))
STDLIB = Path(sysconfig.get_paths()["stdlib"])

WHEEL_FILES = {
    "coiled-1.135.6": "coiled/analytics.py",
    "distributed-2026.8.0": "distributed/preloading.py",
    "jinja2-3.1.6": "jinja2/environment.py",
    "mako-1.4.3": "mako/template.py",
    "attrs-26.1.0": "attr/_make.py",
    "pytest-9.2.0": "_pytest/assertion/rewrite.py",
}


def _wheel_member(tmp_path: Path, stem: str, member: str) -> Optional[Path]:
    cands = sorted(WHEELS.glob(f"{stem}-*.whl")) + sorted(WHEELS.glob(f"{stem.replace('-', '_', 1)}-*.whl"))
    cands += [p for p in sorted(WHEELS.glob("*.whl")) if p.name.lower().startswith(stem.lower() + "-")]
    if not cands:
        if os.environ.get("CI"):
            pytest.fail(f"wheel {stem} missing from {WHEELS} (.ci/run downloads it)")
        pytest.skip(f"wheel {stem} not downloaded into {WHEELS}")
    with zipfile.ZipFile(cands[0]) as z:
        data = z.read(member)
    out = tmp_path / member
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def test_seed_coiled_analytics(tmp_path: Path) -> None:
    path = _wheel_member(tmp_path, "coiled-1.135.6", WHEEL_FILES["coiled-1.135.6"])
    result = scan([path], Config())
    got = [(f.rule_id, f.location.line) for f in result.findings]
    assert got == [("RCE001", 50), ("RCE001", 233)]
    for f in result.findings:
        msgs = [s.message for s in f.steps]
        assert "returns network data" in msgs[0] and "http.request" in msgs[0]
        assert any("response.data" in m for m in msgs)
        assert any("compile(" in m for m in msgs)
        assert "exec(" in msgs[-1]
    import json
    sarif = json.loads(render("sarif", result))
    assert all(r.get("codeFlows") for r in sarif["runs"][0]["results"])


def test_distributed_preloading(tmp_path: Path) -> None:
    path = _wheel_member(tmp_path, "distributed-2026.8.0", WHEEL_FILES["distributed-2026.8.0"])
    result = scan([path], Config())
    bad = [f for f in result.findings if f.level in ("error", "warning")]
    assert len(bad) == 1 and bad[0].rule_id == "RCE001"
    assert "exec(compiled, module.__dict__)" in bad[0].sink_text
    assert any("urlopen" in s.message for s in bad[0].steps)


@pytest.mark.parametrize("stem", ["jinja2-3.1.6", "mako-1.4.3", "attrs-26.1.0", "pytest-9.2.0"])
def test_codegen_libraries_are_clean(tmp_path: Path, stem: str) -> None:
    path = _wheel_member(tmp_path, stem, WHEEL_FILES[stem])
    result = scan([path], Config())
    assert [f for f in result.findings if f.level in ("error", "warning")] == []


@pytest.mark.parametrize("name", ["dataclasses.py", "collections/__init__.py", "timeit.py", "runpy.py",
                                  "doctest.py", "typing.py", "inspect.py", "pickle.py", "subprocess.py"])
def test_stdlib_files_are_clean(name: str) -> None:
    result = scan([STDLIB / name], Config())
    assert [f for f in result.findings if f.level in ("error", "warning")] == []
