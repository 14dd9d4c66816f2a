import urllib.request


def grab(url):
    with urllib.request.urlopen(url) as r:
        return r.read()
