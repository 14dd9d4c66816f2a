"""LLM output that is only parsed as data is not run: no finding."""
import ast
import json

from openai import OpenAI
from pydantic import BaseModel


class Plan(BaseModel):
    steps: list


def plan(prompt):
    client = OpenAI()
    text = client.chat.completions.create(model="m", messages=[prompt]).choices[0].message.content
    data = json.loads(text)
    value = ast.literal_eval(text)
    p = Plan.model_validate_json(text)
    print(data, value, p.steps)
    exec("print('local code')")
    return data


def tool_dispatch(prompt, tools):
    client = OpenAI()
    call = client.chat.completions.create(model="m", messages=[prompt]).choices[0].message.tool_calls[0]
    args = json.loads(call.function.arguments)
    return tools[call.function.name](**args)
