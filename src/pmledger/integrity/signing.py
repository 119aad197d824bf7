"""Ed25519 keys, key ids and the signer interface.

Key ids are fingerprints of the raw public key, so the id itself proves which key is meant
and a bundle can be checked years later without trusting any name lookup.
"""

from __future__ import annotations

import binascii
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
    """Standard base64 (what `base64.b64encode` gives), without its wrapper's overhead:
    `verify` decodes and re-encodes every stored signature."""
    return binascii.b2a_base64(data, newline=False).decode("ascii")


def unb64(text: str) -> bytes:
    """Strict standard base64: exactly `base64.b64decode(..., validate=True)`."""
    return binascii.a2b_base64(text.encode("ascii"), strict_mode=True)


def verify_signature(public_raw: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
