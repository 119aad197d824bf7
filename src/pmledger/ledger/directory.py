"""The directory as stored, beneath the access policy (like `CaseArchive` for cases).

Each person's entry is a stream of signed `DirectoryEvent`s; its personal content is sealed
under the data key (entry stream id, `directory`), so a purge shreds one person's entry by
destroying one key, and the stream, its signatures and the disposal certificate still verify.
The Ledger hands this to the `CaseReader` (reads, which check the reader's right first) and
uses it on its own write path (which checks the writer's key).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import cast

from pmledger.aggregates.directory_entry import DirectoryEntry, fold_entry
from pmledger.crypto.content import Sealer
from pmledger.events.actors import Actor
from pmledger.events.personal import rewrite_personal
from pmledger.events.signed_event import DirectoryChange, DirectoryEvent
from pmledger.ids import directory_id
from pmledger.integrity.envelope import GENESIS
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore
from pmledger.projections.people import People, PersonDetails
from pmledger.retention.schedule import RecordCategory

DIRECTORY = RecordCategory.DIRECTORY.value
TOPICS = tuple(
    f"pmledger.person/{kind}/v1"
    for kind in ("person_details_recorded", "person_left", "directory_entry_disposed")
)


class DirectoryArchive:
    def __init__(self, store: CaseStore, sealer: Sealer) -> None:
        self._store = store
        self._sealer = sealer

    def load(self, person_id: str) -> DirectoryEntry | None:
        events = cast(Iterator[DirectoryEvent], self._store.events.get(directory_id(person_id)))
        return fold_entry(person_id, events)

    def person_ids(self) -> list[str]:
        """Everyone with an entry, in the order their entries began."""
        seen: dict[str, None] = {}
        for row in self._store.rows(topics=TOPICS):
            event = decode_event(row.topic, row.state)
            assert isinstance(event, DirectoryEvent)
            seen.setdefault(event.change.person_id, None)
        return list(seen)

    def details(self, person_id: str) -> PersonDetails:
        """The entry opened, or what stands in its place (unknown, disposed)."""
        entry = self.load(person_id)
        if entry is None:
            return PersonDetails(person_id)
        key = self._sealer.keys.get(str(entry.id), DIRECTORY)
        if entry.details is None or (key is not None and key.key is None):
            disposed = (
                f"disposed on {key.destroyed_on} under rule {key.rule}"
                if key is not None and key.key is None
                else None
            )
            return PersonDetails(person_id, left_on=entry.left_on, disposed=disposed)
        stream = str(entry.id)
        opened = rewrite_personal(entry.details, lambda token: self._sealer.open(stream, token))
        return PersonDetails(
            person_id,
            name=opened.name,
            job_title=opened.job_title,
            salutation=opened.salutation,
            address=opened.address,
            left_on=entry.left_on,
        )

    def people(self, person_ids: Iterable[str]) -> People:
        return People({pid: self.details(pid) for pid in sorted(set(person_ids))})

    def event(
        self, person_id: str, change: DirectoryChange, actor: Actor, key_id: str, now: datetime
    ) -> DirectoryEvent:
        """The next event of the person's entry, its personal content sealed (inside the
        sealer's `new_keys()` block, so a new key is stored with it)."""
        entry = self.load(person_id)
        stream = directory_id(person_id)
        sealed = rewrite_personal(
            change, lambda text: self._sealer.seal(str(stream), DIRECTORY, text)
        )
        return DirectoryEvent(
            originator_id=stream,
            originator_version=(entry.version if entry else 0) + 1,
            timestamp=now,
            prev=entry.head if entry else GENESIS,
            key_id=key_id,
            actor=actor,
            change=sealed,
        )

    def destroy_key(self, person_id: str, on: date, rule: str) -> bool:
        """Shred the entry's content; False if it was already shredded."""
        return self._sealer.destroy(str(directory_id(person_id)), DIRECTORY, on, rule)
