"""Behind an opt-in switch whose default branch leaves first, the finding is a note naming it."""
import os

import requests


def load_remote(url, trust_remote_code=False):
    if not trust_remote_code:
        raise ValueError("pass trust_remote_code=True to run the repository's code")
    exec(requests.get(url).text)  # expect: RCE001:note


def env_switch(url):
    if os.environ.get("ALLOW_REMOTE_PLUGINS", "0") != "1":
        return None
    code = requests.get(url).text
    exec(code)  # expect: RCE001:note


def positive_branch(url, enable_plugins=False):
    code = requests.get(url).text
    if enable_plugins:
        exec(code)  # expect: RCE001:note


class Runner:
    def __init__(self, allow_exec=False):
        self.allow_exec = allow_exec

    def run(self, url):
        if not self.allow_exec:
            return
        exec(requests.get(url).text)  # expect: RCE001:note
