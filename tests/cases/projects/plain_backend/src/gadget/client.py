from __future__ import annotations

import json
import urllib.request


def fetch_settings(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())
