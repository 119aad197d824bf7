"""Ed25519 keys, key ids and the signer interface.

Key ids are fingerprints of the raw public key, so the id itself proves which key is meant
and a bundle can be checked years later without trusting any name lookup.
"""

from __future__ import annotations

import binascii
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pmledger.canonical import sha256_hex


class Signer(Protocol):
    """Anything that can sign with a named key: a key store, a KMS, an HSM."""

    def sign(self, key_id: str, message: bytes) -> bytes: ...


PARALLEL_SIGNING_FROM = 32
"""Signatures a write needs before half of them go to a second thread: starting the thread
costs ≈ 0.1 ms, about three signatures, so a single record or a small batch signs in line."""


class BatchSigner:
    """A Signer that can sign a whole write's messages before it is stored, half of them on a
    second thread, and then answers the storage boundary's `sign` from them.

    cryptography releases the GIL while it signs with Ed25519 (pyca/cryptography#15164,
    measured with 51.0.1: a second thread runs Python throughout a long signature), so a
    second core signs while the first does; signing was 38 µs of an imported act's ≈ 300.
    With an older cryptography the halves take turns: the same signatures, no faster, and
    one thread start more per large write. Ed25519 is deterministic:
    each signature is the one `inner` gives for the same key and bytes (a test holds them
    equal), so nothing stored changes. The private keys stay where `inner` keeps them (the
    worker is a thread of this process, calling `inner.sign`); what is held is one write's
    signatures, for the calling thread only, and forgotten when the write ends."""

    def __init__(self, inner: Signer) -> None:
        self._inner = inner
        self._ahead = threading.local()

    def sign(self, key_id: str, message: bytes) -> bytes:
        ready: dict[tuple[str, bytes], bytes] | None = getattr(self._ahead, "ready", None)
        if ready is not None:
            signature = ready.get((key_id, message))
            if signature is not None:
                return signature
        return self._inner.sign(key_id, message)

    @contextmanager
    def signing(self, requests: Sequence[tuple[str, bytes]]) -> Iterator[None]:
        """Within the block, `sign` answers each (key id, message) of `requests` from
        signatures made on entry (two threads from PARALLEL_SIGNING_FROM requests on a
        machine of more than one core; else nothing is done ahead). A key that cannot sign
        raises here, as `sign` would have, the first failing request's error first."""
        if len(requests) < PARALLEL_SIGNING_FROM or (os.cpu_count() or 1) < 2:
            yield
            return
        half = len(requests) // 2
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmledger-sign") as pool:
            theirs = pool.submit(self._sign_all, requests[half:])
            mine = self._sign_all(requests[:half])  # on an error, the pool's exit waits
            signatures = mine + theirs.result()
        outer = getattr(self._ahead, "ready", None)
        self._ahead.ready = dict(zip(requests, signatures, strict=True))
        try:
            yield
        finally:
            self._ahead.ready = outer

    def _sign_all(self, requests: Sequence[tuple[str, bytes]]) -> list[bytes]:
        return [self._inner.sign(key_id, message) for key_id, message in requests]


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
