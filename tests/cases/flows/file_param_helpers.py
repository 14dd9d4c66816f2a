"""A helper opens the file its parameter names and runs or unpickles the content: the finding is
at the helper's sink when a caller passes a downloaded file's path."""
import os
import pickle
import tarfile
import urllib.request

from huggingface_hub import snapshot_download


def read_pickle(path):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # expect: RCE002


def read_source(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def load_hub_model(repo):
    folder = snapshot_download(repo_id=repo)
    return read_pickle(os.path.join(folder, "model.pkl"))


def run_update(url):
    urllib.request.urlretrieve(url, "/tmp/update.py")
    exec(read_source("/tmp/update.py"))  # expect: RCE001
