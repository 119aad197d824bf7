"""Sealing and opening personal content with AES-GCM under the case's category key.

The case id and category are bound in as associated data, so ciphertext moved to another
case or category fails to open rather than decrypting under the wrong record.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pmledger.crypto.data_keys import DataKey, DataKeys, new_key
from pmledger.errors import ContentDisposed, InvalidInput, TamperingDetected
from pmledger.events.values import SEALED_PREFIX
from pmledger.integrity.signing import b64, unb64

SEALED_PLACEHOLDER = "[sealed personal content]"
NONCE_SIZE = 12


def _cipher(key: bytes, case_id: str, category: str) -> AESGCM:
    """AES-GCM under a stored data key; a key of the wrong length was changed in the key table
    outside pmledger, named here rather than left to AESGCM's ValueError."""
    try:
        return AESGCM(key)
    except ValueError:
        raise TamperingDetected(
            f"the {category} data key of case {case_id} is {len(key)} bytes, not a key: the key "
            "table was changed outside pmledger; run `pmledger verify` to name it and restore "
            "the key table from a backup"
        ) from None


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
            sealed = cls(category, unb64(nonce), unb64(ciphertext))
            if len(sealed.nonce) != NONCE_SIZE:
                raise ValueError(f"a nonce of {len(sealed.nonce)} bytes")
            return sealed
        except ValueError:
            raise InvalidInput(f"damaged sealed content {token[:40]!r}…") from None


def opens_with(key: bytes, case_id: str, token: str) -> bool:
    """Whether sealed content opens with `key` as the content of its case and category: what
    `verify` asks of one sealed field per live key, so a key replaced by a random one or by
    another category's or case's fails (the case and category are bound in)."""
    try:
        sealed = Sealed.parse(token)
        AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, _aad(case_id, sealed.category))
    except (InvalidInput, InvalidTag, ValueError):
        return False
    return True


Slot = tuple[str, str]
"""(case id, category): what one data key seals."""


class Sealer:
    """Seals with the case's category key, reading each live key at most once per write.

    Keys it has to make are not stored at once: inside `new_keys()` they are collected for the
    caller to store in the same transaction as the events sealed under them, so a failed
    write leaves neither. Live keys are remembered only for the write in progress, never
    across writes: a purge in another process may destroy a key at any time, and content
    sealed afterwards under a remembered copy could never be read. Opening always reads the
    stored key.
    """

    def __init__(self, keys: DataKeys) -> None:
        self.keys = keys
        self._live: dict[Slot, bytes] = {}
        self._new: dict[Slot, bytes] | None = None
        self._read: dict[Slot, DataKey] = {}
        """Stored keys of the cases `read_cases` read for the write in progress."""
        self._cases_read: set[str] = set()
        self._ciphers: dict[Slot, tuple[AESGCM, bytes]] = {}
        """The cipher and associated data of each slot sealed in the write in progress."""

    @contextmanager
    def new_keys(self) -> Iterator[dict[Slot, bytes]]:
        """Collect the keys made while sealing one write, for the block to store with its
        events; live keys read during the block are forgotten when it ends."""
        made: dict[Slot, bytes] = {}
        self._new = made
        try:
            yield made
        finally:
            self._new = None
            self._live = {}
            self._read = {}
            self._cases_read = set()
            self._ciphers = {}

    def read_cases(self, case_ids: Collection[str]) -> None:
        """Read the stored keys of these cases in one query, for the write in progress (inside
        `new_keys()`; nothing otherwise): a batch of acts on many cases then makes one read
        where it made one per case and category (a round trip each on a server)."""
        wanted = [case_id for case_id in case_ids if case_id not in self._cases_read]
        if self._new is None or not wanted:
            return
        self.read_with(wanted, self.keys.of_cases(wanted))

    def read_with(self, case_ids: Collection[str], found: dict[Slot, DataKey]) -> None:
        """Take `found` as every stored key of these cases, read by the caller for the write
        in progress (inside `new_keys()`; nothing otherwise) with the other rows it reads:
        one round trip on a server for the case and its keys."""
        if self._new is None:
            return
        self._read.update(found)
        self._cases_read.update(case_ids)

    def destroy(self, case_id: str, category: str, on: date, rule: str) -> bool:
        """Destroy a stored key (see `DataKeys.destroy`)."""
        return self.keys.destroy(case_id, category, on, rule)

    def key_for(self, case_id: str, category: str) -> bytes:
        """The key content of this case and category is sealed under now (made inside
        `new_keys()` if it has none): what a document stored with the write is sealed with.
        ContentDisposed if a purge destroyed it."""
        return self._sealing_key(case_id, category)

    def _sealing_key(self, case_id: str, category: str) -> bytes:
        slot = (case_id, category)
        key = self._live.get(slot) or (self._new or {}).get(slot)
        if key is not None:
            return key
        if case_id in self._cases_read:
            found = self._read.get(slot)
        else:
            found = self.keys.get(case_id, category)
        if found is None:
            if self._new is None:
                return self.keys.create(case_id, category)
            key = self._new[slot] = new_key()
            return key
        if found.key is None:
            msg = f"the {category} content of case {case_id} was disposed; nothing new can join it"
            raise ContentDisposed(msg)
        if self._new is not None:
            self._live[slot] = found.key
        return found.key

    def seal(self, case_id: str, category: str, plaintext: str) -> str:
        if plaintext.startswith(SEALED_PREFIX):
            raise InvalidInput(
                f"personal text may not start with {SEALED_PREFIX!r}: that prefix marks ciphertext"
            )
        slot = (case_id, category)
        cipher = self._ciphers.get(slot)
        if cipher is None:
            key = self._sealing_key(case_id, category)
            cipher = _cipher(key, case_id, category), _aad(case_id, category)
            if self._new is not None:  # kept for this write only, like the key
                self._ciphers[slot] = cipher
        nonce = os.urandom(NONCE_SIZE)
        ciphertext = cipher[0].encrypt(nonce, plaintext.encode(), cipher[1])
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
                _cipher(record.key, case_id, sealed.category)
                .decrypt(sealed.nonce, sealed.ciphertext, _aad(case_id, sealed.category))
                .decode()
            )
        except InvalidTag:
            raise TamperingDetected(
                f"sealed {sealed.category} content of case {case_id} does not open with its "
                f"{sealed.category} data key: the key table was changed outside pmledger (a "
                "key replaced or swapped); run `pmledger verify` to name it and restore the "
                "key table from a backup"
            ) from None
