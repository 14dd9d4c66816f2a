"""Attributes whose type is only declared: dataclass, Pydantic, attrs and plain class fields,
`Optional[X]`, `X | None`, `Union[...]`, string annotations and `Annotated`. A third-party class is
known by its qualified name, so its methods resolve through the model rows."""
from dataclasses import dataclass
from typing import Annotated, Optional, Union

import attr
import openai
import pydantic
import zmq
from openai import OpenAI


@dataclass
class Agent:
    client: OpenAI

    def step(self, prompt):
        r = self.client.chat.completions.create(model="m", messages=[prompt])
        exec(r.choices[0].message.content)  # expect: RCE001


@dataclass
class LazyAgent:
    client: Optional[openai.OpenAI] = None

    def step(self, prompt):
        r = self.client.chat.completions.create(model="m", messages=[prompt])
        exec(r.choices[0].message.content)  # expect: RCE001


class Settings(pydantic.BaseModel):
    llm: "OpenAI | None" = None

    def ask(self, q):
        out = self.llm.chat.completions.create(model="m", messages=[q])
        return eval(out.choices[0].message.content)  # expect: RCE001


class Worker:
    sock: zmq.Socket

    def serve(self):
        exec(self.sock.recv_string())  # expect: RCE001


@attr.s
class Tool:
    client: Annotated[OpenAI, "the model"] = attr.ib()

    def run(self, q):
        r = self.client.chat.completions.create(model="m", messages=[q])
        exec(r.choices[0].message.content)  # expect: RCE001


class Holder:
    def __init__(self):
        self.client: Union[OpenAI, None] = None

    def go(self, q):
        r = self.client.chat.completions.create(model="m", messages=[q])
        exec(r.choices[0].message.content)  # expect: RCE001


def annotated_param(c: "Optional[OpenAI]"):
    r = c.chat.completions.create(model="m", messages=[])
    eval(r.choices[0].message.content)  # expect: RCE001


def annotated_local(make):
    c: OpenAI = make()
    eval(c.chat.completions.create(model="m", messages=[]).choices[0].message.content)  # expect: RCE001


class Nested(pydantic.BaseModel):
    settings: Settings
    worker: Optional["Worker"] = None

    def run(self):
        exec(self.worker.sock.recv_string())  # expect: RCE001
