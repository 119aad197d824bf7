"""The documents a bundle holds: every document a record names, in date order, with why any
of them cannot be shown.

A tribunal's evidence is the documents themselves — letters as sent, plans, minutes, e-mails —
so the bundle inserts each one as pages and its index lists them in page order. A document is
read only as far as the exporter may read its record (a withheld record's documents are listed
as withheld, with the reason), and never silently left out: one the ledger can no longer open
(its category disposed) is listed with the rule it was disposed under.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pmledger.errors import DocumentUnavailable
from pmledger.events.documents import ALLOWED_TYPES, DocumentRef
from pmledger.events.meeting_acts import LetterSent
from pmledger.export.case_extract import BundleRecord, CaseExtract
from pmledger.export.presentation import presented_value, title
from pmledger.export.redaction import Redaction
from pmledger.ledger.documents import refs_of

Reader = Callable[[str], Iterator[bytes]]
"""The bytes of one of the case's documents by digest, chunk by chunk."""

EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "message/rfc822": "eml",
    "text/plain": "txt",
}


@dataclass(frozen=True)
class BundleDocument:
    number: int
    """D1, D2…: in date order, the order the documents are inserted."""
    record: BundleRecord
    ref: DocumentRef
    title: str
    path: Path | None
    """The document's bytes, written out for this export (None: not available)."""
    unavailable: str | None = None
    """Why the bytes could not be had (withheld from the exporter, disposed, redacted)."""
    redaction: Redaction | None = None
    """The ground the exporter redacted it on (None: not redacted by choice)."""

    @property
    def anchor(self) -> str:
        return f"doc-{self.number}"

    @property
    def label(self) -> str:
        return f"D{self.number}"

    @property
    def member_name(self) -> str:
        """Its name in bundle.zip: by digest, so the name itself says what it must hash to."""
        return f"documents/{self.ref.sha256}.{EXTENSIONS.get(self.ref.media_type, 'bin')}"


def bundle_documents(
    extract: CaseExtract,
    read: Reader,
    folder: Path,
    redacted: Mapping[str, Redaction] | None = None,
) -> list[BundleDocument]:
    """Every document the case's records name, in date order, each written to `folder` (chunk
    by chunk, checked against its digest as it is written) when the exporter may read it and
    has not redacted it (`redacted`: by digest; never read)."""
    found: list[BundleDocument] = []
    seen: set[str] = set()
    for record in extract.in_date_order():
        for ref in refs_of(record.stored.act):
            if ref.sha256 in seen:
                continue
            seen.add(ref.sha256)
            opened = _opened_ref(record, ref)
            number = len(found) + 1
            name = _title(record, opened)
            chosen = (redacted or {}).get(ref.sha256)
            if chosen is not None:
                # Its file name may be what the ground protects: the title names only its type.
                what = ALLOWED_TYPES.get(ref.media_type, ref.media_type)
                name = f"A document ({what}), with: {title(record.event.kind).lower()}"
                found.append(BundleDocument(number, record, ref, name, None, chosen.reason, chosen))
                continue
            if record.redaction is not None:
                reason = f"withheld from the exporter: {record.redaction.reason}"
                found.append(BundleDocument(number, record, opened, name, None, reason))
                continue
            try:
                path = _write(read, opened, folder / f"{number:04}-{opened.sha256[:16]}")
            except DocumentUnavailable as gone:
                found.append(BundleDocument(number, record, opened, name, None, str(gone)))
                continue
            found.append(BundleDocument(number, record, opened, name, path))
    return found


def _opened_ref(record: BundleRecord, stored: DocumentRef) -> DocumentRef:
    """The ref as the exporter may read it (file name opened), else as stored."""
    for ref in refs_of(record.event.act):
        if ref.sha256 == stored.sha256:
            return ref
    return stored


def _title(record: BundleRecord, ref: DocumentRef) -> str:
    event = record.event
    act = event.act
    what = ALLOWED_TYPES.get(ref.media_type, ref.media_type)
    if (
        isinstance(act, LetterSent)
        and act.document is not None
        and act.document.sha256 == ref.sha256
    ):
        edited = ", edited after it was generated" if ref.generated_sha256 else ""
        return f"Letter {presented_value(event, 'letter_id')} as sent ({what}{edited})"
    return f"{ref.file_name} ({what}), with: {title(event.kind).lower()}"


def _write(read: Reader, ref: DocumentRef, path: Path) -> Path:
    """Write the document out chunk by chunk; its digest must be the one its record signs."""
    path = path.with_suffix("." + EXTENSIONS.get(ref.media_type, "bin"))
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in read(ref.sha256):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != ref.sha256:
        raise DocumentUnavailable(
            f"{ref.file_name}: the stored copy no longer has the digest its record signs; "
            "run `pmledger verify`"
        )
    return path


def scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """Where an export writes documents out while it builds the bundle (removed after)."""
    return tempfile.TemporaryDirectory(prefix="pmledger-bundle-")
