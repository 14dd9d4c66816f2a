"""Payloads decoded by a small helper (a lambda or a function) and then run."""
import base64
import os
import zlib

_ = lambda s: __import__("zlib").decompress(__import__("base64").b64decode(s[::-1]))
BLOB = "==wLAAoFGBaCkS0ZGiy1sBqb0rkn"


def unpack(data):
    return base64.b64decode(data).decode()


def run_decoded(data):
    exec(base64.b64decode(data))  # expect: RCE005


def lambda_chain():
    exec(_(BLOB))  # expect: RCE005


def helper():
    os.system(unpack("bHMgLWxh"))  # expect: RCE005


def helper_runs_it():
    run_decoded("cHJpbnQoMSk=")  # reported at the exec in run_decoded()


def forwarded(data):
    run_decoded(data)


def forwarded_constant():
    forwarded("cHJpbnQoMik=")


exec(_("=abc"))  # expect: RCE005
