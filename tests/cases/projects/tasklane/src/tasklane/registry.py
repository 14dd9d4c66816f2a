"""Message handlers, registered by decorator and dispatched by message kind."""
from __future__ import annotations

import logging
from typing import Any, Callable, Dict, List

log = logging.getLogger(__name__)

Handler = Callable[[Any], Any]
_HANDLERS: Dict[str, Handler] = {}
_STARTUP: List[Handler] = []


def on(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if kind in _HANDLERS:
            raise ValueError(f"duplicate handler for {kind!r}")
        _HANDLERS[kind] = fn
        return fn
    return register


def on_startup(fn: Handler) -> Handler:
    _STARTUP.append(fn)
    return fn


def dispatch(message: Dict[str, Any]) -> Any:
    handler = _HANDLERS.get(message.get("kind", ""))
    if handler is None:
        log.warning("no handler for %r", message.get("kind"))
        return None
    return handler(message.get("payload"))


def run_startup() -> None:
    for hook in _STARTUP:
        hook("import sys; print(sys.version)")
