"""`export_subject_access`: the answer to a subject access request as one zip.

`subject-access.zip` holds `subject-access.pdf` (readable), `subject-access.json` (the same
data for machines) and `documents/` (each disclosed document, named by its digest: its text
with third parties withheld, `<digest>.text.txt`, or the document as held where the DPO released
it). Documents are streamed from the ledger chunk by chunk and checked against their signed
digest as they go — into the zip (`ZipFile.open(..., "w")`), or to a scratch file whose text
is read — so memory stays flat in their number. The zip is written under a temporary name
and renamed when complete.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import tempfile
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pmledger.errors import DocumentUnavailable, InvalidInput
from pmledger.events.subject_access_acts import SubjectAccessAnswered, SubjectAccessRequested
from pmledger.export.redaction import RedactionGround
from pmledger.export.subject_access.answer import AnswerDocument, build_answer
from pmledger.export.subject_access.document_text import document_text
from pmledger.export.subject_access.pdf import render_answer_pdf
from pmledger.export.subject_access.third_parties import GROUND
from pmledger.ledger.reader import CaseReader
from pmledger.ledger.subject_access import SubjectAccessHeld

ZIP_NAME = "subject-access.zip"
PDF_NAME = "subject-access.pdf"
JSON_NAME = "subject-access.json"


@dataclass(frozen=True)
class SubjectAccessResult:
    zip: Path
    sha256: str
    answer: dict[str, Any]
    answered: str | None = None
    """The request this export was recorded as the answer to."""


def export_subject_access(
    reader: CaseReader,
    person_id: str,
    out_dir: Path,
    as_of: date,
    *,
    withhold: Mapping[str, RedactionGround] | None = None,
    release: Collection[str] = (),
    answers: str | None = None,
) -> SubjectAccessResult:
    """Everything held about `person_id`, third parties withheld, as `reader`'s DPO may
    gather it (AccessDenied, logged, and nothing written for anyone else).

    `withhold` maps a document's digest (or a unique prefix) to the ground the DPO withholds
    it on (`RedactionGround`: third-party data, legal privilege, without prejudice); `release`
    names documents (digests or unique prefixes) the DPO has reviewed and discloses as held
    rather than as their text with third parties withheld (the rule: `third_parties`);
    `answers` names the request this export
    answers, recorded on its case (`subject_access_answered`, with the zip's digest) once the
    zip is complete, which meets that request's deadline.
    """
    held = reader.subject_access(person_id)
    request_case = _case_of(held, answers) if answers is not None else None
    answer, documents = build_answer(held, as_of, withhold or {}, release)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ZIP_NAME
    partial = path.with_name(ZIP_NAME + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _documents(archive, documents, answer)
            data = json.dumps(answer, indent=2, ensure_ascii=False).encode("utf-8")
            archive.writestr(JSON_NAME, data)
            archive.writestr(PDF_NAME, render_answer_pdf(answer))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    sha256 = digest.hexdigest()
    if request_case is not None and answers is not None:
        reader.ledger.record(
            request_case,
            SubjectAccessAnswered(request_id=answers, sha256=sha256),
            occurred_on=as_of,
            actor=reader.actor,
        )
    return SubjectAccessResult(path, sha256, answer, answers)


def _case_of(held: SubjectAccessHeld, request_id: str) -> Any:
    for case in held.cases:
        for event in case.records:
            act = event.act
            if isinstance(act, SubjectAccessRequested) and act.request_id == request_id:
                return case.employee
    raise InvalidInput(
        f"no subject access request {request_id} is recorded on {held.person_id}'s cases; "
        "record its receipt (subject_access_requested) first"
    )


def _documents(
    archive: zipfile.ZipFile, documents: list[AnswerDocument], answer: dict[str, Any]
) -> None:
    """Put each disclosed document in the zip once, checked against its digest: its text with
    third parties withheld, or as held where the DPO released it. One the ledger can no
    longer open (its category disposed), or whose text cannot be read, is listed as such,
    never left out."""
    written: set[str] = set()
    gone: dict[str, str] = {}
    for document in documents:
        if document.member in written:
            continue
        written.add(document.member)
        chunks = iter(document.case.document(document.ref.sha256))
        try:
            first = next(chunks, b"")
        except DocumentUnavailable as exc:
            gone[document.ref.sha256] = str(exc)
            continue
        read = itertools.chain((first,), chunks)
        if document.parties is None:
            with archive.open(document.member, "w", force_zip64=True) as member:
                _checked(document, read, member.write)
            continue
        problem = _as_text(archive, document, read, answer)
        if problem is not None:
            gone[document.ref.sha256] = problem
    for entry in answer["documents"]:
        if entry["sha256"] in gone:
            entry.pop("member", None)
            entry.pop("disclosed_as", None)
            entry["unavailable"] = gone[entry["sha256"]]


def _as_text(
    archive: zipfile.ZipFile,
    document: AnswerDocument,
    read: Iterator[bytes],
    answer: dict[str, Any],
) -> str | None:
    """Write the document's text with third parties withheld; why not, when it cannot be."""
    parties = document.parties
    assert parties is not None
    with tempfile.TemporaryDirectory(prefix="pmledger-sar-") as scratch:
        path = Path(scratch, "document")
        with path.open("wb") as out:
            _checked(document, read, out.write)
        text = document_text(path, document.ref.media_type)
    if text is None:
        return (
            "held for the DPO's review: its text cannot be read automatically (an image or a "
            "scan), so other people in it cannot be withheld; release it with --release "
            "DIGEST once reviewed"
        )
    parties.taken()
    shown = parties.text(text)
    withheld = parties.taken()
    if withheld:
        answer["redactions"].append(
            {
                "case": f"{document.case.employee.organisation}/"
                f"{document.case.employee.employee_ref}",
                "version": document.version,
                "document": document.ref.sha256,
                "withheld": withheld,
                "ground": GROUND,
            }
        )
    archive.writestr(document.member, shown.encode("utf-8"))
    return None


def _checked(
    document: AnswerDocument, read: Iterator[bytes], write: Callable[[bytes], object]
) -> None:
    digest = hashlib.sha256()
    for chunk in read:
        digest.update(chunk)
        write(chunk)
    if digest.hexdigest() != document.ref.sha256:
        raise DocumentUnavailable(
            f"document {document.ref.sha256[:16]}… no longer has the digest its record "
            "signs; run `pmledger verify` before answering"
        )
