"""The ledger in process memory: tests and throwaway ledgers.

eventsourcing's plain-Python recorders hold the events; the data keys sit beside them in
the event recorder. Nothing else is kept: no stored read models and no checkpoints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    IntegrityError,
    StoredEvent,
)
from eventsourcing.popo import POPOAggregateRecorder, POPOApplicationRecorder, POPOFactory

from pmledger.audit.stored_row import StoredRow
from pmledger.crypto.data_keys import DataKeys, MemoryDataKeys
from pmledger.errors import StorageError
from pmledger.storage.checkpoints import MerkleTables
from pmledger.storage.data_keys import NEW_DATA_KEYS, NewDataKeys
from pmledger.storage.documents import NEW_DOCUMENTS, DocumentStore, MemoryDocuments
from pmledger.storage.factory import PAGE, CasePage, LogReads, RowPages, StorageFactory
from pmledger.storage.imports import NEW_IMPORT_MARK, MemoryImportMarks
from pmledger.storage.views import CaseViews


class MemoryCaseRecorder(POPOApplicationRecorder):
    """The in-memory event recorder, which also holds the in-memory ledger's data keys and
    documents."""

    def __init__(self) -> None:
        super().__init__()
        self.data_keys = MemoryDataKeys()
        self.documents = MemoryDocuments()
        self.imports = MemoryImportMarks()

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        new_keys: NewDataKeys = kwargs.get(NEW_DATA_KEYS, ())
        for case_id, category, _ in new_keys:
            if self.data_keys.get(case_id, category) is not None:
                msg = f"the {category} key of case {case_id} was stored by another writer"
                raise IntegrityError(msg)
        keep_documents = self.documents.stage(kwargs.get(NEW_DOCUMENTS, ()))
        for case_id, category, key in new_keys:
            self.data_keys.keep(case_id, category, key)
        ids = super()._update_table(stored_events, **kwargs)
        keep_documents()
        self.imports.keep(kwargs.get(NEW_IMPORT_MARK))
        return ids


class MemoryLog(LogReads):
    """The log through eventsourcing's notifications (no SQL to write shortcuts in)."""

    def __init__(self, events: ApplicationRecorder, snapshots: AggregateRecorder | None):
        self._events = events
        self._snapshots = snapshots

    def row_pages(self) -> RowPages:
        def page(position: int, topics: tuple[str, ...], limit: int = PAGE) -> list[StoredRow]:
            found = self._events.select_notifications(start=position, limit=limit, topics=topics)
            return [
                StoredRow(n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
                for n in found
            ]

        return page

    def case_pages(self, until: int, size: int) -> CasePage:
        raise StorageError("the in-memory ledger cannot be read case by case")

    def events_of(self, ids: list[str]) -> list[StoredRow]:
        return [
            StoredRow(0, i, e.originator_version, e.topic, e.state)
            for i in sorted(ids, key=UUID)
            for e in self._events.select_events(UUID(i))
        ]

    def snapshot_rows(self) -> list[tuple[UUID, int, bytes]]:
        recorder = self._snapshots
        if not isinstance(recorder, POPOAggregateRecorder):
            return []
        return [
            (UUID(str(s.originator_id)), s.originator_version, s.state)
            for s in recorder._stored_events
        ]

    def events_until(self, position: int) -> int:
        found = self._events.select_notifications(start=1, limit=position, stop=position)
        return len(found)

    def continued(self, ids: list[str], nexts: list[int]) -> set[str]:
        return {
            i
            for i, n in zip(ids, nexts, strict=True)
            if self._events.select_events(UUID(i), gt=n - 1, lte=n)
        }


class Factory(POPOFactory, StorageFactory):
    """eventsourcing's in-memory factory with pmledger's event recorder (eventsourcing's
    ignores a configured recorder class, so it is built here)."""

    durable = False

    def holds_ledger(self) -> bool:
        return False  # memory starts empty every time

    def application_recorder(self) -> ApplicationRecorder:
        return MemoryCaseRecorder()

    def make_room(self) -> None:
        pass  # memory needs no room made

    def case_views(self) -> CaseViews:
        raise StorageError(
            "stored read models need SQLite or PostgreSQL; use Ledger.status for the "
            "in-memory ledger"
        )

    def merkle_tables(self) -> MerkleTables:
        raise StorageError("checkpoints need SQLite or PostgreSQL")

    def documents(self, recorder: ApplicationRecorder) -> DocumentStore:
        assert isinstance(recorder, MemoryCaseRecorder)
        return recorder.documents

    def imports(self, recorder: ApplicationRecorder) -> MemoryImportMarks:
        assert isinstance(recorder, MemoryCaseRecorder)
        return recorder.imports

    def data_keys(self, recorder: ApplicationRecorder) -> DataKeys:
        assert isinstance(recorder, MemoryCaseRecorder)
        return recorder.data_keys

    def log_reads(
        self, events: ApplicationRecorder, snapshots: AggregateRecorder | None
    ) -> LogReads:
        return MemoryLog(events, snapshots)
