"""Hub downloads loaded with safe loaders, and local files: no finding."""
import json
import pickle

import torch
from huggingface_hub import hf_hub_download
from safetensors.torch import load_file
from transformers import AutoModel


def load(repo):
    weights = load_file(hf_hub_download(repo, "model.safetensors"))
    config = json.load(open(hf_hub_download(repo, "config.json")))
    state = torch.load(hf_hub_download(repo, "w.bin"), weights_only=True)
    model = AutoModel.from_pretrained(repo)
    with open("local_cache.pkl", "rb") as f:
        cache = pickle.load(f)
    return weights, config, state, model, cache
