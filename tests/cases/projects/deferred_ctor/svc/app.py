"""Constructs the deferred module's class with constant arguments, then hands it network data."""
import requests

from svc.runner import Runner


def plugin(url):
    r = Runner("plugin")
    r.run(requests.get(url).text)


def banner(url):
    r = Runner("banner")
    r.show(requests.get(url).text)
