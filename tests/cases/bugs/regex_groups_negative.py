"""Matching network data decides a branch; what runs is the program's own text."""
import re

import requests

SNIPPETS = {"hello": "print('hello')"}


def dispatch(url):
    reply = requests.get(url).text
    if re.fullmatch(r"[a-z]+", reply):
        exec(SNIPPETS.get("hello", ""))


def pattern_from_server(url, local_text):
    pattern = requests.get(url).text
    m = re.search(pattern, local_text)
    if m:
        exec(m.group(0))
