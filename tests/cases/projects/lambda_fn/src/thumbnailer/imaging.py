"""ImageMagick and friends, run as processes."""
from __future__ import annotations

import subprocess

from .settings import CONVERT, DEFAULT_SIZE


def resize(src: str, dst: str, size: str = DEFAULT_SIZE) -> None:
    """The size comes from the request; the command line is built as a string for the shell."""
    subprocess.run(f"{CONVERT} {src} -resize {size} {dst}", shell=True, check=True)  # expect: RCE006


def strip_metadata(path: str) -> None:
    """argv list, no shell: a file name is one argument whatever it holds."""
    subprocess.run([CONVERT, path, "-strip", path], check=True)


def scale_factor(expression: str) -> float:
    """Clients may send "0.5" or "1/3"."""
    return float(eval(expression))  # expect: RCE001
