"""Hampshire Performance Management Policy (seed 002): the cycle, statements, objectives,
observations and governance; one test per rule at least, named after its source section.

Pay is in test_hampshire_pm_pay.py, concerns and capability in test_hampshire_pm_concerns.py.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.script import (
    EMPLOYEE,
    GOVERNOR,
    HEAD,
    LINE_MANAGER,
    REVIEWER,
    Script,
    finding,
    unexplained,
)

from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import AppealGround, AppealLodged
from pmledger.events.case_acts import (
    ContractKind,
    CycleOpened,
    DevelopmentPlanAgreed,
    EmploymentStatusChanged,
    ExpectationsCommunicated,
    HpmpAppointed,
    Objective,
    ObjectiveKind,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerBasis,
    ReviewerChanged,
    StaffGroup,
)
from pmledger.events.meeting_acts import (
    FeedbackGiven,
    MeetingHeld,
    MeetingPurpose,
    ObservationHeld,
    ObservationPlanned,
)
from pmledger.events.pay_acts import (
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommended,
    Rating,
    RatingRecorded,
)
from pmledger.events.record_acts import ConcernRaised, StatementKind, StatementRecorded
from pmledger.events.sanction_acts import CapabilityBasis, CapabilityStarted
from pmledger.policies.judgement import (
    ActRefusedByRule,
    Deadline,
    DeadlineStatus,
    Finding,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs.hampshire_pm import NOT_YET_JUDGED
from pmledger.policies.packs.hampshire_pm import PACK as HAMPSHIRE
from pmledger.projections.case_status import case_status

PACK = "hampshire-pm"
HPMP = Actor(person_id="hpmp-1", role=Role.HPMP)
HPMP_CHAIR = Actor(person_id="hpmp-2", role=Role.HPMP_CHAIR)
PANEL = Actor(person_id="gov-2", role=Role.PAY_PANEL)
CYCLE = "2025-26"
FULL_STATEMENT = (
    "assessment_against_objectives",
    "assessment_against_standards",
    "evidence_summary",
)


def hampshire(
    group: StaffGroup = StaffGroup.TEACHER,
    opened_on: date = date(2025, 9, 1),
    /,
    *,
    reviewer: str | None = REVIEWER.person_id,
    **opening: object,
) -> Script:
    """A case whose line manager is rev-1, the reviewer its cycles name (normally the line
    manager, Appointing reviewers L34), unless `opening` names another; a member of staff's
    reviewer is assigned by the Headteacher when it opens (`reviewer=None`: left to the test),
    so the reviewer is related to the case before a cycle opens."""
    opening = {"line_manager_person_id": REVIEWER.person_id, **opening}
    s = Script(PACK, opened_on=opened_on, staff_group=group, opening=opening)
    if reviewer is not None and group is not StaffGroup.HEADTEACHER:
        s.act(opened_on, ReviewerAssigned(reviewer_person_id=reviewer), by=HEAD)
    return s


def open_cycle(
    s: Script,
    cycle_id: str = CYCLE,
    starts: date = date(2025, 9, 1),
    ends: date = date(2026, 8, 31),
    *,
    by: Actor = HEAD,
    **extra: object,
) -> list[Finding]:
    act = CycleOpened.model_validate(
        {
            "cycle_id": cycle_id,
            "starts_on": starts,
            "ends_on": ends,
            "reviewer_person_id": "rev-1",
            **extra,
        }
    )
    return s.act(starts, act, by=by)


def panelled(opened_on: date = date(2025, 9, 1)) -> Script:
    """A Headteacher's case whose panel (HPMP and its chair among three governors, with an
    external adviser) the Chair of Governors appoints when it opens (Appointing reviewers
    L31-33), so the panel is related to the case before it acts."""
    s = hampshire(StaffGroup.HEADTEACHER, opened_on)
    panel = HpmpAppointed(
        members=(HPMP.person_id, HPMP_CHAIR.person_id, "gov-3"),
        chair_person_id=HPMP_CHAIR.person_id,
        external_adviser_person_id="adv-1",
    )
    s.act(opened_on, panel, by=GOVERNOR)
    return s


def headteacher_case() -> Script:
    s = panelled()
    open_cycle(s, by=HPMP)
    return s


def rows(s: Script, rule_id: str, as_of: date) -> list[Deadline]:
    return [d for d in s.deadlines(as_of) if d.rule.id == rule_id]


def objectives(cycle_id: str = CYCLE, *, pupils: bool = False, **extra: object) -> ObjectivesSet:
    kind = ObjectiveKind.PUPIL_OUTCOMES if pupils else ObjectiveKind.OTHER
    return ObjectivesSet.model_validate(
        {
            "cycle_id": cycle_id,
            "objectives": (
                Objective(
                    objective_id="o1",
                    text="Raise Year 6 writing",
                    success_criteria="80% at expected standard",
                    objective_kind=kind,
                ),
            ),
            **extra,
        }
    )


def outset(s: Script, on: date = date(2025, 9, 1), *, by: Actor = REVIEWER) -> None:
    """The level of expectation and the Career Expectations Framework, told at the start."""
    s.act(
        on,
        ExpectationsCommunicated(
            cycle_id=CYCLE, what=("level_of_expectation", "career_expectations_framework")
        ),
        by=by,
    )


def annual_statement(
    rating: str = "achieved", cycle_id: str | None = CYCLE, **extra: object
) -> StatementRecorded:
    return StatementRecorded.model_validate(
        {
            "statement_kind": StatementKind.ANNUAL,
            "form": "hp-annual-statement",
            "cycle_id": cycle_id,
            "text": "Statement",
            "confirms": (*FULL_STATEMENT, f"rating_{rating}"),
            **extra,
        }
    )


def meeting(meeting_id: str, purpose: MeetingPurpose, **extra: object) -> MeetingHeld:
    return MeetingHeld.model_validate(
        {"meeting_id": meeting_id, "purpose": purpose, "chair_person_id": "rev-1", **extra}
    )


def pay_round(
    s: Script, rated: date, decided: date, *, by: Actor = HEAD, effective: date | None = None
) -> None:
    """Rating, recommendation, approval, referral and the panel's decision for CYCLE."""
    s.act(rated, RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED), by=REVIEWER)
    s.act(rated, PayRecommended(recommendation_id="p1", cycle_id=CYCLE, pay_points=1), by=by)
    if by is HEAD:
        s.act(rated, PayRecommendationApproved(recommendation_id="p1"))
    s.act(rated, PayRecommendationReferred(recommendation_id="p1"), by=by)
    s.act(
        decided,
        PayDecided(
            recommendation_id="p1", pay_points=1, effective_from=effective or date(2025, 9, 1)
        ),
        by=PANEL,
    )


