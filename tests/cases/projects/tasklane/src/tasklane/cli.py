"""Command line: run one task."""
from __future__ import annotations

import argparse

import openai

from .http import HttpClient
from .tasks import CodeGenTask, HelloTask, RemoteScriptTask


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="tasklane")
    ap.add_argument("kind", choices=["hello", "codegen", "remote"])
    ap.add_argument("--prompt", default="print the first ten primes")
    ap.add_argument("--server", default="https://tasks.example.com")
    ap.add_argument("--path", default="nightly.py")
    args = ap.parse_args(argv)
    if args.kind == "hello":
        task = HelloTask(name="hello")
    elif args.kind == "codegen":
        task = CodeGenTask(name="codegen", client=openai.OpenAI(), prompt=args.prompt)
    else:
        task = RemoteScriptTask(name="remote", http=HttpClient(args.server), path=args.path)
    task.execute()
    return 0
