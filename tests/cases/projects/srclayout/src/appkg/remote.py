import httpx


class Client:
    def __init__(self, base):
        self.base = base
        self.http = httpx.Client()

    def script(self, name):
        return self.http.get(f"{self.base}/{name}.py").text
