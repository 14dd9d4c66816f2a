"""Where checkpoints come from: the Hub (cached under ~/.cache/huggingface) or a local folder."""
from __future__ import annotations

import os
from typing import Optional

from huggingface_hub import hf_hub_download, snapshot_download

CACHE_DIR = os.environ.get("MODELKIT_CACHE", os.path.expanduser("~/.cache/modelkit"))


def fetch_file(repo_id: str, filename: str, revision: Optional[str] = None) -> str:
    """Path of one file of a Hub repository, downloaded on first use."""
    return hf_hub_download(repo_id=repo_id, filename=filename, revision=revision, cache_dir=CACHE_DIR)


def fetch_repo(repo_id: str, patterns=("*.json", "*.safetensors", "*.bin", "*.pkl")) -> str:
    """Local folder holding a snapshot of a Hub repository."""
    return snapshot_download(repo_id=repo_id, allow_patterns=list(patterns), cache_dir=CACHE_DIR)


def is_local(name: str) -> bool:
    return os.path.isdir(name)
