"""A number read back from a table pmledger keeps: damage named where it is read.

SQLite stores whatever a column is given, so an INTEGER column edited outside pmledger can hold
text; reading it must say the ledger's storage is damaged, not raise the ValueError that a bug
in pmledger would also raise (the CLI shows those as bugs). PostgreSQL's typed columns cannot
hold such a value, so there the check costs one conversion it already paid.
"""

from __future__ import annotations

from typing import Any

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
