"""How far each import file got, stored in the same transaction as the acts it imported.

A large `pmledger import` stores its file a chunk of lines at a time. Each chunk's
transaction also replaces the import's mark: the SHA-256 of the file's bytes up to the last
line stored, with that line's number. A rerun of the same file (or of the same file with a
later line corrected after a refusal) finds the longest stored prefix it begins with and
continues after it; since a mark commits exactly when its acts do, a kill at any point loses
no act and doubles none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pmledger.storage.documents import Execute
from pmledger.storage.tracked import TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_import (prefix_sha256 TEXT PRIMARY KEY, "
    "lines BIGINT, acts BIGINT)",
)

NEW_IMPORT_MARK = "import_mark"
"""The `CaseStore.save` keyword carrying the import mark to store with its events."""


@dataclass(frozen=True)
class ImportMark:
    """The file's first `lines` lines hash to `prefix_sha256` and are stored, as `acts` acts;
    `replaces` is the mark of the chunk before (dropped, so one mark is kept per import)."""

    prefix_sha256: str
    lines: int
    acts: int
    replaces: str | None = None


def write_import_mark(execute: Execute, prefix: str, mark: ImportMark | None) -> None:
    """Replace the import's mark through a recorder's cursor, inside the events' transaction
    (`?` placeholders, which PostgreSQL's caller turns into `%s`)."""
    if mark is None:
        return
    if mark.replaces is not None:
        execute(f"DELETE FROM {prefix}pml_import WHERE prefix_sha256=?", (mark.replaces,))
    execute(
        f"INSERT INTO {prefix}pml_import VALUES (?,?,?)",
        (mark.prefix_sha256, mark.lines, mark.acts),
    )


class ImportMarks(TrackedTables):
    """The stored marks (one per import file begun), for a rerun to find where to continue."""

    ddl = CREATE

    def marks(self) -> dict[str, ImportMark]:
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT prefix_sha256, lines, acts FROM {t}pml_import"))
            found: Sequence[Any] = c.fetchall()
        return {
            r["prefix_sha256"]: ImportMark(r["prefix_sha256"], r["lines"], r["acts"]) for r in found
        }


class MemoryImportMarks:
    """Marks in process memory, for the in-memory ledger."""

    def __init__(self) -> None:
        self._marks: dict[str, ImportMark] = {}

    def marks(self) -> dict[str, ImportMark]:
        return dict(self._marks)

    def keep(self, mark: ImportMark | None) -> None:
        if mark is None:
            return
        if mark.replaces is not None:
            self._marks.pop(mark.replaces, None)
        self._marks[mark.prefix_sha256] = mark
