"""Documents in their own tables of the ledger's database: SQLite and PostgreSQL side by side.

`pml_document` names each document a case holds (by digest, under the retention category of
the record that brought it) and `pml_document_chunk` holds its sealed chunks. Rows are written
by the event recorders, in the same transaction as the act naming the document (see
`write_documents`), so a document exists exactly when its record does. Reads go one chunk at a
time, so a reader's memory does not grow with the document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pmledger.ledger.attachments import PendingDocument
from pmledger.storage.stored_values import stored_int
from pmledger.storage.tracked import TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_document (case_id TEXT, category TEXT, sha256 TEXT, "
    "size BIGINT, chunks INTEGER, PRIMARY KEY (case_id, category, sha256))",
    "CREATE TABLE IF NOT EXISTS {t}pml_document_chunk (case_id TEXT, category TEXT, "
    "sha256 TEXT, seq INTEGER, nonce {blob}, data {blob}, "
    "PRIMARY KEY (case_id, category, sha256, seq))",
)

NEW_DOCUMENTS = "new_documents"
"""The `CaseStore.save` keyword carrying the documents to store with its events."""

INSERT_CHUNK = "INSERT INTO {t}pml_document_chunk VALUES (?,?,?,?,?,?)"
INSERT_DOCUMENT = "INSERT INTO {t}pml_document VALUES (?,?,?,?,?)"

Execute = Callable[[str, Sequence[Any]], Any]


def write_documents(execute: Execute, prefix: str, pending: Iterable[PendingDocument]) -> None:
    """Insert each document's chunks, then its row, through a recorder's cursor (inside the
    transaction storing the events). `prefix` is the schema ("" on SQLite), and statements use
    `?` placeholders, which PostgreSQL's caller turns into `%s`."""
    for document in pending:
        ids = (document.case_id, document.category, document.ref.sha256)
        count = 0
        for seq, nonce, ciphertext in document.sealed_chunks():
            execute(INSERT_CHUNK.format(t=prefix), (*ids, seq, nonce, ciphertext))
            count += 1
        execute(INSERT_DOCUMENT.format(t=prefix), (*ids, document.ref.size, count))


@dataclass(frozen=True)
class StoredDocument:
    case_id: str
    category: str
    sha256: str
    size: int
    chunks: int


class DocumentStore(Protocol):
    def find(self, case_id: str, sha256: str) -> list[StoredDocument]:
        """Every copy of the document the case holds (one per category that brought it)."""
        ...

    def chunk(self, document: StoredDocument, seq: int) -> tuple[bytes, bytes]:
        """(nonce, ciphertext) of one chunk."""
        ...

    def every(self) -> Iterator[StoredDocument]:
        """Every stored document, for `verify`."""
        ...


class DocumentTable(TrackedTables):
    ddl = CREATE

    def find(self, case_id: str, sha256: str) -> list[StoredDocument]:
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT case_id, category, sha256, size, chunks FROM {t}pml_document "
                    "WHERE case_id=? AND sha256=? ORDER BY category"
                ),
                (case_id, sha256),
            )
            return [_stored(row) for row in c.fetchall()]

    def chunk(self, document: StoredDocument, seq: int) -> tuple[bytes, bytes]:
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT nonce, data FROM {t}pml_document_chunk "
                    "WHERE case_id=? AND category=? AND sha256=? AND seq=?"
                ),
                (document.case_id, document.category, document.sha256, seq),
            )
            row = c.fetchone()
        if row is None:
            return b"", b""
        return bytes(row["nonce"]), bytes(row["data"])

    def every(self) -> Iterator[StoredDocument]:
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT case_id, category, sha256, size, chunks FROM {t}pml_document "
                    "ORDER BY case_id, category, sha256"
                )
            )
            rows = c.fetchall()
        return iter([_stored(row) for row in rows])


def _stored(row: Any) -> StoredDocument:
    return StoredDocument(
        row["case_id"],
        row["category"],
        row["sha256"],
        stored_int(row, "size"),
        stored_int(row, "chunks"),
    )


class MemoryDocuments:
    """Documents of the in-memory ledger (tests and throwaway ledgers)."""

    def __init__(self) -> None:
        self._documents: dict[tuple[str, str, str], StoredDocument] = {}
        self._chunks: dict[tuple[str, str, str, int], tuple[bytes, bytes]] = {}

    def stage(self, pending: Iterable[PendingDocument]) -> Callable[[], None]:
        """Seal every document now (raising before anything is kept if one is refused) and
        return what keeps them, for the recorder to call once its events are stored."""
        documents: dict[tuple[str, str, str], StoredDocument] = {}
        chunks: dict[tuple[str, str, str, int], tuple[bytes, bytes]] = {}
        for document in pending:
            ids = (document.case_id, document.category, document.ref.sha256)
            count = 0
            for seq, nonce, ciphertext in document.sealed_chunks():
                chunks[(*ids, seq)] = (nonce, ciphertext)
                count += 1
            documents[ids] = StoredDocument(*ids, document.ref.size, count)

        def keep() -> None:
            self._chunks.update(chunks)
            self._documents.update(documents)

        return keep

    def find(self, case_id: str, sha256: str) -> list[StoredDocument]:
        return sorted(
            (d for (c, _, s), d in self._documents.items() if c == case_id and s == sha256),
            key=lambda d: d.category,
        )

    def chunk(self, document: StoredDocument, seq: int) -> tuple[bytes, bytes]:
        return self._chunks.get(
            (document.case_id, document.category, document.sha256, seq), (b"", b"")
        )

    def every(self) -> Iterator[StoredDocument]:
        return iter(sorted(self._documents.values(), key=lambda d: (d.case_id, d.category)))
