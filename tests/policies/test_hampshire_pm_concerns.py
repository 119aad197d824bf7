"""Hampshire (seed 002): dealing with performance concerns (¶10.1-10.30), structured managerial
support, the move to the Capability Policy and the suspension of performance management."""

from __future__ import annotations

from copy import deepcopy
from datetime import date

import pytest
from tests.policies.script import (
    EMPLOYEE,
    GOVERNOR,
    HEAD,
    HR,
    REVIEWER,
    Script,
    finding,
    unexplained,
)
from tests.policies.test_hampshire_pm import (
    CYCLE,
    HPMP,
    hampshire,
    meeting,
    objectives,
    open_cycle,
    panelled,
    rows,
)

from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import Objective, StaffGroup
from pmledger.events.meeting_acts import Attendee, MeetingInvited, MeetingPurpose
from pmledger.events.pay_acts import PayRecommended, Rating, RatingRecorded
from pmledger.events.record_acts import (
    ConcernCategory,
    ConcernNotified,
    ConcernRaised,
    HrAdviceObtained,
    ReasonableAdjustmentsConsidered,
    RecordCopyProvided,
    StatementKind,
    StatementRecorded,
)
from pmledger.events.sanction_acts import (
    CapabilityBasis,
    CapabilityEnded,
    CapabilityStarted,
    Dismissed,
    WarningIssued,
    WarningKind,
)
from pmledger.events.support_acts import (
    Consequence,
    ConsequencesExplained,
    MonitoringReviewed,
    Outcome,
    OutcomeDecided,
    PlanKind,
    Progress,
    SupportMeasureStarted,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.judgement import (
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder

FACTORS = (
    "nature_and_severity",
    "impact_on_pupils_and_colleagues",
    "timescale_for_improvement",
    "employee_engagement",
)
RECORD = (
    "seriousness_and_consequences_discussed",
    "employee_view_recorded",
    "employee_support_requested_recorded",
)
SENIOR = Actor(person_id="sm-1", role=Role.SENIOR_MANAGER)


def concern(s: Script, on: date, *, by: Actor = HEAD, **extra: object) -> None:
    act = ConcernRaised.model_validate(
        {"concern_id": "c1", "areas": ("behaviour management",), **extra}
    )
    s.act(on, act, by=by)


def prepared(
    group: StaffGroup = StaffGroup.TEACHER, on: date = date(2025, 10, 6), /, **opening: object
) -> Script:
    """A case with a concern raised and reasonable adjustments considered."""
    s = hampshire(group, **opening)
    concern(s, on)
    s.act(on, ReasonableAdjustmentsConsidered(concern_id="c1", outcome="none needed"))
    return s


def sms(starts: date, review: date, **extra: object) -> SupportPlanAgreed:
    return SupportPlanAgreed.model_validate(
        {
            "plan_id": "sms-1",
            "plan_kind": PlanKind.STRUCTURED_MANAGERIAL_SUPPORT,
            "concern_id": "c1",
            "starts_on": starts,
            "review_on": review,
            "targets": (
                Objective(
                    objective_id="t1",
                    text="Consistent behaviour routines",
                    success_criteria="Low-level disruption logged under 3 a week",
                ),
            ),
            "support": "Coaching from the deputy head",
            "monitoring_frequency": "Fortnightly drop-ins",
            "confirms": RECORD,
            **extra,
        }
    )


def capability(**extra: object) -> CapabilityStarted:
    return CapabilityStarted.model_validate(
        {"reason": "Targets not met", "confirms": FACTORS, **extra}
    )


def told(subject: str = "sms-1") -> ConsequencesExplained:
    return ConsequencesExplained(
        subject_id=subject,
        consequences=(Consequence.CAPABILITY_POSSIBLE, Consequence.PAY_PROGRESSION_IMPACT),
    )


def filed(s: Script, on: date, version: int | None = None) -> None:
    """The written record (by default the last act) goes on the personal file, and the employee
    gets a copy."""
    record = version or s.version
    s.act(on, RecordCopyProvided(record_version=record, to="personal_file"))
    s.act(on, RecordCopyProvided(record_version=record, to="employee"))


def on_sms(starts: date = date(2025, 10, 13), review: date = date(2025, 11, 14)) -> Script:
    s = prepared()
    s.act(starts, sms(starts, review))
    filed(s, starts)
    return s


# Concerns -------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", [ConcernCategory.HEALTH, ConcernCategory.ATTENDANCE])
def test_002_principles_l23_health_is_normally_for_the_sickness_absence_policy(
    category: ConcernCategory,
) -> None:
    s = hampshire()
    act = ConcernRaised(concern_id="c1", category=category, areas=("marking",))
    unexplained(s.check(date(2025, 10, 6), act), "Managing Sickness Absence", Severity.MAJOR)
    found = s.act(date(2025, 10, 6), act, reason="OH advise it is not health-related")
    assert s.rule_ids(found) == ["hp-health-route"]


def test_002_s10_2_reasonable_adjustments_considered_before_sms() -> None:
    s = hampshire()
    concern(s, date(2025, 10, 6))
    found = s.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)))
    assert s.rule_ids(found) == ["hp-reasonable-adjustments"]
    assert "for concern c1 of 2025-10-06" in found[0].message
    other = hampshire()
    concern(other, date(2025, 10, 6))
    other.act(date(2025, 10, 7), ReasonableAdjustmentsConsidered(concern_id="c0"))
    found = other.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)))
    assert other.rule_ids(found) == ["hp-reasonable-adjustments"], "another concern's"
    considered = hampshire()
    concern(considered, date(2025, 10, 6))
    considered.act(date(2025, 10, 7), ReasonableAdjustmentsConsidered(concern_id="c1"))
    assert considered.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14))) == []


