from __future__ import annotations

import json
from typing import Any


def loads(text: str) -> Any:
    return json.loads(text)


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"))
