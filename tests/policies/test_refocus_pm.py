"""ReFocus Performance Management (seed 000): targets, roles, bonuses, development requests,
concerns and the stage machine. One test per rule at least, named after its section."""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.refocus_pm_script import (
    hold,
    open_cycle,
    refocus,
    rows,
    target,
    targets_set,
)
from tests.policies.script import (
    EMPLOYEE,
    HEAD,
    LINE_MANAGER,
    REVIEWER,
    Script,
    breach,
    finding,
    unexplained,
)

from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import AppealLodged
from pmledger.events.case_acts import DevelopmentRequestDecided as Decided
from pmledger.events.case_acts import (
    DevelopmentRequested,
    ObjectivesApproved,
    ObjectivesRevised,
    ReviewerAssigned,
    StaffGroup,
)
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.pay_acts import BonusDecided
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.sanction_acts import (
    CapabilityBasis,
    CapabilityEnded,
    CapabilityStarted,
    Dismissed,
    WarningIssued,
    WarningKind,
)
from pmledger.events.support_acts import (
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
from pmledger.policies.packs.refocus_pm import NOT_YET_JUDGED, PACK, development_request_status
from pmledger.policies.registry import current_pack

GOVERNOR = Actor(person_id="gov-2", role=Role.GOVERNOR)
COMMITTEE = Actor(person_id="gov-3", role=Role.GOVERNOR_COMMITTEE)
SLT = Actor(person_id="slt-1", role=Role.SLT)
DEPUTY = Actor(person_id="dht-1", role=Role.DEPUTY_HEADTEACHER)
ADMIN = Actor(person_id="adm-1", role=Role.ADMINISTRATOR)


def informal_plan(review_on: date = date(2025, 11, 21), **extra: object) -> SupportPlanAgreed:
    fields: dict[str, object] = {
        "plan_id": "ip-1",
        "plan_kind": PlanKind.INFORMAL_SUPPORT,
        "concern_id": "c-1",
        "starts_on": date(2025, 10, 13),
        "review_on": review_on,
        "targets": (target(1),),
        "confirms": ("feedback_given",),
    }
    fields.update(extra)
    return SupportPlanAgreed.model_validate(fields)


def in_informal_support() -> Script:
    s = refocus()
    s.act(date(2025, 10, 6), ConcernRaised(concern_id="c-1", areas=("marking",)), by=REVIEWER)
    s.act(date(2025, 10, 10), informal_plan(), by=REVIEWER)
    return s


def test_000_pack_is_registered_with_its_stages_and_gaps_listed() -> None:
    assert current_pack("refocus-pm") is PACK
    assert PACK.version == "2025.3"
    assert PACK.reachable == {
        Ladder.NORMAL_CYCLE,
        Ladder.INFORMAL_SUPPORT,
        Ladder.FORMAL_STAGE_1,
    }
    assert set(PACK.stage_words) == PACK.reachable
    ids = {rule.ref.id for rule in PACK.rules}
    assert {rule_id for rule_id, _ in NOT_YET_JUDGED} <= ids
    assert not PACK.warning_months, "000 has no warnings, so no durations"


# §3 ------------------------------------------------------------------------------------------


def test_000_s3_usually_three_targets_another_number_needs_a_reason() -> None:
    s = refocus()
    open_cycle(s)
    unexplained(
        s.check(date(2025, 9, 15), targets_set(4), by=REVIEWER),
        "usual for 3 appraisal targets",
        Severity.MINOR,
    )
    found = s.act(
        date(2025, 9, 15), targets_set(4), by=REVIEWER, reason="fourth target for the TLR"
    )
    assert s.rule_ids(found) == ["rf-targets-usual-3"]
    assert found[0].deviated
    unexplained(
        s.check(
            date(2025, 9, 22),
            ObjectivesRevised(cycle_id="2025-26", objectives=(target(1),), reason="merged"),
            by=REVIEWER,
        ),
        "usual for 3",
        Severity.MINOR,
    )
    assert s.act(date(2025, 9, 16), targets_set(3), by=REVIEWER) == []


def test_000_s3_targets_must_be_time_bound_and_confirmed_smart() -> None:
    s = refocus()
    open_cycle(s)
    untimed = targets_set(objectives=(target(1), target(2, due_on=None), target(3)), confirms=())
    found = s.act(date(2025, 9, 15), untimed, by=REVIEWER)
    assert s.rule_ids(found) == ["rf-targets-smart", "rf-targets-smart"]
    assert "t2 have neither a due date nor milestones" in found[0].message
    assert "smart_confirmed" in found[1].message
    milestones = targets_set(
        objectives=(target(1), target(2, due_on=None, milestones=("March interviews",)), target(3))
    )
    assert s.act(date(2025, 9, 16), milestones, by=REVIEWER) == []


def test_000_s4_targets_must_be_recorded_with_success_criteria() -> None:
    s = refocus()
    open_cycle(s)
    blank = targets_set(objectives=(target(1), target(2, success_criteria="  "), target(3)))
    found = s.act(date(2025, 9, 15), blank, by=REVIEWER)
    assert s.rule_ids(found) == ["rf-targets-success-criteria"]
    assert s.act(date(2025, 9, 16), targets_set(), by=REVIEWER) == []


# §4 ------------------------------------------------------------------------------------------


def test_000_s4_targets_are_set_in_september_of_the_cycle() -> None:
    early = refocus(opened_on=date(2025, 7, 1))
    open_cycle(early, on=date(2025, 7, 1))
    found = early.act(date(2025, 7, 18), targets_set(), by=REVIEWER)
    assert early.rule_ids(found) == ["rf-targets-september"]
    assert "before 2025-09-01" in found[0].message

    on_time = refocus()
    open_cycle(on_time)
    assert on_time.act(date(2025, 9, 30), targets_set(), by=REVIEWER) == []
    (row,) = rows(on_time, "rf-targets-september", date(2025, 10, 1))
    assert (row.due_on, row.status) == (date(2025, 9, 30), DeadlineStatus.MET)

    late = refocus()
    open_cycle(late)
    (row,) = rows(late, "rf-targets-september", date(2025, 10, 1))
    assert row.status is DeadlineStatus.OVERDUE
    late.act(date(2025, 10, 1), targets_set(), by=REVIEWER)
    (row,) = rows(late, "rf-targets-september", date(2025, 10, 2))
    assert row.status is DeadlineStatus.MISSED


def test_000_s4_a_part_year_starter_has_no_september_window() -> None:
    s = refocus(opened_on=date(2026, 1, 5))
    open_cycle(s, on=date(2026, 1, 5), cycle_id="new-starter", starts=date(2026, 1, 5))
    assert rows(s, "rf-targets-september", date(2026, 3, 1)) == []
    assert s.act(date(2026, 1, 20), targets_set(cycle_id="new-starter"), by=REVIEWER) == []


def test_000_s4_targets_are_agreed_by_the_headteacher_or_a_deputy() -> None:
    s = refocus()
    open_cycle(s)
    s.act(date(2025, 9, 15), targets_set(), by=REVIEWER)
    targets_version = s.version
    approval = ObjectivesApproved(cycle_id="2025-26", objectives_version=targets_version)
    for actor in (REVIEWER, SLT):
        finding(
            s.check(date(2025, 9, 19), approval, by=actor),
            f"not {actor.role.value}",
            Severity.MAJOR,
        )
    with pytest.raises(AccessDenied, match="objectives_approved"):  # a governor has no part
        s.check(date(2025, 9, 19), approval, by=GOVERNOR)
    with pytest.raises(ActRefusedByRule, match="not a target record"):
        s.act(date(2025, 9, 19), approval.model_copy(update={"objectives_version": 1}), by=DEPUTY)
    with pytest.raises(ActRefusedByRule, match="no targets to agree"):
        s.act(date(2025, 9, 19), approval.model_copy(update={"cycle_id": "2024-25"}), by=HEAD)
    assert s.act(date(2025, 9, 19), approval, by=DEPUTY) == []
    assert s.act(date(2025, 9, 22), approval, by=HEAD) == []


def test_000_s4_targets_are_agreed_by_mid_point_review_1() -> None:
    unagreed = refocus()
    open_cycle(unagreed)
    unagreed.act(date(2025, 9, 15), targets_set(), by=REVIEWER)
    found = hold(unagreed, date(2025, 12, 2), "mid-1", MeetingPurpose.MID_YEAR_REVIEW)
    assert unagreed.rule_ids(found) == ["rf-targets-approved"]
    assert "not agreed by the Headteacher or a Deputy Headteacher" in found[0].message
    # Only review 1 is the checkpoint: review 2 finds nothing new.
    assert hold(unagreed, date(2026, 3, 24), "mid-2", MeetingPurpose.MID_YEAR_REVIEW) == []

    revised = refocus()
    open_cycle(revised)
    revised.act(date(2025, 9, 15), targets_set(), by=REVIEWER)
    approval = ObjectivesApproved(cycle_id="2025-26", objectives_version=revised.version)
    revised.act(date(2025, 9, 19), approval, by=DEPUTY)
    revised.act(
        date(2025, 10, 6),
        ObjectivesRevised(
            cycle_id="2025-26", objectives=(target(1), target(2), target(4)), reason="new role"
        ),
        by=REVIEWER,
    )
    revision = revised.version
    found = hold(revised, date(2025, 12, 2), "mid-1", MeetingPurpose.MID_YEAR_REVIEW)
    assert f"(version {revision})" in found[0].message, "the revision is current, unapproved"

    agreed = refocus()
    open_cycle(agreed)
    agreed.act(date(2025, 9, 15), targets_set(), by=REVIEWER)
    agreed.act(
        date(2025, 9, 19),
        ObjectivesApproved(cycle_id="2025-26", objectives_version=agreed.version),
        by=HEAD,
    )
    assert hold(agreed, date(2025, 12, 2), "mid-1", MeetingPurpose.MID_YEAR_REVIEW) == []


def test_000_s4_term_bonus_follows_its_mid_point_review() -> None:
    s = refocus()
    open_cycle(s)
    bonus_1 = BonusDecided(cycle_id="2025-26", term=1, awarded=True, amount="250.00")
    found = s.act(date(2025, 11, 28), bonus_1)
    assert s.rule_ids(found) == ["rf-bonus-evidence"]
    hold(s, date(2025, 12, 2), "mid-1", MeetingPurpose.MID_YEAR_REVIEW)
    # The committee's co-signature is the same decision, judged once.
    assert s.act(date(2025, 12, 12), bonus_1, by=COMMITTEE) == []
    bonus_2 = bonus_1.model_copy(update={"term": 2})
    found = s.act(date(2026, 1, 9), bonus_2)
    assert "mid-point review 2 of 2025-26" in found[0].message

    t = refocus()
    open_cycle(t)
    hold(t, date(2025, 12, 2), "mid-1", MeetingPurpose.MID_YEAR_REVIEW)
    hold(t, date(2026, 3, 24), "mid-2", MeetingPurpose.MID_YEAR_REVIEW)
    assert t.act(date(2026, 4, 17), bonus_2) == []


# §5 ------------------------------------------------------------------------------------------


def test_000_s5_slt_performance_management_is_conducted_by_the_headteacher() -> None:
    s = refocus(staff_group=StaffGroup.SENIOR_LEADER, reviewer=None)
    deputy = refocus(staff_group=StaffGroup.SENIOR_LEADER, reviewer=None)
    open_cycle(deputy, reviewer="dht-1")
    finding(deputy.findings, "conducted by the Headteacher", Severity.MAJOR)
    open_cycle(s, reviewer="ht-1")
    finding(
        s.check(date(2025, 9, 8), ReviewerAssigned(reviewer_person_id="lm-1")),
        "not lm-1",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 9, 8), ReviewerAssigned(reviewer_person_id="ht-1")) == []
    teacher = refocus()
    assert open_cycle(teacher, reviewer="lm-1") == []