def test_002_s10_3_concerns_not_left_to_the_end_of_year_review() -> None:
    s = hampshire()
    open_cycle(s)
    concern(s, date(2025, 10, 6))
    found = s.act(date(2026, 10, 20), meeting("eoy", MeetingPurpose.END_OF_CYCLE_REVIEW))
    assert s.rule_ids(found) == ["hp-concern-prompt"]
    assert "c1 (identified 2025-10-06)" in found[0].message
    addressed = hampshire()
    open_cycle(addressed)
    concern(addressed, date(2025, 10, 6))
    addressed.act(date(2025, 10, 8), meeting("early", MeetingPurpose.EARLY_CONVERSATION))
    assert (
        addressed.act(date(2026, 10, 20), meeting("eoy", MeetingPurpose.END_OF_CYCLE_REVIEW)) == []
    )


def test_002_s10_4_a_reviewer_notifies_the_headteacher_before_support() -> None:
    s = hampshire()
    concern(s, date(2025, 10, 6), by=REVIEWER)
    found = s.act(
        date(2025, 10, 8), meeting("early", MeetingPurpose.EARLY_CONVERSATION), by=REVIEWER
    )
    assert s.rule_ids(found) == ["hp-reviewer-notifies-ht"]
    assert s.case.stage is Ladder.INFORMAL_SUPPORT
    coaching = SupportMeasureStarted(measure_id="m1", concern_id="c1", measure="coaching")
    notified = hampshire()
    concern(notified, date(2025, 10, 6), by=REVIEWER)
    notified.act(
        date(2025, 10, 6),
        ConcernNotified(concern_id="c1", notified_role="headteacher"),
        by=REVIEWER,
    )
    found = notified.act(date(2025, 10, 8), coaching, by=REVIEWER)
    assert notified.rule_ids(found) == ["hp-reviewer-notifies-ht"]
    assert "how to proceed was not agreed" in found[0].message
    agreed = hampshire()
    concern(agreed, date(2025, 10, 6), by=REVIEWER)
    agreed.act(
        date(2025, 10, 6),
        ConcernNotified(concern_id="c1", notified_role="headteacher", how_to_proceed_agreed=True),
        by=REVIEWER,
    )
    assert agreed.act(date(2025, 10, 8), coaching, by=REVIEWER) == []
    by_head = hampshire()
    concern(by_head, date(2025, 10, 6))
    assert by_head.act(date(2025, 10, 8), meeting("early", MeetingPurpose.EARLY_CONVERSATION)) == []


