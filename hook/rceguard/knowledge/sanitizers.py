"""Integrity checks: what makes downloaded data trustworthy enough to run."""
from __future__ import annotations

# digest constructors: name -> index of the data argument (None: no data argument)
DIGESTS = {
    **{f"hashlib.{a}": 0 for a in (
        "md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_224", "sha3_256", "sha3_384",
        "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256")},
    "hashlib.new": 1,
    "hashlib.file_digest": 0,
    "hmac.new": 1,
    "hmac.digest": 1,
    "zlib.crc32": 0,
    "zlib.adler32": 0,
}
# keyed digests: comparing them with a value from the server is still a valid check (the key is local)
KEYED_DIGESTS = {"hmac.new", "hmac.digest"}
DIGEST_METHODS = {"hexdigest", "digest"}
HASHER_UPDATE = "update"

# constant-time comparison functions (compare two digests)
COMPARES = {"hmac.compare_digest", "secrets.compare_digest"}

# signature checks that raise when the signature is bad: name -> indexes of data arguments
# (None: every argument)
VERIFY_FUNCTIONS = {
    "rsa.verify": (0,),
    "nacl.signing.VerifyKey.verify": None,
    "ecdsa.VerifyingKey.verify": None,
}
# a method called ``verify`` on any object with the data among its arguments (nacl VerifyKey,
# cryptography public keys, ecdsa keys) is taken as such a check
VERIFY_METHODS = {"verify", "verify_signature"}

# yaml loaders that are safe
SAFE_YAML_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}
