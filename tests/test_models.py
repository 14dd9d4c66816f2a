"""Knowledge as models: user rows in [tool.rceguard.models], `sources` turning kinds off,
`rceguard models`, and the source kind in every report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rceguard.cli import main
from rceguard.config import ConfigError, load_config
from rceguard.knowledge import models as M
from rceguard.scan import scan

APP = '''import pickle
import subprocess

from ourlib.hub import fetch_model, ask_model


def load(name):
    path = fetch_model(name)
    with open(path, "rb") as f:
        return pickle.load(f)


def act(task):
    subprocess.run(ask_model(task), shell=True)
'''

LIB = '''def fetch_model(name):
    return _cache_lookup(name)


def ask_model(task):
    return _client(task)
'''


def _project(tmp_path: Path, config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(config)
    (tmp_path / "ourlib").mkdir()
    (tmp_path / "ourlib" / "__init__.py").write_text("")
    (tmp_path / "ourlib" / "hub.py").write_text(LIB)
    (tmp_path / "app.py").write_text(APP)
    return tmp_path / "app.py"


def _findings(tmp_path: Path, app: Path):
    return scan([app], load_config(None, tmp_path)).findings


def test_user_model_download_keeps_the_file_mark_through_open(tmp_path: Path) -> None:
    app = _project(tmp_path, '''[tool.rceguard.models]
"ourlib.hub.fetch_model" = "download model-hub"
"ourlib.hub.ask_model" = { effect = "source", kind = "llm-completion" }
''')
    got = {(f.location.line, f.rule_id, f.source_kind) for f in _findings(tmp_path, app)}
    assert got == {(10, "RCE002", "model-hub"), (14, "RCE006", "llm-completion")}


def test_extend_sources_alone_cannot_model_a_download(tmp_path: Path) -> None:
    # the shorthand says "returns network data": open() of it is not a downloaded file
    app = _project(tmp_path, '''[tool.rceguard]
extend-sources = ["ourlib.hub.fetch_model"]
''')
    assert [f for f in _findings(tmp_path, app) if f.location.line == 10] == []


def test_sources_turns_a_kind_off(tmp_path: Path) -> None:
    cfg = '''[tool.rceguard]
sources = ["-llm-completion"]

[tool.rceguard.models]
"ourlib.hub.fetch_model" = "download model-hub"
"ourlib.hub.ask_model" = "source llm-completion"
'''
    app = _project(tmp_path, cfg)
    assert {(f.location.line, f.rule_id) for f in _findings(tmp_path, app)} == {(10, "RCE002")}
    (tmp_path / "pyproject.toml").write_text(cfg.replace('["-llm-completion"]', '["llm-completion"]'))
    assert {(f.location.line, f.rule_id) for f in _findings(tmp_path, app)} == {(14, "RCE006")}


def test_user_sink_and_runs_remote_rows(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('''[tool.rceguard.models]
"ourlib.jobs.run_job" = "sink cmd arg1"
"ourlib.rpc.Server.serve_pickles" = { effect = "runs-remote", kind = "rpc", rule = "RCE002" }
"ourlib.rpc.Server" = "type ourlib.rpc.Server"
''')
    (tmp_path / "app.py").write_text('''import requests
from ourlib.jobs import run_job
from ourlib.rpc import Server


def go(url):
    cmd = requests.get(url).text
    run_job("name", cmd)
    run_job(cmd, "ls")
    Server().serve_pickles()
''')
    got = {(f.location.line, f.rule_id) for f in _findings(tmp_path, tmp_path / "app.py")}
    assert got == {(8, "RCE006"), (10, "RCE002")}


@pytest.mark.parametrize("rows, words", [
    ('"a.b" = "frobnicate"', "unknown effect 'frobnicate'"),
    ('"a.b" = "source martian"', "unknown source kind 'martian'"),
    ('"a.b" = "sink brain"', "unknown sink kind 'brain'"),
    ('"a b" = "source"', "is not a dotted name"),
    ('"a.b" = { effect = "source", colour = "red" }', "unknown key 'colour'"),
    ('"a.b" = "writes arg0"', "needs 'to'"),
    ('"a.b" = 3', "a model is a string or a table"),
])
def test_bad_models_are_one_line_errors(tmp_path: Path, rows: str, words: str) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard.models]\n" + rows + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(None, tmp_path)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_bad_sources_entries(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nsources = ["llm"]\n')
    with pytest.raises(ConfigError, match="unknown source kind 'llm'"):
        load_config(None, tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nsources = ["-zeromq", "http-request"]\n')
    with pytest.raises(ConfigError, match="not both"):
        load_config(None, tmp_path)


def test_models_file(tmp_path: Path) -> None:
    (tmp_path / "models.toml").write_text('[models]\n"ourlib.hub.fetch_model" = "download"\n')
    app = _project(tmp_path, '[tool.rceguard]\nmodels-file = "models.toml"\n')
    assert {(f.location.line, f.rule_id, f.source_kind) for f in _findings(tmp_path, app)} == {
        (10, "RCE002", "download")}


def test_models_command_lists_rows(capsys) -> None:
    assert main(["models", "--kind", "llm-completion"]) == 0
    out = capsys.readouterr().out
    assert "openai.OpenAI.chat.completions.create" in out and "anthropic.Anthropic.messages.create" in out
    assert "requests.get" not in out
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "requests.get" in out and "zmq.Socket.recv_pyobj" in out and "model-hub" in out
    assert main(["models", "--kind", "nonsense"]) == 2
    assert "unknown kind 'nonsense'" in capsys.readouterr().err


def test_names_are_queryable() -> None:
    sinks, sources = M.sink_names(), M.source_names()
    assert {"builtins.exec", "pickle.loads", "zmq.Socket.recv_pyobj", "torch.hub.load"} <= set(sinks)
    assert {"requests.get", "openai.OpenAI.chat.completions.create", "huggingface_hub.hf_hub_download"} <= set(sources)
    assert set(M.SOURCE_KINDS) >= {r.kind for r in M.builtin_rows() if r.effect in ("source", "download")}


def test_source_kind_in_json_and_sarif(tmp_path: Path, capsys) -> None:
    app = tmp_path / "agent.py"
    app.write_text('''from openai import OpenAI


def run(task):
    r = OpenAI().chat.completions.create(model="m", messages=[task])
    exec(r.choices[0].message.content)
''')
    assert main(["--format", "json", str(app)]) == 1
    doc = json.loads(capsys.readouterr().out)
    f = doc["findings"][0]
    assert f["source_kind"] == "llm-completion"
    assert "an LLM completion" in f["message"] and "LLM completion" in f["steps"][0]["message"]
    assert main(["--format", "sarif", str(app)]) == 1
    res = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    assert res["properties"] == {"sourceKind": "llm-completion", "sourceKindLabel": "LLM completion"}


# --- rows for methods of any receiver that apply only when nothing else knows the call -------------
FALLBACK_APP = '''import pickle
import subprocess

import urllib.request

import requests


def stash(url):
    buf = make_buffer()
    buf.stash(requests.get(url).content)
    pickle.loads(buf)


def slurp(url, path):
    urllib.request.urlretrieve(url, path)
    f = open(path, "rb")
    exec(f.slurp())


def put(url):
    f = open("job.sh", "w")
    f.put_text(requests.get(url).text)
    subprocess.run(["sh", "job.sh"])
'''


def _fallback_findings(tmp_path: Path, models: str) -> set:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard.models]\n" + models)
    (tmp_path / "app.py").write_text(FALLBACK_APP)
    return {(f.location.line, f.rule_id) for f in _findings(tmp_path, tmp_path / "app.py")}


def test_user_fallback_rows_stores_reads_and_writes_to_the_receiver(tmp_path: Path) -> None:
    got = _fallback_findings(tmp_path, '''"*.stash" = "stores fallback"
"*.slurp" = { effect = "reads", args = [-1], fallback = true }
"*.put_text" = "writes arg0 to=receiver fallback"
''')
    assert got == {(12, "RCE002"), (18, "RCE001"), (24, "RCE003")}


def test_without_the_fallback_rows_those_methods_only_propagate(tmp_path: Path) -> None:
    assert _fallback_findings(tmp_path, "") == set()


def test_user_extracts_row(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('''[tool.rceguard.models]
"app.fetch_archive" = "download"
"*.unpack_into" = { effect = "extracts", to = 0, fallback = true }
''')
    (tmp_path / "app.py").write_text('''import os
import subprocess
import tarfile
from app import fetch_archive


def go():
    tarfile.open(fetch_archive()).unpack_into("tools")
    subprocess.run([os.path.join("tools", "setup.sh")])
    tarfile.open("vendored.tar").unpack_into("other")
    subprocess.run([os.path.join("other", "setup.sh")])
''')
    # a downloaded archive unpacked: a program in its folder is downloaded code; a local one is not
    got = {(f.location.line, f.rule_id) for f in _findings(tmp_path, tmp_path / "app.py")}
    assert got == {(9, "RCE003")}


def test_fallback_needs_a_method_row(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard.models]\n"a.b" = "stores fallback"\n')
    with pytest.raises(ConfigError, match="'fallback' is for rows of any receiver"):
        load_config(None, tmp_path)


def test_models_command_lists_the_method_rows(capsys) -> None:
    assert main(["models", "--kind", "reads"]) == 0
    out = capsys.readouterr().out
    assert "*.read_bytes" in out and "when nothing else knows the call" in out
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    for api in ("*.append", "*.close", "*.exec_module", "*.verify", "*.extractall", "os.dup2", "builtins.chr",
                "socket.socket.fileno"):
        assert api in out, api


def test_changing_models_or_sources_is_seen_by_the_result_cache(tmp_path: Path, capsys) -> None:
    """The result cache's run key holds the user's model rows and the source kinds kept: a row
    removed from [tool.rceguard.models] (or a models file edited), or a kind turned off, gives a
    new result, not the cached one."""
    rows = '[tool.rceguard.models]\n"ourlib.hub.fetch_model" = "download model-hub"\n'
    _project(tmp_path, rows + '"ourlib.hub.ask_model" = "source llm-completion"\n')

    def lines() -> set:
        main(["--format", "json", str(tmp_path / "app.py")])
        return {f["location"]["line"] for f in json.loads(capsys.readouterr().out)["findings"]}

    assert lines() == {10, 14}
    assert lines() == {10, 14}  # served from the cache
    (tmp_path / "pyproject.toml").write_text(rows)
    assert lines() == {10}
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nsources = ["-model-hub"]\n\n' + rows)
    assert lines() == set()
    (tmp_path / "models.toml").write_text('[models]\n"ourlib.hub.ask_model" = "source llm-completion"\n')
    (tmp_path / "pyproject.toml").write_text('[tool.rceguard]\nmodels-file = "models.toml"\n')
    assert lines() == {14}
    (tmp_path / "models.toml").write_text('[models]\n"ourlib.hub.fetch_model" = "download"\n')
    assert lines() == {10}


# --- rows that are not about calls: attributes holding outside data, entry points -----------------
ENTRY_APP = '''import pickle

from ourlib import bus, ctx


@bus.subscriber("jobs")
def on_job(body):
    exec(body)


class Worker(bus.Consumer):
    def on_message(self, body):
        pickle.loads(body)

    def helper(self, body):
        pickle.loads(body)


def current():
    exec(ctx.payload)
'''


def _entry_findings(tmp_path: Path, models: str) -> set:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard.models]\n" + models)
    (tmp_path / "app.py").write_text(ENTRY_APP)
    return {(f.location.line, f.rule_id, f.source_kind) for f in _findings(tmp_path, tmp_path / "app.py")}


def test_user_entry_and_holds_rows(tmp_path: Path) -> None:
    got = _entry_findings(tmp_path, '''"ourlib.bus.subscriber" = "entry message-queue"
"ourlib.bus.Consumer.on_message" = "entry message-queue"
"ourlib.ctx.payload" = "holds rpc"
''')
    assert got == {(8, "RCE001", "message-queue"), (13, "RCE002", "message-queue"), (20, "RCE001", "rpc")}


def test_without_entry_and_holds_rows_nothing_is_outside_data(tmp_path: Path) -> None:
    assert _entry_findings(tmp_path, "") == set()
