"""The ledger's documents: what an act brings is sealed and stored with it, read back chunk by
chunk, and checked by `verify` against the digests the records sign.

A document belongs to the case and the retention category of the record that brought it, and
is sealed under that category's data key: the purge that destroys the key shreds it with the
rest of the category's personal content, while the signed digest still says what was there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import orjson

from pmledger.audit.stored_row import StoredRow
from pmledger.crypto.data_keys import DataKeys
from pmledger.crypto.document_cipher import ChunkDamaged, open_chunk
from pmledger.errors import DocumentUnavailable, InvalidInput
from pmledger.events.base_act import ActBase
from pmledger.events.documents import DocumentRef
from pmledger.events.meeting_acts import LetterSent
from pmledger.ledger.attachments import Attachment, PendingDocument, check_ref
from pmledger.storage.documents import DocumentStore, StoredDocument


def refs_of(act: ActBase) -> tuple[DocumentRef, ...]:
    """Every document an act names: its attachments, and a letter's document as sent."""
    if isinstance(act, LetterSent) and act.document is not None:
        return (act.document, *act.attachments)
    return act.attachments


class CaseDocuments:
    """Documents in the ledger's database, sealed under the case's data keys."""

    def __init__(self, table: DocumentStore, keys: DataKeys, limit: int) -> None:
        self.table = table
        self.keys = keys
        self.limit = limit

    def pending(
        self,
        case_id: str,
        category: str,
        act: ActBase,
        supplied: Sequence[Attachment],
        key_for: Callable[[], bytes],
        already: set[tuple[str, str, str]],
    ) -> list[PendingDocument]:
        """The documents to store with `act` (recorded under `category`): each one it names
        must come with its bytes in `supplied` (matched by digest, worked out as they are
        stored) unless the case already holds it in that category. `already` collects what
        earlier acts of the same write store, so a document is stored once.

        Raises before anything is written: a type not kept, a size over the limit, a missing
        document, or (from `key_for`) a category whose key a purge destroyed."""
        found: list[PendingDocument] = []
        by_name = {a.file_name: a for a in supplied}
        for ref in refs_of(act):
            check_ref(ref, self.limit)
            slot = (case_id, category, ref.sha256)
            if slot in already:
                continue
            attachment = _match(ref, supplied, by_name)
            key = key_for()
            if any(d.category == category for d in self.table.find(case_id, ref.sha256)):
                continue
            if attachment is None:
                raise InvalidInput(
                    f"{type(act).__name__} names the document {ref.file_name} "
                    f"({ref.sha256[:12]}…) but its bytes were not given: pass it in "
                    "documents= with the act"
                )
            already.add(slot)
            found.append(PendingDocument(case_id, category, key, ref, attachment, self.limit))
        return found

    def read(self, case_id: str, sha256: str) -> Iterator[bytes]:
        """The document's bytes, one chunk at a time, from the first copy whose key is live.

        Raises DocumentUnavailable when every copy's category was disposed (saying when and
        under which rule) or the case holds no such document."""
        copies = self.table.find(case_id, sha256)
        disposed = []
        for stored in copies:
            record = self.keys.get(case_id, stored.category)
            if record is not None and record.key is not None:
                return self.opened(stored, record.key)
            if record is not None:
                disposed.append(f"disposed on {record.destroyed_on} under rule {record.rule}")
        if disposed:
            raise DocumentUnavailable(f"document {sha256[:12]}… of case {case_id}: {disposed[0]}")
        raise DocumentUnavailable(f"case {case_id} holds no document {sha256[:12]}…")

    def opened(self, stored: StoredDocument, key: bytes) -> Iterator[bytes]:
        """A stored copy's bytes, chunk by chunk (ChunkDamaged if one does not open)."""
        for seq in range(stored.chunks):
            nonce, ciphertext = self.table.chunk(stored, seq)
            yield open_chunk(
                key,
                stored.case_id,
                stored.category,
                stored.sha256,
                seq,
                seq == stored.chunks - 1,
                nonce,
                ciphertext,
            )


def _match(
    ref: DocumentRef, supplied: Sequence[Attachment], by_name: dict[str, Attachment]
) -> Attachment | None:
    """The attachment given for `ref`: the one with its file name (its digest is checked as it
    is stored), or the only one given."""
    if ref.file_name in by_name:
        return by_name[ref.file_name]
    return supplied[0] if len(supplied) == 1 else None


@dataclass
class DocumentCheck:
    """What `verify` found of the documents: every stored copy whose key is live opens and
    hashes to its digest, and every document a record names is stored."""

    checked: int = 0
    disposed: int = 0
    problem: str | None = None
    referenced: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    """(case id, digest) → (log position, version) of the first record naming it."""

    def watch(self, rows: Iterable[StoredRow]) -> Iterator[StoredRow]:
        """Pass the rows through, noting the documents case records name."""
        for row in rows:
            if row.topic.startswith("pmledger.case/") and b'"sha256"' in row.state:
                self._note(row)
            yield row

    def _note(self, row: StoredRow) -> None:
        """A row whose references do not read as a record's (damaged bytes: valid JSON of
        another shape) names no document; it is the verifier's to name, next, as the row
        that does not verify — not verify's to stop at with a bare TypeError or KeyError."""
        try:
            act = orjson.loads(row.state)["payload"]["act"]
            named = [*act.get("attachments", ())]
            if isinstance(act.get("document"), dict):
                named.append(act["document"])
            found = [(row.aggregate_id, str(ref["sha256"])) for ref in named]
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        for key in found:
            self.referenced.setdefault(key, (row.position, row.version))

    def run(self, documents: CaseDocuments) -> None:
        stored: set[tuple[str, str]] = set()
        for copy in documents.table.every():
            stored.add((copy.case_id, copy.sha256))
            record = documents.keys.get(copy.case_id, copy.category)
            if record is None or record.key is None:
                self.disposed += 1
                continue
            digest = hashlib.sha256()
            size = 0
            try:
                for chunk in documents.opened(copy, record.key):
                    digest.update(chunk)
                    size += len(chunk)
            except ChunkDamaged as damaged:
                self.problem = f"document {copy.sha256} of case {copy.case_id}: {damaged}"
                return
            if digest.hexdigest() != copy.sha256 or size != copy.size:
                self.problem = (
                    f"document {copy.sha256} of case {copy.case_id} ({copy.category}) no longer "
                    f"has that digest (its bytes hash to {digest.hexdigest()})"
                )
                return
            self.checked += 1
        for (case_id, sha256), (position, version) in self.referenced.items():
            if (case_id, sha256) not in stored:
                self.problem = (
                    f"record {version} of case {case_id} (log position {position}) names "
                    f"document {sha256}, which is not stored"
                )
                return
