"""A regular-expression match carries its subject: groups of network data are network data."""
import re

import requests

FENCE = re.compile(r"```python\n(.*?)```", re.S)


def fenced(url):
    reply = requests.get(url).text
    m = re.search(r"```python\n(.*?)```", reply, re.S)
    if m:
        exec(m.group(1))  # expect: RCE001


def compiled(url):
    reply = requests.get(url).text
    m = FENCE.fullmatch(reply)
    exec(m.groups()[0])  # expect: RCE001


def named(url):
    reply = requests.get(url).text
    m = re.match(r"(?P<code>.*)", string=reply)
    exec(m.groupdict()["code"])  # expect: RCE001
