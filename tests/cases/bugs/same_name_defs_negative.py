"""Several definitions of one name, none of which runs its input."""
import json
import sys

import requests

try:
    import ujson

    def parse(blob):
        return ujson.loads(blob)
except ImportError:
    def parse(blob):
        return json.loads(blob)

if sys.version_info >= (3, 12):
    def run_step(src):
        print(src)
else:
    def run_step(src):
        print(src.upper())


class Plugin:
    @property
    def source(self):
        return "x = 1"

    @source.setter
    def source(self, url):
        self._src = requests.get(url).text
        print(self._src)


def main(url):
    exec(compile("x = 1", "<local>", "exec"))
    parse(requests.get(url).content)
    run_step(requests.get(url).text)
