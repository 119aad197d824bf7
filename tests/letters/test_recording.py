"""A letter recorded is the letter as sent: its digest is in the signed record, and what it
states is read from the slots its template filled, not from a box someone ticked."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from tests.letters.examples import Examples

from pmledger.errors import AccessDenied, InvalidInput
from pmledger.events.actors import Actor, Role
from pmledger.events.documents import DOCX, PDF
from pmledger.events.meeting_acts import Delivery, LetterSent, MeetingInvited
from pmledger.examples.cast import BY_ID
from pmledger.ledger.facade import Ledger
from pmledger.letters import LetterDocument, parse_template, template_for

LINE_MANAGER = BY_ID["dh-osei"].as_()
HEAD = BY_ID["ht-whitfield"].as_()
CONFIRMED_ON = date(2025, 10, 21)


@pytest.fixture
def ledger(examples: Examples, tmp_path: Path) -> Iterator[Ledger]:
    """A copy of the example ledger each test may record in."""
    db = tmp_path / "copy.sqlite"
    shutil.copy(examples.db, db)
    with Ledger.open(db, keystore=examples.keys, clock=examples.clock) as opened:
        yield opened


def _findings(receipts: list[object]) -> set[str]:
    return {f.rule.id for r in receipts for f in r.findings}  # type: ignore[attr-defined]


def _last_letter(ledger: Ledger, examples: Examples) -> LetterSent:
    events = ledger.reader(LINE_MANAGER).records(examples.stories["T-1042"].employee)
    act = events[-1].act
    assert isinstance(act, LetterSent)
    return act


def test_004_7_3_a_generated_confirmation_states_what_the_section_asks_and_carries_its_digest(
    ledger: Ledger, examples: Examples
) -> None:
    employee = examples.stories["T-1042"].employee
    letters = ledger.letters(LINE_MANAGER)
    letter = letters.render(employee, "ip-first-formal-confirmation", CONFIRMED_ON)
    receipts = letters.record(letter, delivery=Delivery.HAND)
    assert "ip-first-letter-contents" not in _findings(receipts)
    sent = _last_letter(ledger, examples)
    assert sent.document is not None
    assert sent.document.sha256 == letter.digest
    assert sent.document.media_type == PDF
    assert sent.document.size == len(letter.pdf_bytes)
    assert sent.document.generated_sha256 is None
    assert sent.states_right_of_appeal
    assert sent.states_dismissal_possible
    assert set(sent.confirms) == {
        "formal_pip",
        "timescale",
        "provisional_second_formal_date",
        "dismissal_possible",
        "right_of_appeal",
    }
    assert sent.about_id == "formal-1"
    assert ledger.verify().ok


def test_004_7_3_a_template_without_the_appeal_paragraph_gives_the_finding(
    ledger: Ledger, examples: Examples
) -> None:
    shipped = template_for("improving-performance", "ip-first-formal-confirmation")
    start = shipped.text.index('{% confirm "right_of_appeal" %}')
    end = shipped.text.index("{% endconfirm %}", start) + len("{% endconfirm %}")
    school_edit = parse_template(shipped.text[:start] + shipped.text[end:], "oakfield-edit.j2")
    letters = ledger.letters(LINE_MANAGER)
    letter = letters.render(
        examples.stories["T-1042"].employee,
        "ip-first-formal-confirmation",
        CONFIRMED_ON,
        template=school_edit,
    )
    assert "right_of_appeal" not in letter.confirmations
    assert "right to appeal" not in letter.text
    receipts = letters.record(letter)
    findings = [f for r in receipts for f in r.findings if f.rule.id == "ip-first-letter-contents"]
    assert len(findings) == 1
    assert "right_of_appeal" in findings[0].message
    assert not _last_letter(ledger, examples).states_right_of_appeal


def test_an_edited_docx_is_the_letter_as_sent_and_keeps_the_template_s_confirmations(
    ledger: Ledger, examples: Examples
) -> None:
    employee = examples.stories["T-1042"].employee
    letters = ledger.letters(LINE_MANAGER)
    letter = letters.render(employee, "ip-first-formal-confirmation", CONFIRMED_ON)
    word = docx.Document(io.BytesIO(letter.docx_bytes))
    word.add_paragraph("I enclose the notes of our meeting, as you asked.")
    buffer = io.BytesIO()
    word.save(buffer)
    edited = LetterDocument(buffer.getvalue(), DOCX, "confirmation (edited).docx")
    letters.record(letter, sent=edited)
    sent = _last_letter(ledger, examples)
    assert sent.document is not None
    assert sent.document.sha256 == edited.sha256 != letter.docx.sha256
    assert sent.document.generated_sha256 == letter.docx.sha256
    assert sent.document.file_name == "confirmation (edited).docx"
    assert "right_of_appeal" in sent.confirms


def test_whoever_sends_an_edited_letter_may_say_it_no_longer_states_something(
    ledger: Ledger, examples: Examples
) -> None:
    letters = ledger.letters(LINE_MANAGER)
    letter = letters.render(
        examples.stories["T-1042"].employee, "ip-first-formal-confirmation", CONFIRMED_ON
    )
    edited = LetterDocument(b"%PDF-1.4 an edited copy", PDF, "edited.pdf")
    receipts = letters.record(letter, sent=edited, confirms=("formal_pip", "timescale"))
    assert "ip-first-letter-contents" in _findings(receipts)
    sent = _last_letter(ledger, examples)
    assert sent.document is not None
    assert sent.document.generated_sha256 == letter.pdf.sha256


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    ledger: Ledger, examples: Examples
) -> None:
    employee = examples.stories["T-1042"].employee
    letters = ledger.letters(LINE_MANAGER)
    letter = letters.render(employee, "ip-first-formal-confirmation", CONFIRMED_ON)
    before = len(ledger.reader(LINE_MANAGER).records(employee))
    for bad in (
        LetterDocument(b"not a pdf", PDF, "letter.pdf"),
        LetterDocument(letter.pdf_bytes, DOCX, "letter.docx"),
        LetterDocument(letter.docx_bytes, "image/png", "letter.png"),
    ):
        with pytest.raises(InvalidInput, match="must be a PDF"):
            letters.record(letter, sent=bad)
    assert len(ledger.reader(LINE_MANAGER).records(employee)) == before


def test_003_5_an_invitation_records_the_meeting_and_the_letter_in_one_transaction(
    ledger: Ledger, examples: Examples
) -> None:
    """Letter 1 for an initial meeting on Friday 29 May 2026, sent on Thursday 21 May: the
    last day 5 working days' notice allows, the late May bank holiday in between."""
    employee = examples.stories["ST-0415"].employee
    manager = BY_ID["sbm-brooks"].as_()
    letters = ledger.letters(manager)
    letter = letters.render(
        employee,
        "star-1",
        date(2026, 5, 21),
        meeting_id="initial-2",
        meeting_date=date(2026, 5, 29),
        meeting_time="2pm",
        venue="Highfield Academy, finance office",
        background="the errors in the April month-end reconciliation",
        draft_plan_enclosed=True,
    )
    assert letter.notes == ()
    receipts = letters.record(
        letter,
        delivery=Delivery.HAND,
        deviation_reason="Errors recurred in April, after the plan closed successfully in January",
    )
    assert len(receipts) == 2
    assert receipts[1].version == receipts[0].version + 1
    assert "st-initial-notice-5wd" not in _findings(receipts)
    events = ledger.reader(manager).records(employee)
    invited, sent = events[-2].act, events[-1].act
    assert isinstance(invited, MeetingInvited)
    assert isinstance(sent, LetterSent)
    assert invited.scheduled_for == date(2026, 5, 29)
    assert invited.states_right_to_companion
    assert invited.draft_plan_enclosed
    assert invited.letter == "star-1"
    assert {"policy_copy_enclosed", "right_to_companion_stated"} <= set(invited.confirms)
    assert sent.about_id == "initial-2"
    assert sent.document is not None
    assert sent.document.sha256 == letter.digest


