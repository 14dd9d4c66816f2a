"""The same APIs with constants, safe engines or allow-lists: no finding."""
import importlib

import numexpr
import pandas as pd
import requests
import sympy

PLUGINS = {"csv_export", "pdf_export"}


def safe(url):
    data = requests.get(url).json()
    df = pd.DataFrame(data)
    df.query("a > 1")
    df.query(data["q"])  # default numexpr engine
    pd.eval("a + 1")
    numexpr.evaluate("2 * a", local_dict={"a": 1})
    sympy.sympify("x**2")
    name = data["plugin"]
    if name in PLUGINS:
        importlib.import_module(name)
    if name not in PLUGINS:
        raise ValueError(name)
    importlib.import_module("plugins." + name)
    importlib.import_module("json")
