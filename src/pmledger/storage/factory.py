"""What a storage backend builds beside eventsourcing's recorders.

A backend is one module (`sqlite`, `postgres`, `memory`) holding every table the ledger keeps
beside eventsourcing's, and one `Factory` that is an eventsourcing infrastructure factory and
this `StorageFactory` at once. The ledger's address chooses the module (see `target`), once;
nothing else in pmledger asks which database it is talking to.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import NamedTuple, Protocol
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, StoredEvent

from pmledger.audit.stored_row import StoredLeaf, StoredRow
from pmledger.crypto.data_keys import DataKey, DataKeys
from pmledger.ids import KEYRING_ID
from pmledger.storage.checkpoints import MerkleTables
from pmledger.storage.documents import DocumentStore
from pmledger.storage.imports import ImportMarks, MemoryImportMarks
from pmledger.storage.views import CaseViews

PAGE = 1000
"""Rows a page of the log holds unless a reader asks for another size."""
CASE_TOPICS = "pmledger.case/"
"""What every case event's topic starts with (keyring and access events are not cases)."""

CasePage = Callable[[StoredRow | None], list[StoredRow]]
"""Reads a page of case rows in (id, version) order after the given row (None: the first)."""


LeafPages = Callable[[int, int], list[StoredLeaf]]
"""Reads up to `limit` (the second argument) rows' leaves from a log position on, in log order."""


class RowPages(Protocol):
    """Reads up to `limit` stored rows from log position `position` on (of `topics`, if any)."""

    def __call__(
        self, position: int, topics: tuple[str, ...], limit: int = PAGE
    ) -> list[StoredRow]: ...


class WriteReads(NamedTuple):
    """What recording one act on a case the ledger has just stored reads (`for_write`)."""

    case: list[StoredEvent]
    """The case's rows from a version on, in version order."""
    keyring: list[StoredEvent]
    """The keyring's rows after a version, in version order."""
    keys: dict[tuple[str, str], DataKey]
    """The case's data keys (destroyed ones too), by (case id, category)."""


class LogReads(ABC):
    """Plain reads of the log and of the snapshots, one query each where the database allows:
    what `verify`, the read models and the checkpoints pay per event."""

    reads_ahead = False
    """Whether asking for the next page while the caller works through this one pays (a
    server's time is then not added to the reader's; an embedded database has none)."""

    def for_write(
        self,
        events: AggregateRecorder,
        keys: DataKeys,
        case_id: UUID,
        case_from: int,
        keyring_after: int,
    ) -> WriteReads:
        """The case's rows from version `case_from` on, the keyring's after `keyring_after`
        and the case's data keys: everything recording an act on a case the ledger holds
        reads, as three reads here (in memory). SQLite reads them in one transaction,
        PostgreSQL in one round trip where there were five (issue 22: under load each cost
        about as much as the record's commit)."""
        return WriteReads(
            list(events.select_events(case_id, gt=case_from - 1)),
            list(events.select_events(KEYRING_ID, gt=keyring_after)),
            keys.of_cases([str(case_id)]),
        )

    @abstractmethod
    def row_pages(self) -> RowPages:
        """How to read one page of rows in log order (a new reader: it may keep a cache)."""

    @abstractmethod
    def case_pages(self, until: int, size: int) -> CasePage:
        """How to read a page of case rows in (id, version) order up to log position `until`."""

    @abstractmethod
    def events_of(self, ids: list[str]) -> list[StoredRow]:
        """Every stored event of the aggregates `ids`, in (id, version) order, in one query."""

    def leaf_pages(self) -> LeafPages:
        """How to read one page of the log's leaves in log order, for the checkpoint, which
        needs only each row's leaf hash (a server hashes the rows itself)."""
        raise NotImplementedError(f"{type(self).__name__} cannot read the log's leaves")

    @abstractmethod
    def snapshot_rows(self) -> list[tuple[UUID, int, bytes]]:
        """(case id, version, state) of every stored snapshot."""

    @abstractmethod
    def events_until(self, position: int) -> int:
        """How many events the log holds up to `position` (positions may skip numbers)."""

    @abstractmethod
    def continued(self, ids: list[str], nexts: list[int]) -> set[str]:
        """Which of the aggregates `ids` has an event at the version beside it in `nexts`."""


class StorageFactory(ABC):
    """The ledger's own tables on one backend, built on the factory's datastore."""

    durable = True
    """Whether the backend keeps tables at all (the in-memory one keeps no read models or
    checkpoints)."""

    @abstractmethod
    def holds_ledger(self) -> bool:
        """Whether the database already holds a ledger's event log, found without creating
        anything (no file, schema or table), so a mistyped address is an error, not a new
        empty ledger."""

    @abstractmethod
    def make_room(self) -> None:
        """Make what a new ledger's tables go in, when a ledger is created on purpose (a
        PostgreSQL schema); nothing on SQLite, whose file its first table creates."""

    @abstractmethod
    def case_views(self) -> CaseViews:
        """The stored read models (tables created if missing)."""

    @abstractmethod
    def merkle_tables(self) -> MerkleTables:
        """The checkpoint tables (created if missing)."""

    @abstractmethod
    def documents(self, recorder: ApplicationRecorder) -> DocumentStore:
        """The documents acts carry, sealed chunk by chunk, stored beside the events
        `recorder` writes (in the events' own transaction)."""

    @abstractmethod
    def imports(self, recorder: ApplicationRecorder) -> ImportMarks | MemoryImportMarks:
        """How far each import file got, stored beside the events `recorder` writes (which
        stores each chunk's mark in the chunk's own transaction)."""

    @abstractmethod
    def data_keys(self, recorder: ApplicationRecorder) -> DataKeys:
        """The data keys that seal personal content, stored beside the events `recorder`
        writes (which stores new keys in the events' own transaction)."""

    @abstractmethod
    def log_reads(
        self, events: ApplicationRecorder, snapshots: AggregateRecorder | None
    ) -> LogReads:
        """Plain reads of the events and snapshots these recorders keep."""
