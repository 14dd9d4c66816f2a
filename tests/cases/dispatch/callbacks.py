"""Functions passed as values are bound where they are called: a registry filled by a decorator
and read back with .get(), a listener list, executor.submit, threading.Thread(target=...),
loop.run_in_executor, map(), and decorators that return a wrapper."""
import asyncio
import functools
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
    exec(data)  # expect: RCE001


def on_message(url):
    msg = requests.get(url, timeout=10).json()
    fn = HANDLERS.get(msg["type"])
    fn(msg["body"])


LISTENERS = []


def listen(fn):
    LISTENERS.append(fn)
    return fn


@listen
def shell_listener(cmd):
    os.system(cmd)  # expect: RCE006


def broadcast(url):
    for cb in LISTENERS:
        cb(requests.get(url, timeout=10).text)


def via_submit(x):
    exec(x)  # expect: RCE001


def via_any_executor(x):
    exec(x)  # expect: RCE001


def via_thread(x):
    exec(x)  # expect: RCE001


def via_thread_kw(*, source):
    eval(source)  # expect: RCE001


def via_loop(x):
    exec(x)  # expect: RCE001


def via_map(x):
    exec(x)  # expect: RCE001


def workers(url):
    data = requests.get(url, timeout=10).text
    with ThreadPoolExecutor(max_workers=2) as pool:
        pool.submit(via_submit, data)
    threading.Thread(target=via_thread, args=(data,)).start()
    threading.Thread(target=via_thread_kw, kwargs={"source": data}, daemon=True).start()
    list(map(via_map, [data]))


def submit_to(executor, url):
    executor.submit(via_any_executor, requests.get(url, timeout=10).text)


async def in_loop(url):
    data = requests.get(url, timeout=10).text
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, via_loop, data)


def logged(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        print("calling", func.__name__)
        return func(*args, **kwargs)
    return wrapper


@logged
def run_logged(code):
    exec(code)  # expect: RCE001


def main(url):
    run_logged(requests.get(url, timeout=10).text)
