"""Several definitions of one name in one scope: each may be the one that runs."""
import pickle
import sys

import requests

try:
    import ujson

    def parse(blob):
        return ujson.loads(blob)
except ImportError:
    def parse(blob):
        return pickle.loads(blob)  # expect: RCE002

if sys.version_info >= (3, 12):
    def run_step(src):
        print(src)
else:
    def run_step(src):
        exec(src)  # expect: RCE001


class Plugin:
    def __init__(self):
        self._src = ""

    @property
    def source(self):
        return self._src

    @source.setter
    def source(self, url):
        self._src = requests.get(url).text
        exec(self._src)  # expect: RCE001


def main(url):
    parse(requests.get(url).content)
    run_step(requests.get(url).text)