def test_a_preview_records_nothing_and_is_refused_to_someone_unrelated(
    ledger: Ledger, examples: Examples
) -> None:
    employee = examples.stories["T-1042"].employee
    before = len(ledger.reader(LINE_MANAGER).records(employee))
    ledger.letters(LINE_MANAGER).render(employee, "ip-pip-formal-notice", date(2025, 10, 7))
    assert len(ledger.reader(LINE_MANAGER).records(employee)) == before
    outsider = Actor(person_id="ht-malik", role=Role.HEADTEACHER)
    with pytest.raises(AccessDenied):
        ledger.letters(outsider).render(employee, "ip-pip-formal-notice", date(2025, 10, 7))


def test_a_slot_the_case_cannot_fill_is_named_with_how_to_give_it(
    ledger: Ledger, examples: Examples
) -> None:
    letters = ledger.letters(LINE_MANAGER)
    with pytest.raises(InvalidInput) as refused:
        letters.render(
            examples.stories["T-1042"].employee, "ip-first-formal-invitation", date(2025, 10, 8)
        )
    message = str(refused.value)
    assert "meeting_time = the time the meeting starts" in message
    assert "pass venue=" in message
    with pytest.raises(InvalidInput, match="has no slot 'colour'"):
        letters.render(
            examples.stories["T-1042"].employee,
            "ip-pip-formal-notice",
            date(2025, 10, 7),
            colour="red",
        )