def _headteacher_concern() -> Script:
    s = panelled()
    concern(s, date(2025, 10, 6), by=HPMP)
    s.act(
        date(2025, 10, 6),
        ReasonableAdjustmentsConsidered(concern_id="c1", outcome="none needed"),
        by=HPMP,
    )
    return s


def test_002_s10_5_hpmp_chair_and_chair_of_governors_notify_each_other() -> None:
    s = _headteacher_concern()
    found = s.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)), by=HPMP)
    assert s.rule_ids(found) == ["hp-ht-concern-notify"]
    assert "notified to the chair of governors" in found[0].message
    wrong_way = _headteacher_concern()
    wrong_way.act(
        date(2025, 10, 7), ConcernNotified(concern_id="c1", notified_role="hpmp_chair"), by=HPMP
    )
    found = wrong_way.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)), by=HPMP)
    assert wrong_way.rule_ids(found) == ["hp-ht-concern-notify"]
    by_chair = panelled()
    concern(by_chair, date(2025, 10, 6), by=GOVERNOR)
    by_chair.act(date(2025, 10, 6), ReasonableAdjustmentsConsidered(concern_id="c1"), by=HPMP)
    by_chair.act(
        date(2025, 10, 7), ConcernNotified(concern_id="c1", notified_role="hpmp_chair"), by=GOVERNOR
    )
    assert (
        by_chair.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)), by=HPMP) == []
    )
    notified = _headteacher_concern()
    notified.act(
        date(2025, 10, 7),
        ConcernNotified(concern_id="c1", notified_role="chair_of_governors"),
        by=HPMP,
    )
    assert (
        notified.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)), by=HPMP) == []
    )


def test_002_s10_6_concerns_about_the_headteacher_are_taken_forward_by_the_hpmp() -> None:
    s = _headteacher_concern()
    s.act(date(2025, 10, 7), ConcernNotified(concern_id="c1", notified_role="chair_of_governors"))
    plan = sms(date(2025, 10, 13), date(2025, 11, 14))
    finding(
        s.check(date(2025, 10, 13), plan),
        "taken forward by the HPMP, not by headteacher",
        Severity.MAJOR,
    )
    finding(s.check(date(2025, 10, 13), plan, by=GOVERNOR), "hp-ht-concern-hpmp", Severity.MAJOR)
    assert s.act(date(2025, 10, 13), plan, by=HPMP) == []


def test_002_s10_8_no_formal_representation_so_no_companion_is_required() -> None:
    s = prepared()
    assert s.act(date(2025, 10, 13), meeting("sms", MeetingPurpose.INITIAL_SUPPORT)) == []
    assert s.case.stage is Ladder.INFORMAL_SUPPORT


# Structured managerial support ------------------------------------------------------------------


def test_002_s10_17_19_the_written_sms_record_and_its_copies() -> None:
    s = prepared()
    thin = sms(date(2025, 10, 13), date(2025, 11, 14), support="", confirms=())
    found = s.act(date(2025, 10, 13), thin)
    assert s.rule_ids(found) == ["hp-sms-record"]
    assert "the support that will be provided" in found[0].message
    assert "employee_view_recorded" in found[0].message
    review = MonitoringReviewed(plan_id="sms-1", progress=Progress.SOME_PROGRESS)
    plan = s.version
    s.act(date(2025, 10, 14), RecordCopyProvided(record_version=plan, to="employee"))
    s.act(date(2025, 10, 14), RecordCopyProvided(record_version=1, to="personal_file"))
    late = s.act(date(2025, 11, 14), review)
    assert s.rule_ids(late) == ["hp-sms-record"]
    assert "no copy to personal_file is recorded" in late[0].message
    # Judged once, at the plan's next act: the review after it does not repeat it.
    revised = SupportPlanRevised(plan_id="sms-1", review_on=date(2025, 12, 12), reason="more time")
    assert "hp-sms-record" not in s.rule_ids(s.act(date(2025, 11, 14), revised))
    copied = prepared()
    copied.act(
        date(2025, 10, 13), thin.model_copy(update={"support": "Coaching", "confirms": RECORD})
    )
    filed(copied, date(2025, 10, 14))
    assert copied.act(date(2025, 11, 14), review) == []


