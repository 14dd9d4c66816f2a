"""A task with built-in code (nothing from outside)."""
from __future__ import annotations

from ..base import BaseTask


class HelloTask(BaseTask):
    def generate(self) -> str:
        return "print('hello from tasklane')"
