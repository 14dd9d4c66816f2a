"""The same shapes with objects that produce only local data: a stub client, a local template
engine passed through constructors, parameters and containers. Nothing to report."""


class StubCompletions:
    def create(self, **kw):
        return "x = 1"


class StubChat:
    completions = StubCompletions()


class StubClient:
    chat = StubChat()


class Runner:
    def __init__(self, client):
        self.client = client

    def go(self):
        exec(self.client.chat.completions.create(model="m"))


def main():
    Runner(client=StubClient()).go()


def ask(c):
    return eval(c.chat.completions.create(model="m"))


def caller():
    return ask(StubClient())


def pool():
    clients = [StubClient()]
    for c in clients:
        exec(c.chat.completions.create(model="m"))
    by_name = {"main": StubClient()}
    exec(by_name["main"].chat.completions.create(model="m"))