def test_002_s10_17_the_hpmp_normally_invites_the_school_improvement_provider() -> None:
    s = _headteacher_concern()
    s.act(date(2025, 10, 7), ConcernNotified(concern_id="c1", notified_role="chair_of_governors"))
    discussion = meeting("sms", MeetingPurpose.INITIAL_SUPPORT)
    unexplained(
        s.check(date(2025, 10, 13), discussion, by=HPMP),
        "School Improvement provider",
        Severity.MAJOR,
    )
    sip = Attendee(person_id="sip-1", role="school_improvement_provider")
    with_sip = discussion.model_copy(update={"attendees": (sip,)})
    assert s.act(date(2025, 10, 13), with_sip, by=HPMP) == []


def test_002_s10_20_each_review_record_is_filed_and_copied_to_the_employee() -> None:
    s = on_sms(date(2025, 10, 13), date(2025, 11, 14))
    s.act(date(2025, 11, 14), MonitoringReviewed(plan_id="sms-1", progress=Progress.SOME_PROGRESS))
    found = s.act(
        date(2025, 11, 14),
        OutcomeDecided(
            subject_id="sms-1", outcome=Outcome.SUCCESSFUL, confirms=("sustain_informed",)
        ),
    )
    assert s.rule_ids(found) == ["hp-sms-reviews"]
    assert "the review of plan sms-1 (2025-11-14)" in found[0].message
    assert found[0].rule.source == "002 ¶10.20 L142"
    t = on_sms(date(2025, 10, 13), date(2025, 11, 14))
    t.act(date(2025, 11, 14), MonitoringReviewed(plan_id="sms-1", progress=Progress.SOME_PROGRESS))
    filed(t, date(2025, 11, 17))
    outcome = OutcomeDecided(
        subject_id="sms-1", outcome=Outcome.SUCCESSFUL, confirms=("sustain_informed",)
    )
    assert t.act(date(2025, 11, 28), outcome) == []


def test_002_s10_20_reviews_at_the_agreed_timescales() -> None:
    s = on_sms(date(2025, 10, 13), date(2025, 11, 14))
    s.act(date(2025, 11, 20), MonitoringReviewed(plan_id="sms-1", progress=Progress.SOME_PROGRESS))
    s.act(
        date(2025, 11, 20),
        SupportPlanRevised(plan_id="sms-1", review_on=date(2026, 1, 16), reason="more time"),
    )
    s.act(date(2026, 1, 15), MonitoringReviewed(plan_id="sms-1", progress=Progress.ON_TRACK))
    first, second = rows(s, "hp-sms-reviews", date(2026, 1, 20))
    assert (first.due_on, first.status) == (date(2025, 11, 14), DeadlineStatus.MISSED)
    assert (second.due_on, second.status) == (date(2026, 1, 16), DeadlineStatus.MET)
    assert first.rule.source == "002 ¶10.20 L142"


def test_002_s10_21_the_employee_is_told_improvement_must_be_sustained() -> None:
    s = on_sms()
    found = s.act(
        date(2025, 11, 14), OutcomeDecided(subject_id="sms-1", outcome=Outcome.SUCCESSFUL)
    )
    assert s.rule_ids(found) == ["hp-sms-sustain-informed"]
    assert found[0].severity is Severity.MINOR
    assert s.case.stage is Ladder.NORMAL_CYCLE
    informed = on_sms()
    outcome = OutcomeDecided(
        subject_id="sms-1", outcome=Outcome.SUCCESSFUL, confirms=("sustain_informed",)
    )
    assert informed.act(date(2025, 11, 14), outcome) == []


# Moving to the Capability Policy ---------------------------------------------------------------


