"""Data keys in their own table of the ledger's database, never in the events.

Destroying a key overwrites it in place and records when and under which rule, so a later
reader can say "disposed on DATE under RULE" instead of failing. Shredding is destroying the
key, so its bytes must not outlive it anywhere in the database: each backend scrubs what the
overwrite leaves behind (`_shredding`, `_scrub`), the freed space of SQLite's pages and its
write-ahead log, PostgreSQL's old row version. What neither can reach is said in the README:
PostgreSQL's own write-ahead log and base backups, and copies of the file taken before.

A key made while recording is stored by each backend's event recorder, in the same transaction
as the events whose content it seals: the key exists exactly when that content does, and a
record costs one commit, not one more per personal field.
"""

from __future__ import annotations

import logging
import sqlite3
from abc import abstractmethod
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from eventsourcing.persistence import PersistenceError

from pmledger.crypto.data_keys import DataKey, Disposal, new_key
from pmledger.errors import ContentDisposed, StorageError
from pmledger.storage.tracked import TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_data_key (case_id TEXT, category TEXT, key {blob}, "
    "destroyed_on TEXT, rule TEXT, PRIMARY KEY (case_id, category))",
)

logger = logging.getLogger(__name__)

UNREACHABLE = (PersistenceError, sqlite3.Error)
"""What a full disk or a lost connection raises from a scrub (eventsourcing wraps the
PostgreSQL driver's errors; sqlite3's own escape it on a damaged or full file)."""

NEW_DATA_KEYS = "new_data_keys"
"""The `CaseStore.save` keyword carrying (case id, category, key) of keys made for its events."""

NewDataKeys = Sequence[tuple[str, str, bytes]]

_CHUNK = 500
"""Ids per statement (keys destroyed, cases read): well inside SQLite's limit on parameters."""


class DataKeyTable(TrackedTables):
    """Implements the DataKeys protocol; its tracking position is the purge job's progress."""

    application_name = "pmledger-purge"
    ddl = CREATE

    def get(self, case_id: str, category: str) -> DataKey | None:
        with self._read() as c:
            c.execute(
                self._q(
                    "SELECT key, destroyed_on, rule FROM {t}pml_data_key "
                    "WHERE case_id=? AND category=?"
                ),
                (case_id, category),
            )
            row = c.fetchone()
        return None if row is None else data_key_of(row)

    def of_cases(self, case_ids: Collection[str]) -> dict[tuple[str, str], DataKey]:
        """See `DataKeys.of_cases`: one query a `_CHUNK` cases (a parameter each)."""
        ids = list(case_ids)
        found: dict[tuple[str, str], DataKey] = {}
        with self._read() as c:
            for start in range(0, len(ids), _CHUNK):
                part = ids[start : start + _CHUNK]
                c.execute(
                    self._q(
                        "SELECT case_id, category, key, destroyed_on, rule FROM {t}pml_data_key "
                        f"WHERE case_id IN ({','.join('?' * len(part))})"
                    ),
                    part,
                )
                found.update(
                    ((row["case_id"], row["category"]), data_key_of(row)) for row in c.fetchall()
                )
        return found

    def every(self) -> dict[tuple[str, str], DataKey]:
        """The whole table in one read, for `verify` to hold against the log."""
        with self._tx(commit=False) as c:
            c.execute(
                self._q("SELECT case_id, category, key, destroyed_on, rule FROM {t}pml_data_key")
            )
            return {(row["case_id"], row["category"]): data_key_of(row) for row in c.fetchall()}

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
        return bool(self.destroy_all([(case_id, category, on, rule)]))

    def destroy_all(self, disposals: Sequence[Disposal]) -> set[tuple[str, str]]:
        done: set[tuple[str, str]] = set()
        if not disposals:
            return done
        with self._tx(commit=True) as c:
            self._shredding(c)
            for start in range(0, len(disposals), _CHUNK):
                chunk = disposals[start : start + _CHUNK]
                c.execute(
                    self._q(
                        "UPDATE {t}pml_data_key AS k SET key=NULL, destroyed_on=v.column3, "
                        "rule=v.column4 FROM (VALUES {rows}) AS v WHERE k.case_id=v.column1 "
                        "AND k.category=v.column2 AND k.key IS NOT NULL "
                        "RETURNING case_id, category",
                        rows=",".join("(?,?,?,?)" for _ in chunk),
                    ),
                    [v for c_, cat, on, rule in chunk for v in (c_, cat, on.isoformat(), rule)],
                )
                done.update((row["case_id"], row["category"]) for row in c.fetchall())
        return done

    def destroyed(self, case_ids: Sequence[str]) -> dict[tuple[str, str], date]:
        if not case_ids:
            return {}
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT case_id, category, destroyed_on FROM {t}pml_data_key "
                    "WHERE key IS NULL AND case_id IN ({marks})",
                    marks=",".join("?" * len(case_ids)),
                ),
                tuple(case_ids),
            )
            return {(row["case_id"], row["category"]): _destroyed_on(row) for row in c.fetchall()}

    def scrub(self) -> None:
        """See `DataKeys.scrub`. A scrub that fails (a full disk, a lost connection) is
        logged, not raised: the keys are destroyed all the same, and the next scrub (the next
        purge's end) removes what this one could not."""
        try:
            self._scrub()
        except UNREACHABLE as exc:
            logger.warning(
                "destroyed data keys may linger in the database's free pages until the next "
                "purge: the scrub failed (%s: %s)",
                type(exc).__name__,
                exc,
            )

    @abstractmethod
    def _shredding(self, cursor: Any) -> None:
        """Make the transaction of `cursor` overwrite what it frees, where the backend can."""

    @abstractmethod
    def _scrub(self) -> None:
        """Remove the copies of destroyed keys' bytes the backend keeps beyond the live rows;
        outside any transaction, after the destructions were committed."""


def data_key_of(row: Any) -> DataKey:
    """A key table row (by column name) as a `DataKey`."""
    return DataKey(
        key=_key(row["key"]),
        destroyed_on=_destroyed_on(row) if row["destroyed_on"] else None,
        rule=row["rule"],
    )


def _key(stored: object) -> bytes | None:
    """A row's key bytes (None once destroyed); a key stored as anything but bytes (text put
    into the column outside pmledger) is a damaged key table."""
    if stored is None:
        return None
    if isinstance(stored, bytes | memoryview):
        return bytes(stored)
    raise StorageError(
        f"a data key in the data key table is stored as {type(stored).__name__}, not bytes: the "
        "table was changed outside pmledger; restore it from a backup"
    )


def _destroyed_on(row: Any) -> date:
    """When a row's key was destroyed; a date that no longer reads is a damaged key table."""
    try:
        return date.fromisoformat(row["destroyed_on"])
    except (ValueError, TypeError) as exc:
        raise StorageError.damaged(
            "the date a data key was destroyed, in the data key table,",
            exc,
            "restore the key table from a backup",
        ) from None
