"""torch.load(**kwargs) with weights_only=True in the dict is safe."""
import torch
from huggingface_hub import hf_hub_download

SAFE_LOAD = {"map_location": "cpu", "weights_only": True}


def literal(repo):
    path = hf_hub_download(repo, "model.bin")
    kwargs = {"map_location": "cpu", "weights_only": True}
    return torch.load(path, **kwargs)


def conditional(repo, new_torch):
    path = hf_hub_download(repo, "model.bin")
    extra = {"weights_only": True} if new_torch else {}
    return torch.load(path, **extra)


def module_level(repo):
    path = hf_hub_download(repo, "model.bin")
    return torch.load(path, **SAFE_LOAD)


def built(repo):
    path = hf_hub_download(repo, "model.bin")
    return torch.load(path, **dict(weights_only=True))
