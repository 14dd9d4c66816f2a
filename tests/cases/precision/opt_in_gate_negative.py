"""Tests that are not opt-in gates leave the finding an error."""
import os

import requests
from flask import Flask, request

app = Flask(__name__)


def empty_check(url):
    code = requests.get(url).text
    if not code:
        return None
    exec(code)  # expect: RCE001


def warns_only(url, trust_remote_code=False):
    if not trust_remote_code:
        print("warning: running remote code")
    exec(requests.get(url).text)  # expect: RCE001


@app.route("/run")
def switch_from_the_request():
    allow_exec = request.args.get("allow_exec")
    if not allow_exec:
        return "no"
    exec(request.args["code"])  # expect: RCE001


def one_branch(url, trust_remote_code=False):
    code = requests.get(url).text
    if trust_remote_code:
        print("trusted")
    exec(code)  # expect: RCE001


def optional_value(url=None):
    if not url:
        return None
    exec(requests.get(url).text)  # expect: RCE001


def env_setting():
    if not os.environ.get("PLUGIN_URL"):
        return None
    exec(requests.get(os.environ["PLUGIN_URL"]).text)  # expect: RCE001
