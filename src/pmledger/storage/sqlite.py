"""The ledger on SQLite: every table beside eventsourcing's, in the ledger's file.

One module per backend, as eventsourcing's own `sqlite.py`: the tracked tables' dialect, the
event recorder that also stores data keys, the read models, the checkpoint tables, the data
keys, the plain reads of the log, and the `Factory` that builds them all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, closing
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    StoredEvent,
    Tracking,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteFactory,
    SQLiteTrackingRecorder,
)

from pmledger.audit.stored_row import StoredLeaf, StoredRow
from pmledger.crypto.data_keys import DataKeys
from pmledger.ids import KEYRING_ID
from pmledger.integrity.merkle import leaf_hash
from pmledger.storage.checkpoints import MerkleTables
from pmledger.storage.data_keys import NEW_DATA_KEYS, DataKeyTable, NewDataKeys, data_key_of
from pmledger.storage.documents import (
    NEW_DOCUMENTS,
    DocumentStore,
    DocumentTable,
    write_documents,
)
from pmledger.storage.factory import (
    CASE_TOPICS,
    PAGE,
    CasePage,
    LeafPages,
    LogReads,
    RowPages,
    StorageFactory,
    WriteReads,
)
from pmledger.storage.imports import NEW_IMPORT_MARK, ImportMarks, write_import_mark
from pmledger.storage.stored_values import stored_case_id, stored_topic
from pmledger.storage.tracked import TrackedTables
from pmledger.storage.views import CaseViews

EVENTS_TABLE = "stored_events"
"""The table eventsourcing's SQLite application recorder keeps the log in."""


