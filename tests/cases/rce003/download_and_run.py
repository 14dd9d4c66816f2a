import ctypes
import os
import runpy
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import requests

TOOL = "bin/installer.sh"


def retrieve_then_run(url):
    urllib.request.urlretrieve(url, TOOL)
    os.chmod(TOOL, 0o755)
    subprocess.check_call(["./bin/installer.sh", "--yes"])  # expect: RCE003


def stream_then_run(url, workdir):
    target = os.path.join(workdir, "agent")
    with requests.get(url, stream=True) as r, open(target, "wb") as fh:
        for chunk in r.iter_content(8192):
            fh.write(chunk)
    os.chmod(target, os.stat(target).st_mode | stat.S_IEXEC)
    os.system(target)  # expect: RCE003


def path_write_then_runpy(url, d):
    p = Path(d) / "plugin.py"
    p.write_bytes(requests.get(url).content)
    runpy.run_path(str(p))  # expect: RCE003


def read_back_and_exec(url):
    with open("/tmp/remote_hook.py", "w") as f:
        f.write(requests.get(url).text)
    exec(open("/tmp/remote_hook.py").read())  # expect: RCE001


def import_from_path(url, name):
    import importlib.util
    path = f"/tmp/{name}.py"
    urllib.request.urlretrieve(url, path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # expect: RCE003
    return module


def sys_path_import(url, cache_dir):
    with open(os.path.join(cache_dir, "remote_mod.py"), "wb") as f:
        f.write(requests.get(url).content)
    sys.path.insert(0, cache_dir)
    import remote_mod  # expect: RCE003
    return remote_mod


def load_library(url):
    lib_path, _ = urllib.request.urlretrieve(url)
    return ctypes.CDLL(lib_path)  # expect: RCE003
