"""The built-in handlers."""
from __future__ import annotations

import json
import logging

from .registry import on, on_startup

log = logging.getLogger(__name__)


@on("script")
def run_script(payload):
    exec(payload, {"__name__": "tasklane.script"})  # expect: RCE001


@on("log")
def log_payload(payload):
    log.info("message: %s", json.dumps(payload)[:200])


@on_startup
def warm_up(snippet):
    exec(snippet, {})
