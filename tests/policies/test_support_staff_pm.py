"""Support staff performance management (seed 001), the cycle: one test per rule, by section."""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.script import EMPLOYEE, HEAD, HR, REVIEWER, Script, breach, finding, unexplained
from tests.policies.support_staff_pm_script import (
    CYCLE,
    act_under,
    countersign,
    held,
    invite,
    objective,
    objectives,
    planning_meeting,
    rows,
    ss,
    with_cycle,
)

from pmledger.calendar import TimeLimit, TimeUnit
from pmledger.events.case_acts import (
    CycleKind,
    CycleOpened,
    EmploymentStatusChanged,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerBasis,
    ReviewerChangeDecided,
    ReviewerChangeRequested,
    StaffGroup,
)
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.sanction_acts import CapabilityStarted
from pmledger.policies.judgement import (
    ActRefusedByRule,
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs.support_staff_pm import (
    NOT_YET_JUDGED,
    PACK,
    MidYearRule,
    Settings,
    build_pack,
)

MAJOR = Severity.MAJOR

DIGEST_RULES = {
    "ss-scope", "ss-reviewer-line-manager", "ss-reviewer-appointed-by-ht",
    "ss-reviewer-change-request", "ss-meeting-planned", "ss-meeting-working-hours",
    "ss-meeting-private", "ss-objectives-signed", "ss-objectives-reviewer-determines",
    "ss-objectives-max-4", "ss-objectives-smart", "ss-objectives-multi-cycle", "ss-cpd-target",
    "ss-observation-terms", "ss-observation-form-agreed", "ss-obs-verbal-feedback",
    "ss-obs-written-record", "ss-obs-comments", "ss-planning-by-31-oct", "ss-mid-year-review",
    "ss-new-starter-alignment", "ss-supervision", "ss-concerns-meeting",
    "ss-concerns-review-30wd", "ss-concerns-implications", "ss-concerns-outcome",
    "ss-capability-via-concerns", "ss-capability-written-notice", "ss-capability-end-ht",
    "ss-warning-in-capability", "ss-warning-written-12m", "ss-warning-final-2y",
    "ss-recurrence-concerns-first", "ss-recurrence-next-stage", "ss-appeal-reviewer-first",
    "ss-memo-timing", "ss-self-evaluation-before", "ss-pr-form-one-week",
    "ss-pr-form-signed-10wd", "ss-pr-form-to-ht", "ss-pr-form-copy-reviewee",
    "ss-disagreement-to-ht", "ss-mid-year-form", "ss-schedule-next-meeting", "ss-access",
    "ss-retention", "ss-dismissal-invariant",
}  # fmt: skip
"""The 47 rule ids of packs.md §2.3."""

BY_THE_ENGINE = {"ss-obs-comments", "ss-warning-written-12m", "ss-warning-final-2y"}
"""Realised without a rule object: record keeping is always possible; warning_months."""

FROM_THE_SOURCE = {
    "ss-app3-objective-boxes",
    "ss-app3-assessment-boxes",
    "ss-app4-boxes",
    "ss-app5-feedback-date",
    "ss-planning-meeting-length",
}
"""What the forms require that the digest does not list (issue 17 §3: App 3's boxes per
objective, App 4's questions, App 5's feedback date, App 1's hour): the source wins."""


def test_every_digest_rule_is_judged_or_listed_as_not_yet_judged() -> None:
    supervised = build_pack(Settings(supervision_interval=TimeLimit(amount=4, unit=TimeUnit.WEEKS)))
    judged = {rule.ref.id for rule in supervised.rules}
    listed = {rule_id for rule_id, _ in NOT_YET_JUDGED}
    assert judged <= DIGEST_RULES | FROM_THE_SOURCE
    assert listed <= DIGEST_RULES
    assert (judged | listed | BY_THE_ENGINE) - FROM_THE_SOURCE == DIGEST_RULES
    assert all(rule.ref.source.startswith("001 ") for rule in supervised.rules)
    assert PACK.id == "support-staff-pm"
    assert PACK.version == "2025.3"


@pytest.mark.parametrize(
    ("group", "probation"),
    [
        (StaffGroup.TEACHER, False),
        (StaffGroup.HEADTEACHER, False),
        (StaffGroup.SUPPORT_STAFF, True),
    ],
)
def test_001_s1_teachers_and_support_staff_in_probation_are_out_of_scope(
    group: StaffGroup, probation: bool
) -> None:
    with pytest.raises(ActRefusedByRule, match="ss-scope"):
        Script("support-staff-pm", staff_group=group, opening={"in_probation": probation})


def test_001_s1_a_cycle_cannot_open_once_the_employee_is_in_probation() -> None:
    s = ss()
    s.act(
        date(2025, 9, 1),
        EmploymentStatusChanged(field="in_probation", value="true", effective_on=date(2025, 9, 1)),
    )
    with pytest.raises(ActRefusedByRule, match="probationary period"):
        s.act(
            date(2025, 9, 2),
            CycleOpened(
                cycle_id=CYCLE,
                starts_on=date(2025, 9, 1),
                ends_on=date(2026, 8, 31),
                reviewer_person_id="rev-1",
            ),
        )


def test_001_s3_a_reviewer_other_than_the_line_manager_needs_a_reason() -> None:
    s = ss(line_manager_person_id="lm-1")
    cycle = CycleOpened(
        cycle_id=CYCLE,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 8, 31),
        reviewer_person_id="rev-1",
    )
    unexplained(s.check(date(2025, 9, 1), cycle), "not the line manager lm-1", Severity.MINOR)
    (found,) = s.act(date(2025, 9, 1), cycle, reason="line manager on maternity leave")
    assert found.rule.id == "ss-reviewer-line-manager"
    assert found.deviated
    assert s.act(date(2025, 9, 8), ReviewerAssigned(reviewer_person_id="lm-1")) == []


