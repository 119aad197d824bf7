"""The retention dates pass gives the plan the procedure's fold gives (issue 22).

The plan and purge read each case through `dates_pass`, which folds only the acts the
disposal dates read; `facts_of` takes the same facts from the case the fold builds. Held
together here on every example case of the five procedures (recorded through the Ledger) and
on generated cases: random sequences of every example act as stored plus the acts the
triggers read, with ids drawn from a small set so warnings, appeals, holds, meetings and
acknowledgements meet, on random dates, planned on random days with random keys destroyed.
The roles whose access to dispose is decided on the dates pass's file
(`DECIDED_BY_OPENING`) must find the same relationships on it as on the folded file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import cast
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.example_acts import case_chains, examples_ledger, stored_case_events

from pmledger.aggregates.employee_case import project_case
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import AppealDecided, AppealLodged, AppealResult
from pmledger.events.case_acts import CaseOpened, CycleOpened, StaffGroup
from pmledger.events.governance_acts import (
    CaseClosed,
    DisposalCount,
    EmploymentEnded,
    HoldReason,
    LegalHoldPlaced,
    LegalHoldReleased,
    RecordsDisposed,
)
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.events.sanction_acts import (
    WarningIssued,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.events.signed_event import Act, CaseEvent, PackRef
from pmledger.integrity.envelope import GENESIS
from pmledger.ledger.facade import Ledger
from pmledger.policies.access import DECIDED_BY_OPENING, relationships
from pmledger.policies.registry import current_packs, pack_for
from pmledger.projections.disposal import DisposalItem, disposal_items
from pmledger.projections.disposal_facts import DisposalFacts, dates_pass, facts_of
from pmledger.retention import load_default
from pmledger.retention.schedule import RecordCategory

START = date(2024, 9, 2)
SCHEDULE = load_default()
IDS = ("x1", "x2")


def _plan(facts: DisposalFacts, as_of: date, destroyed: dict[str, date]) -> list[DisposalItem]:
    return disposal_items(
        facts, SCHEDULE, pack_for(facts.pack).warning_months, as_of, destroyed.get
    )


def _same_plan(events: Sequence[CaseEvent], as_of: date, destroyed: dict[str, date]) -> None:
    case = project_case(None, events)
    assert case is not None
    folded, passed = facts_of(case), dates_pass(events)
    assert (passed.case_id, passed.version, passed.opened, passed.pack) == (
        folded.case_id,
        folded.version,
        folded.opened,
        folded.pack,
    )
    assert passed.records == folded.records
    for facts in ("warnings", "holds", "cycles", "appeals", "employment_ended_on", "closed_on"):
        assert getattr(passed.file, facts) == getattr(folded.file, facts), facts
    assert _purposes(passed) == _purposes(folded)
    assert passed.certified == folded.certified
    assert _plan(passed, as_of, destroyed) == _plan(folded, as_of, destroyed)
    for role in DECIDED_BY_OPENING:
        for person in ("emp-1", "r", "x", "hr-1", "someone"):
            actor = Actor(person_id=person, role=role)
            held = (frozenset({role}), frozenset({case.opened.school}))
            assert relationships(actor, passed.file, *held) == relationships(
                actor, case.file, *held
            )


def _purposes(facts: DisposalFacts) -> dict[str, MeetingPurpose]:
    return {key: m.purpose for key, m in facts.file.meetings.items() if m.purpose}


@pytest.fixture(scope="module")
def example_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return examples_ledger(tmp_path_factory.mktemp("examples"))


def test_every_example_case_is_planned_alike_by_the_dates_pass_and_the_fold(
    example_ledger: Ledger,
) -> None:
    cases = list(case_chains(example_ledger).values())
    assert len({events[0].pack.id for events in cases}) >= 5, "the five procedures' examples"
    kinds = {event.kind for events in cases for event in events}
    assert {"warning_issued", "appeal_decided", "meeting_held", "record_acknowledged"} <= kinds
    for events in cases:
        last = events[-1].occurred_on
        for as_of in (last, last + timedelta(days=400), date(2060, 1, 1)):
            _same_plan(events, as_of, {})
        _same_plan(events, date(2060, 1, 1), {c.value: last for c in RecordCategory})


class _Pool(tuple[Act, ...]):
    """The example acts, shown by their number in a falsifying example, not each in full."""

    def __repr__(self) -> str:
        return f"<{len(self)} example acts>"


@pytest.fixture(scope="module")
def example_acts(example_ledger: Ledger) -> _Pool:
    """The example acts as stored (from the same recorded ledger, not recorded again)."""
    return _Pool(
        event.act
        for event in stored_case_events(example_ledger)
        if not isinstance(event.act, CaseOpened)
    )


def _trigger_acts(on: date) -> list[Callable[[str], Act]]:
    """The acts the triggers and categories read, on ids `IDS` so they meet."""
    return [
        lambda i: MeetingInvited(meeting_id=i, purpose=MeetingPurpose.CONCERNS, scheduled_for=on),
        lambda i: MeetingInvited(
            meeting_id=i, purpose=MeetingPurpose.FIRST_FORMAL, scheduled_for=on
        ),
        lambda i: MeetingHeld(meeting_id=i, chair_person_id="x", minutes="what was said"),
        lambda i: MeetingHeld(
            meeting_id=i, purpose=MeetingPurpose.APPEAL_HEARING, chair_person_id="x"
        ),
        lambda i: CycleOpened(
            cycle_id=i, starts_on=on, ends_on=on + timedelta(days=300), reviewer_person_id="r"
        ),
        lambda i: WarningIssued(
            warning_id=i, warning_kind=WarningKind.WRITTEN, reasons="late reports"
        ),
        lambda i: WarningRescinded(warning_id=i, appeal_id=i, reason="upheld on appeal"),
        lambda i: WarningReduced(
            warning_id=i,
            new_kind=WarningKind.WRITTEN,
            new_duration_months=3,
            reason="reduced on appeal",
        ),
        lambda i: AppealLodged(appeal_id=i, against_version=1, grounds=("new_evidence",)),
        lambda i: AppealDecided(appeal_id=i, result=AppealResult.UPHELD, reasons="reasons"),
        lambda i: LegalHoldPlaced(hold_id=i, reason=HoldReason.TRIBUNAL_CLAIM, details="claim"),
        lambda i: LegalHoldReleased(hold_id=i, details="settled"),
        lambda i: EmploymentEnded(ended_on=on + timedelta(days=30)),
        lambda i: CaseClosed(reason="resolved"),
        lambda i: RecordsDisposed(
            as_of=on,
            disposals=(DisposalCount(category=RecordCategory.WARNING.value, rule=i, records=1),),
        ),
    ]


def _events(acts: Sequence[tuple[date, Act]], group: StaffGroup, pack_id: str) -> list[CaseEvent]:
    pack = current_packs()[pack_id]
    opening = CaseOpened(
        organisation="trust",
        employee_ref="E-1",
        employee_person_id="emp-1",
        school="oakfield",
        staff_group=group,
        pack_id=pack_id,
    )
    events: list[CaseEvent] = []
    for on, act in [(START, opening), *acts]:
        events.append(
            CaseEvent(
                originator_id=UUID(int=7),
                originator_version=len(events) + 1,
                timestamp=datetime.combine(on, time(12), tzinfo=UTC),
                prev=events[-1].digest if events else GENESIS,
                key_id="test",
                actor=Actor(person_id="hr-1", role=Role.HR),
                occurred_on=on,
                pack=PackRef(id=pack.id, version=pack.version),
                act=act,
            )
        )
    return events


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_generated_cases_are_planned_alike_by_the_dates_pass_and_the_fold(
    example_acts: _Pool, data: st.DataObject
) -> None:
    acts: list[tuple[date, Act]] = []
    on = START
    for _ in range(data.draw(st.integers(0, 14))):
        on += timedelta(days=data.draw(st.integers(0, 200)))
        if data.draw(st.integers(0, 2)) == 0:
            act = data.draw(st.sampled_from(example_acts))
        elif data.draw(st.integers(0, 5)) == 0:
            act = RecordAcknowledged(
                record_version=data.draw(st.integers(1, len(acts) + 1)),
                record_digest="0" * 64,
                comment=data.draw(st.sampled_from(["", "I disagree"])),
            )
        else:
            make = data.draw(st.sampled_from(_trigger_acts(on)))
            act = make(data.draw(st.sampled_from(IDS)))
        acts.append((on, act))
    events = _events(
        acts,
        data.draw(st.sampled_from(list(StaffGroup))),
        data.draw(st.sampled_from(sorted(current_packs()))),
    )
    as_of = on + timedelta(days=data.draw(st.integers(0, 4000)))
    destroyed = cast(
        dict[str, date],
        data.draw(
            st.dictionaries(
                st.sampled_from([c.value for c in RecordCategory]), st.just(on), max_size=3
            )
        ),
    )
    _same_plan(events, as_of, destroyed)
