"""The same helper called outside the switch: the flow is not gated, the finding is an error."""
import importlib

import requests


def load_object(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)  # expect: RCE001


def load_policy(policy, *, allow_import_path=False):
    if allow_import_path:
        print("import paths allowed")
    return load_object(policy)


def policy_from_header(url):
    return load_policy(requests.get(url).headers["Referrer-Policy"])


def load_either(policy, *, allow_import_path=False):
    if allow_import_path:
        return load_object2(policy)  # under the switch ...
    return load_object2(policy)  # ... and outside it: the finding stays an error


def load_object2(path):
    return importlib.import_module(path)  # expect: RCE001


def either_from_header(url):
    return load_either(requests.get(url).headers["Referrer-Policy"])