def test_001_s3_where_line_management_is_unclear_only_the_headteacher_appoints() -> None:
    s = ss(reviewer=None, line_manager_person_id=None)
    appoint = ReviewerAssigned(
        reviewer_person_id="rev-2", basis=ReviewerBasis.HEADTEACHER_APPOINTED
    )
    breach(s.check(date(2025, 9, 8), appoint, by=HR), "ss-reviewer-appointed-by-ht", MAJOR)
    assert s.act(date(2025, 9, 8), appoint, by=HEAD) == []


def test_001_s3_the_reviewee_asks_for_another_reviewer_in_writing_at_the_start() -> None:
    s = with_cycle()
    request = ReviewerChangeRequested(request_id="r1", reasons="We have a conflict of interest")
    finding(s.check(date(2025, 9, 10), request, by=HEAD), "only the reviewee", Severity.MAJOR)
    finding(
        s.check(date(2025, 9, 10), request.model_copy(update={"in_writing": False}), by=EMPLOYEE),
        "in writing",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 9, 10), request, by=EMPLOYEE) == []
    decision = ReviewerChangeDecided(request_id="r1", granted=True, new_reviewer_person_id="rev-2")
    finding(
        s.check(date(2025, 9, 12), decision, by=REVIEWER), "the Headteacher decides", Severity.MAJOR
    )
    s.act(date(2025, 9, 12), decision, by=HEAD)
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    unexplained(
        s.check(date(2025, 11, 3), request.model_copy(update={"request_id": "r2"}), by=EMPLOYEE),
        "not at the start of the process",
        Severity.MAJOR,
    )


