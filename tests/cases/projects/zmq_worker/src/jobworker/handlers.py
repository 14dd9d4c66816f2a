"""What the worker does with a message."""
from __future__ import annotations

import json
import logging
from typing import Any, Dict

log = logging.getLogger(__name__)

STATE: Dict[str, Any] = {"paused": False}


def run_script(source: str) -> Dict[str, Any]:
    """Maintenance scripts pushed by the operators' console."""
    namespace: Dict[str, Any] = {"state": STATE, "log": log}
    exec(source, namespace)  # expect: RCE001
    return namespace.get("result", {})


def apply_control(msg: dict) -> None:
    """Only looks at the message: pause/resume flags and a log line."""
    op = msg.get("op")
    if op == "pause":
        STATE["paused"] = True
    elif op == "resume":
        STATE["paused"] = False
    log.info("control: %s", json.dumps(msg, sort_keys=True))


def run_job(job) -> str:
    return str(job.run())