def test_000_s5_the_headteacher_allocates_appraisers() -> None:
    s = refocus()
    by_line_manager = refocus()
    open_cycle(by_line_manager, by=LINE_MANAGER)
    finding(by_line_manager.findings, "line_manager cannot record cycle_opened", Severity.MAJOR)
    assert open_cycle(s, by=ADMIN) == []
    finding(
        s.check(date(2025, 9, 8), ReviewerAssigned(reviewer_person_id="lm-2"), by=ADMIN),
        "the Headteacher allocates",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 9, 8), ReviewerAssigned(reviewer_person_id="lm-2"), by=HEAD) == []
    assert s.case.reviewer_person_id == "lm-2"


def test_000_s5_bonus_decisions_by_the_headteacher_and_governor_committee() -> None:
    s = refocus()
    open_cycle(s)
    hold(s, date(2025, 12, 2), "mid-1", MeetingPurpose.MID_YEAR_REVIEW)
    bonus = BonusDecided(cycle_id="2025-26", term=1, awarded=True, amount="250.00")
    for actor in (REVIEWER, LINE_MANAGER, EMPLOYEE):
        found = s.check(date(2025, 12, 12), bonus, by=actor)
        breach(found, "rf-bonus-decision", Severity.MAJOR, "governor_committee or headteacher")
    for unrelated in (SLT, GOVERNOR):  # no part in a bonus: access control refuses them
        with pytest.raises(AccessDenied, match="bonus_decided"):
            s.check(date(2025, 12, 12), bonus, by=unrelated)
    assert s.act(date(2025, 12, 12), bonus, by=HEAD) == []
    (row,) = rows(s, "rf-bonus-decision", date(2026, 9, 1))
    assert (row.due_on, row.status) == (date(2026, 8, 31), DeadlineStatus.OVERDUE)
    assert "co-signed by the governor committee" in row.description
    finding(
        s.check(date(2025, 12, 15), bonus, by=HEAD),
        "headteacher has already signed",
        Severity.MAJOR,
    )
    finding(
        s.check(date(2025, 12, 15), bonus.model_copy(update={"amount": "300.00"}), by=COMMITTEE),
        "must confirm the decision signed on 2025-12-12",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 12, 15), bonus, by=COMMITTEE) == []
    (row,) = rows(s, "rf-bonus-decision", date(2026, 9, 1))
    assert (row.status, row.done_on) == (DeadlineStatus.MET, date(2025, 12, 15))