def test_002_s10_16_30_structured_support_then_capability_raises_nothing() -> None:
    s = on_sms(date(2025, 10, 13), date(2025, 11, 14))
    s.act(date(2025, 11, 14), MonitoringReviewed(plan_id="sms-1", progress=Progress.NO_PROGRESS))
    filed(s, date(2025, 11, 14))
    s.act(date(2025, 11, 14), told())
    assert s.act(date(2025, 12, 1), capability()) == []
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    assert s.case.capability_active


def test_002_s10_22_consequences_recorded_in_writing_before_capability() -> None:
    s = on_sms(date(2025, 10, 13), date(2025, 11, 14))
    found = s.act(date(2025, 12, 1), capability())
    assert s.rule_ids(found) == ["hp-consequences-in-writing"]
    assert found[0].severity is Severity.MAJOR
    in_plan = prepared()
    in_plan.act(
        date(2025, 10, 13),
        sms(date(2025, 10, 13), date(2025, 11, 14), consequences_explained_in_writing=True),
    )
    filed(in_plan, date(2025, 10, 13))
    assert in_plan.act(date(2025, 12, 1), capability()) == []
    bypass = prepared()
    bypass.act(date(2025, 10, 7), HrAdviceObtained(topic="bypass", provider="EPS"), by=HR)
    found = bypass.act(date(2025, 10, 8), capability(), reason="pupils' safety at risk")
    assert [
        (f.rule.id, f.severity) for f in found if f.rule.id == "hp-consequences-in-writing"
    ] == [("hp-consequences-in-writing", Severity.MINOR)]


def test_002_s10_22_consequences_in_good_time_10_working_days_across_easter() -> None:
    def case(told_on: date) -> Script:
        s = on_sms(date(2026, 1, 12), date(2026, 2, 13))
        s.act(told_on, told())
        return s

    # Capability on Wednesday 8 April 2026: Easter Monday 6 April and Good Friday 3 April are
    # not working days, so 10 working days before is Monday 23 March.
    late = case(date(2026, 3, 27))
    found = late.act(date(2026, 4, 8), capability())
    assert late.rule_ids(found) == ["hp-consequences-good-time"]
    assert "(2026-03-23)" in found[0].message
    assert case(date(2026, 3, 23)).act(date(2026, 4, 8), capability()) == []


def test_002_s10_23_not_sustained_means_within_six_months_across_29_february() -> None:
    def sustained() -> Script:
        s = prepared(StaffGroup.TEACHER, date(2027, 5, 3))
        s.act(date(2027, 5, 4), sms(date(2027, 5, 4), date(2027, 6, 15)))
        s.act(
            date(2027, 8, 31),
            OutcomeDecided(
                subject_id="sms-1", outcome=Outcome.SUCCESSFUL, confirms=("sustain_informed",)
            ),
        )
        s.act(date(2027, 9, 1), HrAdviceObtained(topic="bypass", provider="EPS"), by=HR)
        s.act(date(2027, 9, 1), told("c1"))
        return s

    not_sustained = capability(basis=CapabilityBasis.NOT_SUSTAINED)
    # Six months from 31 August 2027 end on 29 February 2028, the first day outside the window.
    inside = sustained()
    unexplained(
        inside.check(date(2028, 2, 28), not_sustained),
        "not sustained for six months",
        Severity.MAJOR,
    )
    found = inside.act(date(2028, 2, 28), not_sustained, reason="decline since January")
    assert inside.rule_ids(found) == ["hp-bypass"]
    finding(
        sustained().check(date(2028, 2, 29), not_sustained, reason="decline"),
        "hp-sustain-6-months",
        Severity.MAJOR,
    )


