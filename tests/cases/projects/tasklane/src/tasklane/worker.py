"""The worker: pulls messages from a ZeroMQ socket and hands them to the handlers."""
from __future__ import annotations

import sys

import zmq

from . import handlers  # noqa: F401  (registers the handlers)
from .registry import dispatch, run_startup


def serve(endpoint: str = "tcp://127.0.0.1:5555") -> None:
    sock = zmq.Context.instance().socket(zmq.PULL)
    sock.connect(endpoint)
    run_startup()
    while True:
        message = sock.recv_json()
        dispatch(message)


def main() -> int:
    serve(sys.argv[1] if len(sys.argv) > 1 else "tcp://127.0.0.1:5555")
    return 0