# Scope and cycle ---------------------------------------------------------------------------


def test_002_scope_l11_ects_in_induction_are_out_of_scope() -> None:
    with pytest.raises(ActRefusedByRule, match="formal induction"):
        hampshire(ect_induction=True)
    s = hampshire()
    s.act(
        date(2025, 9, 1),
        EmploymentStatusChanged(field="ect_induction", value="true", effective_on=date(2025, 9, 1)),
    )
    with pytest.raises(ActRefusedByRule, match="hp-scope"):
        open_cycle(s)


@pytest.mark.parametrize(
    ("starts", "ends", "refused"),
    [
        # Autumn term 2025: 1 September to 19 December.
        (date(2025, 9, 1), date(2025, 11, 30), True),
        (date(2025, 9, 1), date(2025, 12, 19), False),
        # Starting in the Easter holidays measures against the summer term, 13 April to 21 July.
        (date(2026, 4, 1), date(2026, 6, 30), True),
        (date(2026, 4, 1), date(2026, 7, 10), False),
    ],
)
def test_002_scope_l11_contracts_of_less_than_one_term_are_out_of_scope(
    starts: date, ends: date, refused: bool
) -> None:
    opening = {
        "contract_kind": ContractKind.FIXED_TERM,
        "employment_started_on": starts,
        "contract_ends_on": ends,
    }
    if refused:
        with pytest.raises(ActRefusedByRule, match="shorter than one term"):
            hampshire(StaffGroup.TEACHER, starts, **opening)
    else:
        assert hampshire(StaffGroup.TEACHER, starts, **opening).case.stage is Ladder.NORMAL_CYCLE


def test_002_cycle_l27_twelve_months_across_29_february() -> None:
    s = hampshire(StaffGroup.SUPPORT_STAFF)
    assert open_cycle(s, "fy", date(2027, 3, 1), date(2028, 2, 29)) == []
    found = open_cycle(s, "short", date(2027, 3, 1), date(2028, 2, 28))
    assert s.rule_ids(found) == ["hp-cycle-length"]
    assert found[0].severity is Severity.MINOR
    assert "should end on 2028-02-29" in found[0].message


def test_002_cycle_l28_a_fixed_term_contract_under_a_year_sets_the_length() -> None:
    s = hampshire(contract_kind=ContractKind.FIXED_TERM, contract_ends_on=date(2026, 3, 31))
    assert open_cycle(s, ends=date(2026, 3, 31)) == []
    found = open_cycle(s, "full")
    assert s.rule_ids(found) == ["hp-cycle-length"]


