"""Values read back from the tables pmledger keeps: damage named where it is read.

SQLite stores whatever a column is given, so an INTEGER column edited outside pmledger can hold
text; reading it must say the ledger's storage is damaged, not raise the ValueError that a bug
in pmledger would also raise (the CLI shows those as bugs). PostgreSQL's typed columns cannot
hold such a value, so there the check costs one conversion it already paid.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pmledger.errors import StorageError


def stored_int(row: Any, column: str, *, null: int | None = None) -> int:
    """`row[column]` as an int; `null` stands for a NULL where the column may hold one."""
    value = row[column]
    if value is None and null is not None:
        return null
    try:
        return int(value)
    except (ValueError, TypeError) as exc:
        raise StorageError.damaged(
            f"a stored {column} ({str(value)[:40]!r})",
            exc,
            "restore the ledger from a backup; `pmledger verify` names what was changed",
        ) from None


def stored_case_id(stored: str) -> str:
    """A stored case id (32 hex digits, in the events or snapshots table) as its canonical
    text; anything else was written into the table outside pmledger."""
    try:
        return str(UUID(stored))
    except (ValueError, TypeError) as exc:
        raise StorageError.damaged(
            f"the stored case id {str(stored)[:40]!r}",
            exc,
            "restore the ledger from a backup",
        ) from None


def stored_topic(stored: object) -> str:
    """A stored event's topic, which SQLite keeps as text; a BLOB or NULL there (any type fits
    any column in SQLite) was written outside pmledger, and is named here rather than met as
    an AttributeError wherever a topic is read (`verify`, the views, reports)."""
    if type(stored) is str:
        return stored
    raise StorageError.damaged(
        "an event's topic stored as NULL"
        if stored is None
        else f"an event's topic stored as {type(stored).__name__} {str(stored)[:40]!r}",
        TypeError(f"{type(stored).__name__}, not text"),
        "restore the ledger from a backup",
    )