def test_002_s10_25_moving_straight_to_capability_needs_a_reason_and_eps_advice() -> None:
    s = prepared()
    s.act(date(2025, 10, 7), told("c1"))
    unexplained(
        s.check(date(2025, 10, 8), capability(basis=CapabilityBasis.DIRECT)),
        "exceptional circumstances",
        Severity.MAJOR,
    )
    found = s.act(
        date(2025, 10, 8), capability(basis=CapabilityBasis.DIRECT), reason="pupils at risk"
    )
    assert s.rule_ids(found) == ["hp-bypass", "hp-bypass"]
    assert "Education Personnel Services" in found[1].message
    advised = prepared()
    advised.act(date(2025, 10, 7), told("c1"))
    advised.act(date(2025, 10, 7), HrAdviceObtained(topic="bypass", provider="EPS"), by=HR)
    found = advised.act(date(2025, 10, 8), capability(), reason="pupils at risk")
    assert advised.rule_ids(found) == ["hp-bypass"]
    assert found[0].deviated
    other_adviser = prepared()
    other_adviser.act(date(2025, 10, 7), told("c1"))
    other_adviser.act(
        date(2025, 10, 7), HrAdviceObtained(topic="bypass", provider="Schools HR"), by=HR
    )
    found = other_adviser.act(date(2025, 10, 8), capability(), reason="pupils at risk")
    assert other_adviser.rule_ids(found) == ["hp-bypass", "hp-bypass"], "not EPS advice"


def test_002_s10_15_capability_after_only_an_early_conversation_is_a_bypass() -> None:
    s = prepared()
    s.act(date(2025, 10, 8), meeting("early", MeetingPurpose.EARLY_CONVERSATION))
    s.act(date(2025, 10, 9), HrAdviceObtained(topic="bypass", provider="EPS"), by=HR)
    s.act(date(2025, 10, 9), told("c1"))
    unexplained(
        s.check(date(2025, 10, 20), capability()), "early conversation or coaching", Severity.MAJOR
    )
    found = s.act(date(2025, 10, 20), capability(), reason="serious jeopardy")
    assert s.rule_ids(found) == ["hp-early-conversation-scope"]


def test_002_s10_28_four_school_weeks_of_sms_across_christmas() -> None:
    def case() -> Script:
        s = on_sms(date(2025, 12, 8), date(2026, 1, 9))
        s.act(date(2025, 12, 9), told())
        return s

    # Monday 8 December 2025: the two Christmas holiday weeks and the INSET day of 5 January
    # leave the fourth school week after it starting on Monday 19 January 2026.
    unexplained(
        case().check(date(2026, 1, 16), capability()), "at least to 2026-01-19", Severity.MAJOR
    )
    early = case()
    found = early.act(date(2026, 1, 16), capability(), reason="pupil safety")
    assert early.rule_ids(found) == ["hp-typical-window"]
    assert case().act(date(2026, 1, 19), capability()) == []


def test_002_s10_27_factors_considered_when_moving_from_sms() -> None:
    s = on_sms()
    s.act(date(2025, 11, 14), told())
    found = s.act(date(2025, 12, 1), capability(confirms=FACTORS[:2]))
    assert s.rule_ids(found) == ["hp-transition-factors"]
    assert "employee_engagement" in found[0].message
    assert found[0].severity is Severity.MINOR


def test_002_s10_29_capability_starts_with_a_stage_one_invitation() -> None:
    def started() -> Script:
        s = on_sms()
        s.act(date(2025, 11, 14), told())
        s.act(date(2025, 12, 1), capability())
        return s

    s = started()
    found = s.act(date(2026, 3, 2), CapabilityEnded(reason="standard reached"))
    assert s.rule_ids(found) == ["hp-stage-one-invite"]
    invited = started()
    invited.act(
        date(2025, 12, 1),
        MeetingInvited(
            meeting_id="cap-1",
            purpose=MeetingPurpose.FIRST_FORMAL,
            scheduled_for=date(2025, 12, 10),
        ),
    )
    assert invited.act(date(2026, 3, 2), CapabilityEnded(reason="standard reached")) == []
    assert invited.case.stage is Ladder.NORMAL_CYCLE


# Performance management suspended ------------------------------------------------------------


def _on_capability() -> Script:
    s = prepared()
    open_cycle(s)
    s.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)))
    filed(s, date(2025, 10, 13))
    s.act(date(2025, 11, 14), told())
    s.act(date(2026, 9, 14), capability(confirms=(*FACTORS, "stage_one_meeting_invited")))
    return s


