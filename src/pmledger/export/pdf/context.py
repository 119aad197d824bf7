"""What every section builder is given, and the small helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from pmledger.export.case_extract import BundleRecord, CaseExtract
from pmledger.export.chronology import ChronologyRow
from pmledger.export.pdf.document import PageMap, PageRef
from pmledger.export.pdf.document_pages import Pages
from pmledger.export.pdf.styles import Styles, styles
from pmledger.export.presentation import day
from pmledger.integrity.tree_head import SignedTreeHead


@dataclass(frozen=True)
class Claim:
    """The tribunal claim a bundle is filed in: printed on the cover and every page header."""

    number: str | None = None
    claimant: str | None = None
    respondent: str | None = None

    @property
    def parties(self) -> str | None:
        if self.claimant and self.respondent:
            return f"{self.claimant} v {self.respondent}"
        return self.claimant or self.respondent

    @property
    def header(self) -> str:
        parts = [
            p for p in (f"Claim No. {self.number}" if self.number else None, self.parties) if p
        ]
        return " — ".join(parts)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


COVER = Section("cover", "Cover")
INDEX = Section("index", "Index")
CHRONOLOGY = Section("chronology", "Chronology")
CAST = Section("cast", "Cast list")
TIMELINE = Section("timeline", "Timeline")
WARNINGS = Section("warnings", "Warnings")
FINDINGS = Section("findings", "Findings")
RECORDS = Section("records", "Records")
LETTERS = Section("letters", "Letters and forms")
DOCUMENTS = Section("documents", "Documents")
REDACTIONS = Section("redactions", "Redactions")
APPENDIX = Section("appendix", "Verification appendix")

SECTIONS = (
    COVER,
    INDEX,
    CHRONOLOGY,
    CAST,
    TIMELINE,
    WARNINGS,
    FINDINGS,
    LETTERS,
    RECORDS,
    DOCUMENTS,
    REDACTIONS,
    APPENDIX,
)
"""The bundle's sections in page order."""


@dataclass(frozen=True)
class BundleContext:
    extract: CaseExtract
    chronology: list[ChronologyRow]
    pages: PageMap
    pmledger_version: str
    checkpoint: SignedTreeHead
    """The signed tree head bundle.zip carries, so the appendix can print it: the PDF is
    rendered before the zip is written, so the head is chosen first and handed in."""
    documents: list[Pages] = field(default_factory=list)
    """The documents the records name, in date order, as pages (or why not)."""
    claim: Claim | None = None

    @property
    def styles(self) -> Styles:
        return styles()

    def page_of(self, anchor: str) -> PageRef:
        return PageRef(self.pages, anchor)

    def record_page(self, version: int) -> PageRef:
        return self.page_of(record_anchor(version))

    @property
    def date_range(self) -> str:
        records = self.extract.records
        first = min(r.event.occurred_on for r in records)
        last = max(r.event.occurred_on for r in records)
        return f"{day(first)} to {day(last)}"


def record_anchor(version: int) -> str:
    return f"v{version}"


def esc(text: str) -> str:
    return escape(text)


def exporter_words(extract: CaseExtract) -> str:
    actor = extract.exported_by
    return f"{actor.person_id} ({actor.role.value.replace('_', ' ')})"


def signature_text(record: BundleRecord) -> str:
    key = record.event.key_id
    if record.signature.verified:
        return f"verified — Ed25519 key {key}"
    return f"NOT verified — key {key}: {record.signature.reason}"


def acknowledgement_text(record: BundleRecord) -> str:
    ack = record.acknowledgement
    if ack is not None:
        dissent = ", recording disagreement" if ack.disagrees else ""
        return (
            f"countersigned by the employee at version {ack.version} "
            f"({day(ack.occurred_on)}{dissent})"
        )
    if record.needs_acknowledgement:
        return "awaiting the employee's countersignature"
    return "not required by the forms"