class SQLiteTables(SQLiteTrackingRecorder, TrackedTables):
    """`TrackedTables` in the ledger's SQLite file: no schema prefix, `?` parameters."""

    datastore: SQLiteDatastore

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *(s.format(t="", blob="BLOB") for s in self.ddl),
        ]

    def _q(self, statement: str, **extra: str) -> str:
        return statement.format(t="", **extra)

    def _tx(self, *, commit: bool) -> AbstractContextManager[Any]:
        return self.datastore.transaction(commit=commit)

    def _read(self) -> AbstractContextManager[Any]:
        return self.datastore.transaction(commit=False)  # BEGIN costs no round trip here

    def _track(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def _tracking_table(self) -> str:
        return "tracking"

    def _insert_rows(
        self,
        cursor: Any,
        table: str,
        types: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        conflict: str,
    ) -> None:
        # executemany loops in C here: one prepared statement, no round trips.
        marks = ",".join("?" * len(types))
        cursor.executemany(f"INSERT INTO {table} VALUES ({marks}) {conflict}", rows)

    def _lock(self, cursor: Any) -> None:
        # A write that changes nothing: SQLite takes the database's write lock for it.
        cursor.execute("UPDATE tracking SET notification_id=notification_id WHERE 0")

    def _has_table(self, cursor: Any, table: str) -> bool:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
        return cursor.fetchone() is not None


class SQLiteDataKeyTable(SQLiteTables, DataKeyTable):
    """Data keys in the ledger's SQLite file."""

    def _shredding(self, cursor: Any) -> None:
        # Freed cell space and pages are zeroed instead of kept: the old key's cell with them.
        cursor.execute("PRAGMA secure_delete=ON")

    def _scrub(self) -> None:
        """Copy the write-ahead log into the file and empty it: its older frames still hold
        the page as it was with the key. A reader in another connection can make SQLite
        stop short; the next destruction's checkpoint finishes the work."""
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")


class SQLiteImportMarks(SQLiteTables, ImportMarks):
    """Import marks in the ledger's SQLite file."""


class SQLiteCaseViews(SQLiteTables, CaseViews):
    """Case read models in the ledger's SQLite file."""


class SQLiteMerkleTables(SQLiteTables, MerkleTables):
    """The Merkle tables in the ledger's SQLite file."""


class SQLiteCaseRecorder(SQLiteApplicationRecorder):
    """The event recorder on SQLite; a plain INSERT, so a key another writer stored first for
    the same case and category fails the whole transaction (a conflict) instead of sealing
    content under a key that was never kept."""

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        new_keys: NewDataKeys = kwargs.get(NEW_DATA_KEYS, ())
        if new_keys:
            c.executemany("INSERT INTO pml_data_key VALUES (?,?,?,NULL,NULL)", new_keys)
        write_documents(c.execute, "", kwargs.get(NEW_DOCUMENTS, ()))
        write_import_mark(c.execute, "", kwargs.get(NEW_IMPORT_MARK))
        return super()._insert_events(c, stored_events, **kwargs)


class SQLiteDocumentTable(SQLiteTables, DocumentTable):
    """Documents, sealed chunk by chunk, in the ledger's SQLite file."""


def case_page_query(table: str) -> str:
    """The next page of case rows after an (id, version) key, up to a log position: a range
    on the primary key, walked in key order (no sort of the log for each page)."""
    return (
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM {table} WHERE (originator_id, originator_version) > "
        f"(?, ?) AND rowid <= ? AND topic LIKE '{CASE_TOPICS}%' "
        "ORDER BY originator_id, originator_version LIMIT ?"
    )


def _text_ids() -> Callable[[str], str]:
    """Stored id (UUID hex) → its canonical text, made once per case rather than once per row
    (by one reader: the cache lives as long as it)."""
    ids: dict[str, str] = {}

    def text_id(stored: str) -> str:
        text = ids.get(stored)
        if text is None:
            text = ids[stored] = stored_case_id(stored)
        return text

    return text_id


class SQLiteLog(LogReads):
    """Plain queries that yield the case id as text and each row as a tuple, instead of
    eventsourcing's notifications (a dict and a UUID per row, turned back into a string)."""

    def __init__(self, events: SQLiteAggregateRecorder, snapshots: AggregateRecorder | None):
        self._events = events
        self._snapshots = snapshots

    def row_pages(self) -> RowPages:
        recorder = self._events
        select = (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {recorder.events_table_name} WHERE rowid>=? "
        )
        text_id = _text_ids()

        def page(position: int, topics: tuple[str, ...], limit: int = PAGE) -> list[StoredRow]:
            where = f"AND topic IN ({','.join('?' * len(topics))}) " if topics else ""
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(f"{select}{where}ORDER BY rowid LIMIT ?", (position, *topics, limit))
                return [
                    StoredRow(r[0], text_id(r[1]), r[2], stored_topic(r[3]), r[4])
                    for r in c.fetchall()
                ]

        return page

    def leaf_pages(self) -> LeafPages:
        """SQLite has no SHA-256: each row's bytes are hashed here, straight from the cursor
        (no `StoredRow` made on the way)."""
        recorder = self._events
        select = (
            "SELECT rowid, originator_id, originator_version, state "
            f"FROM {recorder.events_table_name} WHERE rowid>=? ORDER BY rowid LIMIT ?"
        )
        text_id = _text_ids()

        def page(position: int, limit: int) -> list[StoredLeaf]:
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(select, (position, limit))
                found = c.fetchall()
            return [StoredLeaf(r[0], text_id(r[1]), r[2], leaf_hash(r[3])) for r in found]

        return page

    def case_pages(self, until: int, size: int) -> CasePage:
        recorder = self._events
        select = case_page_query(recorder.events_table_name)

        def page(after: StoredRow | None) -> list[StoredRow]:
            key = ("", 0) if after is None else (UUID(after.aggregate_id).hex, after.version)
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(select, (*key, until, size))
                found = c.fetchall()
            rows: list[StoredRow] = []
            stored, text = "", ""
            for r in found:
                if r[1] != stored:
                    stored, text = r[1], stored_case_id(r[1])
                rows.append(StoredRow(r[0], text, r[2], stored_topic(r[3]), r[4]))
            return rows

        return page

    def events_of(self, ids: list[str]) -> list[StoredRow]:
        recorder = self._events
        texts = {UUID(i).hex: i for i in ids}
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {recorder.events_table_name} WHERE originator_id IN "
                f"({','.join('?' * len(texts))}) ORDER BY originator_id, originator_version",
                list(texts),
            )
            return [
                StoredRow(r[0], texts[r[1]], r[2], stored_topic(r[3]), r[4]) for r in c.fetchall()
            ]

    def for_write(
        self,
        events: AggregateRecorder,
        keys: DataKeys,
        case_id: UUID,
        case_from: int,
        keyring_after: int,
    ) -> WriteReads:
        """The three reads in one read transaction (one BEGIN and ROLLBACK, not three, and
        one view of the file for all of them)."""
        assert isinstance(events, SQLiteAggregateRecorder)
        rows = (
            f"SELECT originator_version, topic, state FROM {events.events_table_name} "
            "WHERE originator_id=? AND originator_version>=? ORDER BY originator_version"
        )
        with events.datastore.transaction(commit=False) as c:
            c.execute(rows, (case_id.hex, case_from))
            case = [
                StoredEvent(case_id, r[0], stored_topic(r[1]), bytes(r[2])) for r in c.fetchall()
            ]
            c.execute(rows, (KEYRING_ID.hex, keyring_after + 1))
            ring = [
                StoredEvent(KEYRING_ID, r[0], stored_topic(r[1]), bytes(r[2])) for r in c.fetchall()
            ]
            c.execute(
                "SELECT case_id, category, key, destroyed_on, rule FROM pml_data_key "
                "WHERE case_id=?",
                (str(case_id),),
            )
            found = {(r["case_id"], r["category"]): data_key_of(r) for r in c.fetchall()}
        return WriteReads(case, ring, found)

    def snapshot_rows(self) -> list[tuple[UUID, int, bytes]]:
        recorder = self._snapshots
        if not isinstance(recorder, SQLiteAggregateRecorder):
            return []
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT originator_id, originator_version, state FROM {recorder.events_table_name}"
            )
            return [(UUID(stored_case_id(r[0])), r[1], bytes(r[2])) for r in c.fetchall()]

    def events_until(self, position: int) -> int:
        recorder = self._events
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT COUNT(*) FROM {recorder.events_table_name} WHERE rowid<=?", (position,)
            )
            return int(c.fetchone()[0])

    def continued(self, ids: list[str], nexts: list[int]) -> set[str]:
        recorder = self._events
        pairs = ",".join("(?,?)" for _ in ids)
        with recorder.datastore.transaction(commit=False) as c:
            c.execute(  # a join, which SQLite plans as lookups (not `IN (VALUES…)`)
                f"WITH n(id, v) AS (VALUES {pairs}) SELECT e.originator_id FROM n "
                f"JOIN {recorder.events_table_name} e "
                "ON e.originator_id = n.id AND e.originator_version = n.v",
                [v for i, n in zip(ids, nexts, strict=True) for v in (UUID(i).hex, n)],
            )
            return {stored_case_id(r[0]) for r in c.fetchall()}