def test_002_cycle_l29_teachers_review_and_pay_determination_by_31_october() -> None:
    s = hampshire()
    open_cycle(s)
    open_cycle(s, "2026-27", date(2026, 9, 1), date(2027, 8, 31))
    s.act(date(2026, 10, 30), meeting("eoy-1", MeetingPurpose.END_OF_CYCLE_REVIEW))
    pay_round(s, date(2026, 10, 30), date(2026, 11, 2))
    review, pay = rows(s, "hp-teacher-review-oct", date(2026, 11, 15))[:2]
    assert review.due_on == pay.due_on == date(2026, 10, 31)
    assert review.status is DeadlineStatus.MET
    assert pay.status is DeadlineStatus.MISSED
    # The October 2026 review belongs to 2025-26, not to the cycle that started in September.
    later = rows(s, "hp-teacher-review-oct", date(2027, 11, 1))
    assert [d.status for d in later if "2026-27" in d.description] == [
        DeadlineStatus.OVERDUE,
        DeadlineStatus.OVERDUE,
    ]
    assert rows(s, "hp-ht-review-dec", date(2026, 11, 15)) == []


def test_002_cycle_l29_the_headteachers_review_and_pay_by_31_december() -> None:
    s = headteacher_case()
    s.act(date(2026, 12, 18), meeting("eoy", MeetingPurpose.END_OF_CYCLE_REVIEW), by=HPMP)
    review, pay = rows(s, "hp-ht-review-dec", date(2027, 1, 5))
    assert review.due_on == date(2026, 12, 31)
    assert review.status is DeadlineStatus.MET
    assert pay.status is DeadlineStatus.OVERDUE
    assert rows(s, "hp-teacher-review-oct", date(2027, 1, 5)) == []


def test_002_cycle_l29_support_staff_review_by_december_on_either_basis() -> None:
    s = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(s)
    s.act(date(2027, 1, 4), meeting("eoy", MeetingPurpose.END_OF_CYCLE_REVIEW))
    (review,) = rows(s, "hp-support-review-dec", date(2027, 1, 4))
    assert review.due_on == date(2026, 12, 31)
    assert review.status is DeadlineStatus.MISSED
    fy = hampshire(StaffGroup.SUPPORT_STAFF, date(2026, 4, 1))
    open_cycle(fy, "fy-2026", date(2026, 4, 1), date(2027, 3, 31))
    (row,) = rows(fy, "hp-support-review-dec", date(2026, 12, 1))
    assert (row.due_on, row.status) == (date(2026, 12, 31), DeadlineStatus.OPEN)


# Statements --------------------------------------------------------------------------------


def test_002_annual_assessment_l79_teachers_statement_by_31_october() -> None:
    s = hampshire()
    open_cycle(s)
    (row,) = rows(s, "hp-statement-teacher", date(2026, 11, 2))
    assert (row.due_on, row.status) == (date(2026, 10, 31), DeadlineStatus.OVERDUE)
    s.act(date(2026, 10, 29), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED))
    # The employee's own comment is not the statement they receive.
    s.act(
        date(2026, 10, 30),
        annual_statement(statement_kind=StatementKind.EMPLOYEE_COMMENT),
        by=EMPLOYEE,
    )
    assert rows(s, "hp-statement-teacher", date(2026, 11, 2))[0].status is (DeadlineStatus.OVERDUE)
    # Naming no cycle, the statement reports on the cycle that ended before it.
    assert s.act(date(2026, 11, 2), annual_statement(cycle_id=None), by=REVIEWER) == []
    (row,) = rows(s, "hp-statement-teacher", date(2026, 11, 2))
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2026, 11, 2))

    ht = headteacher_case()
    ht.act(
        date(2026, 12, 31),
        annual_statement(
            confirms=(*FULL_STATEMENT, "rating_achieved", "external_adviser_consulted")
        ),
        by=HPMP,
    )
    (row,) = rows(ht, "hp-statement-teacher", date(2027, 1, 4))
    assert (row.due_on, row.status) == (date(2026, 12, 31), DeadlineStatus.MET)


