"""`export_subject_access`: the answer to a subject access request as one zip.

`subject-access.zip` holds `subject-access.pdf` (readable), `subject-access.json` (the same
data for machines) and `documents/` (each disclosed document as held, named by its digest).
Documents are streamed from the ledger into the zip chunk by chunk (`ZipFile.open(..., "w")`)
and checked against their signed digest as they go, so memory stays flat in their size and
number. The zip is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pmledger.errors import DocumentUnavailable, InvalidInput
from pmledger.events.subject_access_acts import SubjectAccessAnswered, SubjectAccessRequested
from pmledger.export.subject_access.answer import AnswerDocument, build_answer
from pmledger.export.subject_access.pdf import render_answer_pdf
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
    withhold: Mapping[str, str] | None = None,
    answers: str | None = None,
) -> SubjectAccessResult:
    """Everything held about `person_id`, third parties withheld, as `reader`'s DPO may
    gather it (AccessDenied, logged, and nothing written for anyone else).

    `withhold` maps a document's digest (or a unique prefix) to the ground the DPO withholds
    it on (third-party data, legal privilege); `answers` names the request this export
    answers, recorded on its case (`subject_access_answered`, with the zip's digest) once the
    zip is complete, which meets that request's deadline.
    """
    held = reader.subject_access(person_id)
    request_case = _case_of(held, answers) if answers is not None else None
    answer, documents = build_answer(held, as_of, withhold or {})
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
    """Stream each disclosed document into the zip, once, checked against its digest; one the
    ledger can no longer open (its category disposed) is listed as such, never left out."""
    written: set[str] = set()
    gone: dict[str, str] = {}
    for document in documents:
        if document.member in written:
            continue
        written.add(document.member)
        digest = hashlib.sha256()
        chunks = iter(document.case.document(document.ref.sha256))
        try:
            first = next(chunks, b"")
        except DocumentUnavailable as exc:
            gone[document.ref.sha256] = str(exc)
            continue
        with archive.open(document.member, "w", force_zip64=True) as member:
            for chunk in itertools.chain((first,), chunks):
                digest.update(chunk)
                member.write(chunk)
        if digest.hexdigest() != document.ref.sha256:
            raise DocumentUnavailable(
                f"document {document.ref.sha256[:16]}… no longer has the digest its record "
                "signs; run `pmledger verify` before answering"
            )
    for entry in answer["documents"]:
        if entry["sha256"] in gone:
            entry.pop("member", None)
            entry["unavailable"] = gone[entry["sha256"]]
