"""What a new user copies works: one version everywhere, a changelog, a license, README snippets
that name things that exist (no unpublished tag, no unchecked URL), an Action install that does not
need PyPI, and the quick start's test command."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

import rceguard
from rceguard.report import render
from test_precommit import _bundled_wheels  # an offline build backend (setuptools from virtualenv)

REPO_ROOT = Path(__file__).resolve().parent.parent
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
ACTION = REPO_ROOT / "action.yml"
UNCHECKED_URL = "github.com/rceguard/rceguard"


def _toml(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(path.read_text(encoding="utf-8"))


def yaml_blocks(text: str) -> List[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def test_one_version_everywhere() -> None:
    version = rceguard.__version__
    assert version == "0.3.0"
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (\S+)", changelog, flags=re.M)
    assert sections[:3] == [version, "0.2.0", "0.1.0"], sections  # newest first, each release once
    # every version the README names is this one (no tag or release the repository doesn't have)
    named = set(re.findall(r"\bv?(\d+\.\d+\.\d+)\b", "\n".join(
        line for line in README.splitlines() if "rceguard" in line and ("rev:" in line or "uses:" in line)
    )))
    assert named <= {version}, named
    assert re.search(r"rev:\s*v\d", README) is None  # no tag is published


def test_no_unchecked_url_is_published() -> None:
    assert UNCHECKED_URL not in README
    assert UNCHECKED_URL not in ACTION.read_text(encoding="utf-8")
    from rceguard.findings import ScanResult

    sarif = render("sarif", ScanResult(findings=[], notices=[], files_scanned=0, root=""))
    assert UNCHECKED_URL not in sarif and "informationUri" not in sarif


def test_license_file_and_field() -> None:
    text = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 rceguard contributors" in text
    project = _toml(REPO_ROOT / "pyproject.toml")
    assert project["project"]["license"] == "MIT"
    assert project["project"]["license-files"] == ["LICENSE"]
    # the SPDX string form needs setuptools 77 or later (PEP 639)
    requires = project["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", r) and int(re.match(r"setuptools>=(\d+)", r).group(1)) >= 77
               for r in requires), requires


def test_quick_start_commands_are_the_ci_ones() -> None:
    assert "pip install . && rceguard examples/" in README
    assert "pip install -e '.[test]' && python -m pytest -q" in README
    assert "pip install '.[test]'" not in README
    assert "pip install --quiet -e '.[test]'" in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_pre_commit_snippets_name_a_commit_not_a_tag() -> None:
    blocks = [b for b in yaml_blocks(README) if "hooks:" in b and "id: rceguard" in b]
    assert len(blocks) == 2, blocks
    remote, local = (yaml.safe_load(b)["repos"][0] for b in blocks)
    assert remote["repo"] == "<URL of your rceguard checkout or fork>"
    assert remote["rev"] == "<full commit SHA>"
    assert local["repo"] == "local" and local["hooks"][0]["entry"] == "rceguard"
    assert "pin a commit SHA of this repository" in README


def test_action_snippet_pins_a_commit() -> None:
    block = next(b for b in yaml_blocks(README) if "runs-on:" in b)
    steps = yaml.safe_load(block)["jobs"]["rceguard"]["steps"]
    uses = [s["uses"] for s in steps if not s["uses"].startswith("actions/")]
    assert uses == ["<owner>/<repo>@<full commit SHA>"], uses
    assert f"# rceguard {rceguard.__version__}" in block
    assert "version:" not in block


def test_action_has_no_pypi_version_input() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert "version" not in action["inputs"]
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    assert "rceguard==" not in install["run"] and "inputs.version" not in ACTION.read_text(encoding="utf-8")


# -------------------------------------------------------------------- the install step, for real


def _checkout_copy(dest: Path) -> Path:
    """The files of this checkout without build output (pip builds in the source tree)."""
    skip = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", ".wheels", "__pycache__",
                                  ".pytest_cache", ".hypothesis", "tests", "benchmarks", "fuzz")
    shutil.copytree(REPO_ROOT, dest, ignore=skip)
    return dest


def test_the_action_install_step_installs_the_action_checkout_offline(tmp_path: Path) -> None:
    """The install step of action.yml, run as the runner runs it (bash, GITHUB_ACTION_PATH,
    RUNNER_TEMP, GITHUB_OUTPUT), in a fresh virtualenv with no package index: it must not need
    PyPI, and ``pip install .`` of this pyproject (license field included) must build."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    checkout = _checkout_copy(tmp_path / "action")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    env: Dict[str, str] = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUALENV_"))}
    env.update(
        {
            "BASE_PYTHON": sys.executable,
            "GITHUB_ACTION_PATH": str(checkout),
            "RUNNER_TEMP": str(runner_temp),
            "GITHUB_OUTPUT": str(outputs),
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(_bundled_wheels()),
            "PIP_NO_DEPS": "1",  # gitpython/tomli are not needed for --version
            "PIP_CONFIG_FILE": os.devnull,
        }
    )
    assert set(install.get("env", {})) == {"BASE_PYTHON"}  # the checkout comes from GITHUB_ACTION_PATH
    proc = subprocess.run([bash, "-c", install["run"]], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next(ln for ln in outputs.read_text().splitlines() if ln.startswith("python="))
    python = line.split("=", 1)[1]
    assert python.startswith(str(runner_temp)), python
    version = subprocess.run([python, "-m", "rceguard", "--version"], capture_output=True, text=True, timeout=120)
    assert version.stdout.strip() == f"rceguard {rceguard.__version__}", version.stderr
    meta = subprocess.run(
        [python, "-c", "from importlib.metadata import metadata; m = metadata('rceguard'); "
                       "print(m.get('License-Expression') or m.get('License'))"],
        capture_output=True, text=True, timeout=120,
    )
    assert meta.stdout.strip() == "MIT", meta.stderr
