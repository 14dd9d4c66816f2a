import shlex
import subprocess

import requests


def echo(url):
    data = requests.get(url).text
    subprocess.run(["echo", data], check=True)
    subprocess.run(["grep", "-c", data, "log.txt"])


def quoted(url):
    name = requests.get(url).text
    subprocess.run("ls " + shlex.quote(name), shell=True)
