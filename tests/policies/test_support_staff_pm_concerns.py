"""Support staff performance management (seed 001): concerns (§4.6), capability (§5), warnings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.policies.script import EMPLOYEE, HEAD, REVIEWER, Script, breach, finding, unexplained
from tests.policies.support_staff_pm_script import held, invite, objective, ss

from pmledger.events.meeting_acts import LetterSent, MeetingPurpose
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.sanction_acts import (
    CapabilityBasis,
    CapabilityEnded,
    CapabilityStarted,
    Dismissed,
    WarningIssued,
    WarningKind,
    WarningReduced,
)
from pmledger.events.support_acts import (
    Consequence,
    ConsequencesExplained,
    MonitoringReviewed,
    Outcome,
    OutcomeDecided,
    PlanKind,
    Progress,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.judgement import (
    ActRefusedByRule,
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs.support_staff_pm import PACK

MAJOR = Severity.MAJOR

FULL_MEETING = (
    "concerns_explained",
    "employee_comments_invited",
    "support_agreed",
    "review_date_set",
    "implications_explained",
)


def plan(starts: date, review: date, plan_id: str = "cp-1", **extra: object) -> SupportPlanAgreed:
    fields: dict[str, object] = {
        "plan_id": plan_id,
        "plan_kind": PlanKind.CONCERNS_SUPPORT,
        "concern_id": "c-1",
        "starts_on": starts,
        "review_on": review,
        "targets": (objective(1),),
        "support": "Weekly coaching with the SENCo",
    }
    fields.update(extra)
    return SupportPlanAgreed.model_validate(fields)


def concerns_meeting(s: Script, on: date, meeting_id: str = "concerns-1") -> None:
    """A concerns meeting recorded with everything §4.6 asks of it."""
    s.act(on, ConcernRaised(concern_id="c-1", areas=("record keeping",)), by=REVIEWER)
    s.act(on, held(meeting_id, purpose=MeetingPurpose.CONCERNS, confirms=FULL_MEETING), by=REVIEWER)


def into_capability(s: Script, on: date, **extra: object) -> None:
    """§4.6 done properly, found insufficient, written notice, then capability."""
    concerns_meeting(s, on, f"concerns-{on}")
    s.act(on, plan(on, on + timedelta(days=1), plan_id=f"cp-{on}"), by=REVIEWER)
    s.act(on, OutcomeDecided(subject_id=f"cp-{on}", outcome=Outcome.INSUFFICIENT), by=REVIEWER)
    s.act(on, LetterSent(letter_id=f"n-{on}", template="ss-capability-notice"), by=REVIEWER)
    s.act(on, CapabilityStarted.model_validate({"reason": "No improvement", **extra}), by=HEAD)


def test_001_s4_6_support_is_agreed_at_a_formal_concerns_meeting() -> None:
    s = ss()
    finding(
        s.check(
            date(2025, 11, 10), plan(date(2025, 11, 10), date(2025, 12, 8), plan_kind=PlanKind.PIP)
        ),
        "concerns_support",
        Severity.MAJOR,
    )
    found = s.act(date(2025, 11, 10), plan(date(2025, 11, 10), date(2025, 12, 8)))
    assert s.rule_ids(found) == ["ss-concerns-meeting"]
    assert "without a formal concerns meeting" in found[0].message
    t = ss()
    t.act(date(2025, 11, 10), invite("concerns-1", MeetingPurpose.CONCERNS, date(2025, 11, 17)))
    found = t.act(date(2025, 11, 17), held("concerns-1", confirms=("concerns_explained",)))
    assert t.rule_ids(found) == ["ss-concerns-meeting", "ss-concerns-implications"]
    assert "employee_comments_invited, support_agreed, review_date_set" in found[0].message
    assert t.case.stage is Ladder.INFORMAL_SUPPORT
    assert t.act(date(2025, 11, 17), plan(date(2025, 11, 17), date(2025, 12, 15))) == []


def test_001_s4_6_review_no_more_than_30_working_days_ahead_across_29_february() -> None:
    s = ss(opened_on=date(2024, 2, 1))
    concerns_meeting(s, date(2024, 2, 15))
    # 30 working days from Thursday 15 February 2024, counting 29 February, end on Thursday
    # 28 March, the day before Good Friday.
    assert s.act(date(2024, 2, 15), plan(date(2024, 2, 15), date(2024, 3, 28))) == []
    late = ss(opened_on=date(2024, 2, 1))
    concerns_meeting(late, date(2024, 2, 15))
    found = late.act(date(2024, 2, 15), plan(date(2024, 2, 15), date(2024, 4, 2)))
    assert late.rule_ids(found) == ["ss-concerns-review-30wd"]
    assert "later than 30 working days after 2024-02-15" in found[0].message
    assert found[0].severity.value == "major"
    revised = SupportPlanRevised(plan_id="cp-1", review_on=date(2024, 4, 3), reason="absence")
    assert s.rule_ids(s.act(date(2024, 3, 1), revised)) == ["ss-concerns-review-30wd"]


def test_001_s4_6_progress_is_reviewed_by_the_review_date() -> None:
    s = ss()
    concerns_meeting(s, date(2025, 11, 17))
    s.act(date(2025, 11, 17), plan(date(2025, 11, 17), date(2025, 12, 15)))
    (row,) = [d for d in s.deadlines(date(2025, 12, 16)) if d.rule.id == "ss-concerns-review-30wd"]
    assert (row.due_on, row.status) == (date(2025, 12, 15), DeadlineStatus.OVERDUE)
    s.act(date(2025, 12, 17), MonitoringReviewed(plan_id="cp-1", progress=Progress.SOME_PROGRESS))
    (row,) = [d for d in s.deadlines(date(2025, 12, 17)) if d.rule.id == "ss-concerns-review-30wd"]
    assert row.status is DeadlineStatus.MISSED


def test_001_s4_6_implications_of_no_improvement_are_explained() -> None:
    s = ss()
    s.act(date(2025, 11, 10), invite("concerns-1", MeetingPurpose.CONCERNS, date(2025, 11, 17)))
    s.act(
        date(2025, 11, 14),
        ConsequencesExplained(subject_id="c-1", consequences=(Consequence.CAPABILITY_POSSIBLE,)),
    )
    assert s.act(date(2025, 11, 17), held("concerns-1", confirms=FULL_MEETING[:4])) == []
    t = ss()
    t.act(
        date(2025, 11, 17),
        held("concerns-1", purpose=MeetingPurpose.CONCERNS, confirms=FULL_MEETING[:4]),
    )
    t.act(date(2025, 11, 17), plan(date(2025, 11, 17), date(2025, 12, 15)))
    t.act(date(2025, 12, 15), OutcomeDecided(subject_id="cp-1", outcome=Outcome.INSUFFICIENT))
    t.act(date(2025, 12, 15), LetterSent(letter_id="n", template="ss-capability-notice"))
    found = t.act(date(2025, 12, 16), CapabilityStarted(reason="No improvement"))
    assert t.rule_ids(found) == ["ss-concerns-implications"]


def test_001_s4_6_a_review_finds_improvement_sufficient_or_insufficient() -> None:
    s = ss()
    concerns_meeting(s, date(2025, 11, 17))
    s.act(date(2025, 11, 17), plan(date(2025, 11, 17), date(2025, 12, 15)))
    with pytest.raises(ActRefusedByRule, match="sufficient or insufficient"):
        s.act(date(2025, 12, 15), OutcomeDecided(subject_id="cp-1", outcome=Outcome.SUCCESSFUL))
    s.act(date(2025, 12, 15), OutcomeDecided(subject_id="cp-1", outcome=Outcome.INSUFFICIENT))
    assert s.case.stage is Ladder.INFORMAL_SUPPORT
    s.act(date(2025, 12, 15), OutcomeDecided(subject_id="cp-1", outcome=Outcome.SUFFICIENT))
    assert s.case.stage is Ladder.NORMAL_CYCLE


def test_001_s4_6_s5_1_capability_follows_a_review_finding_progress_insufficient() -> None:
    s = ss()
    concerns_meeting(s, date(2025, 11, 17))
    s.act(date(2025, 11, 17), plan(date(2025, 11, 17), date(2025, 12, 15)))
    s.act(date(2025, 11, 18), LetterSent(letter_id="n", template="ss-capability-notice"))
    found = s.act(date(2025, 11, 19), CapabilityStarted(reason="Impatient"))
    assert s.rule_ids(found) == ["ss-capability-via-concerns"]
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    t = ss()
    into_capability(t, date(2025, 12, 15))
    assert t.findings == []


def test_001_s5_1_written_notice_that_performance_management_no_longer_applies() -> None:
    s = ss()
    concerns_meeting(s, date(2025, 11, 17))
    s.act(date(2025, 11, 17), plan(date(2025, 11, 17), date(2025, 12, 15)))
    s.act(date(2025, 12, 15), OutcomeDecided(subject_id="cp-1", outcome=Outcome.INSUFFICIENT))
    s.act(date(2025, 12, 15), LetterSent(letter_id="other", template="meeting-notes"))
    found = s.act(date(2025, 12, 16), CapabilityStarted(reason="No improvement"))
    assert s.rule_ids(found) == ["ss-capability-written-notice"]
    assert found[0].severity.value == "major"


def test_001_s5_2_only_the_headteacher_ends_capability() -> None:
    s = ss()
    into_capability(s, date(2025, 12, 15))
    ended = CapabilityEnded(reason="Standard reached")
    breach(s.check(date(2026, 3, 2), ended, by=REVIEWER), "ss-capability-end-ht", MAJOR)
    s.act(date(2026, 3, 2), CapabilityEnded(reason="Standard reached"), by=HEAD)
    assert s.case.stage is Ladder.NORMAL_CYCLE


def test_001_s5_2_warnings_only_within_capability_and_by_its_decision_makers() -> None:
    s = ss()
    written = WarningIssued(warning_id="w1", warning_kind=WarningKind.WRITTEN)
    finding(s.check(date(2025, 12, 1), written), "does not belong at stage", Severity.MAJOR)
    into_capability(s, date(2025, 12, 15))
    breach(s.check(date(2026, 1, 12), written, by=REVIEWER), "ss-warning-in-capability", MAJOR)
    s.act(date(2026, 1, 12), written, by=HEAD)
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    s.act(date(2026, 3, 2), WarningIssued(warning_id="w2", warning_kind=WarningKind.FINAL_WRITTEN))
    assert s.case.stage is Ladder.FORMAL_STAGE_2


def test_001_s5_2_a_written_warning_issued_29_february_lives_12_months() -> None:
    s = ss(opened_on=date(2024, 2, 1))
    into_capability(s, date(2024, 2, 26))
    s.act(date(2024, 2, 29), WarningIssued(warning_id="w1", warning_kind=WarningKind.WRITTEN))
    months = dict(PACK.warning_months)
    assert [w.warning_id for w in s.case.live_warnings(date(2025, 2, 27), months)] == ["w1"]
    assert s.case.live_warnings(date(2025, 2, 28), months) == []


def test_001_s5_2_a_final_written_warning_issued_29_february_lives_two_years() -> None:
    s = ss(opened_on=date(2024, 2, 1))
    into_capability(s, date(2024, 2, 26))
    s.act(date(2024, 2, 29), WarningIssued(warning_id="f1", warning_kind=WarningKind.FINAL_WRITTEN))
    months = dict(PACK.warning_months)
    assert [w.warning_id for w in s.case.live_warnings(date(2026, 2, 27), months)] == ["f1"]
    assert s.case.live_warnings(date(2026, 2, 28), months) == []
    s.act(
        date(2024, 6, 3),
        WarningReduced(warning_id="f1", new_kind=WarningKind.WRITTEN, reason="appeal"),
    )
    assert [w.warning_id for w in s.case.live_warnings(date(2025, 2, 27), months)] == ["f1"]
    assert s.case.live_warnings(date(2025, 2, 28), months) == []


def _after_a_written_warning() -> Script:
    """Capability with a written warning, then ended by the Headteacher: the warning lives on."""
    s = ss()
    into_capability(s, date(2025, 9, 15))
    s.act(date(2025, 10, 6), WarningIssued(warning_id="w1", warning_kind=WarningKind.WRITTEN))
    s.act(date(2025, 12, 1), CapabilityEnded(reason="Standard reached"))
    return s


def test_001_s5_2_concerns_inside_a_live_warning_go_through_s4_6_first() -> None:
    s = _after_a_written_warning()
    s.act(date(2026, 2, 2), LetterSent(letter_id="n2", template="ss-capability-notice"))
    found = s.act(
        date(2026, 2, 3),
        CapabilityStarted(reason="Again", basis=CapabilityBasis.RECURRENCE_IN_WARNING),
    )
    (recurrence,) = [f for f in found if f.rule.id == "ss-recurrence-concerns-first"]
    assert "no concerns meeting and no progress review since capability ended" in recurrence.message
    assert recurrence.severity.value == "major"
    t = _after_a_written_warning()
    into_capability(t, date(2026, 2, 2), basis=CapabilityBasis.RECURRENCE_IN_WARNING)
    assert [f.rule.id for f in t.findings] == []


def test_001_s5_2_the_next_stage_applies_inside_a_live_written_warning() -> None:
    s = _after_a_written_warning()
    into_capability(s, date(2026, 2, 2))
    unexplained(s.findings, "next stage", Severity.MAJOR)
    t = _after_a_written_warning()
    into_capability(t, date(2026, 2, 2), basis=CapabilityBasis.RECURRENCE_IN_WARNING)
    assert t.case.stage is Ladder.FORMAL_STAGE_2
    unexplained(
        t.check(date(2026, 3, 2), WarningIssued(warning_id="w2", warning_kind=WarningKind.WRITTEN)),
        "final written warning, not another",
        Severity.MAJOR,
    )
    assert (
        t.act(
            date(2026, 3, 2), WarningIssued(warning_id="w2", warning_kind=WarningKind.FINAL_WRITTEN)
        )
        == []
    )


def test_001_s5_2_the_next_stage_is_claimed_only_inside_a_live_warning() -> None:
    s = ss()
    into_capability(s, date(2025, 12, 15), basis=CapabilityBasis.RECURRENCE_IN_WARNING)
    finding(s.findings, "no warning is live on 2025-12-15", Severity.MAJOR)
    late = _after_a_written_warning()
    # The written warning of 6 October 2025 has expired on 6 October 2026.
    into_capability(late, date(2026, 10, 6))
    assert late.case.stage is Ladder.FORMAL_STAGE_1


def test_001_s5_2_after_a_final_written_warning_the_next_stage_is_beyond_warnings() -> None:
    s = ss()
    into_capability(s, date(2025, 9, 15))
    s.act(date(2025, 10, 6), WarningIssued(warning_id="f1", warning_kind=WarningKind.FINAL_WRITTEN))
    s.act(date(2025, 12, 1), CapabilityEnded(reason="Standard reached"))
    into_capability(s, date(2026, 2, 2), basis=CapabilityBasis.RECURRENCE_IN_WARNING)
    unexplained(
        s.check(
            date(2026, 3, 2), WarningIssued(warning_id="f2", warning_kind=WarningKind.FINAL_WRITTEN)
        ),
        "beyond warnings",
        Severity.MAJOR,
    )


def test_001_s5_dismissal_only_at_the_final_stage_by_the_dismissal_roles() -> None:
    s = ss()
    into_capability(s, date(2025, 9, 15))
    dismissal = Dismissed(
        effective_on=date(2026, 4, 30), notice_weeks=4, alternatives_considered=True, reasons="r"
    )
    finding(s.check(date(2026, 3, 2), dismissal), "does not belong at stage", Severity.CRITICAL)
    s.act(date(2026, 1, 12), WarningIssued(warning_id="f1", warning_kind=WarningKind.FINAL_WRITTEN))
    found = s.check(date(2026, 3, 2), dismissal, by=REVIEWER)
    breach(found, "ss-dismissal-invariant", Severity.CRITICAL)
    s.act(date(2026, 3, 2), dismissal, by=HEAD)
    assert s.case.stage is Ladder.DISMISSED
    finding(
        s.check(date(2026, 3, 3), ConcernRaised(concern_id="c-9", areas=("x",)), by=EMPLOYEE),
        "does not belong at stage",
        Severity.MAJOR,
    )
