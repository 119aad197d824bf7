"""A letter as bytes, and a rendered letter with everything it was made from.

A letter is bytes with a media type and a file name, named by its SHA-256: `ref()` is what a
signed record carries of it and `attachment()` what the ledger stores.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pmledger.commands import EmployeeRef
from pmledger.errors import InvalidInput
from pmledger.events.documents import DOCX, PDF, DocumentRef
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.ledger.attachments import Attachment
from pmledger.letters.template import LetterTemplate


@dataclass(frozen=True)
class LetterDocument:
    content: bytes = field(repr=False)
    media_type: str
    file_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def ref(self, generated: LetterDocument | None = None) -> DocumentRef:
        """What a signed record keeps of this document (`generated`: the document the
        ledger made, when this one is an edited copy of it)."""
        return DocumentRef(
            sha256=self.sha256,
            media_type=self.media_type,
            file_name=self.file_name,
            size=len(self.content),
            generated_sha256=generated.sha256 if generated and generated != self else None,
        )

    def attachment(self) -> Attachment:
        """The bytes for the ledger to store with the record naming them."""
        return Attachment(self.content, self.media_type, self.file_name)

    def check_type(self) -> None:
        """A letter as sent is a PDF or a Word document, and its bytes must be one."""
        if self.media_type == PDF and self.content.startswith(b"%PDF-"):
            return
        if self.media_type == DOCX and _is_docx(self.content):
            return
        raise InvalidInput(
            f"{self.file_name}: a letter as sent must be a PDF ({PDF}) or a Word document "
            f"({DOCX}) whose bytes are one; these are not {self.media_type}"
        )


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


@dataclass(frozen=True)
class Invitation:
    """The meeting a letter invites to, recorded with it as a MeetingInvited."""

    meeting_id: str
    purpose: MeetingPurpose
    scheduled_for: date
    venue: str | None
    papers_due_on: date | None


@dataclass(frozen=True)
class RenderedLetter:
    """A letter filled from the case and rendered, not yet recorded (a preview until
    `Letters.record` signs it as sent)."""

    template: LetterTemplate
    employee: EmployeeRef
    reference: str
    letter_date: date
    slots: dict[str, Any] = field(repr=False)
    confirmations: tuple[str, ...]
    """The template's required contents this letter states (its rendered confirm blocks)."""
    text: str = field(repr=False)
    pdf: LetterDocument
    docx: LetterDocument
    about_id: str | None
    invitation: Invitation | None
    notes: tuple[str, ...] = ()
    """What the letter's own checks found (e.g. sent after the latest day notice allows)."""

    @property
    def digest(self) -> str:
        """SHA-256 of the PDF: what the record signs unless another document is sent."""
        return self.pdf.sha256

    @property
    def pdf_bytes(self) -> bytes:
        return self.pdf.content

    @property
    def docx_bytes(self) -> bytes:
        return self.docx.content
