"""The bundle's manifest: what the zip holds, the digest of every member and of the PDF.

The manifest is not signed (the exporter need hold no key); the records it lists are. Its
seal (a digest of its own content) makes any accidental or careless edit visible, while the
signatures inside the events are what make a deliberate one fail.
"""

from __future__ import annotations

from datetime import date
from importlib import metadata
from typing import Annotated, Final, Literal
from uuid import UUID

from pydantic import Field

from pmledger.canonical import canonical_bytes, sha256_hex
from pmledger.events.values import FrozenModel
from pmledger.export.chronology import encode_json

FORMAT: Final = "pmledger-bundle/1"
MEDIA_TYPE = b"application/vnd.pmledger-bundle+zip"
"""Content of the first member, `mimetype` (the ODF/EPUB convention for typed zips)."""

MANIFEST = "manifest.json"
ROWS = "rows.jsonl"
CHRONOLOGY = "chronology.json"
README = "README.txt"
MIMETYPE = "mimetype"

Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Head(FrozenModel):
    version: int = Field(ge=1)
    digest: Digest


class MemberDigest(FrozenModel):
    name: str
    size: int = Field(ge=0)
    sha256: Digest


class PdfDigest(FrozenModel):
    name: str
    sha256: Digest


class Manifest(FrozenModel):
    format: Literal["pmledger-bundle/1"] = FORMAT
    pmledger_version: str
    case_id: UUID
    organisation: str
    employee_ref: str
    as_of: date
    case_head: Head
    keyring_head: Head
    pdf: PdfDigest
    members: tuple[MemberDigest, ...]
    seal: Digest

    def expected_seal(self) -> str:
        return seal_of(self.model_dump(mode="json", exclude={"seal"}))

    def encode(self) -> bytes:
        return encode_json(self.model_dump(mode="json"))


def seal_of(content: dict[str, object]) -> str:
    return sha256_hex(canonical_bytes(content))


def pmledger_version() -> str:
    return metadata.version("pmledger")
