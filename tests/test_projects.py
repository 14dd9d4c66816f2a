"""The realistic projects of tests/cases/projects, one per source kind, scanned the way pre-commit
or --diff scans them: only the entry module is given, the sink lives in another module. Each
finding is placed at the call in the given file ("..., via run_snippet() (...)"), names its
source kind, and keeps the full scan's fingerprint (test_cases.py checks the full scans)."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from rceguard.config import Config
from rceguard.scan import scan

PROJECTS = Path(__file__).parent / "cases" / "projects"

# project -> given files -> [(path, line, rule, source kind, "via ..." text)]
PARTIAL: Dict[str, Tuple[Tuple[str, ...], List[Tuple[str, int, str, str, str]]]] = {
    "code_agent": (("src/code_agent/agent.py", "src/code_agent/tools.py"), [
        ("src/code_agent/agent.py", 29, "RCE001", "llm-completion", "via run_snippet() (src/code_agent/runner.py:15)"),
        ("src/code_agent/agent.py", 33, "RCE006", "llm-completion", "via run_shell() (src/code_agent/runner.py:20)"),
        ("src/code_agent/tools.py", 44, "RCE006", "llm-tool-call", "via run_shell() (src/code_agent/runner.py:20)"),
    ]),
    "model_loader": (("src/modelkit/registry.py",), [
        ("src/modelkit/registry.py", 24, "RCE002", "model-hub", "via read_torch() (src/modelkit/loaders.py:13)"),
        ("src/modelkit/registry.py", 27, "RCE002", "model-hub", "via read_sklearn() (src/modelkit/loaders.py:27)"),
        ("src/modelkit/registry.py", 36, "RCE003", "model-hub", ""),
        ("src/modelkit/registry.py", 48, "RCE003", "model-hub", ""),
    ]),
    "tasklane": (("src/tasklane/worker.py",), [
        ("src/tasklane/worker.py", 18, "RCE001", "zeromq", "via dispatch() (src/tasklane/handlers.py:14)"),
    ]),
    "zmq_worker": (("src/jobworker/worker.py",), [
        ("src/jobworker/worker.py", 19, "RCE001", "zeromq", "via run_script() (src/jobworker/handlers.py:16)"),
    ]),
    "fastapi_app": (("app/routers/calc.py", "app/routers/jobs.py", "app/routers/reports.py"), [
        ("app/routers/calc.py", 12, "RCE001", "http-request", "via evaluate() (app/services.py:14)"),
        ("app/routers/jobs.py", 11, "RCE006", "http-request", "via start_job() (app/services.py:31)"),
    ]),
    "lambda_fn": (("src/thumbnailer/app.py",), [
        ("src/thumbnailer/app.py", 26, "RCE001", "serverless-event", "via scale_factor() (src/thumbnailer/imaging.py:21)"),
        ("src/thumbnailer/app.py", 28, "RCE006", "serverless-event", "via resize() (src/thumbnailer/imaging.py:11)"),
    ]),
}


@pytest.mark.parametrize("name", sorted(PARTIAL))
def test_entry_module_alone_reports_at_the_call(name: str) -> None:
    root = PROJECTS / name
    given, want = PARTIAL[name]
    result = scan([root / g for g in given], Config())
    base = Path(result.root).resolve()
    rel = root.resolve().relative_to(base).as_posix()
    prefix = "" if rel == "." else rel + "/"
    got = sorted((f.location.path, f.location.line, f.rule_id, f.source_kind) for f in result.findings)
    assert got == sorted((f"{prefix}{p}", line, rule, kind) for p, line, rule, kind, _ in want)
    for f in result.findings:
        via = next(v for p, line, _, _, v in want if f"{prefix}{p}" == f.location.path and line == f.location.line)
        if via:
            assert via.replace(" (", f" ({prefix}") in f.message, f.message


@pytest.mark.parametrize("name", sorted(PARTIAL))
def test_partial_and_full_scans_agree_on_identity(name: str) -> None:
    """A flow reported at the call in a partial scan names a sink the full scan reports, and has
    that finding's fingerprint when it starts from the same source. (A full scan reports a sink
    once, with one representative flow: code_agent's run_shell() is reached by an LLM completion
    and by a tool's arguments, and the partial scan shows both calls.)"""
    root = PROJECTS / name
    given, _ = PARTIAL[name]
    full = {(f.rule_id, f.sink.location.path, f.sink.location.line): f for f in scan([root], Config()).findings}
    for f in scan([root / g for g in given], Config()).findings:
        same = full.get((f.rule_id, f.sink.location.path, f.sink.location.line))
        assert same is not None, f.location.short()
        if same.source_api == f.source_api:
            assert same.fingerprint == f.fingerprint, f.location.short()