# §9 ------------------------------------------------------------------------------------------


def test_000_s9_informal_support_starts_with_feedback_and_moves_the_stage() -> None:
    s = refocus()
    found = s.act(date(2025, 10, 10), informal_plan(confirms=()), by=REVIEWER)
    assert s.rule_ids(found) == ["rf-informal-support-content"]
    assert s.case.stage is Ladder.INFORMAL_SUPPORT
    assert "informal support" in PACK.words(s.case.stage)
    t = refocus()
    assert t.act(date(2025, 10, 10), informal_plan(), by=REVIEWER) == []


def test_000_s9_monitoring_review_deadlines_over_christmas_and_re_dated() -> None:
    s = refocus()
    s.act(date(2025, 12, 12), informal_plan(review_on=date(2026, 1, 9)), by=REVIEWER)
    (row,) = rows(s, "rf-review-deadlines", date(2026, 1, 9))
    assert (row.due_on, row.status) == (date(2026, 1, 9), DeadlineStatus.OPEN)
    (row,) = rows(s, "rf-review-deadlines", date(2026, 1, 12))
    assert row.status is DeadlineStatus.OVERDUE
    s.act(date(2026, 1, 12), MonitoringReviewed(plan_id="ip-1", progress=Progress.SOME_PROGRESS))
    (row,) = rows(s, "rf-review-deadlines", date(2026, 1, 12))
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2026, 1, 12))

    re_dated = refocus()
    re_dated.act(date(2025, 12, 12), informal_plan(review_on=date(2026, 1, 9)), by=REVIEWER)
    re_dated.act(
        date(2026, 1, 7),
        SupportPlanRevised(plan_id="ip-1", review_on=date(2026, 2, 6), reason="mentor absent"),
    )
    first, second = rows(re_dated, "rf-review-deadlines", date(2026, 2, 9))
    assert (first.status, first.done_on) == (DeadlineStatus.MET, date(2026, 1, 7))
    assert (second.due_on, second.status) == (date(2026, 2, 6), DeadlineStatus.OVERDUE)