def test_002_annual_assessment_l79_statement_as_soon_as_practicable_shows_days_elapsed() -> None:
    s = hampshire()
    open_cycle(s)
    # Before the cycle ends the clock has not started.
    (row,) = rows(s, "hp-statement-asap", date(2026, 8, 30))
    assert (row.due_on, row.status, row.elapsed_days) == (None, DeadlineStatus.OPEN, None)
    # Cycle ended 31 August 2026: open, counting, and never overdue or a finding.
    (row,) = rows(s, "hp-statement-asap", date(2026, 11, 30))
    assert (row.status, row.elapsed_days) == (DeadlineStatus.OPEN, 91)
    assert row.no_due_date_words == "no limit; 91 days elapsed"
    assert row.rule.source == "002 Annual Assessment L79"
    s.act(date(2026, 10, 9), annual_statement(), by=REVIEWER)
    (row,) = rows(s, "hp-statement-asap", date(2026, 11, 30))
    assert (row.status, row.done_on, row.elapsed_days) == (
        DeadlineStatus.MET,
        date(2026, 10, 9),
        39,
    )
    # Statuses are as of a day: before the statement it is still open, 30 days in.
    (row,) = rows(s, "hp-statement-asap", date(2026, 9, 30))
    assert (row.status, row.elapsed_days) == (DeadlineStatus.OPEN, 30)

    late = hampshire()
    open_cycle(late)
    late.act(date(2026, 11, 2), annual_statement(), by=REVIEWER)
    status = case_status(late.events, lambda _: late.calendar, date(2026, 11, 2))
    (row,) = [d for d in status.deadlines if d.rule.id == "hp-statement-asap"]
    assert (row.status, row.elapsed_days) == (DeadlineStatus.MET, 63)
    # The lateness is the 31 October bound's finding, not this row's.
    assert {f.rule.id for f in status.compliance} >= {"hp-statement-teacher"}
    assert "hp-statement-asap" not in {f.rule.id for f in status.compliance}


def test_002_annual_assessment_l79_support_staff_statement_by_31_december() -> None:
    s = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(s)
    assert rows(s, "hp-statement-teacher", date(2027, 1, 4)) == []
    s.act(date(2027, 1, 4), annual_statement(), by=REVIEWER)
    (row,) = rows(s, "hp-statement-support", date(2027, 1, 4))
    assert (row.due_on, row.status) == (date(2026, 12, 31), DeadlineStatus.MISSED)
    assert next(r for r in HAMPSHIRE.rules if r.ref.id == "hp-statement-support").severity is (
        Severity.MINOR
    )


def test_002_annual_assessment_l79_statement_due_during_capability_is_suspended() -> None:
    s = hampshire()
    open_cycle(s)
    s.act(
        date(2026, 10, 1),
        CapabilityStarted(basis=CapabilityBasis.DIRECT, reason="r"),
        reason="exceptional circumstances",
    )
    (row,) = rows(s, "hp-statement-teacher", date(2026, 11, 2))
    assert row.status is DeadlineStatus.UNKNOWN
    assert "suspended" in (row.reason or "")


def test_002_annual_assessment_l80_83_statement_contents_and_rating() -> None:
    s = hampshire()
    open_cycle(s)
    s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.EXCEPTIONAL))
    found = s.act(
        date(2026, 10, 2),
        annual_statement(confirms=("assessment_against_objectives", "rating_achieved")),
        by=REVIEWER,
    )
    assert s.rule_ids(found) == ["hp-statement-contents"]
    assert "evidence_summary" in found[0].message
    assert "differs from the rating recorded, 'exceptional'" in found[0].message
    assert s.act(date(2026, 10, 2), annual_statement("exceptional"), by=REVIEWER) == []


def test_002_annual_assessment_l79_the_employee_may_comment_at_any_time() -> None:
    s = hampshire()
    open_cycle(s)
    comment = StatementRecorded(
        statement_kind=StatementKind.EMPLOYEE_COMMENT,
        form="hp-annual-statement",
        cycle_id=CYCLE,
        text="I disagree with the evidence summary",
    )
    assert s.act(date(2027, 2, 1), comment, by=EMPLOYEE) == []


def test_002_annual_assessment_l84_88_new_cycle_statement_contents() -> None:
    s = hampshire()
    open_cycle(s)
    statement = StatementRecorded(
        statement_kind=StatementKind.REVIEWER,
        form="hp-new-cycle-statement",
        cycle_id=CYCLE,
        text="New cycle",
        confirms=("objectives", "standards"),
    )
    found = s.act(date(2025, 9, 10), statement, by=REVIEWER)
    assert s.rule_ids(found) == ["hp-new-cycle-statement"]
    assert "monitoring_schedule" in found[0].message
    complete = statement.model_copy(
        update={
            "confirms": (
                "objectives",
                "standards",
                "training_and_development_needs",
                "monitoring_schedule",
            )
        }
    )
    assert s.act(date(2025, 9, 10), complete, by=REVIEWER) == []


