"""Subject access requests (issue 20; UK GDPR Arts. 12(3) and 15): a request is an act with a
one-month clock shown among the case's deadlines; the DPO alone answers it, with everything
held about the requester and nobody else's personal data, as a PDF and JSON in one zip."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.letters.examples import Examples, record_examples

from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.personal import recorded_personal_strings
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.events.subject_access_acts import (
    SubjectAccessAnswered,
    SubjectAccessExtended,
    SubjectAccessRequested,
)
from pmledger.examples.cast import BY_ID
from pmledger.export.subject_access import export_subject_access
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import DeadlineStatus

HR = BY_ID["hr-okafor"].as_()
DPO = Actor(person_id="dpo-iqbal", role=Role.DPO)
REQUESTER = "emp-1042"
RECEIVED = date(2026, 1, 30)
ANSWERED_ON = date(2026, 2, 20)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Examples:
    examples = record_examples(tmp_path_factory.mktemp("examples"))
    with examples.open() as ledger:
        ledger.register_person(
            DPO.person_id,
            (Role.DPO,),
            by=HR,
            name="Samira Iqbal",
            job_title="Data Protection Officer, Riverside Learning Trust",
            salutation="Ms Iqbal",
        )
    return examples


def _copy(examples: Examples, folder: Path) -> Ledger:
    db = folder / "ledger.sqlite"
    shutil.copy(examples.db, db)
    return Ledger.open(
        db, keystore=examples.keys, clock=examples.clock, calendars=examples.open().calendars
    )


def _request(ledger: Ledger, examples: Examples) -> None:
    employee = examples.stories["T-1042"].employee
    ledger.record(
        employee,
        SubjectAccessRequested(request_id="sar-1", details="E-mail to the school office"),
        occurred_on=RECEIVED,
        actor=DPO,
    )


def test_a_request_starts_a_one_month_clock_met_by_the_answer(
    examples: Examples, tmp_path: Path
) -> None:
    employee = examples.stories["T-1042"].employee
    with _copy(examples, tmp_path) as ledger:
        _request(ledger, examples)
        status = ledger.reader(DPO).status(employee, date(2026, 2, 2))
        [deadline] = [d for d in status.deadlines if d.rule.id == "subject-access"]
        # 30 January + one month is 28 February (no 30th), a Saturday: Monday 2 March.
        assert deadline.due_on == date(2026, 3, 2)
        assert deadline.status is DeadlineStatus.OPEN
        assert ledger.reader(DPO).status(employee, date(2026, 3, 3)).overdue
        result = export_subject_access(
            ledger.reader(DPO, ANSWERED_ON),
            REQUESTER,
            tmp_path / "out",
            ANSWERED_ON,
            answers="sar-1",
        )
        status = ledger.reader(DPO).status(employee, date(2026, 3, 3))
        [deadline] = [d for d in status.deadlines if d.rule.id == "subject-access"]
        assert deadline.status is DeadlineStatus.MET
        assert deadline.done_on == ANSWERED_ON
        answered = ledger.reader(HR).case(employee).file.recorded("subject_access_answered")
        assert isinstance(answered[0].act, SubjectAccessAnswered)
        assert answered[0].act.sha256 == result.sha256


def test_an_extension_moves_the_clock_and_more_than_two_months_is_a_finding(
    examples: Examples, tmp_path: Path
) -> None:
    employee = examples.stories["T-1042"].employee
    with _copy(examples, tmp_path) as ledger:
        _request(ledger, examples)
        ledger.record(
            employee,
            SubjectAccessExtended(request_id="sar-1", months=2, reason="Many records to review"),
            occurred_on=date(2026, 2, 16),
            actor=DPO,
        )
        status = ledger.reader(DPO).status(employee, date(2026, 3, 3))
        [deadline] = [d for d in status.deadlines if d.rule.id == "subject-access"]
        assert deadline.due_on == date(2026, 4, 30)
        assert deadline.status is DeadlineStatus.OPEN
        receipt = ledger.record(
            employee,
            SubjectAccessExtended(request_id="sar-1", months=1, reason="Still reviewing"),
            occurred_on=date(2026, 3, 10),
            actor=DPO,
        )
        messages = " ".join(f.message for f in receipt.findings)
        assert "3 months in all" in messages
        assert "after the first month ended (2026-03-02)" in messages


def test_only_the_dpo_may_answer_and_a_refusal_is_logged(
    examples: Examples, tmp_path: Path
) -> None:
    with _copy(examples, tmp_path) as ledger:
        with pytest.raises(AccessDenied, match="data protection officer"):
            export_subject_access(
                ledger.reader(HR, ANSWERED_ON), REQUESTER, tmp_path / "o", ANSWERED_ON
            )
        assert not (tmp_path / "o").exists()
        log = list(ledger.reader(DPO, ANSWERED_ON).access_log(date.min, date.max))
        refused = [e for e in log if e.entry.operation == "subject_access"]
        assert [(e.actor.person_id, e.entry.allowed) for e in refused] == [("hr-okafor", False)]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_answer_holds_everything_about_the_requester_and_nobody_else(
    examples: Examples, tmp_path: Path
) -> None:
    employee = examples.stories["T-1042"].employee
    with _copy(examples, tmp_path) as ledger:
        _request(ledger, examples)
        ledger.record(
            employee,
            HrAdviceObtained(
                topic="appeal",
                provider="Riverside HR Services",
                summary="Michael Osei and Mr Malik asked about Tom's appeal; Lucy Grant's "
                "case is separate.",
            ),
            occurred_on=date(2026, 2, 16),
            actor=HR,
        )
        result = export_subject_access(
            ledger.reader(DPO, ANSWERED_ON), REQUESTER, tmp_path / "out", ANSWERED_ON
        )
        dpo = ledger.reader(DPO, ANSWERED_ON)
        own = dpo.subject_access(REQUESTER)
        others = list(own.others)
        needles: set[str] = set()
        for pid in others:
            person = own.others[pid]
            needles |= {pid, *(s for s in (person.name, person.job_title, person.salutation) if s)}
            needles |= set(person.address)
            needles |= {w for w in re.findall(r"[A-Z][a-z]+", person.name or "") if len(w) > 2}
        own_text = {
            s for case in own.cases for e in case.records for s in recorded_personal_strings(e)
        }
        identities = len(needles)
        for pid in others:
            for case in dpo.subject_access(pid).cases:
                for event in case.records:
                    needles |= {s for s in recorded_personal_strings(event) if s not in own_text}
        assert len(needles) > identities + 20, "the other cases' personal text is searched for too"
    with zipfile.ZipFile(result.zip) as archive:
        names = set(archive.namelist())
        text = archive.read("subject-access.json").decode("utf-8")
        pdf = PdfReader(BytesIO(archive.read("subject-access.pdf")))
    printed = _normal(" ".join(page.extract_text() for page in pdf.pages))
    answer = json.loads(text)
    # everything about the requester is there
    assert answer["directory_entry"]["name"] == "Tom Baker"
    assert "14 Larch Avenue" in printed
    [case] = answer["cases"]
    assert len(case["records"]) == len(own.cases[0].records)
    assert any(d.get("member") in names for d in answer["documents"])
    assert {"subject-access.pdf", "subject-access.json"} <= names
    assert any(a["operation"] == "subject_access" for a in answer["access_log"])
    assert "[third party: line manager]" in printed
    assert "[third party] and [third party] asked about Tom's appeal" in _normal(text)
    assert "Tom's appeal" in printed
    # and nothing of anyone else
    leaks = [
        n
        for n in sorted(needles)
        if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", printed + "\n" + text)
    ]
    assert leaks == []
    assert answer["redactions"]
