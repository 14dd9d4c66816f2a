"""A thin HTTP client shared by the tasks."""
from __future__ import annotations

import requests


class HttpClient:
    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout

    def get_text(self, path: str) -> str:
        resp = self.session.get(f"{self.base_url}/{path.lstrip('/')}", timeout=self.timeout)
        resp.raise_for_status()
        return resp.text
