"""The signed, append-only access log: every read of a case and every refusal.

Entries are signed with the reader's own key (the key the keyring registers for their role,
which `verify` checks like any other signature), so the log says who read, in their name, and
nobody can remove an entry without breaking its chain. The case itself is never changed by
being read.

Each open ledger keeps its own chain per person and day, and appends to it under a lock: reads
in many threads, or in several processes on one database, never contend for a chain, so a read
never fails because someone else (or the same person elsewhere) was reading at the same moment.
`verify` checks each chain whatever its id; the DPO's log reads every chain by topic.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime
from uuid import UUID, uuid4, uuid5
from weakref import WeakKeyDictionary

from eventsourcing.persistence import IntegrityError, PersistenceError

from pmledger.errors import ConcurrencyConflict, StorageError
from pmledger.events.actors import Actor
from pmledger.events.signed_event import AccessEntry, AccessEvent
from pmledger.ids import KEYRING_ID
from pmledger.integrity.envelope import GENESIS
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore

ACCESS_TOPIC_PREFIX = "pmledger.access/"


class AccessLog:
    """The access log as one open ledger appends to it: its own chains, one at a time."""

    def __init__(self, store: CaseStore) -> None:
        self._store = store
        self._opened = uuid4()
        self._lock = threading.Lock()
        self._heads: dict[UUID, tuple[int, str]] = {}
        """(version, digest) of the last entry of each chain this ledger appended to."""

    def chain(self, person_id: str, day: date) -> UUID:
        return uuid5(KEYRING_ID, f"access\x1f{self._opened}\x1f{person_id}\x1f{day.isoformat()}")

    def append(self, actor: Actor, key_id: str, entry: AccessEntry, now: datetime) -> None:
        chain = self.chain(actor.person_id, entry.on)
        with self._lock:
            for _ in range(2):
                try:
                    version, prev = self._heads.get(chain) or self._stored_head(chain)
                    event = AccessEvent(
                        originator_id=chain,
                        originator_version=version + 1,
                        timestamp=now,
                        prev=prev,
                        key_id=key_id,
                        actor=actor,
                        entry=entry,
                    )
                    self._store.save(event)
                except IntegrityError:
                    # Only this ledger writes the chain: the last append was stored although
                    # its commit reported a failure (a dropped connection). Read the head back.
                    self._heads.pop(chain, None)
                    continue
                except (PersistenceError, sqlite3.Error) as exc:
                    self._heads.pop(chain, None)
                    raise StorageError(
                        f"the read was refused because the access log could not be written "
                        f"({type(exc).__name__}: {exc}); nothing recorded was lost — free disk "
                        "space or restore the database connection, then read again"
                    ) from None
                self._heads[chain] = (event.originator_version, event.digest)
                return
        raise ConcurrencyConflict(
            f"could not append to the access log of {actor.person_id}: chain {chain} was written "
            "by something other than this ledger; run `pmledger verify`"
        )

    def _stored_head(self, chain: UUID) -> tuple[int, str]:
        last = self._store.recorder.select_events(chain, desc=True, limit=1)
        if not last:
            return 0, GENESIS
        return last[0].originator_version, decode_event(last[0].topic, last[0].state).digest


_LOGS: WeakKeyDictionary[CaseStore, AccessLog] = WeakKeyDictionary()
_LOGS_LOCK = threading.Lock()


def append(store: CaseStore, actor: Actor, key_id: str, entry: AccessEntry, now: datetime) -> None:
    """Add one entry to the reader's chain for the day in the ledger open on `store`."""
    with _LOGS_LOCK:
        log = _LOGS.get(store)
        if log is None:
            log = _LOGS[store] = AccessLog(store)
    log.append(actor, key_id, entry, now)


def entries(store: CaseStore, since: date, until: date) -> Iterator[AccessEvent]:
    """Entries dated within [since, until], in the order they were recorded."""
    for row in store.rows(topics=(f"{ACCESS_TOPIC_PREFIX}access_recorded/v1",)):
        event = decode_event(row.topic, row.state)
        assert isinstance(event, AccessEvent)
        if since <= event.entry.on <= until:
            yield event
