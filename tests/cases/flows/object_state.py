from dataclasses import dataclass

import requests

PLUGIN_SOURCE = None


class PluginManager:
    registry_url = "https://plugins.example.com/index.json"

    def __init__(self, url):
        self.doc = requests.get(url).json()
        self.modules = {}
        self.local = "x = 1"

    def load_first(self):
        exec(self.doc["plugins"][0]["source"])  # expect: RCE001

    def cache(self, name, resp):
        self.modules[name] = {}
        self.modules[name]["content"] = resp.read()

    def run_cached(self, name):
        exec(self.modules[name]["content"], {})  # expect: RCE001

    def run_local(self):
        exec(self.local)


class Remote:
    code = requests.get("https://example.com/snippet.py").text

    def go(self):
        exec(self.code)  # expect: RCE001


@dataclass
class Plugin:
    name: str
    source: str


def build(url):
    p = Plugin(name="x", source=requests.get(url).text)
    return p


def run_plugin(p: Plugin):
    exec(p.source)  # expect: RCE001


def refresh(url):
    global PLUGIN_SOURCE
    PLUGIN_SOURCE = requests.get(url).text


def activate():
    exec(PLUGIN_SOURCE)  # expect: RCE001


def use(url):
    import urllib.request
    m = PluginManager(url)
    m.cache("a", urllib.request.urlopen(url))
    run_plugin(build(url))


class Holder:
    def __init__(self, source):
        self.source = source

    def run(self):
        exec(self.source)  # expect: RCE001


def via_constructor(url):
    Holder(requests.get(url).text).run()
