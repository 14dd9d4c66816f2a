"""More sinks: expression evaluators, importers, interpreters, event-loop helpers, ML loaders."""
import asyncio
import code
import importlib
import logging.config
import os

import joblib
import js2py
import numexpr
import numpy as np
import pandas as pd
import requests
import sympy
from keras.models import load_model
from sympy.parsing.sympy_parser import parse_expr


def evaluators(url):
    expr = requests.get(url).text
    sympy.sympify(expr)  # expect: RCE001
    parse_expr(expr)  # expect: RCE001
    numexpr.evaluate(expr)  # expect: RCE001
    pd.eval(expr, engine="python")  # expect: RCE001
    df = pd.DataFrame({"a": [1]})
    df.query(expr, engine="python")  # expect: RCE001
    js2py.eval_js(expr)  # expect: RCE001
    ctx = js2py.EvalJs()
    ctx.execute(expr)  # expect: RCE001


def importers(url):
    name = requests.get(url).json()["plugin"]
    mod = importlib.import_module(name)  # expect: RCE001
    other = __import__(name)  # expect: RCE001
    return mod, other


def consoles(url):
    src = requests.get(url).text
    console = code.InteractiveConsole()
    console.push(src)  # expect: RCE001
    interp = code.InteractiveInterpreter({})
    interp.runsource(src)  # expect: RCE001


def config_server():
    t = logging.config.listen(9999)  # expect: RCE001
    t.start()


async def loops(url):
    data = requests.get(url).text
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, exec, data)  # expect: RCE001
    await asyncio.to_thread(os.system, data)  # expect: RCE006
    await loop.subprocess_shell(asyncio.SubprocessProtocol, data)  # expect: RCE006
    await asyncio.create_subprocess_shell(data)  # expect: RCE006
    list(map(eval, [data]))  # expect: RCE001
    os.popen2(data)  # expect: RCE006


def ml_loaders(url, path):
    with open(path, "wb") as f:
        f.write(requests.get(url).content)
    load_model(path, safe_mode=False)  # expect: RCE002
    load_model(path)
    allow = True
    np.load(path, allow_pickle=allow)  # expect: RCE002
    never = False
    np.load(path, allow_pickle=never)
    joblib.load(path)  # expect: RCE002