def test_000_s9_informal_support_ends_sufficient_or_insufficient() -> None:
    s = in_informal_support()
    with pytest.raises(ActRefusedByRule, match="sufficient or insufficient"):
        s.act(date(2025, 11, 21), OutcomeDecided(subject_id="ip-1", outcome=Outcome.IMPROVED))
    s.act(date(2025, 11, 21), OutcomeDecided(subject_id="ip-1", outcome=Outcome.SUFFICIENT))
    assert s.case.stage is Ladder.NORMAL_CYCLE
    t = in_informal_support()
    t.act(date(2025, 11, 21), OutcomeDecided(subject_id="ip-1", outcome=Outcome.INSUFFICIENT))
    assert t.case.stage is Ladder.INFORMAL_SUPPORT


def test_000_s9_capability_only_after_informal_support_found_insufficient() -> None:
    start = CapabilityStarted(basis=CapabilityBasis.AFTER_SUPPORT, reason="No progress")
    s = in_informal_support()
    unexplained(s.check(date(2025, 11, 21), start), "without a concern", Severity.MINOR)
    s.act(date(2025, 11, 21), OutcomeDecided(subject_id="ip-1", outcome=Outcome.INSUFFICIENT))
    assert s.act(date(2025, 11, 24), start) == []
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    s.act(date(2026, 2, 2), CapabilityEnded(reason="standard reached"))
    assert s.case.stage_history[-1][1] is Ladder.NORMAL_CYCLE

    direct = refocus()
    found = direct.act(
        date(2025, 11, 24),
        CapabilityStarted(basis=CapabilityBasis.DIRECT, reason="Safeguarding failures"),
        reason="serious concerns needing the capability procedure at once",
    )
    assert direct.rule_ids(found) == ["rf-concern-route"]
    assert direct.case.stage is Ladder.FORMAL_STAGE_1


