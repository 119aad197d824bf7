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

RESTORE = "restore the ledger from a backup; `pmledger verify` names what was changed"
"""The remedy for damage to what only the signed log can vouch for."""


def stored_int(row: Any, column: str, *, null: int | None = None, remedy: str = RESTORE) -> int:
    """`row[column]` as an int; `null` stands for a NULL where the column may hold one, and
    `remedy` is what mends the table (a rebuild, for a read model's)."""
    value = row[column]
    if value is None and null is not None:
        return null
    try:
        return int(value)
    except (ValueError, TypeError) as exc:
        raise StorageError.damaged(
            f"a stored {column} ({str(value)[:40]!r})", exc, remedy
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


def stored_text(stored: object, what: str, remedy: str) -> str:
    """A value of a TEXT column; a BLOB or NULL there (any type fits any column in SQLite)
    was written outside pmledger, and is named here rather than met as a TypeError or
    AttributeError wherever the value is compared or read."""
    if type(stored) is str:
        return stored
    raise StorageError.damaged(
        f"{what} stored as NULL"
        if stored is None
        else f"{what} stored as {type(stored).__name__} {str(stored)[:40]!r}",
        TypeError(f"{type(stored).__name__}, not text"),
        remedy,
    )


def stored_topic(stored: object) -> str:
    """A stored event's topic (`verify`, the views and reports read it)."""
    return stored_text(stored, "an event's topic", "restore the ledger from a backup")
