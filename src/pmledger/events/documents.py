"""A document an act carries, named by its content.

The signed event holds the document's SHA-256 digest, so the record is the document as sent:
whoever holds the bytes can show they are the ones signed, and a changed byte no longer
matches. The bytes themselves live outside the event, encrypted in the ledger's documents
table under the case's key for the record's retention category, so a record stays small and
its documents are shredded with the rest of that category's personal content.
"""

from __future__ import annotations

from pydantic import Field

from pmledger.events.values import FrozenModel, Name, PersonalName

SHA256_HEX = r"^[0-9a-f]{64}$"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
EMAIL = "message/rfc822"
TEXT = "text/plain"

ALLOWED_TYPES: dict[str, str] = {
    PDF: "a PDF",
    DOCX: "a Word document (.docx)",
    PNG: "a PNG image",
    JPEG: "a JPEG image",
    EMAIL: "an e-mail (.eml)",
    TEXT: "plain text (UTF-8)",
}
"""The media types a record may carry: what letters, plans, minutes and evidence arrive as,
and what a tribunal bundle can show as pages (directly, or converted by LibreOffice)."""

MAX_ATTACHMENTS = 50


class DocumentRef(FrozenModel):
    sha256: str = Field(pattern=SHA256_HEX)
    """SHA-256 of the document's bytes, lower-case hex."""
    media_type: Name = Field(pattern=r"^[a-z]+/[a-z0-9.+-]+$")
    file_name: PersonalName
    """As it was sent; a file name often names the person, so it is sealed like their content."""
    size: int = Field(ge=1)
    generated_sha256: str | None = Field(default=None, pattern=SHA256_HEX)
    """When the document sent is an edited copy of one the ledger generated from a template:
    the digest of what was generated, so the record shows that an edit happened."""
