"""The envelope: the small canonical record that each signature and chain link covers.

The envelope binds the payload (by digest) to its case, its position in the case and its
predecessor, so a signature over the envelope covers all of them and a changed payload, a
moved event or a dropped predecessor each break something checkable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmledger.canonical import float_free_bytes, sha256_hex

GENESIS = "0" * 64
"""The `prev` of a case's first event: there is no predecessor to point at."""

ENVELOPE_FIELDS = ("at", "id", "key", "payload", "prev", "topic", "v")


@dataclass(frozen=True, slots=True)
class Envelope:
    fields: dict[str, Any]
    data: bytes
    digest: str


def build_envelope(
    *,
    aggregate_id: str,
    version: int,
    topic: str,
    payload: dict[str, Any],
    prev: str,
    key_id: str,
    recorded_at: str,
) -> tuple[Envelope, bytes]:
    """Return the envelope and the canonical payload bytes it commits to.

    `payload` is an event model's JSON dump, which holds no float (see `float_free_bytes`).
    """
    payload_bytes = float_free_bytes(payload)
    fields: dict[str, Any] = {
        "at": recorded_at,
        "id": aggregate_id,
        "key": key_id,
        "payload": sha256_hex(payload_bytes),
        "prev": prev,
        "topic": topic,
        "v": version,
    }
    return envelope_of(fields), payload_bytes


def envelope_of(fields: dict[str, Any]) -> Envelope:
    """The envelope over already-built fields: a new event's, or a stored event's exactly as
    stored, so a decoded event's digest is the one that was signed and chained even when its
    model would now dump differently (a field added later with a default)."""
    data = float_free_bytes(fields)
    return Envelope(fields=fields, data=data, digest=sha256_hex(data))
