"""Object types survive constructor arguments, callee parameters, return values and containers
(a list or dict of clients or sockets)."""
from dataclasses import dataclass

import zmq
from openai import OpenAI


class Runner:
    def __init__(self, client):
        self.client = client

    def go(self):
        r = self.client.chat.completions.create(model="m", messages=[])
        exec(r.choices[0].message.content)  # expect: RCE001


def main():
    Runner(client=OpenAI()).go()


@dataclass
class Job:
    sock: object

    def run(self):
        exec(self.sock.recv_string())  # expect: RCE001


def start():
    ctx = zmq.Context()
    Job(ctx.socket(zmq.PULL)).run()


def ask(c, q):
    r = c.chat.completions.create(model="m", messages=[q])
    return eval(r.choices[0].message.content)  # expect: RCE001


def caller():
    return ask(OpenAI(), "2+2")


def make_client():
    return OpenAI()


def uses_factory():
    c = make_client()
    eval(c.chat.completions.create(model="m", messages=[]).choices[0].message.content)  # expect: RCE001


def pool():
    clients = [OpenAI(), OpenAI()]
    for c in clients:
        exec(c.chat.completions.create(model="m", messages=[]).choices[0].message.content)  # expect: RCE001
    by_name = {"main": OpenAI()}
    exec(by_name["main"].chat.completions.create(model="m", messages=[]).choices[0].message.content)  # expect: RCE001


def sockets():
    ctx = zmq.Context()
    socks = []
    socks.append(ctx.socket(zmq.SUB))
    for s in socks:
        exec(s.recv_string())  # expect: RCE001
