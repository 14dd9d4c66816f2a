"""Encoded data that is only printed, written or compared, and text encodings that are not
payload encodings."""
import base64
import codecs
import os
import subprocess

ICON = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def show():
    print(base64.b64decode(ICON))
    with open("icon.png", "wb") as f:
        f.write(base64.b64decode(ICON))


def text_encodings(raw):
    subprocess.run(["echo", codecs.decode(raw, "utf-8")])
    os.system("ls " + codecs.decode(b"abc", "latin-1"))


def local_codec(path):
    data = open(path, "rb").read()
    return codecs.decode(data, "base64")


def constant_command():
    os.system("ls -la")