def test_000_s9_no_warnings_dismissal_or_appeals_of_its_own() -> None:
    s = in_informal_support()
    s.act(date(2025, 11, 21), OutcomeDecided(subject_id="ip-1", outcome=Outcome.INSUFFICIENT))
    s.act(date(2025, 11, 24), CapabilityStarted(reason="No progress"))
    for act in (
        WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN),
        Dismissed(
            effective_on=date(2026, 3, 1), notice_weeks=8, alternatives_considered=True, reasons="r"
        ),
        AppealLodged(appeal_id="a-1", against_version=2, grounds=("new_evidence",)),
    ):
        with pytest.raises(ActRefusedByRule, match="separate ReFocus capability procedure"):
            s.act(date(2026, 1, 12), act, reason="recorded anyway")
    assert s.case.warnings == {}
    assert s.case.appeals == {}


def test_000_s9_stage_machine_refuses_monitoring_outside_informal_support() -> None:
    s = refocus()
    finding(
        s.check(date(2025, 10, 1), MonitoringReviewed(plan_id="ip-1", progress=Progress.ON_TRACK)),
        "belongs at: informal_support",
        Severity.MAJOR,
    )
    finding(
        s.check(date(2025, 10, 1), CapabilityEnded(reason="nothing to end")),
        "does not belong at stage",
        Severity.MAJOR,
    )


# §10-11 --------------------------------------------------------------------------------------


def request(request_id: str, route: str) -> DevelopmentRequested:
    return DevelopmentRequested.model_validate(
        {"request_id": request_id, "description": "Behaviour course", "route": route}
    )


