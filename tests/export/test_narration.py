"""Every record reads as a sentence: each act kind of the catalogue has one, it names people
from the directory, and it says what each of the act's yes/no fields says."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.reliability.test_hostile_input import _act

from pmledger.events.actors import Actor, Role
from pmledger.events.base_act import ActBase
from pmledger.events.meeting_acts import Delivery, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.events.signed_event import CASE_ACTS, CaseEvent, PackRef
from pmledger.export.narration import narrate, timing_note
from pmledger.projections.people import People, PersonDetails

PEOPLE = People(
    {"dh-osei": PersonDetails("dh-osei", "Michael Osei", "Deputy Headteacher, Oakfield Primary")}
)
ACTOR = Actor(person_id="dh-osei", role=Role.LINE_MANAGER, authority_level=1)


def _event(act: ActBase, on: date = date(2025, 10, 8), entered: date | None = None) -> CaseEvent:
    when = entered or on
    return CaseEvent(
        originator_id=UUID(int=1),
        originator_version=2,
        timestamp=datetime(when.year, when.month, when.day, 9, tzinfo=UTC),
        prev="0" * 64,
        key_id="ed25519:" + "0" * 32,
        actor=ACTOR,
        occurred_on=on,
        pack=PackRef(id="improving-performance", version="2025.1"),
        act=act,  # type: ignore[arg-type]
    )


def _valid(cls: type[ActBase], data: dict[str, Any]) -> ActBase:
    try:
        return cls.model_validate(data)
    except ValidationError:
        assume(False)
        raise


def test_the_issue_s_example_reads_as_it_asks() -> None:
    invited = MeetingInvited(
        meeting_id="formal-1",
        purpose=MeetingPurpose.FIRST_FORMAL,
        scheduled_for=date(2025, 10, 16),
        delivery=Delivery.HAND,
        papers_due_on=date(2025, 10, 13),
        states_right_to_companion=True,
        confirms=("papers_enclosed",),
    )
    assert narrate(_event(invited), PEOPLE) == (
        "Invited to the first formal meeting on 16 October 2025 by letter delivered by hand on "
        "8 October 2025, by Michael Osei; told of the right to be accompanied; companion's name "
        "and papers due by 13 October 2025; confirming papers enclosed."
    )


def test_an_acknowledgement_says_whether_the_employee_agreed() -> None:
    agreed = RecordAcknowledged(record_version=4, record_digest="a" * 64)
    assert "agreeing with it" in narrate(_event(agreed), PEOPLE)
    disagreed = agreed.model_copy(update={"disagrees": True})
    assert "disagree" in narrate(_event(disagreed), PEOPLE)


def test_a_record_entered_long_after_its_date_says_it_was_backfilled() -> None:
    act = RecordAcknowledged(record_version=4, record_digest="a" * 64)
    assert timing_note(_event(act)) is None
    late = timing_note(_event(act, entered=date(2026, 1, 5)))
    assert late == (
        "Occurred on 8 October 2025; entered in the ledger on 5 January 2026, 89 days later "
        "(backfilled)."
    )


@pytest.mark.parametrize("cls", CASE_ACTS, ids=[c.__name__ for c in CASE_ACTS])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_act_kind_reads_as_a_sentence_that_says_its_yes_no_fields(
    cls: type[ActBase], data: st.DataObject
) -> None:
    act = _valid(cls, data.draw(_act(cls)))
    sentence = narrate(_event(act), PEOPLE)
    assert sentence.endswith(".")
    assert sentence[0] == sentence[0].upper()
    given_text = " ".join(str(v) for v in act.model_dump().values())
    if not re.search(r"true|false", given_text, re.IGNORECASE):  # the act's own words may say it
        assert not re.search(r"\b(True|False)\b", sentence)
    for name, info in cls.model_fields.items():
        if info.annotation is bool:
            flipped = act.model_copy(update={name: not getattr(act, name)})
            assert narrate(_event(flipped), PEOPLE) != sentence, f"{cls.__name__}.{name}"
