"""Sealing and opening personal content with AES-GCM under the case's category key.

The case id and category are bound in as associated data, so ciphertext moved to another
case or category fails to open rather than decrypting under the wrong record.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pmledger.crypto.data_keys import DataKeys
from pmledger.errors import InvalidInput
from pmledger.events.values import SEALED_PREFIX
from pmledger.integrity.signing import b64, unb64

SEALED_PLACEHOLDER = "[sealed personal content]"


def _aad(case_id: str, category: str) -> bytes:
    return f"pmledger\x1f{case_id}\x1f{category}".encode()


@dataclass(frozen=True)
class Sealed:
    category: str
    nonce: bytes
    ciphertext: bytes

    @classmethod
    def parse(cls, token: str) -> Sealed:
        try:
            category, nonce, ciphertext = token.removeprefix(SEALED_PREFIX).split(":")
            return cls(category, unb64(nonce), unb64(ciphertext))
        except ValueError:
            raise InvalidInput(f"damaged sealed content {token[:40]!r}…") from None


class Sealer:
    def __init__(self, keys: DataKeys) -> None:
        self.keys = keys

    def seal(self, case_id: str, category: str, plaintext: str) -> str:
        if plaintext.startswith(SEALED_PREFIX):
            raise InvalidInput(
                f"personal text may not start with {SEALED_PREFIX!r}: that prefix marks ciphertext"
            )
        key = self.keys.create(case_id, category)
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, plaintext.encode(), _aad(case_id, category))
        return f"{SEALED_PREFIX}{category}:{b64(nonce)}:{b64(ciphertext)}"

    def open(self, case_id: str, token: str) -> str:
        """The plaintext, or what stands in its place once its key is destroyed."""
        if not token.startswith(SEALED_PREFIX):
            return token
        sealed = Sealed.parse(token)
        record = self.keys.get(case_id, sealed.category)
        if record is None:
            return SEALED_PLACEHOLDER
        if record.key is None:
            return f"[disposed on {record.destroyed_on} under rule {record.rule}]"
        try:
            return (
                AESGCM(record.key)
                .decrypt(sealed.nonce, sealed.ciphertext, _aad(case_id, sealed.category))
                .decode()
            )
        except InvalidTag:
            raise InvalidInput(
                f"sealed content of case {case_id} does not open with its {sealed.category} key"
            ) from None
