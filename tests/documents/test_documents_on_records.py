"""Documents on records (issue 20): content-addressed, sealed under the case's category key,
stored with the act in the ledger's own database, read back chunk by chunk, checked by
`verify`, and shredded by the purge of their category."""

from __future__ import annotations

import hashlib
import sqlite3
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import (
    ADMIN,
    ALICE,
    EMPLOYEE,
    HEAD,
    HR,
    SteppingClock,
    enrol,
    open_ledger,
    opened,
)

from pmledger.errors import (
    AccessDenied,
    ContentDisposed,
    DocumentDigestMismatch,
    DocumentTooLarge,
    DocumentTypeNotAllowed,
    DocumentUnavailable,
    InvalidInput,
)
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CycleOpened, Objective, ObjectivesSet
from pmledger.events.documents import EMAIL, PDF, PNG, DocumentRef
from pmledger.events.governance_acts import CaseClosed
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import purge
from pmledger.retention import load_default

MINUTES_PDF = b"%PDF-1.4\n% minutes of the first formal meeting\n" + bytes(range(256)) * 40
EMAIL_EML = (
    b"From: Daniel Osei <d.osei@oakfield.example>\r\nTo: Alice Brown\r\n"
    b"Subject: Lesson observation feedback\r\n\r\nThank you for this morning's lesson.\r\n"
)
PHOTO_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500
OUTSIDER = Actor(person_id="ht-2", role=Role.HEADTEACHER, authority_level=1)


def _read(ledger: Ledger, sha256: str, actor: Actor = HR) -> bytes:
    return b"".join(ledger.reader(actor).document(ALICE, sha256))


def _opened_case(ledger: Ledger) -> None:
    enrol(ledger)
    ledger.register_person("ht-2", (Role.HEADTEACHER,), by=HR, schools=("elmwood",))
    ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)


def _minutes(*documents: Attachment) -> MeetingHeld:
    return MeetingHeld(
        meeting_id="m-1",
        chair_person_id="ht-1",
        minutes="Discussed targets.",
        attachments=tuple(d.ref() for d in documents),
    )


def _stored_rows(ledger: Ledger) -> int:
    return len(list(ledger._documents.table.every()))


def test_an_act_carries_pdf_email_and_image_read_back_as_stored(backend: str) -> None:
    with open_ledger(backend) as ledger:
        _opened_case(ledger)
        pdf = Attachment(MINUTES_PDF, PDF, "minutes-9-october.pdf")
        eml = Attachment(EMAIL_EML, EMAIL, "feedback.eml")
        png = Attachment(PHOTO_PNG, PNG, "display-board.png")
        act = _minutes(pdf, eml, png)
        ledger.record(
            ALICE, act, occurred_on=date(2025, 10, 9), actor=HEAD, documents=[pdf, eml, png]
        )
        for content in (MINUTES_PDF, EMAIL_EML, PHOTO_PNG):
            assert _read(ledger, hashlib.sha256(content).hexdigest()) == content
        # The record signs the digest; the file name is personal and sealed at rest.
        stored = ledger.reader(HR).case(ALICE).file.history[-1].act
        assert stored.attachments[0].sha256 == hashlib.sha256(MINUTES_PDF).hexdigest()
        assert "minutes-9-october" not in stored.attachments[0].file_name
        opened_act = ledger.reader(HR).records(ALICE)[-1].act
        assert opened_act.attachments[0].file_name == "minutes-9-october.pdf"
        report = ledger.verify()
        assert report.ok, report.describe_failure()
        assert report.documents == 3


def test_a_person_unrelated_to_the_case_may_not_read_its_documents(backend: str) -> None:
    with open_ledger(backend) as ledger:
        _opened_case(ledger)
        pdf = Attachment(MINUTES_PDF, PDF, "minutes.pdf")
        ledger.record(
            ALICE, _minutes(pdf), occurred_on=date(2025, 10, 9), actor=HEAD, documents=[pdf]
        )
        with pytest.raises(AccessDenied):
            _read(ledger, pdf.ref().sha256, OUTSIDER)
        assert _read(ledger, pdf.ref().sha256, EMPLOYEE) == MINUTES_PDF


