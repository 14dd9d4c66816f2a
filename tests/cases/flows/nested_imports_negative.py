"""A nested function's own names win over what the enclosing function imported, and a local
import does not leak into a sibling function: nothing to report."""
import requests


def outer(url):
    import subprocess

    def inner(cmd):
        subprocess = Runner()  # a local object of our own, not the module
        subprocess.run(cmd, shell=True)

    inner(requests.get(url, timeout=10).text)


def sibling(url):
    exec = print  # noqa: A001 - a local name, not the builtin
    exec(requests.get(url, timeout=10).text)


class Runner:
    def run(self, cmd, shell=False):
        return [cmd, shell]