def test_000_s10_external_training_through_the_pdp_is_approved_by_headteacher_or_slt() -> None:
    s = refocus()
    decision = Decided(request_id="pdp-1", approved=True, approver_role=Role.HEADTEACHER)
    with pytest.raises(ActRefusedByRule, match="no development request pdp-1"):
        s.act(date(2025, 10, 6), decision, by=HEAD)
    s.act(date(2025, 10, 1), request("pdp-1", "pdp"), by=EMPLOYEE)
    for actor in (EMPLOYEE, REVIEWER, LINE_MANAGER):
        finding(
            s.check(date(2025, 10, 6), decision, by=actor),
            "approved by the Headteacher or SLT",
            Severity.MAJOR,
        )
    with pytest.raises(AccessDenied, match="development_request_decided"):
        s.check(date(2025, 10, 6), decision, by=GOVERNOR)  # a governor has no part in it
    assert development_request_status(s.case, "pdp-1") == "pending"
    assert s.act(date(2025, 10, 6), decision, by=SLT) == []
    assert development_request_status(s.case, "pdp-1") == "approved"
    s.act(date(2025, 10, 6), request("pdp-2", "pdp"), by=EMPLOYEE)
    assert (
        s.act(date(2025, 10, 7), decision.model_copy(update={"request_id": "pdp-2"}), by=DEPUTY)
        == []
    )


def test_000_s11_a_separate_request_needs_line_manager_and_headteacher_approval() -> None:
    s = refocus()
    s.act(date(2025, 10, 1), request("cpd-2", "separate"), by=EMPLOYEE)
    lm = Decided(request_id="cpd-2", approved=True, approver_role=Role.LINE_MANAGER)
    finding(
        s.check(date(2025, 10, 6), lm, by=HEAD),
        "headteacher cannot record the line_manager's",
        Severity.MAJOR,
    )
    finding(s.check(date(2025, 10, 6), lm, by=SLT), "slt cannot record", Severity.MAJOR)
    assert s.act(date(2025, 10, 6), lm, by=LINE_MANAGER) == []
    assert development_request_status(s.case, "cpd-2") == "pending"
    finding(
        s.check(date(2025, 10, 6), lm, by=LINE_MANAGER),
        "line_manager has already decided",
        Severity.MAJOR,
    )
    ht = lm.model_copy(update={"approver_role": Role.HEADTEACHER})
    finding(
        s.check(date(2025, 10, 7), ht, by=LINE_MANAGER),
        "line_manager cannot record the headteacher's",
        Severity.MAJOR,
    )
    assert s.act(date(2025, 10, 7), ht, by=HEAD) == []
    assert development_request_status(s.case, "cpd-2") == "approved"

    declined = refocus()
    declined.act(date(2025, 10, 1), request("cpd-3", "separate"), by=EMPLOYEE)
    declined.act(
        date(2025, 10, 6),
        Decided(request_id="cpd-3", approved=False, approver_role=Role.LINE_MANAGER),
        by=LINE_MANAGER,
    )
    assert development_request_status(declined.case, "cpd-3") == "declined"
    assert development_request_status(declined.case, "cpd-9") is None


# App C ---------------------------------------------------------------------------------------


def test_000_app_c_next_cycle_opens_by_1_september() -> None:
    s = refocus()
    open_cycle(s)
    (row,) = rows(s, "rf-next-cycle", date(2026, 9, 2))
    assert (row.due_on, row.status) == (date(2026, 9, 1), DeadlineStatus.OVERDUE)
    open_cycle(
        s,
        on=date(2026, 8, 28),
        cycle_id="2026-27",
        starts=date(2026, 9, 1),
        ends=date(2027, 8, 31),
    )
    met, following = rows(s, "rf-next-cycle", date(2026, 9, 2))
    assert (met.status, met.done_on) == (DeadlineStatus.MET, date(2026, 8, 28))
    assert following.due_on == date(2027, 9, 1)
