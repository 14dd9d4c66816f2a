"""Status fields of HTTP responses are not their payload."""
import urllib.request

import requests


def fetch(url):
    resp = requests.get(url)
    exec(resp.status_code)
    exec(resp.reason)
    with urllib.request.urlopen(url) as r:
        exec(r.code)
        exec(r.status)
