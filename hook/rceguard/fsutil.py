"""Small file-system helpers shared by the CLI and the baseline."""
from __future__ import annotations

import os


def write_atomic(path: str, text: str, prefix: str = ".rceguard-") -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so a
    reader never sees half a file and a failure leaves the old file in place."""
    import tempfile

    target = os.path.abspath(path)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
