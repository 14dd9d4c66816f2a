import gzip
import pickle
import tempfile
from pathlib import Path

import requests


def gzip_other_file(url, cache, local):
    resp = requests.get(url)
    with gzip.open(cache, "wb") as f:
        f.write(resp.content)
    with open(local, "rb") as f:
        return pickle.load(f)


def two_temp_dirs(url):
    downloads = tempfile.mkdtemp()
    (Path(downloads) / "blob.pkl").write_bytes(requests.get(url).content)
    shipped = tempfile.mkdtemp()
    with open(Path(shipped) / "blob.pkl", "rb") as f:
        return pickle.load(f)


def two_temp_files(url):
    incoming = tempfile.NamedTemporaryFile(suffix=".pkl")
    incoming.write(requests.get(url).content)
    local = tempfile.NamedTemporaryFile(suffix=".pkl")
    with open(local.name, "rb") as f:
        return pickle.load(f)


def other_suffix(url, stem):
    p = Path(stem)
    p.with_suffix(".json").write_bytes(requests.get(url).content)
    with open(p.with_suffix(".pkl"), "rb") as f:
        return pickle.load(f)
