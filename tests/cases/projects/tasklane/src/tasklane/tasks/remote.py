"""A task whose code is published on a server."""
from __future__ import annotations

from ..base import BaseTask
from ..http import HttpClient


class RemoteScriptTask(BaseTask):
    http: HttpClient
    path: str

    model_config = {"arbitrary_types_allowed": True}

    def generate(self) -> str:
        return self.http.get_text(self.path)
