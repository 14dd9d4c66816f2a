"""``-o FILE`` and ``--write-baseline FILE`` write the way a shell's ``>`` does and never destroy
anything: symlinks are written through, FIFOs and devices in place, modes are kept or follow the
umask, and a path that cannot be written is refused before the scan, naming the user's path."""
from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

from rceguard.cli import main

FINDING = 'danger("RCE001")\n'

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX FIFOs, symlinks and umask")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text(FINDING)
    return src


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".rceguard-")]


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_new_file_gets_the_umask_mode(tmp_path: Path, project: Path, fake_engine, capsys, umask, option) -> None:
    out = tmp_path / "new.json"
    main([option, str(out), "--format", "json", str(project)])
    assert stat.S_IMODE(out.stat().st_mode) == 0o640  # 0o666 & ~0o027, not 0o600
    _no_temp_files(tmp_path)


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, project: Path, fake_engine, capsys, option) -> None:
    out = tmp_path / "old.json"
    out.write_text("old\n")
    os.chmod(out, 0o664)
    main([option, str(out), "--format", "json", str(project)])
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert out.read_text() != "old\n"
    json.loads(out.read_text())
    _no_temp_files(tmp_path)


@posix_only
@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_symlink_is_written_through(tmp_path: Path, project: Path, fake_engine, capsys, option) -> None:
    real_dir = tmp_path / "reports"
    real_dir.mkdir()
    target = real_dir / "r.json"
    target.write_text("old\n")
    os.chmod(target, 0o644)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    main([option, str(link), "--format", "json", str(project)])
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "RCE001" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    _no_temp_files(tmp_path)
    _no_temp_files(real_dir)


@posix_only
def test_a_dangling_symlink_creates_its_target(tmp_path: Path, project: Path, fake_engine, capsys) -> None:
    link = tmp_path / "link.sarif"
    link.symlink_to(tmp_path / "made.sarif")
    assert main(["-o", str(link), "--format", "sarif", str(project)]) == 1
    assert link.is_symlink()
    assert json.loads((tmp_path / "made.sarif").read_text())["version"] == "2.1.0"


def _read_fifo(path: Path, into: List[bytes]) -> threading.Thread:
    def run() -> None:
        with open(path, "rb") as fh:
            into.append(fh.read())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@posix_only
@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_fifo_is_written_in_place(tmp_path: Path, project: Path, fake_engine, capsys, option) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: List[bytes] = []
    reader = _read_fifo(fifo, got)
    main([option, str(fifo), "--format", "json", str(project)])
    reader.join(timeout=60)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not replaced by a regular file
    assert got and json.loads(got[0].decode("utf-8"))
    assert b"RCE001" in got[0]
    _no_temp_files(tmp_path)


@posix_only
@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_dev_null_stays_a_device(project: Path, fake_engine, capsys, monkeypatch, option) -> None:
    before = os.stat(os.devnull)
    assert stat.S_ISCHR(before.st_mode)
    real_replace, real_rename = os.replace, os.rename

    def guarded(real):
        def move(src, dst, *args, **kwargs):  # this test must never be what replaces /dev/null
            if os.path.realpath(os.fspath(dst)) == os.path.realpath(os.devnull):
                raise AssertionError(f"tried to rename {src} over {os.devnull}")
            return real(src, dst, *args, **kwargs)

        return move

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))
    assert main([option, os.devnull, "--format", "json", str(project)]) in (0, 1)
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    err = capsys.readouterr().err  # with -o the one-line summary goes to stderr (issue 9)
    assert err == "" if option == "--write-baseline" else err.startswith("Scanned ") and err.count("\n") == 1


def test_dash_is_standard_output(tmp_path: Path, project: Path, fake_engine, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["-o", "-", "--format", "json", str(project)]) == 1
    assert json.loads(capsys.readouterr().out)["findings"][0]["rule"] == "RCE001"
    assert not (tmp_path / "-").exists()


def _refused(capsys, fake_engine, args: List[str], path: str) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert path in err and ".tmp" not in err and ".rceguard-" not in err
    assert fake_engine == [], "the scan ran before the output path was checked"
    return err


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_missing_folder_is_refused_before_the_scan(tmp_path: Path, project: Path, fake_engine, capsys, option) -> None:
    path = str(tmp_path / "no" / "such" / "r.json")
    err = _refused(capsys, fake_engine, [option, path, str(project)], path)
    assert "does not exist" in err


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_a_directory_is_refused_before_the_scan(tmp_path: Path, project: Path, fake_engine, capsys, option) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    err = _refused(capsys, fake_engine, [option, str(folder), str(project)], str(folder))
    assert "directory" in err
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_an_unwritable_folder_is_refused_before_the_scan(tmp_path: Path, project: Path, fake_engine, capsys, option) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        path = str(folder / "r.json")
        err = _refused(capsys, fake_engine, [option, path, str(project)], path)
        assert "permission denied" in err
    finally:
        os.chmod(folder, 0o755)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_write_error_names_the_users_path_not_a_temp_file(tmp_path: Path, project: Path, fake_engine, capsys, monkeypatch) -> None:
    """A failure after the check (disk full, folder gone...) still names the path the user gave."""
    import rceguard.fsutil as fsutil

    def fail(fd_path, *args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / ".rceguard-123.tmp"))

    monkeypatch.setattr(fsutil, "_replace_atomically", fail)
    out = tmp_path / "r.json"
    # (--no-cache: the result cache writes through the same helper and would say so too)
    assert main(["--no-cache", "-o", str(out), "--format", "json", str(project)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out) in err and "No space left" in err and ".tmp" not in err
