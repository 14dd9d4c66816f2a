import socket

from .config import DESK_HOST, DESK_PORT


def open_channel(host: str = DESK_HOST, port: int = DESK_PORT) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=30)
    sock.settimeout(None)
    return sock
