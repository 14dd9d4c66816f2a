import hashlib
import hmac
import secrets
import subprocess
import urllib.request
import zlib

import requests

PINNED_SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
PINNED_CRC = 0x1C291CA3
SIGNING_KEY = b"local-secret"


def upper_case_digest(url):
    data = requests.get(url).content
    if hashlib.sha256(data).hexdigest().upper() != PINNED_SHA256.upper():
        raise RuntimeError("checksum mismatch")
    exec(data)  # expect: RCE001:note


def stripped_digest_object(url):
    body = urllib.request.urlopen(url).read()
    h = hashlib.new("sha256", body)
    if h.hexdigest().strip() == PINNED_SHA256:
        exec(body)  # expect: RCE001:note


def one_shot_hmac(url):
    resp = requests.get(url)
    mac = hmac.digest(SIGNING_KEY, resp.content, "sha256")
    if not hmac.compare_digest(mac.hex(), resp.headers["X-Signature"]):
        raise ValueError("bad signature")
    exec(resp.content)  # expect: RCE001:note


def crc_checked(url):
    data = requests.get(url).content
    if zlib.crc32(data) != PINNED_CRC:
        raise RuntimeError("corrupt download")
    exec(data)  # expect: RCE001:note


def file_digest_checked(url):
    urllib.request.urlretrieve(url, "tool.bin")
    with open("tool.bin", "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    if digest != PINNED_SHA256:
        raise SystemExit("bad download")
    subprocess.run(["./tool.bin"])  # expect: RCE003:note


def constant_time_compare(url):
    data = requests.get(url).content
    if secrets.compare_digest(hashlib.sha256(data).hexdigest(), PINNED_SHA256):
        exec(data)  # expect: RCE001:note
