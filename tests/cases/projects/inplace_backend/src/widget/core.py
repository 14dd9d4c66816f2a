from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass
class Widget:
    name: str
    size: int = 1

    @classmethod
    def from_json(cls, text: str) -> "Widget":
        data = json.loads(text)
        return cls(name=str(data["name"]), size=int(data.get("size", 1)))