def test_001_s4_1_the_review_meeting_is_planned_in_advance_with_its_location() -> None:
    s = with_cycle()
    found = s.act(date(2025, 10, 6), held("unplanned", purpose=MeetingPurpose.PLANNING))
    assert s.rule_ids(found) == ["ss-meeting-planned"]
    found = s.act(date(2025, 10, 7), invite("same-day", MeetingPurpose.PLANNING, date(2025, 10, 7)))
    assert found == []
    assert s.rule_ids(s.act(date(2025, 10, 7), held("same-day"))) == ["ss-meeting-planned"]
    no_venue = invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8), venue=None)
    assert "location" in s.act(date(2025, 10, 1), no_venue)[0].message
    assert s.act(date(2025, 10, 8), held("plan-1")) == []
    group = s.act(
        date(2025, 10, 9),
        held("group", purpose=MeetingPurpose.PLANNING),
        reason="group targets: short group session",
    )
    assert group[0].rule.id == "ss-meeting-planned"
    assert group[0].deviated


def test_001_s4_1_the_review_meeting_is_in_working_hours_and_private() -> None:
    s = with_cycle()
    s.act(date(2025, 10, 1), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)))
    found = s.act(
        date(2025, 10, 8), held("plan-1", within_working_hours=False, venue_private=False)
    )
    assert sorted(s.rule_ids(found)) == ["ss-meeting-private", "ss-meeting-working-hours"]
    assert {f.rule.id: f.severity.value for f in found} == {
        "ss-meeting-working-hours": "major",
        "ss-meeting-private": "minor",
    }
    s.act(date(2025, 11, 3), invite("sup", MeetingPurpose.SUPERVISION, date(2025, 11, 10)))
    assert s.act(date(2025, 11, 10), held("sup", within_working_hours=False)) == []


def test_001_s4_2_objectives_are_signed_by_both_by_the_end_of_their_cycle() -> None:
    s = with_cycle()
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    version = s.version
    (row,) = rows(s, date(2026, 8, 31), "ss-objectives-signed")
    assert (row.due_on, row.status) == (date(2026, 8, 31), DeadlineStatus.OPEN)
    assert rows(s, date(2026, 9, 1), "ss-objectives-signed")[0].status is DeadlineStatus.OVERDUE
    countersign(s, date(2025, 10, 15), version)
    assert rows(s, date(2026, 9, 1), "ss-objectives-signed")[0].status is DeadlineStatus.MET


def test_001_s4_2_objectives_not_agreed_are_determined_by_the_reviewer_only() -> None:
    s = with_cycle()
    disputed = ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3), agreed_by_employee=False)
    finding(
        s.check(date(2025, 10, 8), disputed, by=REVIEWER),
        "determined by the reviewer",
        Severity.MAJOR,
    )
    determined = disputed.model_copy(update={"determined_by_reviewer": True})
    finding(s.check(date(2025, 10, 8), determined, by=HEAD), "not by ht-1", Severity.MAJOR)
    assert s.act(date(2025, 10, 8), determined, by=REVIEWER) == []


def test_001_s6_2_more_than_4_key_objectives_are_refused() -> None:
    s = with_cycle()
    finding(
        s.check(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(5))),
        r"5 key objectives .* more than the 4",
        Severity.MAJOR,
    )
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(4)))
    finding(
        s.check(
            date(2026, 1, 12),
            ObjectivesRevised(cycle_id=CYCLE, objectives=objectives(5), reason="new priority"),
        ),
        "ss-objectives-max-4",
        Severity.MAJOR,
    )


def test_001_s4_2_an_objective_spanning_two_cycles_counts_in_both() -> None:
    s = with_cycle(date(2024, 9, 2), date(2025, 8, 31), "2024-25")
    long = objective(9, spans_cycles=True, milestones=("Phase 1",), due_on=date(2026, 3, 31))
    s.act(date(2024, 10, 8), ObjectivesSet(cycle_id="2024-25", objectives=(long,)))
    s.act(
        date(2025, 9, 1),
        CycleOpened(
            cycle_id=CYCLE,
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id="rev-1",
        ),
    )
    finding(
        s.check(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(4))),
        r"5 key objectives .*1 still running",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3))) == []


