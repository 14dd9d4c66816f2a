"""Class members called on an imported class, a global client imported by name, a method of a
project object that reads outside data itself, and an allow-list test on a manifest item."""
import importlib

import requests

from jobkit import runners
from jobkit.clients import default_client, default_fetcher
from jobkit.fetch import Fetcher
from jobkit.runners import Runner

PLUGINS = {"jobkit.plugins.csv", "jobkit.plugins.json"}


def run_manifest(url):
    manifest = requests.get(url, timeout=10).json()
    Runner.run_code(manifest["code"])
    Runner.run_expr(manifest["expr"])
    runners.Runner.run_shell(manifest["cmd"])


def ask_model(prompt):
    reply = default_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
    exec(reply.choices[0].message.content)  # expect: RCE001


def nightly():
    exec(default_fetcher.fetch_code())  # expect: RCE001


class Scheduler:
    def __init__(self):
        self.fetcher = Fetcher("https://jobs.example.com")

    def tick(self):
        exec(self.fetcher.fetch_code())  # expect: RCE001


def load_plugin(url):
    cfg = requests.get(url, timeout=10).json()
    if cfg["plugin"] not in PLUGINS:
        raise ValueError("unknown plugin")
    return importlib.import_module(cfg["plugin"])


def load_unchecked(url):
    cfg = requests.get(url, timeout=10).json()
    if cfg["other"] not in PLUGINS:
        raise ValueError("unknown plugin")
    return importlib.import_module(cfg["plugin"])  # expect: RCE001
