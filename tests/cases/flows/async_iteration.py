import socket

import aiohttp
import requests


async def hooks(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as r:
            doc = await r.json()
    for hook in doc["hooks"]:
        exec(hook["source"])  # expect: RCE001


def comprehension(urls):
    sources = [requests.get(u).text for u in urls]
    for s in sources:
        exec(s)  # expect: RCE001


def generator(urls):
    exec("\n".join(requests.get(u).text for u in urls))  # expect: RCE001


def recv_loop(conn: socket.socket):
    buf = b""
    while True:
        chunk = conn.recv(1024)
        if not chunk:
            break
        buf += chunk
    exec(buf)  # expect: RCE001


def walrus(sock):
    s = socket.socket()
    if (data := s.recv(100)):
        eval(data)  # expect: RCE001
