"""Data keys in their own table of the ledger's database, never in the events.

Destroying a key overwrites it in place and records when and under which rule, so a later
reader can say "disposed on DATE under RULE" instead of failing.

A key made while recording is stored by the event recorders below, in the same transaction
as the events whose content it seals: the key exists exactly when that content does, and a
record costs one commit, not one more per personal field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from pmledger.crypto.data_keys import DataKey, MemoryDataKeys, new_key
from pmledger.errors import ContentDisposed
from pmledger.storage.tracked import PostgresTables, SQLiteTables, TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_data_key (case_id TEXT, category TEXT, key {blob}, "
    "destroyed_on TEXT, rule TEXT, PRIMARY KEY (case_id, category))",
)

NEW_DATA_KEYS = "new_data_keys"
"""The `CaseStore.save` keyword carrying (case id, category, key) of keys made for its events."""

NewDataKeys = Sequence[tuple[str, str, bytes]]


class DataKeyTable(TrackedTables):
    """Implements the DataKeys protocol; its tracking position is the purge job's progress."""

    application_name = "pmledger-purge"
    ddl = CREATE

    def get(self, case_id: str, category: str) -> DataKey | None:
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT key, destroyed_on, rule FROM {t}pml_data_key "
                    "WHERE case_id=? AND category=?"
                ),
                (case_id, category),
            )
            row = c.fetchone()
        if row is None:
            return None
        destroyed = row["destroyed_on"]
        return DataKey(
            key=bytes(row["key"]) if row["key"] is not None else None,
            destroyed_on=date.fromisoformat(destroyed) if destroyed else None,
            rule=row["rule"],
        )

    def create(self, case_id: str, category: str) -> bytes:
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "INSERT INTO {t}pml_data_key VALUES (?,?,?,NULL,NULL) "
                    "ON CONFLICT (case_id, category) DO NOTHING"
                ),
                (case_id, category, new_key()),
            )
        found = self.get(case_id, category)
        if found is None or found.key is None:
            msg = f"the {category} content of case {case_id} was disposed; nothing new can join it"
            raise ContentDisposed(msg)
        return found.key

    def destroy(self, case_id: str, category: str, on: date, rule: str) -> bool:
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "UPDATE {t}pml_data_key SET key=NULL, destroyed_on=?, rule=? "
                    "WHERE case_id=? AND category=? AND key IS NOT NULL RETURNING case_id"
                ),
                (on.isoformat(), rule, case_id, category),
            )
            return bool(c.fetchall())


class SQLiteDataKeyTable(SQLiteTables, DataKeyTable):
    """Data keys in the ledger's SQLite file."""


class PostgresDataKeyTable(PostgresTables, DataKeyTable):
    """Data keys in the ledger's PostgreSQL schema."""


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
        return super()._insert_events(c, stored_events, **kwargs)


class PostgresCaseRecorder(PostgresApplicationRecorder):
    """The event recorder on PostgreSQL, storing new data keys as `SQLiteCaseRecorder` does.

    The keys go in after the events (on their own cursor, which leaves the events' cursor to
    return their notification ids), under eventsourcing's lock on the events table, so two
    writers never wait on each other's uncommitted key: a key stored first by another writer
    is a unique violation the pipeline reports as an IntegrityError (a conflict), where a key
    insert that had waited on the other transaction aborted the pipeline instead.
    """

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_stored_events(curs, stored_events, **kwargs)
        new_keys: NewDataKeys = kwargs.get(NEW_DATA_KEYS, ())
        if new_keys:
            insert = SQL("INSERT INTO {}.pml_data_key VALUES (%s,%s,%s,NULL,NULL)").format(
                Identifier(self.datastore.schema)
            )
            with curs.connection.cursor() as keys_cursor:
                keys_cursor.executemany(insert, new_keys)


class MemoryCaseRecorder(POPOApplicationRecorder):
    """The in-memory event recorder, which also holds the in-memory ledger's data keys."""

    def __init__(self) -> None:
        super().__init__()
        self.data_keys = MemoryDataKeys()

    def _update_table(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        new_keys: NewDataKeys = kwargs.get(NEW_DATA_KEYS, ())
        for case_id, category, _ in new_keys:
            if self.data_keys.get(case_id, category) is not None:
                msg = f"the {category} key of case {case_id} was stored by another writer"
                raise IntegrityError(msg)
        for case_id, category, key in new_keys:
            self.data_keys.keep(case_id, category, key)
        return super()._update_table(stored_events, **kwargs)
