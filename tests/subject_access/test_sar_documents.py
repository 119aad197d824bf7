"""A subject access answer's documents (issue 20; UK GDPR Art. 15(4), DPA 2018 Sch. 2 para 16),
on SQLite and PostgreSQL: each document is disclosed as its text with every other person
withheld by the same rule as the records, so no other person's personal text is anywhere in
the zip; a document whose text cannot be read is held for the DPO's review, and one the DPO has
reviewed is released as held."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
from pypdf import PdfReader
from tests.core.helpers import SteppingClock

from pmledger.cli.demo import example_calendars
from pmledger.events.actors import Actor, Role
from pmledger.events.documents import EMAIL, PNG
from pmledger.events.personal import recorded_personal_strings
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.examples.cast import BY_ID, enrol_everyone
from pmledger.examples.histories import improving_performance
from pmledger.export.subject_access import export_subject_access
from pmledger.export.subject_access.third_parties import GROUND
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger

HR = BY_ID["hr-okafor"].as_()
DPO = Actor(person_id="dpo-iqbal", role=Role.DPO)
REQUESTER = "emp-1042"
ANSWERED_ON = date(2026, 2, 20)
EMAIL_EML = (
    b"From: Daniel Osei <d.osei@oakfield.example>\r\nTo: Helen Whitfield\r\n"
    b"Date: Mon, 13 Oct 2025 16:05:00 +0100\r\nSubject: Tom's observation\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Helen, Tom's lesson on fractions went better; Mr Osei will write it up.\r\n"
)
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def _member_text(name: str, data: bytes) -> str:
    """What a reader of a zip member sees, whatever its type."""
    if name.endswith(".pdf"):
        return " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    if name.endswith(".docx"):
        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    return data.decode("utf-8", errors="replace")


def test_documents_are_disclosed_as_text_with_no_other_person_s_personal_text(
    backend: str, tmp_path: Path
) -> None:
    with Ledger.open(
        backend, keystore=MemoryKeyStore(), clock=SteppingClock(), create=True,
        calendars=example_calendars(),
    ) as ledger:  # fmt: skip
        enrol_everyone(ledger)
        ledger.register_person(
            DPO.person_id,
            (Role.DPO,),
            by=HR,
            name="Samira Iqbal",
            job_title="Data Protection Officer",
        )
        story = improving_performance(ledger)
        email = Attachment(EMAIL_EML, EMAIL, "observation.eml")
        photo = Attachment(PNG_1PX, PNG, "display-board.png")
        ledger.record(
            story.employee,
            HrAdviceObtained(
                topic="evidence", provider="Riverside HR Services",
                attachments=(email.ref(), photo.ref()),
            ),
            occurred_on=date(2026, 2, 16), actor=HR, documents=[email, photo],
        )  # fmt: skip
        result = export_subject_access(
            ledger.reader(DPO, ANSWERED_ON), REQUESTER, tmp_path / "out", ANSWERED_ON,
            release=[photo.ref().sha256[:12]],
        )  # fmt: skip
        held = ledger.reader(DPO, ANSWERED_ON).subject_access(REQUESTER)
        needles: set[str] = set()
        for pid, person in held.others.items():
            needles |= {pid, *(s for s in (person.name, person.salutation) if s)}
            needles |= {w for w in re.findall(r"[A-Z][a-z]+", person.name or "") if len(w) > 2}
        own = {s for case in held.cases for e in case.records for s in recorded_personal_strings(e)}
        for pid in held.others:
            for case in ledger.reader(DPO, ANSWERED_ON).subject_access(pid).cases:
                for event in case.records:
                    needles |= {s for s in recorded_personal_strings(event) if s not in own}
    assert {"Daniel", "Osei", "Helen", "Whitfield"} <= needles
    answer = result.answer
    documents = {d["sha256"]: d for d in answer["documents"]}
    with zipfile.ZipFile(result.zip) as archive:
        texts = {
            name: _member_text(name, archive.read(name))
            for name in archive.namelist()
            if name.startswith("documents/")
        }
        answer_pdf = PdfReader(io.BytesIO(archive.read("subject-access.pdf")))
        printed = " ".join(page.extract_text() or "" for page in answer_pdf.pages)
        data = archive.read("subject-access.json").decode("utf-8")
    letters = [d for d in documents.values() if d["media_type"] != PNG and "member" in d]
    assert len(letters) >= 4, "the letters as sent, the PIP and the e-mail are disclosed"
    leaks = sorted(
        (name, n)
        for name, text in texts.items()
        for n in needles
        if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)
    )
    assert leaks == [], leaks
    everything = " ".join(" ".join([printed, data, *texts.values()]).split())
    for named in ("Janet Cole", "d.osei@oakfield.example"):
        assert named not in everything, "a companion named in a sentence, an e-mail address"
    assert "accompanied by [third party]" in everything
    email_text = texts[documents[email.ref().sha256]["member"]]
    assert "Tom's lesson on fractions went better" in " ".join(email_text.split())
    assert "[third party]" in email_text
    assert "Tom Baker" in " ".join(texts.values()), "the requester's own name stays"
    assert documents[photo.ref().sha256]["member"].endswith(".png"), "released by the DPO"
    withheld = [r for r in answer["redactions"] if r.get("document") == email.ref().sha256]
    assert withheld
    assert withheld[0]["ground"] == GROUND
