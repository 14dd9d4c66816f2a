"""The public entry points: pick the file format, fetch, load."""
from __future__ import annotations

import os

from transformers import AutoModel

from . import loaders
from .hub import fetch_file, fetch_repo, is_local

# the encoder's code lives in its Hub repository; we run the commit we reviewed
ENCODER_REPO = "acme/text-encoder"
ENCODER_COMMIT = "4f1c2b9e8d7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e"


def load_checkpoint(name: str, fmt: str = "safetensors", device: str = "cpu"):
    if is_local(name):
        return loaders.read_torch(os.path.join(name, "model.pt"), device)
    if fmt == "safetensors":
        return loaders.read_safetensors(fetch_file(name, "model.safetensors"), device)
    if fmt == "state_dict":
        return loaders.read_state_dict(fetch_file(name, "pytorch_model.bin"), device)
    if fmt == "torch":
        return loaders.read_torch(fetch_file(name, "pytorch_model.bin"), device)
    if fmt == "sklearn":
        folder = fetch_repo(name, patterns=("*.pkl", "config.json"))
        return loaders.read_sklearn(os.path.join(folder, "model.pkl"))
    raise ValueError(f"unknown format {fmt!r}")


def load_config(name: str) -> dict:
    return loaders.read_config(fetch_file(name, "config.json"))


def load_encoder(device: str = "cpu"):
    model = AutoModel.from_pretrained(  # expect: RCE003:note
        ENCODER_REPO, trust_remote_code=True, revision=ENCODER_COMMIT)
    return model.to(device)


def load_backbone(name: str):
    """Architectures transformers ships itself: no remote code."""
    return AutoModel.from_pretrained(name, trust_remote_code=False)


def load_community(name: str, revision: str = "main"):
    """Community models with their own modelling code: whatever the branch holds today."""
    return AutoModel.from_pretrained(name, trust_remote_code=True, revision=revision)  # expect: RCE003
