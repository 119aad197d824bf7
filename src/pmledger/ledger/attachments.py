"""Documents offered with an act: read in chunks, checked, and sealed for the documents table.

An `Attachment` is where the bytes come from (in memory, a file, or a seekable stream), with
the media type and file name they were sent as. Nothing here holds a whole document: the
digest is worked out, the type checked and every chunk sealed as the bytes stream past, so
memory stays flat in the document's size. Every check that can fail does so before the act's
transaction commits, and a failure rolls it back: a refused document stores nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pmledger.crypto.document_cipher import CHUNK_SIZE, seal_chunk
from pmledger.errors import (
    DocumentDigestMismatch,
    DocumentTooLarge,
    DocumentTypeNotAllowed,
    InvalidInput,
)
from pmledger.events.documents import ALLOWED_TYPES, DOCX, EMAIL, JPEG, PDF, PNG, TEXT, DocumentRef

DEFAULT_DOCUMENT_LIMIT = 25 * 1000 * 1000
"""25 MB: above the largest scanned PDF or photographed evidence a case file usually holds,
and below what a mail server would have delivered."""

BY_EXTENSION = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".eml": EMAIL,
    ".txt": TEXT,
}

_MAGIC = {
    PDF: (b"%PDF-",),
    DOCX: (b"PK\x03\x04",),
    PNG: (b"\x89PNG\r\n\x1a\n",),
    JPEG: (b"\xff\xd8\xff",),
}
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")


@dataclass(frozen=True)
class Attachment:
    """A document's bytes and how it was sent. `source` is bytes, a path, or a binary stream
    that can seek back to its start (it is read once to name it and once to store it)."""

    source: bytes | Path | BinaryIO = field(repr=False)
    media_type: str
    file_name: str

    @classmethod
    def from_path(
        cls, path: Path | str, media_type: str | None = None, file_name: str | None = None
    ) -> Attachment:
        """A file on disk, its media type taken from its extension unless given."""
        path = Path(path)
        kind = media_type or BY_EXTENSION.get(path.suffix.lower())
        if kind is None:
            raise DocumentTypeNotAllowed(
                f"{path.name}: cannot tell its type from the extension {path.suffix!r}; "
                f"give media_type= (one of {', '.join(ALLOWED_TYPES)})"
            )
        return cls(path, kind, file_name or path.name)

    def chunks(self, size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The bytes from the start, `size` at a time."""
        source = self.source
        if isinstance(source, bytes):
            for start in range(0, len(source), size):
                yield source[start : start + size]
            return
        if isinstance(source, Path):
            try:
                with source.open("rb") as stream:
                    yield from _read(stream, size)
            except OSError as exc:
                raise InvalidInput(f"cannot read {source}: {exc.strerror}") from None
            return
        if not source.seekable():
            raise InvalidInput(
                f"{self.file_name}: the stream cannot seek back to its start; pass a path or bytes"
            )
        source.seek(0)
        yield from _read(source, size)

    def ref(self, generated_sha256: str | None = None) -> DocumentRef:
        """What an act carries of this document: its digest, type, name and size (read in
        chunks; the type is checked against the bytes on the way)."""
        digest = hashlib.sha256()
        check = TypeCheck(self.media_type, self.file_name)
        size = 0
        for chunk in self.chunks():
            check.feed(chunk)
            digest.update(chunk)
            size += len(chunk)
        check.finish(size)
        return DocumentRef(
            sha256=digest.hexdigest(),
            media_type=self.media_type,
            file_name=self.file_name,
            size=size,
            generated_sha256=generated_sha256,
        )


def _read(stream: BinaryIO | io.BufferedReader, size: int) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


class TypeCheck:
    """Whether streamed bytes are what their media type says, looking only at what passes."""

    def __init__(self, media_type: str, file_name: str) -> None:
        if media_type not in ALLOWED_TYPES:
            raise DocumentTypeNotAllowed(
                f"{file_name}: {media_type} is not a type the ledger keeps; send "
                + ", ".join(f"{kind} ({what})" for kind, what in ALLOWED_TYPES.items())
            )
        self.media_type = media_type
        self.file_name = file_name
        self._first = True
        self._text = codecs.getincrementaldecoder("utf-8")() if media_type == TEXT else None

    def _wrong(self) -> DocumentTypeNotAllowed:
        return DocumentTypeNotAllowed(
            f"{self.file_name}: its bytes are not {ALLOWED_TYPES[self.media_type]} "
            f"({self.media_type}); send the file itself, or name its real type"
        )

    def feed(self, chunk: bytes) -> None:
        if self._first:
            self._first = False
            magic = _MAGIC.get(self.media_type)
            if magic is not None and not chunk.startswith(magic):
                raise self._wrong()
            if self.media_type == EMAIL and not _HEADER_LINE.match(chunk):
                raise self._wrong()
        if self._text is not None:
            try:
                self._text.decode(chunk)
            except UnicodeDecodeError:
                raise self._wrong() from None

    def finish(self, size: int) -> None:
        if size == 0:
            raise InvalidInput(f"{self.file_name} is empty; attach the document itself")
        if self._text is not None:
            try:
                self._text.decode(b"", final=True)
            except UnicodeDecodeError:
                raise self._wrong() from None


def check_ref(ref: DocumentRef, limit: int) -> None:
    """What can be told from the act alone, before any byte is read."""
    TypeCheck(ref.media_type, ref.file_name)
    if ref.size > limit:
        raise DocumentTooLarge(
            f"{ref.file_name} is {ref.size:,} bytes, over this ledger's limit of {limit:,}; "
            "send a smaller copy (a scan at lower resolution, a PDF without embedded video)"
        )


@dataclass(frozen=True)
class PendingDocument:
    """A document to store with the act naming it, sealed under its category's key."""

    case_id: str
    category: str
    key: bytes = field(repr=False)
    ref: DocumentRef
    attachment: Attachment
    limit: int

    def sealed_chunks(self) -> Iterator[tuple[int, bytes, bytes]]:
        """(number, nonce, ciphertext) of each chunk, the last one only once every byte has
        been counted and hashed: a document that is over the limit, not its type, or not the
        one the act names raises before its last chunk is stored, rolling the act back."""
        ref = self.ref
        check = TypeCheck(ref.media_type, ref.file_name)
        digest = hashlib.sha256()
        size = 0
        held: bytes | None = None
        seq = 0
        for chunk in self.attachment.chunks():
            check.feed(chunk)
            digest.update(chunk)
            size += len(chunk)
            if size > self.limit:
                raise DocumentTooLarge(
                    f"{ref.file_name} is over this ledger's limit of {self.limit:,} bytes"
                )
            if held is not None:
                yield (seq, *self._seal(seq, False, held))
                seq += 1
            held = chunk
        check.finish(size)
        if digest.hexdigest() != ref.sha256 or size != ref.size:
            raise DocumentDigestMismatch(
                f"{ref.file_name}: the bytes given have SHA-256 {digest.hexdigest()} and "
                f"{size:,} bytes, but the act names {ref.sha256} and {ref.size:,} bytes; "
                "attach the document the act names (or name the one you have)"
            )
        assert held is not None
        yield (seq, *self._seal(seq, True, held))

    def _seal(self, seq: int, last: bool, plain: bytes) -> tuple[bytes, bytes]:
        return seal_chunk(self.key, self.case_id, self.category, self.ref.sha256, seq, last, plain)
