"""Argument vectors held in variables are checked like inline lists."""
import os
import subprocess
import sys

import requests

SHELL = ["/bin/sh", "-c"]


def held(url):
    data = requests.get(url).text
    args = ["sh", "-c", data]
    subprocess.Popen(args)  # expect: RCE006


def appended(url):
    code = requests.get(url).text
    cmd = [sys.executable, "-c"]
    cmd.append(code)
    subprocess.run(cmd, check=True)  # expect: RCE006


def concatenated(url):
    line = requests.get(url).text
    base = ["bash", "-c"]
    argv = base + [line]
    subprocess.call(argv)  # expect: RCE006


def extended(url):
    line = requests.get(url).text
    argv = []
    argv.extend(["bash", "-c"])
    argv += [line]
    subprocess.check_output(argv)  # expect: RCE006


def module_prefix(url):
    line = requests.get(url).text
    subprocess.run(SHELL + [line])  # expect: RCE006


def exec_vector(url):
    line = requests.get(url).text
    rest = ["sh", "-c", line]
    os.execv("/bin/sh", rest)  # expect: RCE006
