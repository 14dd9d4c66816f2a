import requests


def fetch_text(url):
    resp = requests.get(url, timeout=10)
    return resp.text


def fetch_json(url):
    return requests.get(url).json()
