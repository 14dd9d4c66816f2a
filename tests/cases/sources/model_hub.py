"""Files downloaded from a model hub or an object store, then unpickled or run."""
import os
import pickle
import sys

import boto3
import joblib
import numpy as np
import torch
from google.cloud import storage
from huggingface_hub import hf_hub_download, snapshot_download
from keras.utils import get_file
from transformers import AutoModelForCausalLM, AutoTokenizer


def hub_pickle(repo):
    path = hf_hub_download(repo_id=repo, filename="model.pkl")
    with open(path, "rb") as f:
        return pickle.load(f)  # expect: RCE002


def hub_torch(repo):
    p = hf_hub_download(repo, "pytorch_model.bin")
    state = torch.load(p)  # expect: RCE002
    safe = torch.load(p, weights_only=True)
    return state, safe


def hub_snapshot(repo):
    d = snapshot_download(repo_id=repo)
    model = joblib.load(os.path.join(d, "model.joblib"))  # expect: RCE002
    arr = np.load(os.path.join(d, "x.npy"), allow_pickle=True)  # expect: RCE002
    plain = np.load(os.path.join(d, "y.npy"))
    sys.path.insert(0, d)
    import custom_model  # expect: RCE003
    return model, arr, plain, custom_model


def keras_file(url):
    p = get_file("weights.pkl", origin=url)
    return pickle.load(open(p, "rb"))  # expect: RCE002


def from_s3(bucket, key):
    s3 = boto3.client("s3")
    s3.download_file(bucket, key, "/tmp/model.pkl")
    with open("/tmp/model.pkl", "rb") as f:
        model = pickle.load(f)  # expect: RCE002
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return model, pickle.loads(body)  # expect: RCE002


def from_gcs(name):
    blob = storage.Client().bucket("models").blob(name)
    blob.download_to_filename("/tmp/m.joblib")
    return joblib.load("/tmp/m.joblib")  # expect: RCE002


def remote_code(name, commit):
    hub = torch.hub.load("pytorch/vision", "resnet50")  # expect: RCE003
    local = torch.hub.load("./hubconf_dir", "resnet50", source="local")
    m = AutoModelForCausalLM.from_pretrained(name, trust_remote_code=True)  # expect: RCE003
    pinned = AutoModelForCausalLM.from_pretrained(  # expect: RCE003:note
        name, trust_remote_code=True, revision="0123456789abcdef0123456789abcdef01234567")
    tok = AutoTokenizer.from_pretrained(name, trust_remote_code=False)
    return hub, local, m, pinned, tok
