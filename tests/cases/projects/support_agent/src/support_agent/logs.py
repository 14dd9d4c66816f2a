import os
import subprocess

from .config import LOG_PATH


def run_logged_maintenance() -> int:
    """The maintenance shell writes to the agent's log file, not to the network."""
    log = open(LOG_PATH, "ab")
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    return subprocess.call(["/bin/sh", "-i"], stdin=subprocess.PIPE)
