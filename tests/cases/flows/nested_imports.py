"""Names imported inside a function are seen by the functions nested in it: an agent tool
defined in a factory (with the decorator imported there), a helper using a module the enclosing
function imported."""
import requests


def make_tools():
    import subprocess

    from langchain_core.tools import tool

    @tool
    def shell(command: str) -> str:
        """Run a shell command and return its output."""
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout  # expect: RCE006

    return [shell]


def update(url):
    import subprocess as sp

    def run(cmd):
        sp.run(cmd, shell=True)  # expect: RCE006

    run(requests.get(url, timeout=10).text)
