"""Checkpoint readers, one per file format."""
from __future__ import annotations

import json
import pickle

import torch
from safetensors.torch import load_file


def read_torch(path: str, device: str = "cpu"):
    """A PyTorch checkpoint as written by torch.save (a pickle)."""
    return torch.load(path, map_location=device)  # expect: RCE002


def read_state_dict(path: str, device: str = "cpu"):
    """Only tensors and primitive containers: torch refuses arbitrary objects."""
    return torch.load(path, map_location=device, weights_only=True)


def read_safetensors(path: str, device: str = "cpu"):
    return load_file(path, device=device)


def read_sklearn(path: str):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # expect: RCE002


def read_config(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
