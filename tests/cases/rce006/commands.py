import os
import subprocess
import sys

import requests


def a(url):
    os.system(requests.get(url).text)  # expect: RCE006


def b(url):
    cmd = requests.get(url).json()["command"]
    subprocess.run(cmd, shell=True)  # expect: RCE006


def c(url):
    subprocess.check_output(["sh", "-c", requests.get(url).text])  # expect: RCE006


def d(url):
    subprocess.Popen([sys.executable, "-c", requests.get(url).text])  # expect: RCE006


def e(url):
    return os.popen("echo " + requests.get(url).text).read()  # expect: RCE006
