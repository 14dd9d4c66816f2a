import hashlib
import hmac

import requests

PINNED_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def digest_from_the_same_server(url):
    resp = requests.get(url)
    if hashlib.sha256(resp.content).hexdigest().lower() != resp.headers["X-SHA256"].lower():
        raise RuntimeError("checksum mismatch")
    exec(resp.content)  # expect: RCE001


def digest_of_other_data(url, manifest_url):
    data = requests.get(url).content
    manifest = requests.get(manifest_url).content
    if hashlib.sha256(manifest).hexdigest() == PINNED_SHA256:
        exec(data)  # expect: RCE001


def not_a_digest(url):
    data = requests.get(url).text
    if data.lower() == PINNED_SHA256:
        exec(data)  # expect: RCE001


def unkeyed_compare_with_the_server(url):
    resp = requests.get(url)
    digest = hashlib.sha256(resp.content).digest()
    if hmac.compare_digest(digest.hex(), resp.headers["X-Signature"]):
        exec(resp.content)  # expect: RCE001
