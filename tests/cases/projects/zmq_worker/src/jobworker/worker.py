"""The worker loop."""
from __future__ import annotations

import logging
import sys

from .channel import Channel
from .handlers import STATE, apply_control, run_job, run_script

log = logging.getLogger("jobworker")


def serve(channel: Channel) -> None:
    while True:
        ready = channel.ready()
        if channel.control in ready:
            msg = channel.next_control()
            if msg.get("op") == "script":
                run_script(channel.next_script())
            else:
                apply_control(msg)
        if channel.jobs in ready and not STATE["paused"]:
            job = channel.next_job()
            try:
                channel.send_result(str(job.id), True, run_job(job))
            except Exception as exc:  # a failed job is reported, the worker keeps going
                channel.send_result(str(getattr(job, "id", "?")), False, repr(exc))


def main() -> int:
    logging.basicConfig(level=logging.INFO)
    serve(Channel())
    return 0


if __name__ == "__main__":
    sys.exit(main())
