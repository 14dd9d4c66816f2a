"""Ordinary code that merely looks like remote execution.

    exec(requests.get(url).text)    <- in a docstring
"""
import ast
import json
import re
import sqlite3
from re import compile

import requests
import yaml


def eval(expr):  # a local function named eval
    return expr.upper()


class Job:
    def exec(self, text):  # a user method named exec
        return text[::-1]


def parse(url):
    resp = requests.get(url)
    a = json.loads(resp.text)
    b = yaml.safe_load(resp.text)
    c = ast.literal_eval(resp.text)
    pattern = re.compile(resp.text)
    other = compile(resp.text)
    eval(resp.text)
    Job().exec(resp.text)
    cur = sqlite3.connect(":memory:").cursor()
    cur.execute(resp.text)
    print("exec(requests.get(url).text)")
    # exec(requests.get(url).text)
    return a, b, c, pattern, other


def constants():
    exec("import os")
    eval("2 ** 10")
    code = compile("x = 1", "<string>", "exec")
    exec(code)


def overwritten(url):
    code = requests.get(url).text
    code = "print('hello')"
    exec(code)


def branch_overwritten(url, flag):
    code = requests.get(url).text
    if flag:
        code = "a = 1"
    else:
        code = "b = 2"
    exec(code)
