"""Declared types that carry nothing from outside: local classes, plain data fields, and model
output that is only parsed as JSON. Nothing to report."""
import json
from dataclasses import dataclass, field
from typing import List, Optional

import zmq
from openai import OpenAI


class Templates:
    def render(self, name):
        return f"def {name}(): return 1"


@dataclass
class Codegen:
    templates: Templates
    names: List[str] = field(default_factory=list)
    prefix: Optional[str] = None

    def build(self):
        for n in self.names:
            exec(self.templates.render(n))
        exec(self.prefix or "x = 1")


@dataclass
class Planner:
    client: OpenAI

    def plan(self, q):
        r = self.client.chat.completions.create(model="m", messages=[q])
        return json.loads(r.choices[0].message.content)


class Listener:
    sock: zmq.Socket
    version: "str"

    def status(self):
        msg = self.sock.recv_json()
        print(msg.get("status"))
        exec(compile(self.version, "<v>", "exec"))
