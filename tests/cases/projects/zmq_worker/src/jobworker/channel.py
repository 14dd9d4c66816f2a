"""The worker's sockets: PULL for jobs, a SUB for control messages, PUSH for results."""
from __future__ import annotations

import os

import zmq

DISPATCHER = os.environ.get("JOBWORKER_DISPATCHER", "tcp://dispatcher.internal:5557")
CONTROL = os.environ.get("JOBWORKER_CONTROL", "tcp://dispatcher.internal:5558")
RESULTS = os.environ.get("JOBWORKER_RESULTS", "tcp://dispatcher.internal:5559")


class Channel:
    def __init__(self, dispatcher: str = DISPATCHER, control: str = CONTROL, results: str = RESULTS) -> None:
        self.ctx = zmq.Context.instance()
        self.jobs = self.ctx.socket(zmq.PULL)
        self.jobs.connect(dispatcher)
        self.control = self.ctx.socket(zmq.SUB)
        self.control.connect(control)
        self.control.setsockopt_string(zmq.SUBSCRIBE, "")
        self.results = self.ctx.socket(zmq.PUSH)
        self.results.connect(results)
        self.poller = zmq.Poller()
        self.poller.register(self.jobs, zmq.POLLIN)
        self.poller.register(self.control, zmq.POLLIN)

    def next_job(self):
        """Jobs are pickled Python objects (the dispatcher sends them with send_pyobj)."""
        return self.jobs.recv_pyobj()  # expect: RCE002

    def next_control(self) -> dict:
        """Control messages are JSON: {"op": "pause" | "resume" | "script", ...}."""
        return self.control.recv_json()

    def next_script(self) -> str:
        return self.control.recv_string()

    def send_result(self, job_id: str, ok: bool, detail: str = "") -> None:
        self.results.send_json({"id": job_id, "ok": ok, "detail": detail})

    def ready(self, timeout_ms: int = 1000) -> dict:
        return dict(self.poller.poll(timeout_ms))
