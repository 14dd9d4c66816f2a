"""Same shape as the helper that started the project: fetch a plugin, compile it, run it."""
from types import ModuleType

import urllib3

SERVER = "https://analytics.example.com"


def register(client):
    url = SERVER + "/api/v2/analytics/preload"
    with urllib3.PoolManager() as http:
        response = http.request("GET", url)
    if response.status != 200:
        raise RuntimeError("cannot fetch plugin", response.status)
    compiled = compile(response.data, url, "exec")
    module = ModuleType(url)
    exec(compiled, module.__dict__)  # expect: RCE001
    client.register_plugin(module.Telemetry())


async def setup(scheduler):
    url = SERVER + "/api/v2/analytics/preload"
    with urllib3.PoolManager() as http:
        response = http.request("GET", url)
    compiled = compile(response.data, url, "exec")
    module = ModuleType(url)
    exec(compiled, module.__dict__)  # expect: RCE001
    scheduler.add_plugin(module.Telemetry())


def list_things(account=None):
    with urllib3.PoolManager() as http:
        return http.request("GET", SERVER + "/things").data
