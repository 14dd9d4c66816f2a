"""Decode helpers whose output is only returned, printed or written."""
import base64
import zlib

unpack = lambda s: zlib.decompress(base64.b64decode(s))
ICON = "eJwrKMrMK9FQz0jNyclXBwARBQKs"


def save(path):
    with open(path, "wb") as f:
        f.write(unpack(ICON))


def show():
    print(unpack(ICON).decode())


def run_text(text):
    exec(text)


def plain():
    run_text("x = 1")