def test_002_annual_assessment_l77_every_employee_is_rated_each_cycle() -> None:
    s = hampshire()
    open_cycle(s)
    s.act(date(2026, 11, 3), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED))
    (row,) = rows(s, "hp-annual-assessment", date(2026, 11, 3))
    assert (row.due_on, row.status) == (date(2026, 10, 31), DeadlineStatus.MISSED)
    ht = headteacher_case()
    (open_row,) = rows(ht, "hp-annual-assessment", date(2026, 11, 3))
    assert (open_row.due_on, open_row.status) == (date(2026, 12, 31), DeadlineStatus.OPEN)


def test_002_annual_assessment_l78_an_interim_meeting_every_term() -> None:
    s = hampshire()
    open_cycle(s)
    s.act(date(2025, 11, 12), meeting("int-1", MeetingPurpose.INTERIM_REVIEW))
    s.act(date(2026, 5, 6), meeting("int-3", MeetingPurpose.MID_YEAR_REVIEW))
    autumn, spring, summer = rows(s, "hp-interim-meetings", date(2026, 4, 1))
    assert (autumn.due_on, autumn.status) == (date(2025, 12, 19), DeadlineStatus.MET)
    # Spring ends on 27 March 2026, before the Easter holidays: no meeting, overdue.
    assert (spring.due_on, spring.status) == (date(2026, 3, 27), DeadlineStatus.OVERDUE)
    assert (summer.due_on, summer.status) == (date(2026, 7, 21), DeadlineStatus.OPEN)
    assert autumn.rule.source == "002 Annual Assessment L78"
    unknown = hampshire()
    open_cycle(unknown, "2027-28", date(2027, 9, 1), date(2028, 8, 31))
    (row,) = rows(unknown, "hp-interim-meetings", date(2027, 12, 1))
    assert row.status is DeadlineStatus.UNKNOWN
    assert "2027-28" in (row.reason or "")


# Objectives and expectations ---------------------------------------------------------------


def test_002_setting_objectives_l38_before_or_as_soon_as_practicable_after_the_start() -> None:
    s = hampshire()
    open_cycle(s)
    outset(s)
    assert s.act(date(2025, 9, 1), objectives(), by=REVIEWER) == []
    late = hampshire()
    open_cycle(late)
    outset(late)
    unexplained(
        late.check(date(2025, 9, 15), objectives(), by=REVIEWER),
        "as soon as practicable",
        Severity.MAJOR,
    )
    found = late.act(date(2025, 9, 15), objectives(), by=REVIEWER, reason="reviewer on leave")
    assert late.rule_ids(found) == ["hp-objectives-timing"]
    assert found[0].deviated


def test_002_setting_objectives_l38_level_of_expectation_at_the_outset() -> None:
    s = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(s)
    found = s.act(date(2025, 9, 1), objectives(), by=REVIEWER)
    assert s.rule_ids(found) == ["hp-expectation-outset"]
    assert found[0].severity is Severity.MAJOR
    late = s.act(
        date(2025, 9, 3),
        ExpectationsCommunicated(cycle_id=CYCLE, what=("level_of_expectation",)),
        by=REVIEWER,
    )
    assert s.rule_ids(late) == ["hp-expectation-outset"]
    other_item = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(other_item)
    other_item.act(
        date(2025, 9, 1),
        ExpectationsCommunicated(cycle_id=CYCLE, what=("key_accountabilities",)),
        by=REVIEWER,
    )
    found = other_item.act(date(2025, 9, 1), objectives(), by=REVIEWER)
    assert other_item.rule_ids(found) == ["hp-expectation-outset"], "told something else"
    told = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(told)
    told.act(
        date(2025, 9, 1),
        ExpectationsCommunicated(
            cycle_id=CYCLE, what=("level_of_expectation", "key_accountabilities")
        ),
        by=REVIEWER,
    )
    assert told.act(date(2025, 9, 1), objectives(), by=REVIEWER) == []


def test_002_setting_objectives_l41_teachers_told_the_standards_from_the_start() -> None:
    s = hampshire()
    open_cycle(s)
    standards = ExpectationsCommunicated(cycle_id=CYCLE, what=("standards",))
    assert s.act(date(2025, 9, 1), standards, by=REVIEWER) == []
    unexplained(
        s.check(date(2025, 9, 3), standards, by=REVIEWER), "hp-teacher-informed", Severity.MAJOR
    )


def test_002_setting_objectives_l42_support_staff_told_key_accountabilities() -> None:
    s = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(s)
    accountabilities = ExpectationsCommunicated(cycle_id=CYCLE, what=("key_accountabilities",))
    unexplained(
        s.check(date(2025, 9, 8), accountabilities, by=REVIEWER),
        "hp-support-informed",
        Severity.MAJOR,
    )
    teacher = hampshire()
    open_cycle(teacher)
    assert teacher.act(date(2025, 9, 8), accountabilities, by=REVIEWER) == []


