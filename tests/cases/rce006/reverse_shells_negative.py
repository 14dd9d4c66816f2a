"""Look like reverse shells, are not: regular files on the standard streams, pipes, a socket that
only carries a command's output, a shell given its own command."""
import os
import pty
import socket
import subprocess
import sys


def log_to_file(path):
    f = open(path, "w")
    os.dup2(f.fileno(), 1)
    os.dup2(f.fileno(), 2)
    subprocess.call(["/bin/sh", "-i"])


def interactive_with_pipe():
    p = subprocess.Popen(["/bin/bash"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    return p.communicate(b"echo hi\n")


def terminal_for_the_user():
    pty.spawn("/bin/bash")


def report_over_socket(host, port):
    s = socket.create_connection((host, port))
    subprocess.run(["uptime"], stdout=s.fileno(), check=False)
    subprocess.run(["/bin/sh", "-c", "df -h"], stdout=s.fileno(), check=False)


def restore_stdin(saved):
    os.dup2(saved, sys.stdin.fileno())
    subprocess.call(["/bin/sh", "-i"])