@pytest.mark.parametrize(
    ("attachment", "error"),
    [
        (Attachment(b"PK\x03\x04zip", "application/zip", "archive.zip"), DocumentTypeNotAllowed),
        (Attachment(b"<html>not a pdf</html>", PDF, "minutes.pdf"), DocumentTypeNotAllowed),
        (Attachment(b"not an e-mail\n", EMAIL, "mail.eml"), DocumentTypeNotAllowed),
    ],
)
def test_a_type_not_kept_or_bytes_not_of_their_type_store_nothing(
    backend: str, attachment: Attachment, error: type[Exception]
) -> None:
    with open_ledger(backend) as ledger:
        _opened_case(ledger)
        with pytest.raises(error):  # the ref already checks the bytes against their type
            attachment.ref()
        assert isinstance(attachment.source, bytes)
        named = DocumentRef(
            sha256=hashlib.sha256(attachment.source).hexdigest(),
            media_type=attachment.media_type,
            file_name=attachment.file_name,
            size=len(attachment.source),
        )
        act = MeetingHeld(meeting_id="m-1", chair_person_id="ht-1", attachments=(named,))
        with pytest.raises(error):  # and so does the ledger, as the bytes stream in
            ledger.record(
                ALICE, act, occurred_on=date(2025, 10, 9), actor=HEAD, documents=[attachment]
            )
        assert ledger.reader(HR).case(ALICE).version == 1
        assert _stored_rows(ledger) == 0


def test_bytes_that_are_not_the_document_the_act_names_store_nothing(backend: str) -> None:
    with open_ledger(backend) as ledger:
        _opened_case(ledger)
        named = Attachment(MINUTES_PDF, PDF, "minutes.pdf")
        other = Attachment(MINUTES_PDF + b"\n% edited", PDF, "minutes.pdf")
        with pytest.raises(DocumentDigestMismatch, match="the act names"):
            ledger.record(
                ALICE, _minutes(named), occurred_on=date(2025, 10, 9), actor=HEAD, documents=[other]
            )
        assert ledger.reader(HR).case(ALICE).version == 1
        assert _stored_rows(ledger) == 0
        assert ledger.verify().ok


def test_a_named_document_without_its_bytes_and_a_stray_file_are_refused(backend: str) -> None:
    with open_ledger(backend) as ledger:
        _opened_case(ledger)
        pdf = Attachment(MINUTES_PDF, PDF, "minutes.pdf")
        with pytest.raises(InvalidInput, match="bytes were not given"):
            ledger.record(ALICE, _minutes(pdf), occurred_on=date(2025, 10, 9), actor=HEAD)
        stray = Attachment(PHOTO_PNG, PNG, "photo.png")
        with pytest.raises(InvalidInput, match="no act names it"):
            ledger.record(
                ALICE,
                _minutes(pdf),
                occurred_on=date(2025, 10, 9),
                actor=HEAD,
                documents=[pdf, stray],
            )
        assert ledger.reader(HR).case(ALICE).version == 1
        assert _stored_rows(ledger) == 0


def test_the_size_limit_is_the_ledger_s_and_over_it_nothing_is_stored(
    backend: str, tmp_path: Path
) -> None:
    keys, clock = MemoryKeyStore(), SteppingClock()
    with Ledger.open(
        backend, keystore=keys, clock=clock, document_limit=4096, create=True
    ) as ledger:
        _opened_case(ledger)
        big = Attachment(MINUTES_PDF, PDF, "minutes.pdf")
        assert big.ref().size > 4096
        with pytest.raises(DocumentTooLarge, match="limit of 4,096"):
            ledger.record(
                ALICE, _minutes(big), occurred_on=date(2025, 10, 9), actor=HEAD, documents=[big]
            )
        # An act that understates the size is caught while the bytes stream in.
        lying = _minutes(big).attachments[0].model_copy(update={"size": 100})
        act = MeetingHeld(meeting_id="m-1", chair_person_id="ht-1", attachments=(lying,))
        with pytest.raises(DocumentTooLarge):
            ledger.record(ALICE, act, occurred_on=date(2025, 10, 9), actor=HEAD, documents=[big])
        assert ledger.reader(HR).case(ALICE).version == 1
        assert _stored_rows(ledger) == 0


