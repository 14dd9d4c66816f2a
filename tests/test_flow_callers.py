"""Given only the file that holds a sink, a flow whose outside data enters in a *caller* in another
project module is reported at the sink, with the caller's steps in the flow (analysis/callers.py).
Findings stay in the given files; callers are looked for only inside the project."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from rceguard.cli import main
from rceguard.config import Config
from rceguard.scan import scan

RUNNER = "def run(code):\n    exec(code)\n"


def write(root: Path, files: Dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def project(tmp_path: Path, files: Dict[str, str]) -> Path:
    return write(tmp_path / "proj", {"pyproject.toml": "", "pkg/__init__.py": "", **files})


def findings(root: Path, *rels: str, prescan: bool = True) -> List[Tuple[str, int, str]]:
    result = scan([root / r for r in rels], Config(), prescan=prescan)
    return [(f.location.path, f.location.line, f.rule_id) for f in result.findings]


def only(root: Path, rel: str):
    both = [scan([root / rel], Config(), prescan=p).findings for p in (True, False)]
    assert [f.sort_key() for f in both[0]] == [f.sort_key() for f in both[1]]  # --no-prescan agrees
    return both[0]


def test_caller_one_module_up(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "pkg/net.py": "import requests\nfrom .runner import run\n\n\ndef go(u):\n    run(requests.get(u).text)\n",
    })
    got = only(root, "pkg/runner.py")
    assert [(f.location.path, f.location.line, f.rule_id) for f in got] == [("pkg/runner.py", 2, "RCE001")]
    f = got[0]
    assert f.steps[0].location.path == "pkg/net.py" and f.via is None
    assert any("passed to `run()` as `code`" in s.message for s in f.steps)
    assert "(pkg/net.py:6)" in f.message


def test_caller_two_modules_up(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "pkg/mid.py": "from pkg.runner import run\n\n\ndef handle(payload):\n    run(payload.strip())\n",
        "pkg/net.py": "import requests\nfrom pkg import mid\n\n\ndef go(u):\n    mid.handle(requests.get(u).text)\n",
    })
    got = only(root, "pkg/runner.py")
    assert [(f.location.path, f.location.line) for f in got] == [("pkg/runner.py", 2)]
    paths = [s.location.path for s in got[0].steps]
    assert paths[0] == "pkg/net.py" and "pkg/mid.py" in paths
    # the middle module given with the sink: the same finding
    assert findings(root, "pkg/runner.py", "pkg/mid.py") == [("pkg/runner.py", 2, "RCE001")]
    # the middle module alone has no sink: nothing (its callee's sink is in a file that was not given
    # and no network data reaches mid.py itself)
    assert findings(root, "pkg/mid.py") == []


def test_caller_three_modules_up(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/c.py": "import subprocess\n\n\ndef sh(cmd):\n    subprocess.run(cmd, shell=True)\n",
        "pkg/b.py": "from .c import sh\n\n\ndef step(x):\n    sh('echo ' + x)\n",
        "pkg/a.py": "from . import b\n\n\ndef relay(y):\n    b.step(y)\n",
        "pkg/top.py": "import requests\nfrom pkg.a import relay\n\n\ndef main(u):\n    relay(requests.get(u).text)\n",
    })
    got = only(root, "pkg/c.py")
    assert [(f.location.path, f.location.line, f.rule_id) for f in got] == [("pkg/c.py", 5, "RCE006")]
    paths = [s.location.path for s in got[0].steps]
    assert paths[0] == "pkg/top.py" and {"pkg/a.py", "pkg/b.py"} <= set(paths)


def test_caller_through_module_alias(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "app.py": "import pkg.runner as r\nimport urllib.request\n\n\n"
                  "def go(u):\n    r.run(urllib.request.urlopen(u).read())\n",
    })
    got = only(root, "pkg/runner.py")
    assert [(f.location.path, f.rule_id) for f in got] == [("pkg/runner.py", "RCE001")]
    assert got[0].steps[0].location.path == "app.py"


def test_caller_of_a_method(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": "import pickle\n\n\nclass Loader:\n    def load(self, blob):\n        return pickle.loads(blob)\n",
        "pkg/net.py": "import requests\nfrom .runner import Loader\n\n\n"
                      "def fetch(u):\n    return Loader().load(requests.get(u).content)\n",
    })
    got = only(root, "pkg/runner.py")
    assert [(f.location.path, f.location.line, f.rule_id) for f in got] == [("pkg/runner.py", 6, "RCE002")]
    assert got[0].steps[0].location.path == "pkg/net.py"


def test_caller_at_module_level(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "boot.py": "import requests\nfrom pkg.runner import run\n\nrun(requests.get('https://x.example/p').text)\n",
    })
    got = only(root, "pkg/runner.py")
    assert [(f.location.path, f.rule_id) for f in got] == [("pkg/runner.py", "RCE001")]
    assert got[0].steps[0].location.path == "boot.py"


def test_caller_passing_a_constant_is_not_a_finding(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "pkg/net.py": "import requests\nfrom .runner import run\n\n\n"
                      "def go(u):\n    requests.get(u)\n    run('x = 1')\n",
    })
    assert only(root, "pkg/runner.py") == []


def test_same_named_function_of_another_module_is_not_a_caller(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "pkg/other.py": "def run(code):\n    print(code)\n",
        "pkg/net.py": "import requests\nfrom .other import run\n\n\ndef go(u):\n    run(requests.get(u).text)\n",
        "pkg/meth.py": "import requests\n\n\nclass Job:\n    def run(self, code):\n        return code\n\n\n"
                       "def go(u):\n    Job().run(requests.get(u).text)\n",
    })
    assert only(root, "pkg/runner.py") == []


def test_caller_outside_the_project_root_is_not_followed(tmp_path: Path) -> None:
    root = project(tmp_path, {"pkg/runner.py": RUNNER})
    write(tmp_path, {"outside.py": "import sys\nimport requests\nsys.path.insert(0, 'proj')\n"
                                   "from pkg.runner import run\n\n\ndef go(u):\n    run(requests.get(u).text)\n"})
    assert only(root, "pkg/runner.py") == []


def test_callers_in_excluded_files_are_not_followed(tmp_path: Path) -> None:
    root = project(tmp_path, {
        "pkg/runner.py": RUNNER,
        "scripts/net.py": "import requests\nfrom pkg.runner import run\n\n\ndef go(u):\n    run(requests.get(u).text)\n",
    })
    assert findings(root, "pkg/runner.py") == [("pkg/runner.py", 2, "RCE001")]
    got = scan([root / "pkg/runner.py"], Config(exclude=("scripts/**",), base=root)).findings
    assert got == []


def _json(monkeypatch, capsys, root: Path, *args: str) -> dict:
    monkeypatch.chdir(root)
    code = main(["--format", "json", "--no-cache", *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err, out.err
    assert code == 1, out
    return json.loads(out.out)


@pytest.mark.parametrize("layout", ["two", "three"])
def test_full_tree_and_sink_file_give_one_identity(tmp_path: Path, monkeypatch, capsys, layout: str) -> None:
    files = {"pkg/runner.py": RUNNER}
    if layout == "two":
        files["pkg/net.py"] = "import requests\nfrom .runner import run\n\n\ndef go(u):\n    run(requests.get(u).text)\n"
    else:
        files["pkg/mid.py"] = "from .runner import run\n\n\ndef handle(p):\n    run(p)\n"
        files["pkg/net.py"] = "import requests\nfrom .mid import handle\n\n\ndef go(u):\n    handle(requests.get(u).text)\n"
    root = project(tmp_path, files)
    full = _json(monkeypatch, capsys, root, ".")
    part = _json(monkeypatch, capsys, root, "pkg/runner.py")
    assert len(full["findings"]) == len(part["findings"]) == 1
    a, b = full["findings"][0], part["findings"][0]
    assert a["fingerprint"] == b["fingerprint"]
    assert (a["location"], a["message"], a["steps"]) == (b["location"], b["message"], b["steps"])
