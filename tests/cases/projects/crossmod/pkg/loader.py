import pkg.net
from pkg.util import run_snippet

from .net import fetch_json
from .net import fetch_text as ft


def load_plugin(url):
    exec(ft(url))  # expect: RCE001


def load_other(url):
    source = pkg.net.fetch_text(url)
    eval(source)  # expect: RCE001


def load_json(url):
    doc = fetch_json(url)
    exec(doc["source"])  # expect: RCE001


def via_wrapper(url):
    run_snippet(ft(url))


def local_only():
    run_snippet("x = 1")
