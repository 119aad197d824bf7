"""STAR MAT Developing Performance (seed 003): scope, entry, stages and the whole journey.

One test per rule, named after its section; the meetings, the plan and the outcomes have their
own files. Cases start from the compliant case in `star_case` and change one thing.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.script import EMPLOYEE, GOVERNOR, HEAD, HR, finding, unexplained
from tests.policies.star_case import Case, flat, plan

from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import AppealGround, AppealLodged
from pmledger.events.case_acts import EmploymentStatusChanged, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import ConcernCategory, ConcernRaised, EmployeeConcernRaised
from pmledger.events.sanction_acts import (
    CapabilityBasis,
    CapabilityStarted,
    WarningIssued,
    WarningKind,
)
from pmledger.events.support_acts import MonitoringRoleAssigned, Outcome, OutcomeDecided
from pmledger.policies.judgement import (
    ActRefusedByRule,
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs import star_developing_performance as star_module
from pmledger.policies.registry import current_pack

DIGEST_RULES = {
    "st-scope",
    "st-scope-misconduct",
    "st-pm-first",
    "st-pattern",
    "st-one-to-one-then-writing",
    "st-policy-copy",
    "st-letter-1",
    "st-initial-notice-5wd",
    "st-draft-plan",
    "st-companion-right",
    "st-companion-status",
    "st-companion-not-monitor",
    "st-no-recording",
    "st-process-overview",
    "st-consequences-explained",
    "st-plan-confirmed-letter-2",
    "st-plan-contents",
    "st-plan-smart",
    "st-plan-signed",
    "st-weighting-disclosed",
    "st-timescale",
    "st-interim-review",
    "st-monitor-support-separate",
    "st-roles-confirmed",
    "st-named-work-contact",
    "st-plan-amendment",
    "st-review-per-plan",
    "st-evidence-in-advance",
    "st-letter-3",
    "st-capability-likely-warned",
    "st-outcome-values",
    "st-outcome-letter",
    "st-partial-further-period",
    "st-period-limit",
    "st-unsuccessful-capability",
    "st-direct-capability",
    "st-sickness",
    "st-notes-to-employee",
    "st-access",
    "st-lead-role",
    "st-concerns-within-process",
}


def test_003_s4_3_every_digest_rule_is_judged_or_listed_as_not_yet_judged() -> None:
    pack = current_pack("star-developing-performance")
    judged = {rule.ref.id for rule in pack.rules}
    waiting = {rule_id for rule_id, _ in star_module.NOT_YET_JUDGED}
    assert len(DIGEST_RULES) == 41
    assert judged | waiting == DIGEST_RULES | {"st-period-limit-fourth"}
    assert not judged & waiting
    assert all(rule.ref.source.startswith("003 ") for rule in pack.rules)
    assert pack.version == "2025.3"


def test_003_a_compliant_case_from_concern_to_successful_review_has_no_findings() -> None:
    case = Case()
    assert flat(case.run()) == []
    assert case.file.stage is Ladder.INFORMAL_SUPPORT
    assert case.decide(Outcome.SUCCESSFUL) == []
    assert case.file.stage is Ladder.NORMAL_CYCLE
    statuses = {d.rule.id: d.status for d in case.script.deadlines(date(2025, 12, 1))}
    # The optional half-way interim review was not held: lapsed, which is not a finding.
    assert statuses == {
        "st-initial-notice-5wd": DeadlineStatus.MET,
        "st-interim-review": DeadlineStatus.LAPSED,
    }
    assert case.script.findings == []


@pytest.mark.parametrize(
    "opening", [{"in_probation": True}, {"apprentice": True}, {"ect_induction": True}]
)
def test_003_s1_1_out_of_scope_staff_are_refused(opening: dict[str, object]) -> None:
    with pytest.raises(ActRefusedByRule, match="does not apply"):
        Case(opening=opening)


def test_003_s1_1_probation_excludes_only_support_staff() -> None:
    teacher = Case(StaffGroup.TEACHER, opening={"in_probation": True})
    assert flat(teacher.run("invite")) == []


def test_003_s1_1_scope_is_judged_again_when_the_procedure_starts() -> None:
    case = Case()
    case.act(
        date(2025, 9, 1),
        EmploymentStatusChanged(field="apprentice", value="true", effective_on=date(2025, 9, 1)),
        by=HR,
    )
    with pytest.raises(ActRefusedByRule, match="does not apply to apprentices"):
        case.run("invite")
    assert case.file.stage is Ladder.NORMAL_CYCLE
    case.act(
        date(2025, 9, 10),
        EmploymentStatusChanged(field="apprentice", value="false", effective_on=date(2025, 9, 10)),
        by=HR,
    )
    assert case.run("invite", start="invite") == {"invite": []}


def test_003_s1_1_misconduct_goes_to_its_own_policy() -> None:
    case = Case()
    finding(
        case.check(
            date(2025, 9, 8),
            ConcernRaised(
                concern_id="c", category=ConcernCategory.ATTENDANCE, areas=("timekeeping",)
            ),
        ),
        "own policies",
        Severity.MAJOR,
    )
    case.act(date(2025, 9, 8), ConcernRaised(concern_id="c", areas=("invoicing",)))
    assert case.file.concerns.keys() == {"c"}


def test_003_s2_1_s4_1_starting_without_a_performance_management_concern_needs_a_reason() -> None:
    case = Case()
    case.run("invite", skip={"concern"})
    unexplained(case.script.findings, "without a concern recorded", Severity.MINOR)
    case = Case()
    found = case.run(
        "invite", start="invite", reasons={"invite": "Concern raised by an external auditor"}
    )
    assert found == {"invite": ["st-pm-first"]}
    assert case.script.findings[-1].deviated


def test_003_s2_1_a_concern_from_an_earlier_episode_does_not_start_a_new_one() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.SUCCESSFUL)
    case.run("invite", start="invite", on={"invite": date(2026, 3, 2)})
    unexplained(case.script.findings, "st-pm-first", Severity.MINOR)


def test_003_s4_1_the_initial_meeting_needs_a_recorded_pattern_of_underperformance() -> None:
    case = Case()
    found = case.run("initial", change={"concern": {"pattern_evidence": ""}})
    assert flat(found) == ["st-pattern"]
    later = Case()
    later.run("invite", change={"concern": {"pattern_evidence": ""}})
    later.act(
        date(2025, 9, 12),
        ConcernRaised(concern_id="c-2", areas=("invoicing",), pattern_evidence="Audit sample"),
    )
    assert later.run("initial", start="initial") == {"initial": []}


def test_003_s4_1_a_1_to_1_conversation_comes_first_and_letter_1_follows_it_up() -> None:
    case = Case()
    found = case.run("initial", skip={"conversation"})
    assert found["initial"] == ["st-one-to-one-then-writing"]
    assert "no 1:1 confidential conversation" in case.script.findings[-1].message
    late = Case()
    late.run("invite", skip={"conversation"})
    late.act(
        date(2025, 9, 11),
        MeetingHeld(meeting_id="121", purpose=MeetingPurpose.ONE_TO_ONE, chair_person_id="lm-1"),
    )
    assert late.run("initial", start="initial") == {"initial": ["st-one-to-one-then-writing"]}
    assert "came before the 1:1 conversation" in late.script.findings[-1].message


def test_003_s5_initial_meeting_needs_5_working_days_notice_across_a_bank_holiday() -> None:
    # Meeting Tuesday 6 May 2025; Monday 5 May is the early May bank holiday, so the fifth
    # working day before is Monday 28 April.
    early, late = Case(), Case()
    changed = {"invite": {"scheduled_for": date(2025, 5, 6)}}
    assert early.run("invite", change=changed, on={"invite": date(2025, 4, 28)})["invite"] == []
    found = late.run("invite", change=changed, on={"invite": date(2025, 4, 29)})
    assert found["invite"] == ["st-initial-notice-5wd"]
    assert "sent by 2025-04-28" in late.script.findings[-1].message
    (deadline,) = late.script.deadlines(date(2025, 5, 6))
    assert deadline.status is DeadlineStatus.MISSED
    assert deadline.due_on == date(2025, 4, 28)


@pytest.mark.parametrize(
    ("meeting", "latest"),
    [
        # Christmas: 25, 26 Dec and 1 Jan are bank holidays; school holidays still count.
        (date(2026, 1, 5), date(2025, 12, 24)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (date(2026, 4, 8), date(2026, 3, 30)),
    ],
)
def test_003_s5_notice_counts_working_days_over_christmas_and_easter(
    meeting: date, latest: date
) -> None:
    changed = {"invite": {"scheduled_for": meeting}}
    on_time, short = Case(), Case()
    assert on_time.run("invite", change=changed, on={"invite": latest})["invite"] == []
    found = short.run(
        "invite", change=changed, on={"invite": date.fromordinal(latest.toordinal() + 1)}
    )
    assert found["invite"] == ["st-initial-notice-5wd"]


def test_003_app1_s9_the_suggested_lead_starts_the_procedure_or_a_reason_is_given() -> None:
    case = Case()
    case.run("invite", by={"invite": HR})
    unexplained(case.script.findings, "line_manager", Severity.MINOR)
    assert Case().run("invite", by={"invite": HEAD})["invite"] == []
    headteacher = Case(StaffGroup.HEADTEACHER)
    assert headteacher.run("invite", by={"invite": GOVERNOR})["invite"] == []
    senior = Case(StaffGroup.SENIOR_LEADER)
    deputy = Actor(person_id="dh-1", role=Role.DEPUTY_HEADTEACHER)
    found = senior.run("invite", by={"invite": deputy}, reasons={"invite": "Headteacher absent"})
    assert found["invite"] == ["st-lead-role"]


def test_003_app1_s9_the_named_line_manager_may_lead_whatever_their_role() -> None:
    case = Case(StaffGroup.SENIOR_LEADER, opening={"line_manager_person_id": "dhd-1"})
    deputy = Actor(person_id="dhd-1", role=Role.SLT)
    steps = ("concern", "conversation", "draft", "invite")
    assert case.run("invite", by=dict.fromkeys(steps, deputy))["invite"] == []


def test_003_s2_1_capability_without_developing_performance_needs_a_reason() -> None:
    case = Case()
    direct = CapabilityStarted(basis=CapabilityBasis.DIRECT, reason="Payroll errors")
    unexplained(case.check(date(2025, 10, 1), direct), "without first using", Severity.MAJOR)
    case.act(date(2025, 10, 1), direct, reason="service delivery significantly affected")
    assert case.file.stage is Ladder.FORMAL_STAGE_1
    midway = Case()
    midway.run("letter-2")
    unexplained(
        midway.check(date(2025, 10, 1), CapabilityStarted(reason="Serious errors")),
        "to its review outcome",
        Severity.MAJOR,
    )


def test_003_s1_3_no_appeal_against_developing_performance_but_concerns_are_raised_within() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.UNSUCCESSFUL, reason=None)
    decision = case.versions["decision"]
    with pytest.raises(ActRefusedByRule, match="no appeal"):
        case.act(
            date(2025, 11, 10),
            AppealLodged(appeal_id="a-1", against_version=decision, grounds=(AppealGround.OTHER,)),
            by=EMPLOYEE,
        )
    assert (
        case.act(date(2025, 11, 10), EmployeeConcernRaised(about="Unfair review"), by=EMPLOYEE)
        == []
    )
    case.act(date(2025, 11, 6), CapabilityStarted(reason="Unsuccessful review"))
    case.act(date(2026, 1, 12), WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN))
    appeal = AppealLodged(
        appeal_id="a-2", against_version=case.script.version, grounds=(AppealGround.OTHER,)
    )
    assert case.act(date(2026, 1, 14), appeal, by=EMPLOYEE) == []


def test_003_acts_about_a_plan_that_does_not_exist_are_refused() -> None:
    case = Case()
    with pytest.raises(ActRefusedByRule, match="there is no plan x"):
        case.act(date(2025, 10, 1), OutcomeDecided(subject_id="x", outcome=Outcome.SUCCESSFUL))
    finding(
        case.check(
            date(2025, 10, 1),
            MonitoringRoleAssigned(plan_id="sp-1", person_id="mon-1", role="monitor"),
        ),
        "does not belong at stage 'appraisal'",
        Severity.MAJOR,
    )
    case.act(date(2025, 9, 8), ConcernRaised(concern_id="c", areas=("invoicing",)))
    case.act(date(2025, 9, 22), plan(date(2025, 9, 23), date(2025, 11, 4)))
    assert case.file.stage is Ladder.INFORMAL_SUPPORT


def test_003_s2_1_an_invitation_to_another_meeting_does_not_start_the_procedure() -> None:
    case = Case()
    case.act(
        date(2025, 9, 10),
        MeetingInvited(
            meeting_id="appraisal",
            purpose=MeetingPurpose.MID_YEAR_REVIEW,
            scheduled_for=date(2025, 9, 24),
        ),
    )
    assert case.file.stage is Ladder.NORMAL_CYCLE
