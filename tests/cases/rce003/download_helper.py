"""The download happens in a helper that is given the destination; the caller runs the file."""
import os
import subprocess
import urllib.request


def download(url, dest):
    urllib.request.urlretrieve(url, dest)


def fetch_tool(url):
    download(url, "tool.bin")
    os.chmod("tool.bin", 0o755)
    subprocess.run(["./tool.bin", "--init"])  # expect: RCE003


def fetch_data(url):
    download(url, "data.csv")
    subprocess.run(["./bin/import.sh", "other.csv"])