def test_002_setting_objectives_l41_development_plan_by_the_first_interim_meeting() -> None:
    s = hampshire()
    open_cycle(s)
    s.act(date(2025, 9, 20), DevelopmentPlanAgreed(cycle_id="2024-25", items=("Old plan",)))
    found = s.act(date(2025, 12, 10), meeting("int-1", MeetingPurpose.INTERIM_REVIEW))
    assert s.rule_ids(found) == ["hp-development-plan"], "last year's plan does not count"
    agreed = hampshire()
    open_cycle(agreed)
    agreed.act(
        date(2025, 9, 20), DevelopmentPlanAgreed(cycle_id=CYCLE, items=("Phonics training",))
    )
    assert agreed.act(date(2025, 12, 10), meeting("int-1", MeetingPurpose.INTERIM_REVIEW)) == []


def test_002_policy_statement_l8_career_expectations_framework_shared_with_teachers() -> None:
    s = hampshire()
    open_cycle(s)
    level = ExpectationsCommunicated(what=("level_of_expectation",))
    s.act(date(2025, 9, 1), level, by=REVIEWER)
    found = s.act(date(2025, 9, 1), objectives(), by=REVIEWER)
    assert s.rule_ids(found) == ["hp-cef-shared"]
    assert found[0].severity is Severity.MINOR
    late = s.act(
        date(2025, 10, 6),
        ExpectationsCommunicated(cycle_id=CYCLE, what=("career_expectations_framework",)),
        by=REVIEWER,
    )
    assert s.rule_ids(late) == ["hp-cef-shared"]
    support = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(support)
    support.act(date(2025, 9, 1), level, by=REVIEWER)
    assert support.act(date(2025, 9, 1), objectives(), by=REVIEWER) == []


def test_002_setting_objectives_l37_headteachers_objectives_set_by_the_hpmp() -> None:
    s = headteacher_case()
    outset(s, by=HPMP)
    finding(s.check(date(2025, 9, 1), objectives(pupils=True)), "through the HPMP", Severity.MAJOR)
    found = s.act(date(2025, 9, 1), objectives(pupils=True), by=HPMP)
    assert s.rule_ids(found) == ["hp-ht-objectives-by-gb"]
    assert found[0].severity is Severity.MINOR
    adviser = objectives(pupils=True, external_adviser_consulted=True)
    assert s.act(date(2025, 9, 1), adviser, by=HPMP) == []
    assert s.act(date(2025, 9, 1), adviser, by=HPMP_CHAIR) == [], "the panel's chair sets them too"


def test_002_setting_objectives_l37_one_headteacher_objective_on_pupil_outcomes() -> None:
    s = headteacher_case()
    outset(s, by=HPMP)
    found = s.act(date(2025, 9, 1), objectives(external_adviser_consulted=True), by=HPMP)
    assert s.rule_ids(found) == ["hp-ht-pupil-outcomes"]
    revised = ObjectivesRevised(
        cycle_id=CYCLE, objectives=objectives(pupils=True).objectives, reason="mid-year review"
    )
    assert s.act(date(2026, 2, 2), revised, by=HPMP) == []


# Governance ----------------------------------------------------------------------------------


def _panel(*members: str, **extra: object) -> HpmpAppointed:
    return HpmpAppointed.model_validate(
        {
            "members": members,
            "chair_person_id": members[0],
            "external_adviser_person_id": "adv-1",
            **extra,
        }
    )


def test_002_appointing_reviewers_l32_the_hpmp_is_three_governors() -> None:
    s = hampshire(StaffGroup.HEADTEACHER)
    finding(
        s.check(
            date(2025, 7, 1),
            _panel("g1", "g2"),
            by=GOVERNOR,
        ),
        "three members",
        Severity.MAJOR,
    )
    finding(
        s.check(date(2025, 7, 1), _panel("g1", "g2", "g2"), by=GOVERNOR), "not 2", Severity.MAJOR
    )
    assert s.act(date(2025, 7, 1), _panel("g1", "g2", "g3"), by=GOVERNOR) == []


def test_002_appointing_reviewers_l33_chair_of_governors_not_normally_on_the_hpmp() -> None:
    s = hampshire(StaffGroup.HEADTEACHER)
    chaired = _panel("cog", "g2", "g3", includes_chair_of_governors=True)
    unexplained(
        s.check(date(2025, 7, 1), chaired, by=GOVERNOR), "Chair of Governors", Severity.MAJOR
    )
    found = s.act(date(2025, 7, 1), chaired, by=GOVERNOR, reason="only three governors in post")
    assert s.rule_ids(found) == ["hp-hpmp-not-chair"]


