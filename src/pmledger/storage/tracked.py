"""Tables that commit together with an eventsourcing tracking position.

Read models and the Merkle tree both follow the log: each is an eventsourcing tracking recorder
whose own tables are written in the same transaction as the position it has reached, so every
event is applied exactly once and a crash resumes at the last commit.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from eventsourcing.persistence import Tracking

from pmledger.storage.stored_values import RESTORE, stored_int


class TrackedTables:
    """Tables written in the same transaction as an eventsourcing tracking position.

    Subclasses name their tables in `ddl` (with `{t}` for the schema prefix and `{blob}` for
    the binary type) and are mixed with a backend's class (`sqlite.SQLiteTables`,
    `postgres.PostgresTables`), which says how to talk to its database.
    """

    application_name = "pmledger"
    ddl: tuple[str, ...] = ()
    repair = RESTORE
    """What mends the tables when what they store is damaged."""

    @abstractmethod
    def _q(self, statement: str, **extra: str) -> str: ...

    @abstractmethod
    def _tx(self, *, commit: bool) -> AbstractContextManager[Any]: ...

    @abstractmethod
    def _read(self) -> AbstractContextManager[Any]:
        """A cursor for one read statement, which needs no transaction of its own: on a
        server a transaction costs two more round trips (BEGIN, ROLLBACK) around the read,
        three where one does (issue 22: the data key read of every record)."""

    @abstractmethod
    def _track(self, cursor: Any, tracking: Tracking) -> None: ...

    @abstractmethod
    def _tracking_table(self) -> str: ...

    @abstractmethod
    def _insert_rows(
        self,
        cursor: Any,
        table: str,
        types: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        conflict: str,
    ) -> None:
        """INSERT `rows` into `table` (with its column list, if any) in as few statements as
        the backend allows, then `conflict` (its ON CONFLICT clause); `types` are the columns'
        SQL types (`blob` for binary), for a backend that sends each column as an array."""

    def _pipelined(self, cursor: Any) -> AbstractContextManager[Any]:
        """Statements of `cursor` sent together, their answers read at the block's end: on a
        server one round trip for a write's statements, not one each (a loaded machine
        schedules the server between round trips, which cost a rebuild more than its CPU).
        A result read inside the block first waits for everything sent before it. A local
        database answers each statement in-process: no change."""
        return nullcontext()

    @abstractmethod
    def _lock(self, cursor: Any) -> None:
        """Take the tables' write lock at the start of a transaction, so what it reads before
        writing stays true until it commits: writers of the same tables take turns."""

    @abstractmethod
    def _has_table(self, cursor: Any, table: str) -> bool:
        """Whether the ledger's database has `table` (named without the schema prefix): for
        tables only ledgers made by earlier versions have."""

    def position(self) -> int:
        with self._read() as c:
            return self._position_in(c)

    def _position_in(self, cursor: Any) -> int:
        """The tracked position as the transaction of `cursor` sees it; text in SQLite's
        INTEGER column (sorted after every number, so no page could pass it) is damage."""
        cursor.execute(
            self._q(
                f"SELECT MAX(notification_id) AS notification_id FROM {self._tracking_table()} "
                "WHERE application_name=?"
            ),
            (self.application_name,),
        )
        return stored_int(cursor.fetchone(), "notification_id", null=0, remedy=self.repair)

    def _forget_position(self, cursor: Any) -> None:
        cursor.execute(
            self._q(f"DELETE FROM {self._tracking_table()} WHERE application_name=?"),
            (self.application_name,),
        )
