import json
import subprocess
import urllib.request

import requests


def download_data(url):
    urllib.request.urlretrieve(url, "data.json")
    with open("data.json") as f:
        return json.load(f)


def run_local_tool():
    subprocess.run(["./tools/format.sh", "--check"], check=True)


def save_report(url):
    with open("report.html", "w") as f:
        f.write(requests.get(url).text)
    subprocess.run(["./bin/publish.sh", "other.html"])
