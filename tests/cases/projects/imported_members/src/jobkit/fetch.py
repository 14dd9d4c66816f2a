import requests


class Fetcher:
    def __init__(self, base):
        self.base = base

    def fetch_code(self):
        return requests.get(self.base + "/job.py", timeout=10).text

    def fetch_name(self):
        return "nightly"
