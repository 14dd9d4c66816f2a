"""Knowledge as models: user rows in [tool.rceguard.models], `sources` turning kinds off,
`rceguard models`, and the source kind in every report."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rceguard.cli import main
from rceguard.config import Config, ConfigError, load_config
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


# ------------------------------------------------------------------ configured entry points
HANDLERS = '''import pickle


def on_event(payload, ctx):
    exec(payload["code"])


def helper(payload, ctx):
    exec(payload["code"])


class Bus:
    def on_message(self, body):
        pickle.loads(body)

    def replay(self, body):
        pickle.loads(body)
'''


def _handler_findings(tmp_path: Path, models: str) -> set:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard.models]\n" + models)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "__init__.py").write_text("")
    (tmp_path / "svc" / "handlers.py").write_text(HANDLERS)
    app = tmp_path / "svc" / "handlers.py"
    return {(f.location.line, f.rule_id, f.source_kind) for f in _findings(tmp_path, app)}


def test_an_entry_row_naming_a_function_makes_it_an_entry_point(tmp_path: Path) -> None:
    got = _handler_findings(tmp_path, '''"svc.handlers.on_event" = "entry serverless-event"
"svc.handlers.Bus.on_message" = "entry message-queue"
''')
    assert got == {(5, "RCE001", "serverless-event"), (14, "RCE002", "message-queue")}


def test_without_the_entry_row_the_handler_is_ordinary_code(tmp_path: Path) -> None:
    assert _handler_findings(tmp_path, "") == set()


# ------------------------------------------------------------------ integrity and file rows
SUMS_APP = '''import requests

from mycorp.sums import blob_hash, same, signed_hash

PINNED = "ab" * 32
KEY = b"local"


def pinned(url):
    data = requests.get(url).content
    if blob_hash(data) == PINNED:
        exec(data)


def keyed(url):
    resp = requests.get(url)
    if same(signed_hash(KEY, resp.content), resp.headers["X-Signature"]):
        exec(resp.content)
'''


def _levels(tmp_path: Path, models: str, app: str) -> set:
    (tmp_path / "pyproject.toml").write_text("[tool.rceguard.models]\n" + models)
    (tmp_path / "app.py").write_text(app)
    return {(f.location.line, f.rule_id, f.level) for f in _findings(tmp_path, tmp_path / "app.py")}


def test_user_digest_keyed_digest_and_compares_rows_are_integrity_checks(tmp_path: Path) -> None:
    rows = '''"mycorp.sums.blob_hash" = "digest arg0"
"mycorp.sums.signed_hash" = "keyed-digest arg1"
"mycorp.sums.same" = "compares arg0 arg1"
'''
    assert _levels(tmp_path, rows, SUMS_APP) == {(12, "RCE001", "note"), (18, "RCE001", "note")}
    # each row matters: an unkeyed digest compared with the server's value is no check
    unkeyed = rows.replace("keyed-digest", "digest")
    assert _levels(tmp_path, unkeyed, SUMS_APP) == {(12, "RCE001", "note"), (18, "RCE001", "error")}
    assert _levels(tmp_path, "", SUMS_APP) == {(12, "RCE001", "error"), (18, "RCE001", "error")}


FILES_APP = '''import pickle
import urllib.request
from pathlib import Path

import requests

from mycorp import fs


def through_a_handle(url, name):
    with fs.open_blob(name) as f:
        f.write(requests.get(url).content)
    with open(name, "rb") as g:
        return pickle.load(g)


def two_scratch_dirs(url):
    a = fs.scratch()
    b = fs.scratch()
    (Path(a) / "x.pkl").write_bytes(requests.get(url).content)
    with open(Path(b) / "x.pkl", "rb") as f:
        return pickle.load(f)


def a_path_builder(url, root):
    urllib.request.urlretrieve(url, Path(root) / "m.pkl")
    with open(fs.cache_path(root, "m.pkl"), "rb") as f:
        return pickle.load(f)


def a_derived_name(url, p):
    p.alt("x").write_bytes(requests.get(url).content)
    with open(p.alt("x"), "rb") as f:
        return pickle.load(f)


def a_spool_file(url):
    t = fs.spool()
    t.write(requests.get(url).content)
    with open(t.name, "rb") as f:
        return pickle.load(f)
'''
FILE_MODELS = {
    "handle": ('"mycorp.fs.open_blob" = "handle arg0"', {14}, set()),
    "temp-path": ('"mycorp.fs.scratch" = "temp-path"', set(), {22}),
    "path": ('"mycorp.fs.cache_path" = "path"', {28}, set()),
    "sibling": ('"*.alt" = "sibling receiver fallback"', {34}, set()),
    "temp-file": ('"mycorp.fs.spool" = "temp-file"', {41}, set()),
}


@pytest.mark.parametrize("effect", sorted(FILE_MODELS))
def test_user_file_identity_rows(tmp_path: Path, effect: str) -> None:
    row, adds, removes = FILE_MODELS[effect]
    without = {line for line, _, _ in _levels(tmp_path, "", FILES_APP)}
    assert without == {22}  # two calls of an unknown function name the same file
    got = {line for line, _, _ in _levels(tmp_path, row + "\n", FILES_APP)}
    assert got == (without | adds) - removes


def test_user_install_hook_row_says_install_time(tmp_path: Path) -> None:
    app = '''import requests
from mycorp.build import Step


class Fetch(Step):
    def run(self):
        exec(requests.get("https://example.invalid/x.py").text)
'''
    (tmp_path / "app.py").write_text(app)
    for models, said in (('"mycorp.build.Step" = "install-hook"\n', True), ("", False)):
        (tmp_path / "pyproject.toml").write_text("[tool.rceguard.models]\n" + models)
        (f,) = _findings(tmp_path, tmp_path / "app.py")
        assert ("install time" in f.message) is said


def test_annotations_of_a_row_type_are_tracked(tmp_path: Path) -> None:
    """An annotation naming a type a ``type`` row gives is an object of that type, even when the
    name is not a class rceguard can see."""
    app = '''import acme


def run(client: acme.Client, task):
    exec(client.complete(task))
'''
    (tmp_path / "app.py").write_text(app)
    (tmp_path / "acme").mkdir()  # a vendored SDK whose client class is made at run time
    (tmp_path / "acme" / "__init__.py").write_text("from ._impl import build\n\nClient = build()\n")
    (tmp_path / "pyproject.toml").write_text('''[tool.rceguard.models]
"acme.connect" = "type acme.Client"
"acme.Client.complete" = "source llm-completion"
''')
    assert [(f.location.line, f.source_kind) for f in _findings(tmp_path, tmp_path / "app.py")] == [(5, "llm-completion")]


def test_models_command_lists_the_integrity_rows(capsys) -> None:
    assert main(["models", "--kind", "keyed-digest"]) == 0
    out = capsys.readouterr().out
    assert "hmac.new" in out and "returns a keyed digest (an HMAC) of arg1" in out


def test_a_type_that_only_runs_code_gives_sink_tokens_not_origin_tokens() -> None:
    # interpreters.Interpreter is made by test.support.interpreters.create(): `test` and
    # `concurrent` once counted as origins, so every file mentioning a test read outside data
    sinks, origins = M.prescan_tokens()
    for word in (b"test", b"concurrent", b"interpreters", b"js2py", b"EvalJs"):
        assert word not in origins
    assert b"EvalJs" in sinks and b"interpreters" in sinks
    # a type that reads outside data still gives its constructors' tokens to the origins
    assert b"OpenAI" in origins


def test_a_file_mentioning_tests_and_futures_is_ruled_out_by_the_prescan(tmp_path: Path) -> None:
    (tmp_path / "tools.py").write_text(
        "import concurrent.futures\n\n\ndef run_test(source):\n    exec(source)  # a test helper\n",
        encoding="utf-8")
    (tmp_path / "sub.py").write_text(
        "from concurrent import interpreters\n\nimport requests\n\n\ndef go(u):\n"
        "    interpreters.create().exec(requests.get(u).text)\n", encoding="utf-8")
    result = scan([tmp_path], Config())
    assert result.prescan_skipped == 1  # tools.py: a sink, nothing that reads outside data
    assert [(Path(f.location.path).name, f.rule_id) for f in result.findings] == [("sub.py", "RCE001")]


def test_an_sdk_name_counts_as_an_origin_only_where_the_module_is_imported(tmp_path: Path) -> None:
    # `together` (an LLM SDK), `cohere`: as prose or another name's part they read nothing
    (tmp_path / "algebra.py").write_text(
        '"""Terms are gathered together; a coherent result."""\n\n\ndef together(expr):\n'
        '    return eval(expr)  # a local expression evaluator\n', encoding="utf-8")
    (tmp_path / "agent.py").write_text(
        "import together\n\n\ndef act(task):\n    client = together.Together()\n"
        "    out = client.chat.completions.create(model='m', messages=[task])\n"
        "    exec(out.choices[0].message.content)\n", encoding="utf-8")
    (tmp_path / "late.py").write_text(
        "import importlib\n\n\ndef act(task):\n    sdk = importlib.import_module('cohere')\n"
        "    exec(sdk.Client().chat(message=task).text)\n", encoding="utf-8")
    result = scan([tmp_path], Config())
    assert result.prescan_skipped == 1  # algebra.py
    assert [(Path(f.location.path).name, f.rule_id) for f in result.findings] == [("agent.py", "RCE001"),
                                                                                ("late.py", "RCE001")]


def test_imported_words_are_the_module_paths_of_imports() -> None:
    from rceguard.analysis.prescan import imported_words

    data = (b"import a.b as c, d\nfrom x.y import (z)\nif T:\n    from . import q\n"
            b"m = importlib.import_module('openai.x')\n# import nothing\n")
    assert imported_words(data) == {b"a", b"b", b"d", b"x", b"y", b"openai"}
