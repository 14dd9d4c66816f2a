"""Integrity checks: what makes downloaded data trustworthy enough to run."""
from __future__ import annotations

# (digest constructors and methods, keyed digests and constant-time comparisons are rows:
# INTEGRITY_ROWS in models.py)
HASHER_UPDATE = "update"

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
