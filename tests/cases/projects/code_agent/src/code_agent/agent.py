"""The agent loop: plan with the model, then ask it for code and run that code."""
from __future__ import annotations

import logging
from typing import List

from .llm import ChatModel
from .runner import run_shell, run_snippet
from .tools import extract_code, parse_plan, render_prompt

log = logging.getLogger(__name__)


class CodeAgent:
    def __init__(self, provider: str = "openai") -> None:
        self.model = ChatModel(provider)
        self.history: List[str] = []

    def plan(self, task: str):
        """Only parsed: the plan's steps are shown to the user, nothing of it is run."""
        plan = parse_plan(self.model.ask(render_prompt(task, self.history) + "\nAnswer with a JSON plan."))
        for step in plan.steps:
            log.info("step: %s", step)
        return plan

    def solve(self, task: str) -> str:
        answer = self.model.ask(render_prompt(task, self.history))
        self.history.append(answer)
        return run_snippet(extract_code(answer), f"<{task[:20]}>")

    def setup_environment(self, task: str) -> str:
        command = self.model.ask(f"Give one shell command that installs what this needs: {task}")
        return run_shell(command.strip())
