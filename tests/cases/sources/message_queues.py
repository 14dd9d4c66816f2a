"""ZeroMQ sockets, multiprocessing connections, RPC servers and message brokers."""
import pickle
import subprocess
from multiprocessing.connection import Client, Listener
from xmlrpc.server import SimpleXMLRPCServer

import zmq
from kombu import Consumer


def zmq_worker():
    ctx = zmq.Context()
    sock = ctx.socket(zmq.REP)
    sock.bind("tcp://*:5555")
    job = sock.recv_pyobj()  # expect: RCE002
    msg = sock.recv_json()
    raw = sock.recv()
    exec(msg["code"])  # expect: RCE001
    pickle.loads(raw)  # expect: RCE002
    return job


class Worker:
    def __init__(self):
        self.sock = zmq.Context.instance().socket(zmq.PULL)

    def loop(self):
        while True:
            cmd = self.sock.recv_string()
            subprocess.run(cmd, shell=True)  # expect: RCE006


def mp_server():
    with Listener(("0.0.0.0", 6000)) as listener:
        with listener.accept() as conn:
            task = conn.recv()  # expect: RCE002
            data = conn.recv_bytes()
            exec(data)  # expect: RCE001
            return task


def mp_client():
    conn = Client(("localhost", 6000))
    return conn.recv()  # expect: RCE002


def run_command(cmd):
    return subprocess.check_output(cmd, shell=True)  # expect: RCE006


def rpc_server():
    server = SimpleXMLRPCServer(("0.0.0.0", 8000))
    server.register_function(run_command, "run")
    server.serve_forever()


def consume(channel, queue):
    return Consumer(channel, queues=[queue], accept=["pickle", "json"])  # expect: RCE002