class Factory(SQLiteFactory, StorageFactory):
    """eventsourcing's SQLite factory, building pmledger's recorder and tables as well."""

    application_recorder_class = SQLiteCaseRecorder

    def holds_ledger(self) -> bool:
        """Read-only, so a missing file is not created by looking for it; a file that is not
        a SQLite database holds no ledger either."""
        path = Path(self.env.get(self.SQLITE_DBNAME) or "")
        if not path.is_file():
            return False
        try:
            with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
                found = db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (EVENTS_TABLE,)
                ).fetchone()
        except sqlite3.DatabaseError:
            return False
        return found is not None

    def make_room(self) -> None:
        pass  # the file is made by the first table created in it

    def case_views(self) -> CaseViews:
        tables = self.tracking_recorder(SQLiteCaseViews)
        assert isinstance(tables, CaseViews)
        return tables

    def merkle_tables(self) -> MerkleTables:
        tables = self.tracking_recorder(SQLiteMerkleTables)
        assert isinstance(tables, MerkleTables)
        tables.adopt_old_layout()
        return tables

    def documents(self, recorder: ApplicationRecorder) -> DocumentStore:
        tables = self.tracking_recorder(SQLiteDocumentTable)
        assert isinstance(tables, DocumentTable)
        return tables

    def imports(self, recorder: ApplicationRecorder) -> ImportMarks:
        tables = self.tracking_recorder(SQLiteImportMarks)
        assert isinstance(tables, ImportMarks)
        return tables

    def data_keys(self, recorder: ApplicationRecorder) -> DataKeys:
        tables = self.tracking_recorder(SQLiteDataKeyTable)
        assert isinstance(tables, DataKeyTable)
        return tables

    def log_reads(
        self, events: ApplicationRecorder, snapshots: AggregateRecorder | None
    ) -> LogReads:
        assert isinstance(events, SQLiteAggregateRecorder)
        return SQLiteLog(events, snapshots)