def test_001_s4_7_objectives_are_smart() -> None:
    s = with_cycle()
    vague = (objective(1), objective(2, due_on=None), objective(3, success_criteria=" "))
    (found,) = s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=vague))
    assert found.rule.id == "ss-objectives-smart"
    assert "o2, o3" in found.message
    staged = (objective(1), objective(2, due_on=None, milestones=("Spring term",)))
    assert s.act(date(2025, 10, 9), ObjectivesSet(cycle_id=CYCLE, objectives=staged)) == []


def test_001_s4_2_objectives_over_more_than_one_cycle_have_milestones() -> None:
    s = with_cycle()
    spans = objective(2, spans_cycles=True)
    (found,) = s.act(
        date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=(objective(1), spans))
    )
    assert found.rule.id == "ss-objectives-multi-cycle"
    with_milestones = objective(2, spans_cycles=True, milestones=("July 2026", "July 2027"))
    found = s.act(
        date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=(objective(1), with_milestones))
    )
    assert found == []


def test_001_s4_5_each_employee_has_a_cpd_target() -> None:
    s = with_cycle()
    duties = tuple(objective(n) for n in (2, 3))
    (found,) = s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=duties))
    assert found.rule.id == "ss-cpd-target"
    in_plan = ObjectivesSet(
        cycle_id=CYCLE, objectives=duties, confirms=("cpd_target_in_development_plan",)
    )
    assert s.act(date(2025, 10, 8), in_plan) == []


def test_001_s4_4_planning_meeting_by_31_october_across_half_term() -> None:
    s = with_cycle()
    (row,) = rows(s, date(2025, 10, 31), "ss-planning-by-31-oct")
    assert (row.due_on, row.status) == (date(2025, 10, 31), DeadlineStatus.OPEN)
    # Half term is 27-31 October 2025: a meeting on the Monday after is late.
    planning_meeting(s, date(2025, 10, 20), date(2025, 11, 4))
    assert rows(s, date(2025, 11, 5), "ss-planning-by-31-oct")[0].status is DeadlineStatus.MISSED
    on_time = with_cycle()
    planning_meeting(on_time, date(2025, 10, 13), date(2025, 10, 24))
    assert rows(on_time, date(2025, 11, 5), "ss-planning-by-31-oct")[0].status is DeadlineStatus.MET


def test_001_s4_4_a_cycle_starting_after_31_october_has_no_planning_deadline() -> None:
    s = with_cycle(date(2025, 11, 10), date(2026, 8, 31))
    assert rows(s, date(2026, 8, 31), "ss-planning-by-31-oct") == []


def test_001_s4_4_a_new_starters_first_cycle_ends_with_the_academic_year() -> None:
    s = ss(opened_on=date(2026, 1, 5))
    wrong = CycleOpened(
        cycle_id="first",
        starts_on=date(2026, 1, 5),
        ends_on=date(2027, 1, 4),
        reviewer_person_id="rev-1",
        cycle_kind=CycleKind.FIRST_PERIOD_ALIGNMENT,
    )
    (found,) = s.act(date(2026, 1, 5), wrong)
    assert found.rule.id == "ss-new-starter-alignment"
    assert "not on 2026-08-31" in found.message
    assert s.act(date(2026, 1, 5), wrong.model_copy(update={"ends_on": date(2026, 8, 31)})) == []