def test_memory_stays_flat_while_a_large_document_streams_in_and_out(tmp_path: Path) -> None:
    """A 20 MB file from disk: stored and read back with Python's peak allocation a small
    fraction of its size (chunks are 1 MiB)."""
    path = tmp_path / "scan.pdf"
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        block = bytes(range(256)) * 4096
        for _ in range(20):
            out.write(block)
    with open_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        _opened_case(ledger)
        scan = Attachment.from_path(path)
        act = _minutes(scan)
        tracemalloc.start()
        ledger.record(ALICE, act, occurred_on=date(2025, 10, 9), actor=HEAD, documents=[scan])
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest = hashlib.sha256()
        for chunk in ledger.reader(HR).document(ALICE, act.attachments[0].sha256):
            digest.update(chunk)
        _, read_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert digest.hexdigest() == act.attachments[0].sha256
        size = path.stat().st_size
        assert stored_peak < size / 4, stored_peak
        assert read_peak < size / 4, read_peak


def _appraisal_case(ledger: Ledger, document: Attachment) -> None:
    _opened_case(ledger)
    ledger.record(
        ALICE,
        CycleOpened(
            cycle_id="2023-24",
            starts_on=date(2023, 9, 1),
            ends_on=date(2024, 8, 31),
            reviewer_person_id="ht-1",
        ),
        occurred_on=date(2023, 9, 1),
        actor=HEAD,
    )
    ledger.record(
        ALICE,
        ObjectivesSet(
            cycle_id="2023-24",
            objectives=(Objective(objective_id="o1", text="Reading", success_criteria="75%"),),
            attachments=(document.ref(),),
        ),
        occurred_on=date(2023, 9, 20),
        actor=HEAD,
        documents=[document],
    )
    ledger.record(
        ALICE, CaseClosed(reason="Standard reached"), occurred_on=date(2024, 7, 19), actor=HR
    )


def test_after_the_purge_of_its_category_a_document_is_unreadable_and_verify_passes(
    backend: str,
) -> None:
    with open_ledger(backend) as ledger:
        plan_pdf = Attachment(MINUTES_PDF, PDF, "objectives-2023.pdf")
        _appraisal_case(ledger, plan_pdf)
        sha = plan_pdf.ref().sha256
        assert _read(ledger, sha) == MINUTES_PDF
        report = purge(ledger, load_default(), date(2030, 8, 1), ADMIN)
        assert "appraisal" in {i.category.value for i in report.disposed}
        with pytest.raises(DocumentUnavailable, match="disposed on 2030-08-01 under rule"):
            _read(ledger, sha)
        verified = ledger.verify()
        assert verified.ok, verified.describe_failure()
        assert (verified.documents, verified.documents_disposed) == (0, 1)
        # Nothing new may join the disposed category, documents included.
        again = Attachment(PHOTO_PNG, PNG, "late-evidence.png")
        late = ObjectivesSet(
            cycle_id="2023-24",
            objectives=(Objective(objective_id="o2", text="Writing", success_criteria="70%"),),
            attachments=(again.ref(),),
        )
        with pytest.raises(ContentDisposed):
            ledger.record(ALICE, late, occurred_on=date(2030, 8, 2), actor=HR, documents=[again])
        assert _stored_rows(ledger) == 1


def test_verify_names_a_changed_or_missing_document_and_can_skip_documents(tmp_path: Path) -> None:
    target = str(tmp_path / "ledger.sqlite")
    with open_ledger(target) as ledger:
        _opened_case(ledger)
        pdf = Attachment(MINUTES_PDF, PDF, "minutes.pdf")
        ledger.record(
            ALICE, _minutes(pdf), occurred_on=date(2025, 10, 9), actor=HEAD, documents=[pdf]
        )
        assert ledger.verify().ok
    with sqlite3.connect(target) as db:
        (data,) = db.execute("SELECT data FROM pml_document_chunk WHERE seq=0").fetchone()
        changed = bytes([data[0] ^ 1]) + data[1:]
        db.execute("UPDATE pml_document_chunk SET data=? WHERE seq=0", (changed,))
    with open_ledger(target) as ledger:
        report = ledger.verify()
        assert not report.ok
        assert "does not open" in (report.document_problem or "")
        assert ledger.verify(documents=False).ok
    with sqlite3.connect(target) as db:
        db.execute("DELETE FROM pml_document_chunk")
        db.execute("DELETE FROM pml_document")
    with open_ledger(target) as ledger:
        report = ledger.verify()
        assert not report.ok
        assert "which is not stored" in (report.document_problem or "")