def test_002_s10_30_performance_management_is_suspended_during_capability() -> None:
    s = _on_capability()
    on = date(2026, 9, 21)
    for act in (
        objectives(),
        meeting("int-1", MeetingPurpose.INTERIM_REVIEW),
        RatingRecorded(cycle_id=CYCLE, rating=Rating.ACHIEVED),
        StatementRecorded(
            statement_kind=StatementKind.REVIEWER,
            form="hp-new-cycle-statement",
            cycle_id=CYCLE,
            text="new cycle",
        ),
    ):
        finding(s.check(on, act), "suspended while the Capability Policy runs", Severity.MAJOR)
    suspended = deepcopy(s)
    open_cycle(suspended, "2026-27", date(2026, 9, 21), date(2027, 9, 20))
    finding(suspended.findings, "hp-pm-suspended", Severity.MAJOR)
    # A 'not met' rating and its nil recommendation still close the cycle (D-hp-3).
    assert s.act(on, RatingRecorded(cycle_id=CYCLE, rating=Rating.NOT_MET)) == []
    assert s.act(on, PayRecommended(recommendation_id="p1", cycle_id=CYCLE)) == []
    comment = StatementRecorded(
        statement_kind=StatementKind.EMPLOYEE_COMMENT, cycle_id=CYCLE, text="I disagree"
    )
    assert s.act(on, comment, by=EMPLOYEE) == []
    first_formal = MeetingInvited(
        meeting_id="cap-1", purpose=MeetingPurpose.FIRST_FORMAL, scheduled_for=date(2026, 9, 28)
    )
    assert s.act(on, first_formal) == []


def test_002_s10_30_deadlines_falling_due_during_capability_are_suspended() -> None:
    s = _on_capability()
    (review,) = [
        d for d in rows(s, "hp-teacher-review-oct", date(2026, 11, 2)) if "review" in d.description
    ]
    assert review.due_on is None
    assert review.status is DeadlineStatus.UNKNOWN
    assert "suspended" in (review.reason or "")
    assert "was due 2026-10-31" in (review.reason or "")
    # The summer term's interim meeting fell due before capability started: still overdue.
    summer = rows(s, "hp-interim-meetings", date(2026, 11, 2))[-1]
    assert (summer.due_on, summer.status) == (date(2026, 7, 21), DeadlineStatus.OVERDUE)
    s.act(date(2026, 10, 5), CapabilityEnded(reason="standard reached"))
    assert s.case.stage is Ladder.NORMAL_CYCLE
    assert open_cycle(s, "2026-27", date(2026, 10, 5), date(2027, 10, 4)) == []


# Stage machine ------------------------------------------------------------------------------------


def stage(s: Script) -> Ladder:
    """The stage now (a call, so a type checker does not narrow it across acts)."""
    return s.case.stage


def test_002_stage_machine_follows_concerns_support_and_capability() -> None:
    s = prepared()
    finding(
        s.check(date(2025, 10, 7), MonitoringReviewed(plan_id="sms-1", progress=Progress.ON_TRACK)),
        "does not belong at stage 'performance management",
        Severity.MAJOR,
    )
    s.act(date(2025, 10, 7), SupportMeasureStarted(measure_id="m1", measure="mentoring"))
    assert stage(s) is Ladder.INFORMAL_SUPPORT
    s.act(date(2025, 10, 13), sms(date(2025, 10, 13), date(2025, 11, 14)))
    s.act(date(2025, 11, 14), told())
    s.act(date(2025, 12, 1), capability(confirms=(*FACTORS, "stage_one_meeting_invited")))
    assert stage(s) is Ladder.FORMAL_STAGE_1
    finding(s.check(date(2025, 12, 2), capability()), "stage-machine", Severity.MAJOR)
    s.act(date(2026, 1, 12), WarningIssued(warning_id="w1", warning_kind=WarningKind.FINAL_WRITTEN))
    assert stage(s) is Ladder.FORMAL_STAGE_2
    s.act(
        date(2026, 3, 2),
        Dismissed(
            effective_on=date(2026, 4, 30),
            notice_weeks=8,
            alternatives_considered=True,
            reasons="capability",
        ),
        by=SENIOR,
    )
    assert stage(s) is Ladder.DISMISSED