def test_002_appointing_reviewers_l31_an_external_adviser_supports_the_hpmp() -> None:
    s = hampshire(StaffGroup.HEADTEACHER)
    found = s.act(
        date(2025, 7, 1),
        _panel(HPMP.person_id, "g2", "g3", external_adviser_person_id=None),
        by=GOVERNOR,
    )
    assert s.rule_ids(found) == ["hp-external-adviser"]
    open_cycle(s, by=HPMP)
    found = s.act(date(2026, 12, 1), annual_statement(), by=HPMP)
    assert s.rule_ids(found) == ["hp-external-adviser"]
    assert "external_adviser_consulted" in found[0].message


def test_002_appointing_reviewers_l34_the_headteacher_decides_normally_the_line_manager() -> None:
    s = hampshire(line_manager_person_id="lm-1", reviewer=None)
    finding(
        s.check(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="lm-1"), by=LINE_MANAGER),
        "the Headteacher decides",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 9, 1), ReviewerAssigned(reviewer_person_id="lm-1")) == []
    open_cycle(s)
    unexplained(s.findings, r"line manager \(lm-1\)", Severity.MAJOR)
    found = s.act(
        date(2025, 9, 1),
        ReviewerAssigned(reviewer_person_id="dht-1"),
        reason="line manager on maternity leave",
    )
    assert s.rule_ids(found) == ["hp-reviewer-assignment"]
    ht = hampshire(StaffGroup.HEADTEACHER)
    open_cycle(ht)
    finding(ht.findings, "Governing Body", Severity.MAJOR)


def test_002_s10_4_only_the_headteacher_re_delegates_the_reviewer_role() -> None:
    s = hampshire(line_manager_person_id="lm-1", reviewer=None)
    s.act(date(2025, 10, 6), ConcernRaised(concern_id="c1", areas=("behaviour management",)))
    change = ReviewerChanged(reviewer_person_id="dht-1", reason="performance concern")
    finding(s.check(date(2025, 10, 7), change, by=LINE_MANAGER), "hp-redelegate", Severity.MAJOR)
    assert s.act(date(2025, 10, 7), change) == []
    redelegated = ReviewerAssigned(
        reviewer_person_id="dht-1", basis=ReviewerBasis.REDELEGATED_ON_CONCERN
    )
    assert s.act(date(2025, 10, 7), redelegated) == []


def test_002_principles_l25_recording_meetings_is_not_normally_permitted() -> None:
    s = hampshire()
    recorded = meeting("int-1", MeetingPurpose.INTERIM_REVIEW, recorded_electronically=True)
    unexplained(s.check(date(2025, 11, 5), recorded), "not normally permitted", Severity.MAJOR)
    found = s.act(date(2025, 11, 5), recorded, reason="reasonable adjustment: hearing impairment")
    assert "hp-no-recording" in s.rule_ids(found)


def test_002_has_no_appeal_route() -> None:
    s = hampshire()
    with pytest.raises(ActRefusedByRule, match="no appeal route"):
        s.act(
            date(2025, 11, 5),
            AppealLodged(appeal_id="a1", against_version=1, grounds=(AppealGround.NEW_EVIDENCE,)),
            by=EMPLOYEE,
        )


# Observations --------------------------------------------------------------------------------


def _observe(s: Script, held: date, verbal: date, written: date, reason: str | None = None) -> None:
    s.act(held, ObservationHeld(observation_id="obs"), by=REVIEWER)
    s.act(verbal, FeedbackGiven(observation_id="obs", medium="verbal"), by=REVIEWER)
    s.act(
        written, FeedbackGiven(observation_id="obs", medium="written"), by=REVIEWER, reason=reason
    )


def _feedback(s: Script, as_of: date) -> tuple[Deadline, Deadline]:
    (verbal,) = rows(s, "hp-obs-verbal-2wd", as_of)
    (written,) = rows(s, "hp-obs-written-5wd", as_of)
    return verbal, written


def test_002_observation_l50_feedback_in_2_and_5_working_days_across_easter() -> None:
    s = hampshire(StaffGroup.TEACHER, date(2025, 4, 1))
    # Thursday 17 April 2025; Good Friday and Easter Monday are not working days.
    _observe(s, date(2025, 4, 17), date(2025, 4, 23), date(2025, 4, 29))
    verbal, written = _feedback(s, date(2025, 5, 1))
    assert (verbal.due_on, verbal.status) == (date(2025, 4, 23), DeadlineStatus.MET)
    assert (written.due_on, written.status) == (date(2025, 4, 28), DeadlineStatus.MISSED)
    assert written.unit == "5 working days after"


