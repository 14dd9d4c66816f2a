"""Example: a plugin loader that downloads Python code and runs it.

This is the shape rceguard exists to catch: the body of an HTTP response is compiled and
executed in a fresh module, so whoever controls the server (or the network path to it) runs
code on every machine that calls ``load_remote_plugin``. ``rceguard examples/`` reports RCE001
at the ``exec`` line, with the flow ``http.request(...)`` -> ``response.data`` -> ``compile(...)``
-> ``exec(...)``.
"""
from __future__ import annotations

import configparser
from types import ModuleType

import urllib3


def plugin_url(config_path: str = "plugins.ini") -> str:
    parser = configparser.ConfigParser()
    parser.read(config_path)
    server = parser.get("plugins", "server", fallback="https://plugins.example.com")
    return server.rstrip("/") + "/api/v1/plugins/latest"


def load_remote_plugin(config_path: str = "plugins.ini") -> ModuleType:
    url = plugin_url(config_path)
    with urllib3.PoolManager() as http:
        response = http.request("GET", url)
    if response.status != 200:
        raise RuntimeError(f"plugin server answered {response.status}")
    compiled = compile(response.data, url, "exec")
    module = ModuleType(url)
    exec(compiled, module.__dict__)
    return module
