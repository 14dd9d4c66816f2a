import base64
import codecs
import marshal
import zlib

PAYLOAD = "cHJpbnQoJ2hlbGxvJyk="


def a():
    exec(base64.b64decode(PAYLOAD))  # expect: RCE005


def b():
    exec(zlib.decompress(base64.b64decode(b"eJwrKMrMK9FQz0jNyclXBwARBQKs")))  # expect: RCE005


def c():
    eval(codecs.decode("cevag('uryyb')", "rot13"))  # expect: RCE005


def d():
    exec("".join(chr(c) for c in [112, 114, 105, 110, 116, 40, 49, 41]))  # expect: RCE005


def e():
    exec(bytes.fromhex("7072696e7428312900").decode())  # expect: RCE005


def f():
    code = marshal.loads(b"\xe3\x00\x00\x00")
    exec(code)  # expect: RCE005


def g():
    exec("".join(map(chr, [112, 114, 105, 110, 116, 40, 50, 41])))  # expect: RCE005
