"""A document an act carries, named by its content.

The signed event holds the document's SHA-256 digest, so the record is the document as sent:
whoever holds the bytes can show they are the ones signed, and a changed byte no longer
matches. The bytes themselves live outside the event (returned to the host today; kept by the
ledger's documents store once it lands), so a record stays small and its personal content can
be shredded without breaking a signature.
"""

from __future__ import annotations

from pydantic import Field

from pmledger.events.values import FrozenModel, Name, PersonalName

SHA256_HEX = r"^[0-9a-f]{64}$"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
