"""An opt-in switch around the call of a helper that runs its parameter gates the helper's sink
for that flow: the finding at the helper's sink is a note naming the switch."""
import importlib

import requests


def load_object(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)  # expect: RCE001:note


def load_policy(policy, *, allow_import_path=False):
    if allow_import_path:
        return load_object(policy)
    return None


def policy_from_header(url):
    return load_policy(requests.get(url).headers["Referrer-Policy"])
