"""The signature on a case snapshot: what it covers, and how to read it back from stored bytes.

A snapshot is a cache of a fold, but loading a case starts from it, and what the case says
(its legal holds, warnings, stage) decides what a purge destroys. So a snapshot is signed by
the key that signed the event it was taken at, over its whole stored form less the signature;
a load uses only a snapshot whose signature holds, and `verify` checks every one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from pmledger.canonical import canonical_bytes, float_free_bytes
from pmledger.integrity.signing import unb64, verify_signature

SNAPSHOT_DOMAIN = b"pmledger snapshot\x1f"
"""Prefixed to what a snapshot's key signs, so no event signature can pass for one."""


def snapshot_message(document: dict[str, Any], *, float_free: bool = False) -> bytes:
    """The bytes a snapshot's signature covers: its stored document without the signature.

    `float_free`: the document is a snapshot being taken, dumped from models that cannot hold
    a float (a test holds the case's schema to that), so the walk looking for one — a pass
    over every recorded act of a long case — is skipped; the bytes are the same either way.
    A stored document is always checked."""
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    return SNAPSHOT_DOMAIN + (float_free_bytes if float_free else canonical_bytes)(unsigned)


@dataclass(frozen=True, slots=True)
class SnapshotSeal:
    """What `verify` holds a stored snapshot to: the chain head it claims, and its signature."""

    head: str
    key_id: str | None
    """None: the snapshot is unsigned (edited, or written before snapshots were signed)."""
    at: datetime
    message: bytes
    signature: bytes

    def signed_by(self, key_id: str, public_raw: bytes) -> bool:
        return self.key_id == key_id and verify_signature(public_raw, self.signature, self.message)


def read_seal(state: bytes) -> SnapshotSeal | None:
    """The seal of a stored snapshot, or None for bytes too damaged to name one."""
    try:
        document = orjson.loads(state)
        head = document["state"]["head"]
        key_id = document.get("key_id")
        signature = document.get("signature")
        at = datetime.fromisoformat(document["timestamp"])
        if not isinstance(head, str) or not isinstance(key_id, str | None):
            return None
        return SnapshotSeal(
            head=head,
            key_id=key_id if isinstance(signature, str) else None,
            at=at,
            message=snapshot_message(document),
            signature=unb64(signature) if isinstance(signature, str) else b"",
        )
    except (ValueError, KeyError, TypeError):
        return None
