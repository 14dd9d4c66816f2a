from __future__ import annotations

import json
import urllib.request

from .config import endpoint


def get_json(path: str) -> dict:
    with urllib.request.urlopen(f"{endpoint()}/{path}", timeout=5) as response:
        return json.loads(response.read())


def get_text(path: str) -> str:
    with urllib.request.urlopen(f"{endpoint()}/{path}", timeout=5) as response:
        return response.read().decode("utf-8")
