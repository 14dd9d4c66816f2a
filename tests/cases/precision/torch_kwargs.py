"""torch.load(**kwargs): unsafe unless the dict holds weights_only=True."""
import torch
from huggingface_hub import hf_hub_download

LOAD_ARGS = {"map_location": "cpu"}


def no_flag(repo):
    path = hf_hub_download(repo, "model.bin")
    opts = {"map_location": "cpu", "weights_only": False}
    return torch.load(path, **opts)  # expect: RCE002


def module_dict(repo):
    path = hf_hub_download(repo, "model.bin")
    return torch.load(path, **LOAD_ARGS)  # expect: RCE002
