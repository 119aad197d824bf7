"""Support staff performance management (seed 001): observations (§4.3) and appeals (§4.8)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.script import EMPLOYEE, HEAD, REVIEWER, Script, finding
from tests.policies.support_staff_pm_script import (
    CYCLE,
    act_under,
    held,
    invite,
    objectives,
    rows,
    with_cycle,
)

from pmledger.events.appeal_acts import (
    AppealDecided,
    AppealGround,
    AppealLodged,
    AppealResult,
    GrievanceInvoked,
)
from pmledger.events.case_acts import ObjectivesSet
from pmledger.events.meeting_acts import (
    FeedbackGiven,
    MeetingPurpose,
    ObservationHeld,
    ObservationPlanned,
)
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.events.sanction_acts import CapabilityStarted, WarningIssued, WarningKind
from pmledger.policies.judgement import ActRefusedByRule, DeadlineStatus, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs.support_staff_pm import Settings, build_pack


def planned(s: Script, on: date, observation_id: str = "obs-1") -> int:
    """An App 5 plan agreed in the review meeting of 8 October; returns the plan's version."""
    s.act(
        date(2025, 10, 8),
        ObservationPlanned(
            observation_id=observation_id,
            planned_for=on,
            observer_person_id="rev-1",
            purpose="Phonics intervention quality",
            aspects=("pace", "questioning"),
            amount="Two 30-minute sessions",
            duration_minutes=30,
            feedback_on=on,
        ),
        by=REVIEWER,
    )
    return s.version


def agreement(plan: int) -> StatementRecorded:
    return StatementRecorded(
        statement_kind=StatementKind.EMPLOYEE, form="ss-app5", about_version=plan, text="Agreed."
    )


def observed(on: date, observation_id: str = "obs-1") -> Script:
    s = with_cycle()
    plan = planned(s, on, observation_id)
    s.act(date(2025, 10, 8), agreement(plan), by=EMPLOYEE)
    s.act(on, ObservationHeld(observation_id=observation_id), by=REVIEWER)
    return s


def feedback(medium: str) -> FeedbackGiven:
    return FeedbackGiven.model_validate({"observation_id": "obs-1", "medium": medium})


def test_001_s4_3_observation_terms_include_amount_and_aspects() -> None:
    s = with_cycle()
    found = s.act(
        date(2025, 10, 8),
        ObservationPlanned(
            observation_id="obs-1",
            planned_for=date(2025, 11, 12),
            observer_person_id="rev-1",
            purpose="Behaviour support",
            duration_minutes=30,
            feedback_on=date(2025, 11, 13),
        ),
    )
    assert s.rule_ids(found) == ["ss-observation-terms"]
    assert "without its amount and aspects to assess" in found[0].message
    assert observed(date(2025, 11, 12)).findings == []


def test_001_s9_5_the_reviewee_agrees_the_app5_plan_before_the_observation() -> None:
    s = with_cycle()
    plan = planned(s, date(2025, 11, 12))
    # Agreement by the reviewer, or about another record, is not the reviewee's.
    s.act(date(2025, 10, 9), agreement(plan), by=REVIEWER)
    s.act(date(2025, 10, 9), agreement(plan - 1), by=EMPLOYEE)
    found = s.act(date(2025, 11, 12), ObservationHeld(observation_id="obs-1"), by=REVIEWER)
    assert s.rule_ids(found) == ["ss-observation-form-agreed"]
    assert "before the reviewee agreed the App 5 plan" in found[0].message
    no_app5 = build_pack(Settings(forms_in_use=frozenset()))
    t = with_cycle()
    planned(t, date(2025, 11, 12))
    held_anyway = act_under(
        no_app5, t, date(2025, 11, 12), ObservationHeld(observation_id="obs-1"), by=REVIEWER
    )
    assert held_anyway == []


def test_001_s4_3_verbal_feedback_by_the_end_of_the_next_school_day_across_half_term() -> None:
    # Friday 24 October 2025; half term follows and Monday 3 November is an INSET day, so the
    # next school day is Tuesday 4 November.
    s = observed(date(2025, 10, 24))
    (row,) = rows(s, date(2025, 11, 4), "ss-obs-verbal-feedback")
    assert (row.due_on, row.status) == (date(2025, 11, 4), DeadlineStatus.OPEN)
    s.act(date(2025, 11, 5), feedback("verbal"), by=REVIEWER)
    assert rows(s, date(2025, 11, 5), "ss-obs-verbal-feedback")[0].status is DeadlineStatus.MISSED


