"""Converts between signed events and eventsourcing's stored events.

Signing happens here, at the persistence boundary, so no code path can store an event
without a signature, and the domain never touches a private key.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder

from pmledger.aggregates.case_snapshot import SNAPSHOT_TOPIC, CaseSnapshot
from pmledger.canonical import float_free_bytes
from pmledger.errors import StorageError
from pmledger.events.signed_event import SignedEvent, from_stored
from pmledger.integrity.envelope import envelope_of
from pmledger.integrity.signing import Signer, b64


class _Unused(Transcoder):
    """eventsourcing's Mapper wants a transcoder; canonical JSON replaces it entirely."""

    def encode(self, obj: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError


class SigningMapper(Mapper[UUID]):
    def __init__(self, signer: Signer) -> None:
        super().__init__(transcoder=_Unused())
        self.signer = signer

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        if not isinstance(domain_event, SignedEvent):
            msg = f"only signed events are stored, not {type(domain_event).__name__}"
            raise TypeError(msg)
        envelope, payload_bytes = domain_event.sealed()
        signature = self.signer.sign(domain_event.key_id, envelope.data)
        # canonical_bytes({"env": …, "payload": …, "sig": …}) byte for byte (the keys sort in
        # this order, base64 needs no escaping), built from the bytes `sealed()` already holds
        # instead of dumping and encoding the payload a second time.
        state = b"".join(
            (
                b'{"env":',
                envelope.data,
                b',"payload":',
                payload_bytes,
                b',"sig":"',
                b64(signature).encode("ascii"),
                b'"}',
            )
        )
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=domain_event.topic,
            state=state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        return decode_event(stored_event.topic, stored_event.state)


def decode_event(topic: str, state: bytes, *, envelope: bool = True) -> SignedEvent:
    """Rebuild an event from stored bytes; integrity is `verify`'s job, shape is checked here.

    The event keeps the envelope as stored: its digest (a case's head, what an acknowledgement
    countersigns) is the digest that was signed, whatever the current model would dump.
    Bytes that no longer decode mean damaged storage: a typed StorageError for every caller
    (loading a case, rebuilding views, listing cases), never a bare ValueError or KeyError.

    `envelope=False` leaves the stored envelope unpinned, for a fold that reads the event's
    fields and drops it (the read models keep its act and actor, never the event): pinning
    dumps and hashes the stored fields, 7 % of a rebuild's CPU, for a digest the fold never
    asks for. Such an event must not be asked for its digest or sealed bytes, which would be
    taken from the model again and may differ from what was signed.
    """
    try:
        doc = orjson.loads(state)
        env = doc["env"]
        payload = doc["payload"]
        event = from_stored(topic, env, payload)
        if envelope:
            event.keep_stored(envelope_of(env), float_free_bytes(payload))
        return event
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged(topic, exc) from None


def _damaged(topic: str, exc: Exception) -> StorageError:
    return StorageError.damaged(f"a stored {topic} event", exc, "run `pmledger verify` to find it")


class SnapshotMapper(Mapper[UUID]):
    """Plain canonical JSON for snapshots: they are a cache, checked against the chain."""

    def __init__(self) -> None:
        super().__init__(transcoder=_Unused())

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        if not isinstance(domain_event, CaseSnapshot):
            msg = f"the snapshot store holds case snapshots, not {type(domain_event).__name__}"
            raise TypeError(msg)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=SNAPSHOT_TOPIC,
            state=domain_event.stored(),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        try:
            return CaseSnapshot.model_validate_json(stored_event.state)
        except ValueError as exc:
            raise _damaged(SNAPSHOT_TOPIC, exc) from None
