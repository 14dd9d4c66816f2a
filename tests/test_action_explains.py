"""The Action explains itself and code scanning sees a whole analysis: a simulated pull-request run
(``python -m rceguard.ci`` with a runner's GITHUB_* variables pointing at temporary files) uploads
SARIF of the whole tree while its annotations, job summary and exit status cover only what the pull
request changes; errors become an ``::error title=rceguard::`` annotation and a summary section that
name the action's inputs and the fix."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from test_action import gh_env, parse_outputs, run_ci
from test_changes import _isolated_git, git, make_repo, write  # noqa: F401  (autouse fixture)

EXEC = "import requests\n\n\ndef run(u):\n    exec(requests.get(u).text)\n"  # exec on line 5
ENCODED = "import base64\n\n\ndef boot():\n    exec(base64.b64decode('cHJpbnQoMSk='))\n"  # RCE005, a warning
UTIL = "def run_snippet(s):\n    exec(s)\n"
CALLER = "import requests\n\nfrom pkg.util import run_snippet\n\n\ndef go(u):\n    run_snippet(requests.get(u).text)\n"
SERVER, REPO, SHA = "https://github.example", "octo/app", "0123456789abcdef0123456789abcdef01234567"


def feature_repo(tmp_path: Path, changes: Dict[str, str]) -> Tuple[Path, str]:
    """main: old.py (an old finding) and pkg/util.py; the feature branch applies ``changes``."""
    repo = make_repo(tmp_path / "repo", {"old.py": EXEC.replace("def run", "def legacy"), "pkg/__init__.py": "",
                                         "pkg/util.py": UTIL, "README.md": "app\n", "pyproject.toml": ""})
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, changes)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "feature")
    return repo, base


def pr_env(tmp_path: Path, base: str, **extra: str) -> Dict[str, str]:
    return gh_env(tmp_path, "pull_request", {"pull_request": {"base": {"sha": base}}}, GITHUB_BASE_REF="main",
                  GITHUB_SERVER_URL=SERVER, GITHUB_REPOSITORY=REPO, GITHUB_SHA=SHA, **extra)


def sarif_places(repo: Path) -> List[Tuple[str, int]]:
    sarif = json.loads((repo / "rceguard.sarif").read_text())
    out = []
    for r in sarif["runs"][0]["results"]:
        phys = r["locations"][0]["physicalLocation"]
        out.append((phys["artifactLocation"]["uri"], phys["region"]["startLine"]))
    return out


def test_pull_request_run_annotates_the_change_and_uploads_the_whole_tree(tmp_path: Path, monkeypatch) -> None:
    repo, base = feature_repo(tmp_path, {"new.py": EXEC, "aaa.py": ENCODED})
    env = pr_env(tmp_path, base)
    status, log, commands = run_ci(monkeypatch, repo, env)
    assert status == 1

    # annotations: only what the pull request adds, most severe first
    assert [c.split(" ", 1)[0] for c in commands] == ["::error", "::warning"]
    assert commands[0].startswith("::error file=new.py,line=5,") and commands[1].startswith("::warning file=aaa.py,line=5,")
    # the SARIF holds the whole tree, old.py included, so code scanning keeps its alert open
    assert sarif_places(repo) == [("aaa.py", 5), ("new.py", 5), ("old.py", 5)]
    assert parse_outputs(Path(env["GITHUB_OUTPUT"])) == {"findings": "2", "sarif-file": "rceguard.sarif"}

    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("## rceguard: 2 findings\n")
    assert "Compared with <code>main</code>: **2 scanned files changed**" in summary  # the branch, not the sha
    assert base not in summary
    assert "Scanned 5 files of the whole tree" in summary and "holds all 3 findings" in summary
    rows = [ln for ln in summary.splitlines() if ln.startswith("| error |") or ln.startswith("| warning |")]
    assert [r.split(" | ")[0] for r in rows] == ["| error", "| warning"]  # most severe first
    link = f'<a href="{SERVER}/{REPO}/blob/{SHA}/new.py#L5"><code>new.py:5</code></a>'
    assert link in rows[0]
    assert "<code>exec(requests.get(u).text)</code>" in rows[0]  # code shown as code
    assert f'1. <a href="{SERVER}/{REPO}/blob/{SHA}/new.py#L5"><code>new.py:5</code></a> <code>requests.get(u)</code>' in rows[0]
    assert "Fix: Ship the code in your package" in rows[0] and "More: <code>rceguard rule RCE001</code>" in rows[0]
    assert "Result: fails the job (<code>fail-on: warning</code>)." in summary
    assert "old.py" not in summary and "old.py" not in log


def test_a_pull_request_that_changes_no_scanned_file_says_so(tmp_path: Path, monkeypatch) -> None:
    repo, base = feature_repo(tmp_path, {"README.md": "app, documented\n"})
    env = pr_env(tmp_path, base)
    status, log, commands = run_ci(monkeypatch, repo, env)
    assert status == 0 and commands == []  # the old finding is not this pull request's
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "**0 scanned files changed**" in summary and "Nothing rceguard scans was changed" in summary
    assert "0 changed files" in log
    assert sarif_places(repo) == [("old.py", 5)]  # still uploaded: the whole tree


def test_a_changed_caller_of_an_unchanged_helper_is_annotated_at_the_call(tmp_path: Path, monkeypatch) -> None:
    repo, base = feature_repo(tmp_path, {"caller.py": CALLER})
    env = pr_env(tmp_path, base)
    status, log, commands = run_ci(monkeypatch, repo, env)
    assert status == 1 and len(commands) == 1
    assert commands[0].startswith("::error file=caller.py,line=7,")  # where the pull request changed code
    assert "The sink is at pkg/util.py:2." in commands[0]
    assert ("pkg/util.py", 2) in sarif_places(repo)  # code scanning keeps it at the sink


def _error(commands: List[str]) -> str:
    assert len(commands) == 1 and commands[0].startswith("::error title=rceguard::"), commands
    return commands[0]


def _error_section(env: Dict[str, str]) -> str:
    assert not Path(env["GITHUB_OUTPUT"]).exists()  # no sarif-file output: the upload step is skipped
    text = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert text.startswith("## rceguard: error\n")
    return text


def test_shallow_checkout_explains_fetch_depth(tmp_path: Path, monkeypatch) -> None:
    repo, base = feature_repo(tmp_path, {"new.py": EXEC})
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature", repo.as_uri(), str(shallow)],
                   check=True, capture_output=True)
    env = pr_env(tmp_path, base)
    status, log, commands = run_ci(monkeypatch, shallow, env)
    assert status == 2
    err = _error(commands)
    assert "`diff-base` (empty: the pull request's base commit): unknown revision" in err and "fetch-depth: 0" in err
    section = _error_section(env)
    assert "<code>fetch-depth: 0</code>" in section and "<code>actions/checkout</code>" in section


@pytest.mark.parametrize("extra, words", [
    ({"RCEGUARD_FAIL_ON": "sometimes"}, ["`fail-on` must be error, warning, note or never, not 'sometimes'",
                                        "set `fail-on:` to one of those"]),
    ({"RCEGUARD_PATHS": "src missing.py"}, ["`paths`: path does not exist: src", "relative to the repository root"]),
    ({"RCEGUARD_BASELINE": "nope.json"}, ["`baseline`: baseline file not found: nope.json",
                                         "rceguard --write-baseline FILE"]),
    ({"RCEGUARD_DIFF_BASE": "release-9"}, ["`diff-base`: unknown revision 'release-9'", "fetch-depth: 0"]),
    ({"RCEGUARD_SARIF_FILE": "no/such/dir/out.sarif"}, ["`sarif-file` no/such/dir/out.sarif: folder"]),
])
def test_errors_name_the_input_and_the_fix(tmp_path: Path, monkeypatch, extra: Dict[str, str], words: List[str]) -> None:
    repo, base = feature_repo(tmp_path, {"new.py": EXEC})
    env = pr_env(tmp_path, base, **extra)
    status, log, commands = run_ci(monkeypatch, repo, env)
    assert status == 2
    err, section = _error(commands), _error_section(env)
    for w in words:
        assert w in err, (w, err)
        assert w.split("`")[-1].strip() in section  # the summary says it too (code in <code>)
    assert not (repo / "rceguard.sarif").exists()
