"""Improving Performance Policy (seed 004): the procedure's shape and the informal PIP (§2-§4).

One test per rule, named after its source section; more in the _formal and _appeals modules.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.improving_performance_case import (
    LM,
    PIP_DECIDED,
    PIP_SET,
    WARNED,
    appeal_decided,
    decide,
    formal_pip,
    heard,
    held,
    hr_advice,
    invite,
    letter,
    new_case,
    notes_copy,
    one_to_one,
    pip,
    to_appeal_hearing,
    to_first_formal,
    to_first_meeting,
    to_formal_monitoring,
    to_pip,
)
from tests.policies.script import GOVERNOR, HEAD, HR, LEVEL_2, Script, finding, unexplained

from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import StaffGroup
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import ConcernCategory, ConcernRaised
from pmledger.events.sanction_acts import CapabilityBasis, CapabilityStarted
from pmledger.events.support_acts import (
    MonitoringPeriodChanged,
    Outcome,
    PlanKind,
)
from pmledger.policies.judgement import (
    ActRefusedByRule,
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs import improving_performance
from pmledger.policies.registry import current_pack

DIGEST_RULES = frozenset(
    {
        "ip-scope-probation",
        "ip-misconduct-disciplinary",
        "ip-headteacher-case",
        "ip-121s-first",
        "ip-pip-prior-warning",
        "ip-pip-contents",
        "ip-pip-line-manager-decides",
        "ip-pip-121-record",
        "ip-pip-min-4-weeks",
        "ip-pip-weekly-121s",
        "ip-pip-provisional-formal-date",
        "ip-informal-notes-copy",
        "ip-no-representation-informal",
        "ip-pip-further-review",
        "ip-pip-improved-letter",
        "ip-pip-not-improved-writing",
        "ip-pip-maintain-12m",
        "ip-straight-to-formal",
        "ip-hr-before-formal",
        "ip-first-formal-authority",
        "ip-first-formal-lm-presents",
        "ip-second-formal-level2",
        "ip-second-formal-lm-presents",
        "ip-first-invite-notice",
        "ip-first-invite-contents",
        "ip-first-companion-docs",
        "ip-first-hr-present",
        "ip-reschedule-7cd",
        "ip-reschedule-absence-hr",
        "ip-first-meeting-content",
        "ip-formal-pip-contents",
        "ip-formal-pip-length",
        "ip-first-formal-warning",
        "ip-warning-stage",
        "ip-first-letter-7cd",
        "ip-first-letter-contents",
        "ip-formal-weekly-meetings",
        "ip-formal-notes-shared",
        "ip-formal-shorten",
        "ip-formal-outcome-hr",
        "ip-formal-extension",
        "ip-formal-extension-date",
        "ip-formal-improved",
        "ip-second-invite-notice",
        "ip-second-invite-dismissal",
        "ip-second-invite-contents",
        "ip-second-companion-docs",
        "ip-second-provisional-date",
        "ip-second-not-delayed",
        "ip-second-adjourn",
        "ip-second-nfa-letter",
        "ip-second-nfa-sustain",
        "ip-dismissal-normal",
        "ip-dismissal-authority",
        "ip-dismissal-stage",
        "ip-alternative-roles",
        "ip-dismissal-hr-advice",
        "ip-dismissal-notify-la",
        "ip-dismissal-letter",
        "ip-notice-period",
        "ip-appeal-time-limit",
        "ip-appeal-subject",
        "ip-appeal-grounds",
        "ip-appeal-substantiated",
        "ip-appeal-arranged-14cd",
        "ip-appeal-notice-10cd",
        "ip-appeal-material-7cd",
        "ip-appeal-exchange-3wd",
        "ip-appeal-extension",
        "ip-appeal-chair",
        "ip-appeal-independence",
        "ip-appeal-companion",
        "ip-appeal-outcomes",
        "ip-appeal-decision-7cd",
        "ip-appeal-final",
        "ip-meeting-record",
        "ip-retention",
        "ip-access",
        "ip-employee-concern-no-stop",
    }
)
INVARIANTS = frozenset({"ip-plan-kinds", "ip-outcome-values", "ip-meeting-kinds"})


def test_004_every_digest_rule_is_judged_derived_or_named_as_a_gap() -> None:
    assert len(DIGEST_RULES) == 79
    judged = {rule.ref.id for rule in current_pack("improving-performance").rules}
    gaps = {rule_id for rule_id, _ in improving_performance.NOT_YET_JUDGED}
    derived = {rule_id for rule_id, _ in improving_performance.DERIVED}
    assert judged - DIGEST_RULES == INVARIANTS
    assert not judged & gaps
    assert not judged & derived
    assert not gaps & derived
    assert (judged - INVARIANTS) | gaps | derived == DIGEST_RULES
    assert gaps == {"ip-access"}
    assert len(judged - INVARIANTS) == 72


def test_004_a_clean_case_runs_from_121s_to_a_final_appeal_without_findings() -> None:
    s = new_case()
    assert s.case.stage is Ladder.NORMAL_CYCLE
    dismissed = to_appeal_hearing(s)
    assert [stage for _, stage in s.case.stage_history] == [
        Ladder.INFORMAL_SUPPORT,
        Ladder.FORMAL_STAGE_1,
        Ladder.FORMAL_STAGE_2,
        Ladder.DISMISSED,
    ]
    assert s.case.stage is Ladder.DISMISSED
    assert s.case.dismissed is not None
    assert s.case.dismissed[0].version == dismissed
    s.act(date(2026, 2, 3), heard(), by=Actor(person_id="gov-2", role=Role.GOVERNOR))
    s.act(date(2026, 2, 3), appeal_decided(), by=Actor(person_id="gov-2", role=Role.GOVERNOR))
    s.act(date(2026, 2, 5), letter("ip-appeal-decision", "a-1"), by=GOVERNOR)
    assert s.findings == []
    deadlines = s.deadlines(date(2026, 3, 1))
    assert len(deadlines) >= 19  # no weekly 121 is due after a plan's last day (§4.5, §8.1)
    assert {d.status for d in deadlines} == {DeadlineStatus.MET}
    pack = current_pack("improving-performance")
    assert pack.words(Ladder.FORMAL_STAGE_2) == "second formal meeting (potential dismissal)"
    assert pack.reachable == frozenset(Ladder)


def test_004_s2_2_misconduct_goes_to_the_disciplinary_procedure() -> None:
    s = new_case()
    finding(
        s.check(
            date(2025, 9, 8),
            ConcernRaised(
                concern_id="c-1", category=ConcernCategory.MISCONDUCT, areas=("lateness",)
            ),
        ),
        "Disciplinary Procedure",
        Severity.MAJOR,
    )
    s.act(date(2025, 9, 8), ConcernRaised(concern_id="c-1", areas=("behaviour management",)))
    assert s.case.concerns.keys() == {"c-1"}


def test_004_s1_0_a_headteachers_case_is_managed_by_the_governors() -> None:
    s = Script(
        "improving-performance", staff_group=StaffGroup.HEADTEACHER, opened_on=date(2025, 9, 1)
    )
    finding(
        s.check(WARNED, one_to_one("121-1", warned=True), by=LEVEL_2),
        "chair of governors",
        Severity.MAJOR,
    )
    chair = Actor(person_id="gov-1", role=Role.CHAIR_OF_GOVERNORS, authority_level=2)
    assert s.act(WARNED, one_to_one("121-1", warned=True), by=chair) == []
    s.act(date(2025, 9, 9), hr_advice("general"), by=HR)  # record-keeping by HR stays possible


def test_004_s4_3_s7_2_the_plans_are_a_pip_and_then_a_formal_pip() -> None:
    s = new_case()
    finding(
        s.check(PIP_SET, formal_pip(), by=LM),
        "Formal PIP is agreed at the first formal",
        Severity.MAJOR,
    )
    with pytest.raises(ActRefusedByRule, match="not structured_managerial_support"):
        s.act(PIP_SET, pip(plan_kind=PlanKind.STRUCTURED_MANAGERIAL_SUPPORT), by=LM)
    with pytest.raises(ActRefusedByRule, match="no plan pip-9"):
        s.act(WARNED, one_to_one("121-1", plan="pip-9"), by=LM)
    to_pip(s)
    finding(
        s.check(date(2025, 9, 16), pip(plan_id="pip-2"), by=LM),
        "does not belong at stage",
        Severity.MAJOR,
    )


def test_004_s4_8_s9_3_each_decision_concludes_as_the_policy_names_it() -> None:
    s = new_case()
    to_pip(s)
    with pytest.raises(ActRefusedByRule, match="concludes further_review_period, improved"):
        s.act(PIP_DECIDED, decide("pip-1", Outcome.SUCCESSFUL), by=LM)
    with pytest.raises(ActRefusedByRule, match="neither a PIP"):
        s.act(PIP_DECIDED, decide("ff-1", Outcome.NOT_IMPROVED), by=LM)
    s.act(PIP_DECIDED, decide("pip-1", Outcome.IMPROVED), by=LM, reason=None)
    assert s.case.stage is Ladder.NORMAL_CYCLE
    t = new_case()
    to_first_meeting(t)
    with pytest.raises(ActRefusedByRule, match="concludes formal_pip_and_warning"):
        t.act(date(2025, 10, 22), decide("ff-1", Outcome.DISMISSAL), by=LM)


def test_004_s7_s9_meetings_are_121s_supervision_and_the_two_formal_meetings() -> None:
    s = new_case()
    with pytest.raises(ActRefusedByRule, match="no mid_year_review meeting"):
        s.act(
            WARNED,
            MeetingInvited(
                meeting_id="m", purpose=MeetingPurpose.MID_YEAR_REVIEW, scheduled_for=PIP_SET
            ),
            by=LM,
        )
    finding(
        s.check(WARNED, invite("ff-1", MeetingPurpose.FIRST_FORMAL, PIP_SET), by=LM),
        "first formal meeting belongs",
        Severity.MAJOR,
    )
    with pytest.raises(ActRefusedByRule, match="appeal acts"):
        s.act(WARNED, invite("a", MeetingPurpose.APPEAL_HEARING, PIP_SET), by=LM)
    with pytest.raises(ActRefusedByRule, match="record its purpose"):
        s.act(WARNED, held("m-9"), by=LM)
    s.act(WARNED, invite("sup-1", MeetingPurpose.SUPERVISION, PIP_SET), by=LM)
    with pytest.raises(ActRefusedByRule, match="called as supervision"):
        s.act(PIP_SET, held("sup-1", purpose=MeetingPurpose.FIRST_FORMAL), by=LM)


def test_004_s4_1_a_pip_follows_121s_that_have_not_worked() -> None:
    s = new_case()
    found = s.act(PIP_SET, pip(), by=LM)
    assert s.rule_ids(found) == ["ip-121s-first", "ip-pip-prior-warning"]
    assert found[0].severity.value == "minor"


def test_004_s4_2_a_pip_needs_the_previous_121_to_have_warned_of_one() -> None:
    s = new_case()
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    # a 121 held on the day the PIP is set is the PIP's own 121, not "the previous" one
    s.act(PIP_SET, one_to_one("121-2"), by=LM)
    assert s.act(PIP_SET, pip(), by=LM) == []
    t = new_case()
    t.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    t.act(date(2025, 9, 12), one_to_one("121-2"), by=LM)
    found = t.act(PIP_SET, pip(), by=LM)
    assert t.rule_ids(found) == ["ip-pip-prior-warning"]
    assert "121-2 on 2025-09-12" in found[0].message
    assert found[0].severity.value == "major"


def test_004_s4_3_the_pip_covers_identify_improve_attain_and_maintain() -> None:
    s = new_case()
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    found = s.act(
        PIP_SET,
        pip(confirms=("performance_gap",), support="", consequences_explained_in_writing=True),
        by=LM,
    )
    assert s.rule_ids(found) == ["ip-pip-contents"]
    assert found[0].message.endswith(
        "does not confirm: reasons_explored, support_agreed, maintain_long_term"
    )


def test_004_s4_3_a_disputed_pip_is_the_line_managers_decision() -> None:
    s = new_case()
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    finding(
        s.check(PIP_SET, pip(employee_agreed=False), by=HEAD),
        "rests with the line manager",
        Severity.MAJOR,
    )
    assert s.act(PIP_SET, pip(employee_agreed=False), by=LM) == []


def test_004_s4_4_the_121_record_summarises_the_discussion_and_includes_the_pip() -> None:
    s = new_case()
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    s.act(PIP_SET, pip(), by=LM)
    found = s.act(date(2025, 10, 13), decide("pip-1", Outcome.NOT_IMPROVED), by=LM)
    assert "ip-pip-121-record" in s.rule_ids(found)
    t = new_case()
    to_pip(t)
    assert t.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED), by=LM) == []


def test_004_s4_5_the_pip_runs_at_least_4_weeks_counted_across_half_term() -> None:
    s = new_case()
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    # 13 October + 4 weeks = 10 November 2025, across the 27-31 October half term
    assert s.act(date(2025, 10, 13), pip(date(2025, 10, 13), date(2025, 11, 10)), by=LM) == []
    short = new_case()
    short.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    found = short.act(date(2025, 10, 13), pip(date(2025, 10, 13), date(2025, 11, 9)), by=LM)
    assert short.rule_ids(found) == ["ip-pip-min-4-weeks"]
    assert "not before 2025-11-10" in found[0].message
    early = new_case()
    to_pip(early)
    found = early.act(date(2025, 10, 10), decide("pip-1", Outcome.IMPROVED, letter="L-1"), by=LM)
    assert early.rule_ids(found) == ["ip-pip-min-4-weeks"]
    revised = new_case()
    to_pip(revised)
    shortened = MonitoringPeriodChanged(
        plan_id="pip-1", change="shortened", new_end_on=date(2025, 10, 3), reason="improved fast"
    )
    assert revised.rule_ids(revised.act(date(2025, 10, 1), shortened, by=LM)) == [
        "ip-pip-min-4-weeks"
    ]


def test_004_s4_5_weekly_121s_need_a_reason_for_a_half_term_gap() -> None:
    s = new_case()
    s.act(date(2025, 10, 6), one_to_one("121-1", warned=True), by=LM)
    s.act(date(2025, 10, 13), pip(date(2025, 10, 13), date(2025, 11, 17)), by=LM)
    s.act(date(2025, 10, 20), one_to_one("121-2", plan="pip-1"), by=LM)
    after_half_term = one_to_one("121-3", plan="pip-1")
    unexplained(
        s.check(date(2025, 11, 3), after_half_term, by=LM),
        "next was due by 2025-10-27",
        Severity.MINOR,
    )
    found = s.act(date(2025, 11, 3), after_half_term, by=LM, reason="half term 27-31 October")
    assert found[0].rule.id == "ip-pip-weekly-121s"
    assert found[0].deviated
    statuses = [
        (d.due_on, d.status)
        for d in s.deadlines(date(2025, 11, 20))
        if d.rule.id == "ip-pip-weekly-121s"
    ]
    assert statuses == [
        (date(2025, 10, 20), DeadlineStatus.MET),
        (date(2025, 10, 27), DeadlineStatus.DEVIATED),
        (date(2025, 11, 10), DeadlineStatus.OVERDUE),
    ]


def test_004_s4_3_the_pip_sets_a_provisional_first_formal_date() -> None:
    s = new_case()
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    found = s.act(PIP_SET, pip(provisional_meeting_on=None), by=LM)
    assert s.rule_ids(found) == ["ip-pip-provisional-formal-date"]


def test_004_s4_8_one_further_review_period_only_exceptionally() -> None:
    s = new_case()
    to_pip(s)
    further = decide(
        "pip-1", Outcome.FURTHER_REVIEW_PERIOD, further_period_ends_on=date(2025, 11, 24)
    )
    unexplained(
        s.check(PIP_DECIDED, further, by=LM), "longer than 4 weeks after 2025-10-13", Severity.MINOR
    )
    found = s.act(PIP_DECIDED, further, by=LM, reason="new duties need a fair assessment")
    assert s.rule_ids(found) == ["ip-pip-further-review"]
    assert found[0].deviated
    assert s.case.stage is Ladder.INFORMAL_SUPPORT
    again = MonitoringPeriodChanged(
        plan_id="pip-1", change="extended", new_end_on=date(2025, 12, 1), reason="again"
    )
    finding(
        s.check(date(2025, 11, 24), again, by=LM, reason="again"),
        "already had its one further period",
        Severity.MINOR,
    )


def test_004_s4_6_notes_of_meetings_besides_the_121s_are_copied_to_the_employee() -> None:
    s = new_case()
    to_pip(s)
    supervision = MeetingHeld(
        meeting_id="sup-1",
        purpose=MeetingPurpose.SUPERVISION,
        chair_person_id="lm-1",
        minutes="Workload discussed alongside the PIP.",
    )
    s.act(date(2025, 10, 1), supervision, by=LM)
    found = s.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED), by=LM)
    assert s.rule_ids(found) == ["ip-informal-notes-copy"]
    assert "no copy to the employee of sup-1 (2025-10-01)" in found[0].message
    copied = new_case()
    to_pip(copied)
    copied.act(date(2025, 10, 1), supervision, by=LM)
    copied.act(date(2025, 10, 2), notes_copy(copied.version), by=LM)
    assert copied.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED), by=LM) == []


def test_004_s4_8_improvement_is_confirmed_in_writing() -> None:
    s = new_case()
    to_pip(s)
    found = s.act(PIP_DECIDED, decide("pip-1", Outcome.IMPROVED), by=LM)
    assert s.rule_ids(found) == ["ip-pip-improved-letter"]
    t = new_case()
    to_pip(t)
    t.act(PIP_DECIDED, letter("ip-pip-improved", "pip-1"), by=LM)
    assert t.act(PIP_DECIDED, decide("pip-1", Outcome.IMPROVED), by=LM) == []


def test_004_s4_8_the_formal_procedure_is_notified_in_writing_before_the_invitation() -> None:
    s = new_case()
    to_pip(s)
    s.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED), by=LM)
    s.act(PIP_DECIDED, hr_advice("before_formal"), by=LM)
    found = s.act(
        date(2025, 10, 15), invite("ff-1", MeetingPurpose.FIRST_FORMAL, date(2025, 10, 22)), by=LM
    )
    assert s.rule_ids(found) == ["ip-pip-not-improved-writing"]
    t = new_case()
    to_first_formal(t)
    invitation = invite("ff-1", MeetingPurpose.FIRST_FORMAL, date(2025, 10, 22))
    assert t.act(date(2025, 10, 15), invitation, by=LM) == []


def _improved_on_29_february_2024() -> Script:
    s = Script(
        "improving-performance",
        opened_on=date(2024, 1, 8),
        opening={"line_manager_person_id": "lm-1"},
    )
    s.act(date(2024, 1, 22), one_to_one("121-1", warned=True), by=LM)
    s.act(date(2024, 1, 29), pip(date(2024, 1, 29), date(2024, 2, 29)), by=LM)
    s.act(date(2024, 2, 29), letter("ip-pip-improved", "pip-1"), by=LM)
    s.act(date(2024, 2, 29), decide("pip-1", Outcome.IMPROVED), by=LM)
    assert s.case.stage is Ladder.NORMAL_CYCLE
    return s


DETERIORATED = CapabilityStarted(
    basis=CapabilityBasis.NOT_SUSTAINED, reason="Behaviour routines lapsed"
)


def test_004_s4_8_deterioration_within_12_months_of_29_february_goes_straight_to_formal() -> None:
    # 29 February 2024 + 12 months = 28 February 2025: the window's last day is 27 February
    inside = _improved_on_29_february_2024()
    assert inside.act(date(2025, 2, 27), DETERIORATED, by=LM) == []
    assert inside.case.stage is Ladder.FORMAL_STAGE_1
    outside = _improved_on_29_february_2024()
    finding(
        outside.check(date(2025, 2, 28), DETERIORATED, by=LM), "no sustain window", Severity.MAJOR
    )


def test_004_s2_3_straight_to_formal_needs_seriousness_or_exhausted_informal_routes() -> None:
    direct = CapabilityStarted(basis=CapabilityBasis.DIRECT, reason="Unsafe supervision")
    s = new_case()
    unexplained(
        s.check(date(2025, 10, 1), direct, by=LM), "no PIP in the past 12 months", Severity.MAJOR
    )
    found = s.act(date(2025, 10, 1), direct, by=LM, reason="seriousness: pupils left unsupervised")
    assert s.rule_ids(found) == ["ip-straight-to-formal"]
    assert found[0].deviated
    assert s.case.stage is Ladder.FORMAL_STAGE_1
    after_window = _improved_on_29_february_2024()
    unexplained(
        after_window.check(date(2025, 2, 28), direct, by=LM),
        "no PIP in the past 12 months",
        Severity.MAJOR,
    )
    repeat = new_case()
    to_first_meeting(repeat)
    repeat.act(
        date(2025, 10, 22),
        decide("ff-1", Outcome.NO_FURTHER_ACTION),
        by=LM,
        reason="evidence of a medical cause emerged at the meeting",
    )
    assert repeat.case.stage is Ladder.NORMAL_CYCLE
    unexplained(
        repeat.check(date(2026, 1, 12), direct, by=LM), "a PIP ended on 2025-10-13", Severity.MAJOR
    )
    finding(
        to_formal_monitoring_case().check(date(2025, 12, 1), direct, by=LM, reason="serious"),
        "does not belong at stage",
        Severity.MAJOR,
    )


def to_formal_monitoring_case() -> Script:
    s = new_case()
    to_formal_monitoring(s)
    return s
