from __future__ import annotations

import os
from pathlib import Path
from typing import List

import pytest

from rceguard.config import UsageError
from rceguard.discover import Excluder, discover, glob_to_regex


def rels(root: Path, files: List[Path]) -> List[str]:
    return [os.path.relpath(f, root).replace(os.sep, "/") for f in files]


def test_walk_finds_py_and_pyi_sorted_and_skips_junk(make_tree) -> None:
    root = make_tree(
        {
            "b.py": "",
            "a.pyi": "",
            "pkg/__init__.py": "",
            "pkg/z.py": "",
            "pkg/data.txt": "",
            "script": "#!/usr/bin/env python\n",
            ".git/hooks/x.py": "",
            ".hg/x.py": "",
            ".svn/x.py": "",
            "venv/lib/x.py": "",
            ".venv/lib/x.py": "",
            "myenv/pyvenv.cfg": "home = /usr\n",
            "myenv/lib/x.py": "",
            "env/settings.py": "",  # a package named env without pyvenv.cfg is source code
            "conda/conda-meta/history": "",
            "conda/lib/x.py": "",
            "node_modules/m/x.py": "",
            "pkg/__pycache__/x.py": "",
            "build/lib/x.py": "",
            "dist/x.py": "",
            ".tox/py/x.py": "",
            ".nox/py/x.py": "",
            ".mypy_cache/x.py": "",
            ".eggs/x.py": "",
            "rceguard.egg-info/x.py": "",
        }
    )
    found = discover([root])
    assert rels(root, found.files) == ["a.pyi", "b.py", "env/settings.py", "pkg/__init__.py", "pkg/z.py"]
    assert found.notices == []


def test_order_is_independent_of_argument_order(make_tree) -> None:
    root = make_tree({"b/x.py": "", "a/y.py": "", "c.py": ""})
    one = discover([root / "c.py", root / "b", root / "a"])
    two = discover([root / "a", root / "c.py", root / "b"])
    assert one.files == two.files == sorted(one.files)


def test_explicit_files_always_scanned_and_deduplicated(make_tree) -> None:
    root = make_tree({"script": "x = 1\n", "pkg/a.py": "", "build/gen.py": ""})
    found = discover([root / "script", root / "pkg", root / "pkg" / "a.py", root / "build" / "gen.py"])
    assert rels(root, found.files) == ["build/gen.py", "pkg/a.py", "script"]


def test_explicit_skipped_directory_is_walked(make_tree) -> None:
    root = make_tree({"build/gen.py": ""})
    assert rels(root, discover([root / "build"]).files) == ["build/gen.py"]


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does-not-exist.py"):
        discover([tmp_path / "does-not-exist.py"])


def test_dangling_symlink_and_directory_named_py_are_notices(make_tree) -> None:
    root = make_tree({"ok.py": "", "x.py/inner.py": ""})
    (root / "dangling.py").symlink_to(root / "nowhere.py")
    found = discover([root])
    assert rels(root, found.files) == ["ok.py", "x.py/inner.py"]
    messages = {os.path.basename(n.path): n for n in found.notices}
    assert set(messages) == {"dangling.py", "x.py"}
    assert all(n.kind == "read" for n in found.notices)
    assert "dangling" in messages["dangling.py"].message
    assert "directory" in messages["x.py"].message
    # an explicitly named dangling link is a notice too, not a missing path
    found = discover([root / "dangling.py"])
    assert found.files == [] and len(found.notices) == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_is_a_notice(make_tree) -> None:
    root = make_tree({"ok.py": ""})
    os.mkfifo(root / "pipe.py")
    found = discover([root])
    assert rels(root, found.files) == ["ok.py"]
    assert [os.path.basename(n.path) for n in found.notices] == ["pipe.py"]
    found = discover([root / "pipe.py"])
    assert found.files == [] and "regular file" in found.notices[0].message


def test_symlinks_outside_roots_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "secret").mkdir(parents=True)
    (outside / "secret" / "s.py").write_text("")
    (outside / "o.py").write_text("")
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("")
    (root / "link_dir").symlink_to(outside / "secret")
    (root / "link_file.py").symlink_to(outside / "o.py")
    (root / "inner_link").symlink_to(root / "pkg")  # inside: followed, but files are not duplicated
    (root / "pkg" / "loop").symlink_to(root)  # a loop must terminate
    (root / "pkg" / "self").symlink_to(".")
    found = discover([root])
    assert rels(root, found.files) == ["pkg/a.py"]
    # files named explicitly are scanned even when they are links to the outside
    assert len(discover([root / "link_file.py"]).files) == 1


# -------------------------------------------------------------------------------------- exclude


@pytest.mark.parametrize(
    "pattern, path, hit",
    [
        ("*.py", "a.py", True),
        ("*.py", "a.pyi", False),
        ("a/*.py", "a/b.py", True),
        ("a/*.py", "a/c/b.py", False),
        ("a/**/b.py", "a/b.py", True),
        ("a/**/b.py", "a/x/y/b.py", True),
        ("**/gen_*.py", "x/gen_1.py", True),
        ("[ab].py", "a.py", True),
        ("[!ab].py", "a.py", False),
        ("?.py", "ab.py", False),
    ],
)
def test_glob_to_regex(pattern: str, path: str, hit: bool) -> None:
    assert bool(glob_to_regex(pattern).match(path)) is hit


def test_excluder_semantics(tmp_path: Path) -> None:
    ex = Excluder(["migrations", "*_pb2.py", "tests/fixtures", "/docs/*.py", "./scripts/"], tmp_path)
    assert ex.excluded(tmp_path / "app" / "migrations" / "0001.py")
    assert ex.excluded(tmp_path / "api_pb2.py")
    assert ex.excluded(tmp_path / "tests" / "fixtures" / "deep" / "bad.py")
    assert ex.excluded(tmp_path / "docs" / "conf.py")
    assert ex.excluded(tmp_path / "scripts" / "x.py")
    assert not ex.excluded(tmp_path / "docs" / "sub" / "conf.py")
    assert not ex.excluded(tmp_path / "app" / "tests" / "fixtures" / "x.py")  # anchored at base
    assert not ex.excluded(tmp_path / "app" / "models.py")
    assert not Excluder([], tmp_path)


def test_exclude_applies_to_walks_and_explicit_files(make_tree) -> None:
    root = make_tree({"keep.py": "", "gen/a.py": "", "x_pb2.py": ""})
    ex = Excluder(["gen", "*_pb2.py"], root)
    assert rels(root, discover([root], excluder=ex).files) == ["keep.py"]
    assert discover([root / "x_pb2.py", root / "gen" / "a.py"], excluder=ex).files == []


def test_nul_in_path_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="NUL"):
        discover(["a\x00b.py"])
