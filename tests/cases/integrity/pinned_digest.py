import hashlib
import hmac
import subprocess
import urllib.request

import requests

EXPECTED_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SIGNING_KEY = b"local-secret"


def verified_raise(url):
    data = requests.get(url).content
    if hashlib.sha256(data).hexdigest() != EXPECTED_SHA256:
        raise RuntimeError("checksum mismatch")
    exec(data)  # expect: RCE001:note


def verified_branch(url):
    data = requests.get(url).content
    if hashlib.sha256(data).hexdigest() == EXPECTED_SHA256:
        exec(data)  # expect: RCE001:note


def verified_update_style(url):
    body = urllib.request.urlopen(url).read()
    h = hashlib.sha256()
    h.update(body)
    if not hmac.compare_digest(h.hexdigest(), EXPECTED_SHA256):
        return None
    exec(body)  # expect: RCE001:note


def verified_assert(url):
    data = requests.get(url).content
    assert hashlib.sha256(data).hexdigest() == EXPECTED_SHA256
    exec(data)  # expect: RCE001:note


def keyed_mac(url):
    resp = requests.get(url)
    mac = hmac.new(SIGNING_KEY, resp.content, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac, resp.headers["X-Signature"]):
        raise ValueError("bad signature")
    exec(resp.content)  # expect: RCE001:note


def verified_file(url):
    urllib.request.urlretrieve(url, "tool.bin")
    with open("tool.bin", "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != EXPECTED_SHA256:
        raise SystemExit("bad download")
    subprocess.run(["./tool.bin"])  # expect: RCE003:note


def signature(url, verify_key):
    signed = requests.get(url).content
    message = verify_key.verify(signed)
    exec(message)  # expect: RCE001:note


def cryptography_style(url, public_key, padding, hashes):
    payload = requests.get(url).content
    sig = requests.get(url + ".sig").content
    public_key.verify(sig, payload, padding.PKCS1v15(), hashes.SHA256())
    exec(payload)  # expect: RCE001:note
