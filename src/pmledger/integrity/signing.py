"""Ed25519 keys, key ids and the signer interface.

Key ids are fingerprints of the raw public key, so the id itself proves which key is meant
and a bundle can be checked years later without trusting any name lookup.
"""

from __future__ import annotations

import base64
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pmledger.canonical import sha256_hex


class Signer(Protocol):
    """Anything that can sign with a named key: a key store, a KMS, an HSM."""

    def sign(self, key_id: str, message: bytes) -> bytes: ...


def raw_public_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(public_raw: bytes) -> str:
    return "ed25519:" + sha256_hex(public_raw)[:32]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def verify_signature(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
