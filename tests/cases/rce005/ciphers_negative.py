"""Decryption with a key from outside the file, of data that is only stored or shown."""
import os

from cryptography.fernet import Fernet


def secret_from_env(token):
    return Fernet(os.environ["KEY"]).decrypt(token)


def show(token, key):
    print(Fernet(key).decrypt(token))


def run_with_env_key():
    exec(Fernet(os.environ["KEY"]).decrypt(b"gAAAAABl0_token"))
