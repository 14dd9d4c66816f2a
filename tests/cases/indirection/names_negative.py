"""Name indirection that runs nothing from outside: getattr with a name that is not a constant on
ordinary objects, namespace lookups of harmless names, imports by a constant name."""
import builtins
import importlib

import requests


class Handler:
    def on_get(self, data):
        return data


def dispatch(obj, action, u):
    getattr(obj, "on_" + action)(requests.get(u).text)


def plugin(name):
    return importlib.import_module("plugins." + name)


def printer(u):
    getattr(builtins, "pr" + "int")(requests.get(u).text)
    builtins.__dict__["le" + "n"](requests.get(u).text)
    globals()["Handler"]().on_get(requests.get(u).text)


def json_by_name(u):
    mod = __import__("js" + "on")
    return mod.loads(requests.get(u).text)


def stdlib_import():
    return __import__("o" + "s").getcwd()
