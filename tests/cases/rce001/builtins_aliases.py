import builtins

import requests

run = exec


def one(url):
    builtins.exec(requests.get(url).text)  # expect: RCE001


def two(url):
    getattr(builtins, "eval")(requests.get(url).text)  # expect: RCE001


def three(url):
    run(requests.get(url).text)  # expect: RCE001


def four(url):
    from types import FunctionType
    code = compile(requests.get(url).text, "<remote>", "exec")
    FunctionType(code.co_consts[0], {})()  # expect: RCE001
