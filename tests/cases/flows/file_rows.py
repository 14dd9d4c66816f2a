import gzip
import os
import pickle
import tempfile
import urllib.request
from pathlib import Path

import requests


def gzip_cache(url, cache):
    resp = requests.get(url)
    with gzip.open(cache, "wb") as f:
        f.write(resp.content)
    with open(cache, "rb") as f:
        return pickle.load(f)  # expect: RCE002


def joined_path(url, root):
    urllib.request.urlretrieve(url, os.path.join(root, "model.pkl"))
    with open(root.joinpath("model.pkl"), "rb") as f:
        return pickle.load(f)  # expect: RCE002


def opened_through_the_path(url, cache):
    with cache.open("wb") as f:
        f.write(requests.get(url).content)
    with open(cache, "rb") as f:
        return pickle.load(f)  # expect: RCE002


def derived_name(url, stem):
    p = Path(stem)
    p.with_suffix(".pkl").write_bytes(requests.get(url).content)
    with open(p.with_suffix(".pkl"), "rb") as f:
        return pickle.load(f)  # expect: RCE002


def one_temp_dir(url):
    d = tempfile.mkdtemp()
    target = Path(d) / "blob.pkl"
    target.write_bytes(requests.get(url).content)
    return pickle.loads(target.read_bytes())  # expect: RCE002


def spooled_to_a_temp_file(url):
    tmp = tempfile.NamedTemporaryFile(suffix=".pkl")
    tmp.write(requests.get(url).content)
    tmp.flush()
    with open(tmp.name, "rb") as f:
        return pickle.load(f)  # expect: RCE002
