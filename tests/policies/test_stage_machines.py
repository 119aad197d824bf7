"""Property: whatever acts arrive, in whatever order, a case only ever sits in a stage its
procedure can reach, and a refused act changes nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.policies.script import HEAD, LEVEL_2, Script

from pmledger.errors import PmLedgerError
from pmledger.events.appeal_acts import AppealDecided, AppealLodged, AppealResult
from pmledger.events.case_acts import Objective, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose, OneToOneHeld
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.sanction_acts import (
    CapabilityEnded,
    CapabilityStarted,
    Dismissed,
    WarningIssued,
    WarningKind,
)
from pmledger.events.signed_event import Act
from pmledger.events.support_acts import Outcome, OutcomeDecided, PlanKind, SupportPlanAgreed
from pmledger.policies.registry import current_packs

START = date(2025, 9, 1)
TARGET = (Objective(objective_id="t", text="Improve", success_criteria="Measured"),)


def _acts(on: date) -> list[Callable[[], Act]]:
    return [
        lambda: ConcernRaised(concern_id=f"c{on}", areas=("planning",)),
        lambda: OneToOneHeld(meeting_id=f"121-{on}", pip_possibility_advised=True),
        *[
            (
                lambda p=purpose: MeetingInvited(
                    meeting_id=f"{p}-m", purpose=p, scheduled_for=on + timedelta(days=10)
                )
            )
            for purpose in MeetingPurpose
        ],
        *[
            (lambda p=purpose: MeetingHeld(meeting_id=f"{p}-m", purpose=p, chair_person_id="x"))
            for purpose in MeetingPurpose
        ],
        *[
            (
                lambda k=kind: SupportPlanAgreed(
                    plan_id="p",
                    plan_kind=k,
                    starts_on=on,
                    review_on=on + timedelta(weeks=6),
                    targets=TARGET,
                )
            )
            for kind in PlanKind
        ],
        *[(lambda o=outcome: OutcomeDecided(subject_id="p", outcome=o)) for outcome in Outcome],
        lambda: CapabilityStarted(reason="r"),
        lambda: CapabilityEnded(reason="r"),
        lambda: WarningIssued(warning_id=f"w{on}", warning_kind=WarningKind.WRITTEN),
        lambda: WarningIssued(warning_id=f"f{on}", warning_kind=WarningKind.FINAL_WRITTEN),
        lambda: Dismissed(
            effective_on=on, notice_weeks=4, alternatives_considered=True, reasons="r"
        ),
        lambda: AppealLodged(appeal_id=f"a{on}", against_version=2, grounds=("new_evidence",)),
        lambda: AppealDecided(appeal_id=f"a{on}", result=AppealResult.NOT_UPHELD),
    ]


PACK_IDS = sorted(current_packs())


@pytest.mark.parametrize("pack_id", PACK_IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_acts_never_reach_a_stage_the_pack_cannot_reach(
    pack_id: str, data: st.DataObject
) -> None:
    pack = current_packs()[pack_id]
    group = data.draw(st.sampled_from([StaffGroup.TEACHER, StaffGroup.SUPPORT_STAFF]))
    try:
        script = Script(pack_id, opened_on=START, staff_group=group)
    except PmLedgerError:
        return
    on = START
    for _ in range(data.draw(st.integers(1, 25))):
        on += timedelta(days=data.draw(st.integers(0, 20)))
        act = data.draw(st.sampled_from(_acts(on)))()
        actor = data.draw(st.sampled_from([HEAD, LEVEL_2]))
        reason = data.draw(st.sampled_from([None, "exceptional circumstances recorded"]))
        before = copy.deepcopy(script.case)
        try:
            script.act(on, act, by=actor, reason=reason)
        except PmLedgerError:
            assert script.case == before, "a refused act must change nothing"
            continue
        assert script.case.stage in pack.reachable
        assert script.case.stage in pack.stage_words, "every reachable stage has the pack's words"
    assert {stage for _, stage in script.case.stage_history} <= pack.reachable


def test_a_case_leaves_dismissal_only_once_an_upheld_appeal_overturns_it() -> None:
    """The stage machine, not the appeal acts, moves a case on: after an overturned dismissal the
    improving-performance pack returns it to day-to-day management with the next 121."""
    from tests.policies.improving_performance_case import (
        APPEAL_CHAIR,
        HEARING,
        LM,
        appeal_decided,
        heard,
        new_case,
        one_to_one,
        to_appeal_hearing,
    )

    from pmledger.events.sanction_acts import DismissalOverturned
    from pmledger.policies.ladder import Ladder

    script = new_case()
    to_appeal_hearing(script)
    script.act(HEARING, heard(), by=APPEAL_CHAIR)
    script.act(HEARING, appeal_decided(AppealResult.UPHELD), by=APPEAL_CHAIR)
    script.act(HEARING, DismissalOverturned(appeal_id="a-1"), by=APPEAL_CHAIR)
    assert script.case.stage is Ladder.DISMISSED
    script.act(HEARING, one_to_one("121-back"), by=LM)
    assert script.case.stage is Ladder.NORMAL_CYCLE
