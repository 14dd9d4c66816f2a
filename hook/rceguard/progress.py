"""A progress line on stderr for long runs on an interactive terminal.

Shown only when stderr is a terminal, the run has taken more than :data:`DELAY` seconds, and
neither ``--quiet`` nor ``PRE_COMMIT`` nor ``CI`` is set. It is one line, redrawn in place with a
carriage return, and wiped when the run ends, so nothing of it is left in the terminal.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from typing import Optional, TextIO, Tuple

DELAY = 1.0  # seconds before the line first appears
REDRAW = 0.1  # at most this often
TICK = 0.5  # while the flow analysis runs (no per-file events), the elapsed time is redrawn this often


def wanted(stream: TextIO, quiet: bool) -> bool:
    """Progress only for a person watching a terminal."""
    if quiet or "PRE_COMMIT" in os.environ or os.environ.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


class Progress:
    """Callable as ``progress(phase, done, total)`` (see :func:`rceguard.scan.scan`); :meth:`close`
    wipes the line."""

    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.delay = delay
        self.state: Tuple[str, int, int] = ("read", 0, 0)
        self.width = 0  # characters of the line on screen (0: nothing shown)
        self.last = 0.0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker: Optional[threading.Thread] = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.state = (phase, done, total)
        now = time.monotonic()
        if now - self.start >= self.delay and (now - self.last >= REDRAW or phase == "analyse"):
            self.draw(now)
        if phase == "analyse" and self.ticker is None:
            # the engine gives no per-file events: keep the elapsed time moving from a thread
            # (started only now, after any worker pool of the first pass is gone)
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()

    def _tick(self) -> None:
        while not self.stop.wait(TICK):
            if time.monotonic() - self.start >= self.delay:
                self.draw(time.monotonic())

    def text(self, now: float) -> str:
        phase, done, total = self.state
        elapsed = int(now - self.start)
        if phase == "read":
            return f"rceguard: reading files {done:,}/{total:,} ({elapsed} s)"
        if phase == "parse":
            return f"rceguard: read {total:,}/{total:,} files, parsing {done:,}/{total:,} ({elapsed} s)"
        return f"rceguard: read {total:,}/{total:,} files, analysing {done:,} of them ({elapsed} s)"

    def draw(self, now: float) -> None:
        with self.lock:
            if self.stop.is_set():
                return
            columns = shutil.get_terminal_size((80, 24)).columns
            line = self.text(now)[: max(10, columns - 1)]
            pad = " " * max(0, self.width - len(line))
            try:
                self.stream.write("\r" + line + pad)
                self.stream.flush()
            except (OSError, ValueError):
                return
            self.width = len(line)
            self.last = now

    def close(self) -> None:
        """Stop redrawing and wipe the line (if one was shown)."""
        with self.lock:
            self.stop.set()
            if self.width:
                try:
                    self.stream.write("\r" + " " * self.width + "\r")
                    self.stream.flush()
                except (OSError, ValueError):
                    pass
                self.width = 0
        if self.ticker is not None:
            self.ticker.join(1.0)
