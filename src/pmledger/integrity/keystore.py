"""Private keys live outside the ledger, behind a small interface.

The default keeps one encrypted PKCS#8 file per key; a KMS or HSM can implement the same
protocol. Decrypted keys are cached per store object because unlocking an encrypted PKCS#8
file is deliberately slow.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    load_pem_private_key,
)

from pmledger.errors import KeyStoreError
from pmledger.integrity.signing import key_id_of, raw_public_key

_KEY_ID = re.compile(r"^ed25519:[0-9a-f]{32}$")


def key_file_name(key_id: str) -> str:
    """The file an EncryptedFileKeyStore keeps a key in (`ed25519-<32 hex>.pem`): named by
    the key id, so `pmledger keys list` can say whose each file is from the keyring."""
    if not _KEY_ID.match(key_id):
        raise KeyStoreError(f"{key_id!r} is not a key id (expected ed25519:<32 hex>)")
    return key_id.replace(":", "-") + ".pem"


class KeyStore(Protocol):
    """Signs with private keys it never hands out."""

    def generate(self) -> tuple[str, bytes]:
        """Create a key; return its id and raw public key."""
        ...

    def has(self, key_id: str) -> bool: ...

    def sign(self, key_id: str, message: bytes) -> bytes: ...


class MemoryKeyStore:
    """Keys held in process memory only: for tests and throwaway demos."""

    def __init__(self) -> None:
        self._keys: dict[str, Ed25519PrivateKey] = {}

    def generate(self) -> tuple[str, bytes]:
        key = Ed25519PrivateKey.generate()
        raw = raw_public_key(key)
        key_id = key_id_of(raw)
        self._keys[key_id] = key
        return key_id, raw

    def has(self, key_id: str) -> bool:
        return key_id in self._keys

    def sign(self, key_id: str, message: bytes) -> bytes:
        try:
            return self._keys[key_id].sign(message)
        except KeyError:
            raise KeyStoreError(
                f"no private key {key_id} in this key store; generate or import it first"
            ) from None


class EncryptedFileKeyStore:
    """One passphrase-encrypted PKCS#8 PEM file per key in a directory (mode 0600)."""

    def __init__(self, directory: Path | str, passphrase: bytes) -> None:
        if not passphrase:
            raise KeyStoreError("an empty passphrase would leave private keys unencrypted")
        self._dir = Path(directory)
        self._passphrase = passphrase
        self._cache: dict[str, Ed25519PrivateKey] = {}

    def _path(self, key_id: str) -> Path:
        return self._dir / key_file_name(key_id)

    def generate(self) -> tuple[str, bytes]:
        self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        raw = raw_public_key(key)
        key_id = key_id_of(raw)
        pem = key.private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(self._passphrase)
        )
        path = self._path(key_id)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        self._cache[key_id] = key
        return key_id, raw

    def has(self, key_id: str) -> bool:
        return key_id in self._cache or self._path(key_id).exists()

    def _load(self, key_id: str) -> Ed25519PrivateKey:
        cached = self._cache.get(key_id)
        if cached is not None:
            return cached
        path = self._path(key_id)
        try:
            pem = path.read_bytes()
        except FileNotFoundError:
            raise KeyStoreError(
                f"no private key file for {key_id} in {self._dir}; "
                "check the key directory or register a new key for this person"
            ) from None
        try:
            key = load_pem_private_key(pem, password=self._passphrase)
        except (ValueError, TypeError):
            raise KeyStoreError(
                f"cannot unlock {path.name}: wrong passphrase or damaged file"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyStoreError(f"{path.name} does not hold an Ed25519 key")
        self._cache[key_id] = key
        return key

    def sign(self, key_id: str, message: bytes) -> bytes:
        return self._load(key_id).sign(message)
