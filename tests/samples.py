"""Source text shared by the CLI and pre-commit tests: the seed's shape (a remote plugin run with exec)."""

REMOTE_EXEC = '''\
from types import ModuleType

import urllib3


def load(base):
    url = base + "/plugin.py"
    with urllib3.PoolManager() as http:
        response = http.request("GET", url)
    compiled = compile(response.data, url, "exec")
    module = ModuleType(url)
    exec(compiled, module.__dict__)
    return module
'''
REMOTE_EXEC_LINE = 12  # the exec(...) line of REMOTE_EXEC
