import http.client
import socket
import urllib.request
from urllib.request import urlopen as uo


def via_urlopen(url):
    with urllib.request.urlopen(url) as resp:
        source = resp.read().decode()
    exec(source)  # expect: RCE001


def via_alias(url):
    exec(uo(url).read())  # expect: RCE001


def via_http_client(host):
    conn = http.client.HTTPSConnection(host)
    conn.request("GET", "/plugin.py")
    data = conn.getresponse().read()
    exec(data)  # expect: RCE001


def via_socket(host, port):
    s = socket.create_connection((host, port))
    buf = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
    exec(buf.decode())  # expect: RCE001


def via_makefile(host):
    s = socket.socket()
    s.connect((host, 80))
    text = s.makefile().read()
    eval(text)  # expect: RCE001