def test_002_observation_l50_late_written_feedback_with_a_reason_is_a_deviation() -> None:
    s = hampshire()
    # Friday 19 December 2025: Christmas Day and Boxing Day do not count, school closure does.
    _observe(
        s, date(2025, 12, 19), date(2025, 12, 24), date(2026, 1, 6), reason="observer off sick"
    )
    verbal, written = _feedback(s, date(2026, 1, 7))
    assert (verbal.due_on, verbal.status) == (date(2025, 12, 23), DeadlineStatus.MISSED)
    assert (written.due_on, written.status) == (date(2025, 12, 30), DeadlineStatus.DEVIATED)
    assert written.reason == "observer off sick"


def test_002_observation_l50_feedback_days_across_29_february() -> None:
    s = hampshire()
    _observe(s, date(2028, 2, 28), date(2028, 3, 1), date(2028, 3, 6))
    verbal, written = _feedback(s, date(2028, 3, 6))
    assert (verbal.due_on, verbal.status) == (date(2028, 3, 1), DeadlineStatus.MET)
    assert (written.due_on, written.status) == (date(2028, 3, 6), DeadlineStatus.MET)


def _planned(s: Script, observation_id: str, held: date, **extra: object) -> None:
    s.act(
        date(2025, 9, 15),
        ObservationPlanned.model_validate(
            {
                "observation_id": observation_id,
                "planned_for": held,
                "observer_person_id": "obs-1",
                "purpose": "Reading lessons",
                "duration_minutes": 40,
                **extra,
            }
        ),
        by=REVIEWER,
    )
    s.act(held, ObservationHeld(observation_id=observation_id), by=REVIEWER)


def test_002_observation_l48_teachers_are_normally_observed_by_those_with_qts() -> None:
    s = hampshire()
    open_cycle(s)
    _planned(s, "obs-1", date(2025, 10, 1), observer_has_qts=False)
    unexplained(s.findings, "hp-observation-qts", Severity.MAJOR)
    s = hampshire()
    open_cycle(s)
    _planned(s, "obs-1", date(2025, 10, 1), observer_has_qts=False)
    found = s.act(
        date(2025, 10, 1),
        ObservationHeld(observation_id="obs-1"),
        by=REVIEWER,
        reason="specialist SEN adviser observing the intervention",
    )
    assert s.rule_ids(found) == ["hp-observation-qts"]
    assert found[0].deviated
    unknown = hampshire()
    open_cycle(unknown)
    _planned(unknown, "obs-1", date(2025, 10, 1))
    assert unknown.findings == [], "QTS not recorded: nothing to judge"
    support = hampshire(StaffGroup.SUPPORT_STAFF)
    open_cycle(support)
    _planned(support, "obs-1", date(2025, 10, 1), observer_has_qts=False)
    assert support.findings == [], "support staff are not classroom teachers"


def test_002_observation_l52_ofsted_and_uncommunicated_la_observations_are_not_evidence() -> None:
    s = hampshire()
    open_cycle(s)
    _planned(s, "ofsted", date(2026, 3, 3), observer_kind="ofsted")
    _planned(
        s, "la-late", date(2026, 3, 4), observer_kind="la_officer", communicated_on=date(2026, 3, 4)
    )
    _planned(
        s, "la-ok", date(2026, 3, 5), observer_kind="la_officer", communicated_on=date(2026, 2, 20)
    )
    _planned(s, "internal", date(2026, 3, 6))
    s.act(date(2026, 10, 1), RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED))
    found = s.act(
        date(2026, 10, 2),
        annual_statement(evidence_observation_ids=("ofsted", "la-late", "la-ok", "internal")),
        by=REVIEWER,
    )
    assert s.rule_ids(found) == ["hp-obs-external"]
    assert found[0].severity is Severity.MAJOR
    assert "ofsted was an Ofsted inspection observation" in found[0].message
    assert "la-late, by a local authority officer on 2026-03-04" in found[0].message
    assert "la-ok" not in found[0].message
    assert "internal" not in found[0].message
    usable = annual_statement(evidence_observation_ids=("la-ok", "internal"))
    assert s.act(date(2026, 10, 2), usable, by=REVIEWER) == []


def test_002_pack_lists_the_rules_it_cannot_judge_yet() -> None:
    assert {rule_id for rule_id, _ in NOT_YET_JUDGED} == {
        "hp-access",
        "hp-retention",
    }
    judged = {rule.ref.id for rule in HAMPSHIRE.rules}
    assert judged.isdisjoint(rule_id for rule_id, _ in NOT_YET_JUDGED)
    assert HAMPSHIRE.reachable == frozenset(Ladder)
    assert set(HAMPSHIRE.stage_words) == set(Ladder)
