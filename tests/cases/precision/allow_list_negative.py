"""A membership test against a constant allow-list guards the value."""
import requests

ALLOWED = frozenset({"json", "csv"})
HANDLERS = ("print(1)", "print(2)")


def plain(url):
    name = requests.get(url).text
    if name not in ALLOWED:
        raise ValueError(name)
    exec(name)


def normalised(url):
    name = requests.get(url).text.strip()
    if name.strip().lower() not in HANDLERS:
        return None
    exec(name)


class Loader:
    def __init__(self, url):
        self.choice = requests.get(url).text

    def run(self):
        if self.choice not in HANDLERS:
            raise ValueError(self.choice)
        exec(self.choice)
