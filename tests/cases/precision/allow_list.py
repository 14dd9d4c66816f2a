"""A membership test against a list that is not constant does not guard the value."""
import requests

KNOWN = ["json", "csv"]


def server_list(url):
    name = requests.get(url).text
    allowed = requests.get(url + "/allowed").json()
    if name not in allowed:
        raise ValueError(name)
    exec(name)  # expect: RCE001


def other_value(url):
    name = requests.get(url).text
    kind = name.split(":")[0]
    if kind.lower() not in KNOWN:
        raise ValueError(kind)
    exec(name)  # expect: RCE001
