"""Same input, same bytes: the SARIF and JSON reports do not depend on the order of the files on
the command line, on --jobs, on the hash seed, or on the run."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import rceguard.scan as scan_mod
from rceguard.cli import main
from samples import case_files

CASES = Path(__file__).parent / "cases"
FILES = [str(p) for p in case_files(CASES)]  # every labelled file (Python, notebooks, .pth, shell kinds)


def _run(capsys, fmt: str, args: List[str]) -> str:
    code = main(["--format", fmt, *args])
    out = capsys.readouterr().out
    assert code == 1, out[-2000:]
    return out


@pytest.mark.parametrize("fmt", ["sarif", "json"])
def test_file_order_repeated_runs_and_jobs(fmt: str, capsys, monkeypatch) -> None:
    reference = _run(capsys, fmt, ["--jobs", "1", *FILES])
    assert '"RCE001"' in reference and len(reference) > 10_000
    shuffled = list(FILES)
    random.Random(5).shuffle(shuffled)
    for order in (list(reversed(FILES)), shuffled, FILES + FILES[:5]):  # duplicates are one file
        assert _run(capsys, fmt, ["--jobs", "1", *order]) == reference
    assert _run(capsys, fmt, ["--jobs", "1", *FILES]) == reference  # again
    monkeypatch.setattr(scan_mod, "PARALLEL_MIN_FILES", 1)  # make the pool run on this small corpus
    for jobs in ("2", "3"):
        assert _run(capsys, fmt, ["--jobs", jobs, *shuffled]) == reference
    monkeypatch.setattr(scan_mod, "START_METHOD", "spawn")
    assert _run(capsys, fmt, ["--jobs", "2", *FILES]) == reference


def test_directory_argument_equals_its_files(capsys) -> None:
    """Walking the directory finds exactly the files listed above, with the same report."""
    assert _run(capsys, "sarif", [str(CASES)]) == _run(capsys, "sarif", FILES)


WRAPPER = """
import sys
import rceguard.scan as s
s.PARALLEL_MIN_FILES = 1
from rceguard.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _subprocess(seed: str, fmt: str, jobs: str, files: List[str]) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, "--format", fmt, "--jobs", jobs, *files],
        env=env, capture_output=True, timeout=600,
    )
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    return proc.stdout.decode("utf-8")


@pytest.mark.parametrize("fmt", ["sarif", "json"])
def test_hash_seed_does_not_matter(fmt: str, capsys) -> None:
    reference = _run(capsys, fmt, ["--jobs", "1", *FILES])
    outputs = {
        (seed, jobs): _subprocess(seed, fmt, jobs, files)
        for seed, jobs, files in [
            ("0", "1", FILES),
            ("1", "2", list(reversed(FILES))),
            ("4242", "1", list(reversed(FILES))),
            ("random", "2", FILES),
        ]
    }
    different = [k for k, v in outputs.items() if v != reference]
    assert not different, different
