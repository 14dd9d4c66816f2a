"""Holds the sink but reads no network data: the pre-scan defers this file."""


class Runner:
    def __init__(self, name):
        self.name = name

    def run(self, code):
        exec(code)  # expect: RCE001

    def show(self, text):
        print(self.name, text)
