"""Tables that commit together with an eventsourcing tracking position.

Read models and the Merkle tree both follow the log: each is an eventsourcing tracking recorder
whose own tables are written in the same transaction as the position it has reached, so every
event is applied exactly once and a crash resumes at the last commit.
"""

from __future__ import annotations

from abc import abstractmethod
from contextlib import AbstractContextManager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL


class TrackedTables:
    """Tables written in the same transaction as an eventsourcing tracking position.

    Subclasses name their tables in `ddl` (with `{t}` for the schema prefix and `{blob}` for
    the binary type) and mix in a backend class below, which says how to talk to its database.
    """

    application_name = "pmledger"
    ddl: tuple[str, ...] = ()

    @abstractmethod
    def _q(self, statement: str, **extra: str) -> str: ...

    @abstractmethod
    def _tx(self, *, commit: bool) -> AbstractContextManager[Any]: ...

    @abstractmethod
    def _track(self, cursor: Any, tracking: Tracking) -> None: ...

    @abstractmethod
    def _tracking_table(self) -> str: ...

    @abstractmethod
    def _lock(self, cursor: Any) -> None:
        """Take the tables' write lock at the start of a transaction, so what it reads before
        writing stays true until it commits: writers of the same tables take turns."""

    @abstractmethod
    def max_tracking_id(self, application_name: str) -> int | None: ...

    def position(self) -> int:
        return self.max_tracking_id(self.application_name) or 0

    def _position_in(self, cursor: Any) -> int:
        """The tracked position as the transaction of `cursor` sees it."""
        cursor.execute(
            self._q(
                f"SELECT MAX(notification_id) AS n FROM {self._tracking_table()} "
                "WHERE application_name=?"
            ),
            (self.application_name,),
        )
        return int(cursor.fetchone()["n"] or 0)

    def _forget_position(self, cursor: Any) -> None:
        cursor.execute(
            self._q(f"DELETE FROM {self._tracking_table()} WHERE application_name=?"),
            (self.application_name,),
        )


class SQLiteTables(SQLiteTrackingRecorder, TrackedTables):
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

    def _track(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def _tracking_table(self) -> str:
        return "tracking"

    def _lock(self, cursor: Any) -> None:
        # A write that changes nothing: SQLite takes the database's write lock for it.
        cursor.execute("UPDATE tracking SET notification_id=notification_id WHERE 0")


class PostgresTables(PostgresTrackingRecorder, TrackedTables):
    datastore: PostgresDatastore

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(
            SQL(s.format(t=self._prefix(), blob="BYTEA")).format() for s in self.ddl
        )

    def _prefix(self) -> str:
        return f'"{self.datastore.schema}".'

    def _q(self, statement: str, **extra: str) -> str:
        return statement.format(t=self._prefix(), **extra).replace("?", "%s")

    def _tx(self, *, commit: bool) -> AbstractContextManager[Any]:
        return self.datastore.transaction(commit=commit)

    def _track(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def _tracking_table(self) -> str:
        return f'{{t}}"{self.tracking_table_name}"'

    def _lock(self, cursor: Any) -> None:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            (f"{self.datastore.schema}.{self.tracking_table_name}.{self.application_name}",),
        )
