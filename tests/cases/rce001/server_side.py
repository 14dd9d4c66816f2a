"""The other face: a server that runs what an HTTP request carries."""
from http.server import BaseHTTPRequestHandler

from flask import Flask, request

app = Flask(__name__)


@app.route("/run", methods=["POST"])
def run():
    code = request.form["code"]
    return str(eval(code))  # expect: RCE001


@app.route("/calc/<expr>")
def calc(expr):
    return str(eval(expr))  # expect: RCE001


def django_view(request):
    exec(request.POST.get("snippet", ""))  # expect: RCE001


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        exec(body)  # expect: RCE001


async def aiohttp_handler(request):
    text = await request.text()
    exec(text)  # expect: RCE001
