"""Registries and workers fed only the program's own values, and a registry whose handlers
do not run what they get."""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

HANDLERS = {}


def handler(name):
    def deco(fn):
        HANDLERS[name] = fn
        return fn
    return deco


@handler("run")
def run_code(data):
    exec(data)


def startup():
    HANDLERS["run"]("print('ready')")
    HANDLERS.get("run")("x = 1")


LOGGERS = []


def logger(fn):
    LOGGERS.append(fn)
    return fn


@logger
def log_line(text):
    print(text)


def broadcast(url):
    for cb in LOGGERS:
        cb(requests.get(url, timeout=10).text)


def shell(cmd):
    os.system(cmd)


def warmup():
    with ThreadPoolExecutor() as pool:
        pool.submit(shell, "true")
    threading.Thread(target=shell, args=("true",)).start()
