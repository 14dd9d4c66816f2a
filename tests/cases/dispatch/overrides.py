"""Calls on an object bind to every implementation the receiver can have: the subclasses'
overrides (also of an abstract base method), a mixin's method, super() to the next class in the
MRO, and ``cls()`` in an inherited classmethod makes the subclass."""
import abc
import subprocess

import requests


class Task(abc.ABC):
    @abc.abstractmethod
    def generate(self) -> str:
        ...

    def run(self):
        code = self.generate()
        exec(code)  # expect: RCE001


class RemoteTask(Task):
    def __init__(self, url):
        self.url = url

    def generate(self):
        return requests.get(self.url, timeout=10).text


class Handler:
    def handle(self, data):
        raise NotImplementedError

    def serve(self, url):
        data = requests.get(url, timeout=10).text
        self.handle(data)


class EvalMixin:
    def handle(self, data):
        return eval(data)  # expect: RCE001


class EvalHandler(EvalMixin, Handler):
    pass


class Source:
    def read(self) -> str:
        return ""


class HttpSource(Source):
    def read(self) -> str:
        return requests.get("https://example.com/job.py", timeout=10).text


class Job:
    def __init__(self, source: Source):
        self.source = source

    def start(self):
        exec(self.source.read())  # expect: RCE001


class Step:
    def apply(self, text):
        exec(text)  # expect: RCE001


class LoggedStep(Step):
    def apply(self, text):
        print("applying a step")
        super().apply(text)


def run_step(url):
    LoggedStep().apply(requests.get(url, timeout=10).text)


class Plugin:
    @classmethod
    def create(cls):
        return cls()


class ShellPlugin(Plugin):
    def start(self, cmd):
        subprocess.run(cmd, shell=True)  # expect: RCE006


def boot(url):
    ShellPlugin.create().start(requests.get(url, timeout=10).text)
