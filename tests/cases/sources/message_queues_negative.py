"""ZeroMQ messages used as data, JSON-only consumers, local functions: no finding."""
import json

import zmq
from kombu import Consumer


def worker():
    sock = zmq.Context().socket(zmq.REP)
    msg = sock.recv_json()
    data = json.loads(sock.recv())
    sock.send_json({"ok": True, "n": len(msg), "d": data})
    exec("print('ready')")


def consume(channel, queue):
    return Consumer(channel, queues=[queue], accept=["json"])