def test_001_s4_4_s4_7_mid_year_review_in_april_or_six_months_after_the_main_review() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 9, 8), date(2025, 9, 15))  # six months on: March 2026
    s.act(date(2026, 3, 2), invite("mid", MeetingPurpose.MID_YEAR_REVIEW, date(2026, 3, 16)))
    assert s.act(date(2026, 3, 16), held("mid")) == []
    (row,) = rows(s, date(2026, 5, 1), "ss-mid-year-review")
    assert (row.due_on, row.status) == (date(2026, 4, 30), DeadlineStatus.MET)
    april_only = build_pack(Settings(mid_year_rule=MidYearRule.APRIL))
    t = with_cycle()
    planning_meeting(t, date(2025, 9, 8), date(2025, 9, 15))
    act_under(
        april_only,
        t,
        date(2026, 3, 2),
        invite("mid", MeetingPurpose.MID_YEAR_REVIEW, date(2026, 3, 16)),
    )
    found = act_under(april_only, t, date(2026, 3, 16), held("mid"))
    assert [f.rule.id for f in found] == ["ss-mid-year-review"]
    assert "outside 2026-04-01 to 2026-04-30" in found[0].message


def test_001_s4_4_a_cycle_starting_in_april_still_has_its_april_review() -> None:
    s = with_cycle(date(2026, 4, 15), date(2026, 8, 31))
    (row,) = rows(s, date(2026, 4, 30), "ss-mid-year-review")
    assert (row.due_on, row.status) == (date(2026, 4, 30), DeadlineStatus.OPEN)
    assert (
        rows(
            with_cycle(date(2026, 5, 5), date(2026, 8, 31)), date(2026, 8, 31), "ss-mid-year-review"
        )
        == []
    )


def test_001_s4_4_a_mid_year_review_after_april_is_late_and_a_missing_one_overdue() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    assert rows(s, date(2026, 5, 1), "ss-mid-year-review")[0].status is DeadlineStatus.OVERDUE
    s.act(date(2026, 5, 5), invite("mid", MeetingPurpose.MID_YEAR_REVIEW, date(2026, 5, 12)))
    found = s.act(date(2026, 5, 12), held("mid"))
    assert s.rule_ids(found) == ["ss-mid-year-review"]
    assert rows(s, date(2026, 5, 12), "ss-mid-year-review")[0].status is DeadlineStatus.MISSED


def test_001_s4_7_supervision_is_judged_only_at_the_schools_interval() -> None:
    assert "ss-supervision" not in {r.ref.id for r in PACK.rules}
    every_6_weeks = build_pack(
        Settings(supervision_interval=TimeLimit(amount=6, unit=TimeUnit.WEEKS))
    )
    s = with_cycle()
    s.act(date(2025, 11, 24), invite("sup-1", MeetingPurpose.SUPERVISION, date(2025, 12, 1)))
    s.act(date(2025, 12, 1), held("sup-1"))
    (row,) = rows(s, date(2026, 1, 13), "ss-supervision", every_6_weeks)
    assert (row.due_on, row.status) == (date(2026, 1, 12), DeadlineStatus.OVERDUE)
    s.act(date(2026, 1, 26), invite("sup-2", MeetingPurpose.SUPERVISION, date(2026, 2, 2)))
    s.act(date(2026, 2, 2), held("sup-2"))
    first, second = rows(s, date(2026, 2, 2), "ss-supervision", every_6_weeks)
    assert first.status is DeadlineStatus.MISSED
    assert second.status is DeadlineStatus.OPEN


def test_001_s6_2_the_reviewer_schedules_the_next_meeting() -> None:
    s = with_cycle()
    s.act(date(2025, 10, 1), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)))
    found = s.act(date(2025, 10, 8), held("plan-1", next_meeting_on=None))
    assert s.rule_ids(found) == ["ss-schedule-next-meeting"]
    s.act(date(2026, 4, 14), invite("mid", MeetingPurpose.MID_YEAR_REVIEW, date(2026, 4, 21)))
    assert s.act(date(2026, 4, 21), held("mid", next_meeting_on=date(2026, 7, 8))) == []


def test_001_s5_1_performance_management_does_not_apply_during_capability() -> None:
    s = with_cycle()
    s.act(date(2026, 1, 12), CapabilityStarted(reason="No improvement"))
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    finding(
        s.check(date(2026, 1, 19), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3))),
        "does not belong at stage",
        Severity.MAJOR,
    )
