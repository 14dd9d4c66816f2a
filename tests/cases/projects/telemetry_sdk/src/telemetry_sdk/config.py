from __future__ import annotations

import os

DEFAULT_ENDPOINT = "https://collector.telemetry.example/v1"


def endpoint() -> str:
    return os.environ.get("TELEMETRY_ENDPOINT", DEFAULT_ENDPOINT)
