"""``code-agent TASK``: plan, then solve."""
from __future__ import annotations

import argparse

from .agent import CodeAgent
from .runner import selftest


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="code-agent")
    p.add_argument("task")
    p.add_argument("--provider", default="openai", choices=["openai", "anthropic"])
    p.add_argument("--plan-only", action="store_true")
    args = p.parse_args(argv)
    selftest()
    agent = CodeAgent(args.provider)
    plan = agent.plan(args.task)
    if args.plan_only or plan.done:
        return 0
    print(agent.solve(args.task))
    return 0
