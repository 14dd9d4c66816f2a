"""``python -m rceguard``."""
from __future__ import annotations

import os
import sys

# `python -m` puts the current directory first on sys.path. rceguard is usually run inside the
# repository it scans, so a scanned `json.py`, `ast.py` or `git.py` would otherwise be imported (and
# run) in place of the real module by rceguard's own (lazy) imports. Nothing but this package and
# sys/os has been imported yet; relative imports of rceguard's modules do not use sys.path.
if sys.path and not getattr(sys.flags, "safe_path", False):
    try:
        if os.path.abspath(sys.path[0] or os.curdir) == os.path.abspath(os.curdir):
            del sys.path[0]
    except OSError:  # the current directory was deleted
        pass

from .cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
