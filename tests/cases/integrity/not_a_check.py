import hashlib
import logging

import requests

EXPECTED = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def computed_never_compared(url):
    data = requests.get(url).content
    digest = hashlib.sha256(data).hexdigest()
    logging.info("got %s", digest)
    exec(data)  # expect: RCE001


def same_origin_digest(url):
    data = requests.get(url).content
    expected = requests.get(url + ".sha256").text.strip()
    if hashlib.sha256(data).hexdigest() != expected:
        raise RuntimeError("mismatch")
    exec(data)  # expect: RCE001


def mismatch_only_logged(url):
    data = requests.get(url).content
    if hashlib.sha256(data).hexdigest() != EXPECTED:
        logging.warning("checksum mismatch, running anyway")
    exec(data)  # expect: RCE001
