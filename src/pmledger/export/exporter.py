"""`export_case`: one case → bundle.pdf and bundle.zip in a folder.

The PDF is made first because the zip's manifest records its digest; the chronology's page
numbers come from where the PDF's final pass put each record, so chronology.json says
exactly what was printed. The checkpoint is chosen before either, so the PDF's appendix
prints the very tree head that bundle.zip carries.
The chronology is described from the events as stored (personal content sealed), the same
bytes `verify-bundle` has, so it can derive every row again without any data key — which also
makes it the same whatever the exporter may see.
The bundle is read through a person's `CaseReader`: their right to export is checked and
logged before anything is read or written, and what they may not see is redacted and listed;
so is what they choose to redact on a legal ground (`redacting`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pmledger.commands import EmployeeRef
from pmledger.errors import DocumentUnavailable
from pmledger.export.bundle_documents import BundleDocument, bundle_documents, scratch_folder
from pmledger.export.bundle_zip import member_name, write_bundle_zip
from pmledger.export.case_extract import CaseExtract, extract_case
from pmledger.export.chronology import (
    Chronology,
    ChronologyEntry,
    ChronologyRow,
    chronology_rows,
)
from pmledger.export.manifest import Manifest, pmledger_version
from pmledger.export.pdf.bundle_pdf import render_bundle_pdf
from pmledger.export.pdf.context import Claim, record_anchor
from pmledger.export.pdf.document import PageMap
from pmledger.export.pdf.document_pages import as_pages
from pmledger.export.proofs import BundleCheckpoint, bundle_checkpoint
from pmledger.export.redacting import Redacting, apply_redactions
from pmledger.export.redaction import ChosenRedaction, Redactions
from pmledger.ledger.reader import CaseReader

PDF_NAME = "bundle.pdf"
ZIP_NAME = "bundle.zip"


@dataclass(frozen=True)
class ExportResult:
    pdf: Path
    zip: Path
    pages: int
    manifest: Manifest
    extract: CaseExtract = field(repr=False)

    def __str__(self) -> str:
        head = self.manifest.case_head
        return (
            f"{self.pdf} ({self.pages} pages) and {self.zip}: {head.version} records, "
            f"chain head {head.digest[:16]}…"
        )


def export_case(
    reader: CaseReader,
    employee: EmployeeRef,
    out_dir: Path,
    as_of: date,
    claim: Claim | None = None,
    redactions: Sequence[ChosenRedaction] = (),
) -> ExportResult:
    """Write the bundle as `reader`'s person may see it; AccessDenied (and no files) when they
    may not export the case at all. `claim` puts the tribunal claim number and parties on the
    cover and every page header; `redactions` are the records and documents the exporter
    redacts on a legal ground (InvalidInput, and no files, for one the case does not have)."""
    disclosure = reader.disclosure(employee)
    redacting = apply_redactions(
        extract_case(reader.ledger, employee, as_of, disclosure, reader.actor), redactions
    )
    extract = redacting.extract
    checkpoint = bundle_checkpoint(reader.ledger, extract.rows, member_name, reader.actor)
    version = pmledger_version()
    rows = chronology_rows(r.stored for r in extract.records)
    with scratch_folder() as scratch:
        folder = Path(scratch)
        documents = bundle_documents(
            extract, disclosure.document or _none, folder, redacting.documents
        )
        inserted = [as_pages(document, folder) for document in documents]
        out_dir.mkdir(parents=True, exist_ok=True)
        partial = out_dir / (PDF_NAME + ".partial")
        try:
            with partial.open("wb") as pdf:
                pages = render_bundle_pdf(
                    extract, rows, version, checkpoint.head, pdf, inserted, claim
                )
            pdf_path = partial.replace(out_dir / PDF_NAME)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return _write(out_dir, pdf_path, pages, redacting, rows, reader, checkpoint, documents)


def _none(sha256: str) -> Iterator[bytes]:
    raise DocumentUnavailable("the exporter may read no document of this case")


def _write(
    out_dir: Path,
    pdf_path: Path,
    pages: PageMap,
    redacting: Redacting,
    rows: list[ChronologyRow],
    reader: CaseReader,
    checkpoint: BundleCheckpoint,
    documents: list[BundleDocument],
) -> ExportResult:
    extract = redacting.extract
    with pdf_path.open("rb") as written:
        pdf_sha256 = hashlib.file_digest(written, "sha256").hexdigest()
    chronology = Chronology(
        case_id=extract.case_id,
        as_of=extract.as_of,
        rows=tuple(
            ChronologyEntry(**row.model_dump(), page=pages.number(record_anchor(row.version)))
            for row in rows
        ),
    )
    zip_path = out_dir / ZIP_NAME
    redactions = Redactions(
        case_id=extract.case_id,
        exported_by=f"{reader.actor.person_id} ({reader.actor.role.value})",
        redactions=tuple(redacting.listed),
    )
    manifest = write_bundle_zip(
        zip_path,
        extract,
        chronology,
        redactions,
        PDF_NAME,
        pdf_sha256,
        checkpoint,
        [(d.member_name, d.path) for d in documents if d.path is not None],
    )
    return ExportResult(pdf_path, zip_path, pages.total, manifest, extract)
