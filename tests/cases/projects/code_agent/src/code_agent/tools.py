"""Helpers around model answers: code blocks and plans."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import List

FENCE = re.compile(r"```(?:python)?\n(.*?)```", re.S)


def extract_code(answer: str) -> str:
    """The first fenced block of an answer, or the whole answer."""
    m = FENCE.search(answer)
    return m.group(1) if m else answer


@dataclass
class Plan:
    steps: List[str]
    done: bool


def parse_plan(answer: str) -> Plan:
    """A plan is JSON: {"steps": [...], "done": false}. It is data, never run."""
    doc = json.loads(extract_code(answer))
    return Plan(steps=[str(s) for s in doc.get("steps", [])], done=bool(doc.get("done")))


def render_prompt(task: str, history: List[str]) -> str:
    lines = [f"Task: {task}"] + [f"Earlier: {h}" for h in history[-5:]]
    return "\n".join(lines)


def langchain_tools():
    """The runner as LangChain tools, for agents built with langgraph's create_react_agent."""
    from langchain_core.tools import tool

    from .runner import run_shell

    @tool
    def shell(command: str) -> str:
        """Run a shell command in the workspace and return its output."""
        return run_shell(command)

    @tool
    def word_count(path: str) -> int:
        """Count the words of a file in the workspace."""
        with open(path, encoding="utf-8") as fh:
            return len(fh.read().split())

    return [shell, word_count]
