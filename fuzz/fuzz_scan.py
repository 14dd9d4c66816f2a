"""atheris fuzz target for the whole scan pipeline (not run in CI).

    pip install atheris
    python fuzz/fuzz_scan.py -max_total_time=600 fuzz/corpus      # corpus dir optional
    python fuzz/fuzz_scan.py -runs=1 crash-<hash>                  # reproduce a crash

Each input becomes one file, scanned next to a fixed file with a known finding. A crash is any
exception out of ``scan()`` or a reporter, invalid JSON, a notice with a line break, or a lost
finding in the other file. Seed the corpus with tests/cases/**/*.py for better coverage:

    mkdir -p fuzz/corpus && cp tests/cases/*/*.py fuzz/corpus/
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from rceguard.config import Config
    from rceguard.report import render
    from rceguard.scan import scan

GOOD = "import requests\n\n\ndef update(url):\n    code = requests.get(url).text\n    exec(code)\n"
WORK = Path(tempfile.mkdtemp(prefix="rceguard-fuzz-"))
(WORK / "pyproject.toml").write_text("")
(WORK / "good.py").write_text(GOOD)
TARGET = WORK / "fuzzed.py"


def TestOneInput(data: bytes) -> None:
    TARGET.write_bytes(data)
    result = scan([WORK], Config())
    good = [(f.rule_id, f.location.line) for f in result.findings if f.location.path == "good.py"]
    if good != [("RCE001", 6)]:
        raise AssertionError(f"lost the other file's finding: {good}")
    for n in result.notices:
        if n.path != "fuzzed.py" or "\n" in n.message or "\r" in n.message:
            raise AssertionError(f"bad notice: {n}")
    json.loads(render("sarif", result))
    json.loads(render("json", result))
    render("text", result)
    render("github", result)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
