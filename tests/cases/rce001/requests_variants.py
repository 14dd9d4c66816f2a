import requests
import requests as rq
from requests import get as fetch


def a(url):
    exec(requests.get(url).text)  # expect: RCE001


def b(url):
    r = rq.post(url, data={})
    code = r.content.decode("utf-8").strip()
    eval(code)  # expect: RCE001


def c(url):
    s = requests.Session()
    payload = s.get(url, timeout=5).json()
    exec(payload["plugins"][0]["source"])  # expect: RCE001


def d(url):
    body = fetch(url).raw.read()
    exec(body)  # expect: RCE001


def e(url):
    chunks = []
    for line in requests.get(url, stream=True).iter_lines():
        chunks.append(line.decode())
    exec("\n".join(chunks))  # expect: RCE001


def f(url):
    header = "# generated\n"
    src = f"{header}{requests.get(url).text}"
    exec(src, {})  # expect: RCE001


def g(url):
    src = "%s\n" % requests.get(url).text
    exec("x = 1\n" + src)  # expect: RCE001
