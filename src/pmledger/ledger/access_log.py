"""The signed, append-only access log: every read of a case and every refusal.

Each person's entries for a day form one short chain of their own, signed with their key, so a
reader cannot deny a read, nobody can remove one without breaking a chain, and the case itself
is never changed by being read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from uuid import UUID, uuid5

from eventsourcing.persistence import IntegrityError

from pmledger.errors import ConcurrencyConflict
from pmledger.events.actors import Actor
from pmledger.events.signed_event import AccessEntry, AccessEvent
from pmledger.ids import KEYRING_ID
from pmledger.integrity.envelope import GENESIS
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore

ACCESS_TOPIC_PREFIX = "pmledger.access/"
ATTEMPTS = 5


def log_id(person_id: str, day: date) -> UUID:
    return uuid5(KEYRING_ID, f"access\x1f{person_id}\x1f{day.isoformat()}")


def append(store: CaseStore, actor: Actor, key_id: str, entry: AccessEntry, now: datetime) -> None:
    """Add one entry to the reader's chain for the day, retrying if they read in parallel."""
    aggregate = log_id(actor.person_id, entry.on)
    for _ in range(ATTEMPTS):
        last = store.recorder.select_events(aggregate, desc=True, limit=1)
        version, prev = (
            (last[0].originator_version, decode_event(last[0].topic, last[0].state).digest)
            if last
            else (0, GENESIS)
        )
        event = AccessEvent(
            originator_id=aggregate,
            originator_version=version + 1,
            timestamp=now,
            prev=prev,
            key_id=key_id,
            actor=actor,
            entry=entry,
        )
        try:
            store.save(event)
        except IntegrityError:
            continue
        return
    raise ConcurrencyConflict(f"could not append to the access log of {actor.person_id}; retry")


def entries(store: CaseStore, since: date, until: date) -> Iterator[AccessEvent]:
    """Entries dated within [since, until], in the order they were recorded."""
    for row in store.rows(topics=(f"{ACCESS_TOPIC_PREFIX}access_recorded/v1",)):
        event = decode_event(row.topic, row.state)
        assert isinstance(event, AccessEvent)
        if since <= event.entry.on <= until:
            yield event
