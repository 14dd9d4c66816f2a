"""Serverless entry points and LLM-agent tools: their parameters are outside data."""
import subprocess

import functions_framework
from langchain_core.tools import BaseTool, tool


def lambda_handler(event, context):
    cmd = event["queryStringParameters"]["cmd"]
    return subprocess.run(cmd, shell=True, capture_output=True).stdout  # expect: RCE006


@functions_framework.http
def calc(request):
    return str(eval(request.args["expr"]))  # expect: RCE001


@tool
def python_repl(code: str) -> str:
    """Run Python code."""
    exec(code)  # expect: RCE001
    return "done"


class ShellTool(BaseTool):
    name: str = "shell"

    def _run(self, command: str) -> str:
        return subprocess.check_output(command, shell=True).decode()  # expect: RCE006
