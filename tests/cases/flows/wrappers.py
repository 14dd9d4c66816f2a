import functools

import requests


def run_snippet(s):
    exec(s)  # expect: RCE001


def run_twice(code, times=2):
    for _ in range(times):
        run_snippet(code)


run_lambda = lambda s: eval(s)  # expect: RCE001


def forward(*args, **kwargs):
    return run_kw(*args, **kwargs)


def run_kw(source, globals_=None):
    exec(source, globals_ or {})  # expect: RCE001


def runner(env, text):
    exec(text, env)  # expect: RCE001


def never_called_with_network(s):
    exec(s)


def main(url):
    body = requests.get(url).text
    run_twice(body)
    run_lambda(body)
    forward(body)
    bound = functools.partial(runner, {})
    bound(body)
    never_called_with_network("x = 1")


def closure(url):
    code = requests.get(url).text

    def inner():
        exec(code)  # expect: RCE001

    inner()


def default_arg(code=requests.get("https://example.com/boot.py").text):
    exec(code)  # expect: RCE001


def fetch(url):
    return requests.get(url).text


def fetch_via(url):
    return fetch(url)


def deep(url):
    exec(fetch_via(url))  # expect: RCE001


def recursive(url, depth):
    if depth == 0:
        return requests.get(url).text
    return recursive(url, depth - 1)


def use_recursive(url):
    eval(recursive(url, 3))  # expect: RCE001
