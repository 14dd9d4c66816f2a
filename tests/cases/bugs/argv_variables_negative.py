"""Argument vectors in variables where outside data is only an argument, never the command."""
import subprocess
import sys

import requests


def positional(url):
    name = requests.get(url).text
    args = ["sh", "-c", 'echo "$1"', "sh", name]
    subprocess.Popen(args)


def tool_argument(url):
    ref = requests.get(url).text
    cmd = ["git", "fetch", "origin"]
    cmd.append(ref)
    subprocess.run(cmd, check=True)


def local_script(url):
    requests.get(url)
    cmd = [sys.executable, "-c", "print('ready')"]
    cmd.append("--quiet")
    subprocess.run(cmd)
