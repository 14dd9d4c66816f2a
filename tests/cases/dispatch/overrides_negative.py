"""Dispatch stays inside the hierarchy: an override that returns a constant, one that only logs
the data, a class that is not a subclass (its same-name method is never the receiver), and a
super() call to a method that runs nothing."""
import requests


class Task:
    def generate(self):
        raise NotImplementedError

    def run(self):
        exec(self.generate())


class ConstantTask(Task):
    def generate(self):
        return "x = 1"


class Handler:
    def handle(self, data):
        ...

    def serve(self, url):
        self.handle(requests.get(url, timeout=10).text)


class PrintHandler(Handler):
    def handle(self, data):
        print(data)


class Unrelated:
    """Not a subclass of Handler: Handler.serve never reaches this handle()."""

    def handle(self, data):
        exec(data)


def local_only():
    Unrelated().handle("print('ok')")


class Base:
    def apply(self, text):
        return text.upper()


class Child(Base):
    def apply(self, text):
        return super().apply(text)


def use(url):
    print(Child().apply(requests.get(url, timeout=10).text))
