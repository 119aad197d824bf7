"""A person's directory entry: the fold of their directory stream (content still sealed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from pmledger.events.directory_acts import DirectoryEntryDisposed, PersonDetailsRecorded, PersonLeft
from pmledger.events.signed_event import DirectoryEvent
from pmledger.integrity.envelope import GENESIS


@dataclass(slots=True)
class DirectoryEntry:
    id: UUID
    person_id: str
    version: int = 0
    head: str = GENESIS
    details: PersonDetailsRecorded | None = None
    """The latest details, as stored: personal content sealed."""
    left_on: date | None = None
    disposed: DirectoryEntryDisposed | None = None

    def apply(self, event: DirectoryEvent) -> None:
        change = event.change
        if isinstance(change, PersonDetailsRecorded):
            self.details = change
        elif isinstance(change, PersonLeft):
            self.left_on = change.left_on
        else:
            self.disposed = change
        self.version = event.originator_version
        self.head = event.digest


def fold_entry(person_id: str, events: Iterable[DirectoryEvent]) -> DirectoryEntry | None:
    entry: DirectoryEntry | None = None
    for event in events:
        if entry is None:
            entry = DirectoryEntry(event.originator_id, person_id)
        entry.apply(event)
    return entry