def test_001_s4_3_verbal_feedback_after_christmas_is_on_the_first_day_of_spring_term() -> None:
    s = observed(date(2025, 12, 19))
    s.act(date(2026, 1, 6), feedback("verbal"), by=REVIEWER)
    (row,) = rows(s, date(2026, 1, 6), "ss-obs-verbal-feedback")
    assert (row.due_on, row.status) == (date(2026, 1, 6), DeadlineStatus.MET)


def test_001_s4_3_written_record_within_5_working_days_over_christmas() -> None:
    s = observed(date(2025, 12, 19))
    (row,) = rows(s, date(2025, 12, 31), "ss-obs-written-record")
    assert (row.due_on, row.status) == (date(2025, 12, 30), DeadlineStatus.OVERDUE)
    s.act(date(2025, 12, 30), feedback("written"), by=REVIEWER)
    assert rows(s, date(2025, 12, 31), "ss-obs-written-record")[0].status is DeadlineStatus.MET


def test_001_s4_3_the_reviewee_may_comment_on_the_written_record_at_any_stage() -> None:
    s = observed(date(2025, 11, 12))
    s.act(date(2025, 11, 14), feedback("written"), by=REVIEWER)
    record = s.version
    s.act(date(2025, 12, 1), CapabilityStarted(reason="Serious concerns"))
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    comment = StatementRecorded(
        statement_kind=StatementKind.EMPLOYEE_COMMENT, about_version=record, text="I disagree."
    )
    assert s.act(date(2025, 12, 2), comment, by=EMPLOYEE) == []


def _objectives_in_dispute() -> tuple[Script, int]:
    s = with_cycle()
    s.act(date(2025, 10, 1), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)))
    s.act(date(2025, 10, 8), held("plan-1"), by=REVIEWER)
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    return s, s.version


def appeal(against: int, level: str = "reviewer", appeal_id: str = "a1") -> AppealLodged:
    return AppealLodged.model_validate(
        {
            "appeal_id": appeal_id,
            "against_version": against,
            "level": level,
            "grounds": (AppealGround.DISAGREE_WITH_ENTRY,),
        }
    )


def test_001_s4_8_the_reviewee_first_takes_an_entry_to_the_reviewer() -> None:
    s, entry = _objectives_in_dispute()
    finding(
        s.check(date(2025, 10, 20), appeal(entry), by=HEAD), "only the reviewee", Severity.MINOR
    )
    with pytest.raises(ActRefusedByRule, match="not an entry in the planning and review"):
        s.act(date(2025, 10, 20), appeal(2), by=EMPLOYEE)
    with pytest.raises(ActRefusedByRule, match="no appeal hearing"):
        s.act(date(2025, 10, 20), appeal(entry, level="appeal_hearing"), by=EMPLOYEE)
    assert s.act(date(2025, 10, 20), appeal(entry), by=EMPLOYEE) == []
    decision = AppealDecided(appeal_id="a1", result=AppealResult.NOT_UPHELD)
    finding(s.check(date(2025, 10, 27), decision, by=HEAD), "the reviewer decides", Severity.MINOR)
    with pytest.raises(ActRefusedByRule, match="no appeal a9"):
        s.act(date(2025, 10, 27), decision.model_copy(update={"appeal_id": "a9"}), by=REVIEWER)
    s.act(date(2025, 10, 27), decision, by=REVIEWER)
    assert s.act(date(2025, 11, 3), GrievanceInvoked(about_version=entry), by=EMPLOYEE) == []


def test_001_s4_8_a_grievance_before_the_reviewer_was_asked_is_a_finding() -> None:
    s, entry = _objectives_in_dispute()
    found = s.act(date(2025, 10, 20), GrievanceInvoked(about_version=entry), by=EMPLOYEE)
    assert s.rule_ids(found) == ["ss-appeal-reviewer-first"]
    assert found[0].severity.value == "minor"
    s.act(date(2025, 10, 21), appeal(entry), by=EMPLOYEE)
    pending = s.act(date(2025, 10, 22), GrievanceInvoked(about_version=entry), by=EMPLOYEE)
    assert s.rule_ids(pending) == ["ss-appeal-reviewer-first"]


def test_001_s4_8_capability_decisions_are_appealed_under_the_capability_procedure() -> None:
    s = with_cycle()
    s.act(date(2025, 12, 1), CapabilityStarted(reason="Serious concerns"))
    s.act(date(2026, 1, 12), WarningIssued(warning_id="w1", warning_kind=WarningKind.WRITTEN))
    warning = s.version
    with pytest.raises(ActRefusedByRule, match="is a warning_issued record"):
        s.act(date(2026, 1, 19), appeal(warning), by=EMPLOYEE)
    assert s.act(date(2026, 1, 19), appeal(warning, level="appeal_hearing"), by=EMPLOYEE) == []
