"""Request metadata (headers, user agent, proxies, token ...) does not make a result network data."""
import pickle

import requests
from ourhub import fetch_artifact


def user_agent(url):
    ua = requests.get(url).text.strip()
    path = fetch_artifact("local-model", user_agent=ua, timeout=30)
    with open(path, "rb") as fh:
        return pickle.load(fh)


def headers(url):
    token = requests.get(url).json()["token"]
    blob = fetch_artifact("local-model", headers={"Authorization": token}, proxies={"https": token},
                          auth=(token, ""), cookies={"s": token}, token=token)
    return pickle.loads(blob)
