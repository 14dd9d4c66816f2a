"""Payloads encrypted with a key kept in the same file, decrypted and run."""
from Crypto.Cipher import AES
from cryptography.fernet import Fernet

KEY = b"ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg="
TOKEN = b"gAAAAABl0_constant_token_in_the_file"


def fernet():
    exec(Fernet(KEY).decrypt(TOKEN))  # expect: RCE005


def fernet_object():
    f = Fernet(KEY)
    code = f.decrypt(TOKEN).decode()
    exec(code)  # expect: RCE005


def aes():
    cipher = AES.new(b"0123456789abcdef", AES.MODE_ECB)
    exec(cipher.decrypt(b"\x8f\x12\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd"))  # expect: RCE005
