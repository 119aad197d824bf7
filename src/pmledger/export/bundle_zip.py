"""bundle.zip: the case's events and the keyring exactly as stored, with their manifest.

Each stored event is one member holding its state bytes untouched (envelope, payload and
signature in canonical JSON); `rows.jsonl` says where each sat in the log (position,
aggregate, version, topic), which is all the `Verifier` needs besides the bytes.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from pmledger.audit.stored_row import StoredRow
from pmledger.canonical import canonical_bytes, sha256_hex
from pmledger.export.case_extract import CaseExtract
from pmledger.export.chronology import Chronology
from pmledger.export.manifest import (
    CHRONOLOGY,
    MANIFEST,
    MEDIA_TYPE,
    MIMETYPE,
    README,
    ROWS,
    Head,
    Manifest,
    MemberDigest,
    PdfDigest,
    pmledger_version,
)
from pmledger.export.proofs import BundleCheckpoint
from pmledger.export.redaction import REDACTIONS, Redactions
from pmledger.export.zip_container import CanonicalZipWriter
from pmledger.ids import KEYRING_ID

_README = """\
pmledger case bundle
====================

This archive holds one employee's case exactly as the ledger stored it.

  mimetype          identifies the archive as a pmledger bundle
  keyring/NNNNNN    the ledger's public keys, one stored event per file (who may sign,
                    from when, until when)
  case/NNNNNN       the case's records, one stored event per file: canonical JSON
                    {env, payload, sig}; `sig` is an Ed25519 signature over `env`, and
                    `env` holds the SHA-256 of `payload` and of the previous record's `env`
  rows.jsonl        where each stored event sat in the ledger's log
  checkpoint/head.json    a signed Merkle tree head (RFC 9162) over the ledger's whole log,
                    covering every event here, and the root of a map of every case's newest
                    event at that size; publishable as `pmledger checkpoint` prints it
  checkpoint/proofs.json  each event's leaf index and inclusion proof against that head, the
                    case's and the keyring's entries in the map (their newest events, which
                    must be the last ones here) with their proofs, and the ledger's other
                    signed heads with consistency proofs to it
  chronology.json   the chronology printed in bundle.pdf, one row per record
  redactions.json   whose bundle this is, and each record whose personal content was
                    withheld from them in bundle.pdf, and why
  manifest.json     the SHA-256 of every file here and of bundle.pdf, the chain head

Check it with nothing but this file (no database needed):

  pmledger verify-bundle bundle.zip --pdf bundle.pdf
"""


DOCUMENTS_FOLDER = "documents/"
"""Where the documents the records name are, each as `<sha256>.<extension>`."""


def member_name(row: StoredRow) -> str:
    stream = "keyring" if row.aggregate_id == str(KEYRING_ID) else "case"
    return f"{stream}/{row.version:06d}.json"


def row_line(row: StoredRow) -> bytes:
    return (
        canonical_bytes(
            {
                "aggregate_id": row.aggregate_id,
                "member": member_name(row),
                "position": row.position,
                "topic": row.topic,
                "version": row.version,
            }
        )
        + b"\n"
    )


CHUNK = 1 << 20
"""Bytes a document is read in: the zip holds no document whole in memory."""


def _add_file(writer: CanonicalZipWriter, name: str, path: Path) -> MemberDigest:
    """Stream a document file into the zip: one pass measures it, the second writes it."""
    digest, crc, size = hashlib.sha256(), 0, 0
    for chunk in _chunks(path):
        digest.update(chunk)
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    writer.add_chunks(name, size, crc, _chunks(path))
    return MemberDigest(name=name, size=size, sha256=digest.hexdigest())


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        yield from iter(lambda: stream.read(CHUNK), b"")


def write_bundle_zip(
    path: Path,
    extract: CaseExtract,
    chronology: Chronology,
    redactions: Redactions,
    pdf_name: str,
    pdf_sha256: str,
    checkpoint: BundleCheckpoint,
    documents: Sequence[tuple[str, Path]] = (),
) -> Manifest:
    """Write the zip (to a temporary name, renamed when complete) and return its manifest.

    `documents` are (member name, file) of the documents the PDF shows, each named by the
    digest its signed record carries, so `verify-bundle` can hold every one to its record."""
    members: list[MemberDigest] = []
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        writer = CanonicalZipWriter(out)

        def add(name: str, data: bytes) -> None:
            writer.add(name, data)
            members.append(MemberDigest(name=name, size=len(data), sha256=sha256_hex(data)))

        add(MIMETYPE, MEDIA_TYPE)
        add(README, _README.encode("ascii"))
        lines: list[bytes] = []
        for row in extract.rows:
            add(member_name(row), row.state)
            lines.append(row_line(row))
        add(ROWS, b"".join(lines))
        for name, data in checkpoint.members():
            add(name, data)
        add(CHRONOLOGY, chronology.encode())
        add(REDACTIONS, redactions.encode())
        for name, document in documents:
            members.append(_add_file(writer, name, document))
        opened = extract.opened
        content = {
            "pmledger_version": pmledger_version(),
            "case_id": extract.case_id,
            "organisation": opened.organisation,
            "employee_ref": opened.employee_ref,
            "as_of": extract.as_of,
            "case_head": Head(version=extract.head.version, digest=extract.head.digest),
            "keyring_head": Head(version=extract.keyring_head[0], digest=extract.keyring_head[1]),
            "pdf": PdfDigest(name=pdf_name, sha256=pdf_sha256),
            "members": tuple(members),
        }
        unsealed = Manifest.model_validate({**content, "seal": "0" * 64})
        manifest = unsealed.model_copy(update={"seal": unsealed.expected_seal()})
        writer.add(MANIFEST, manifest.encode())
        writer.close()
    partial.replace(path)
    return manifest
