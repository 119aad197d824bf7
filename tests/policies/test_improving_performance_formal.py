"""Improving Performance Policy (seed 004): the formal procedure and dismissal (§5-§9, §11)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tests.policies.improving_performance_case import (
    DIRECTOR,
    FIRST_INVITED,
    FIRST_LETTER_CONTENTS,
    FIRST_MEETING,
    FORMAL_121S,
    FORMAL_PIP_REVIEW,
    LM,
    PIP_DECIDED,
    SECOND_INVITED,
    SECOND_MEETING,
    decide,
    dismissal,
    formal_pip,
    held,
    hr_advice,
    invite,
    letter,
    new_case,
    notes_copy,
    one_to_one,
    papers,
    to_dismissal_decision,
    to_first_formal,
    to_first_formal_decision,
    to_first_meeting,
    to_formal_monitoring,
    to_formal_pip,
    to_pip,
    to_second_formal,
    to_second_meeting,
)
from tests.policies.script import EMPLOYEE, HEAD, HR, Script, breach, finding, unexplained

from pmledger.events.actors import Actor, Role
from pmledger.events.governance_acts import CaseClosed
from pmledger.events.meeting_acts import (
    Attendee,
    CompanionKind,
    CompanionNamed,
    MeetingAdjourned,
    MeetingPurpose,
    MeetingRescheduled,
    RescheduleCause,
)
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.sanction_acts import (
    AlternativeRolesConsidered,
    CapabilityBasis,
    CapabilityStarted,
    ExternalPartyNotified,
    WarningIssued,
    WarningKind,
)
from pmledger.events.support_acts import MonitoringPeriodChanged, Outcome
from pmledger.policies.judgement import (
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs.improving_performance.dismissal import statutory_notice_weeks
from pmledger.policies.packs.improving_performance.facts import WARNING_MONTHS

LEVEL2 = "ip-second-formal-level2"

FIRST = MeetingPurpose.FIRST_FORMAL
SECOND = MeetingPurpose.SECOND_FORMAL
DEPUTY = Actor(person_id="dhd-1", role=Role.SLT, authority_level=1)
UNAUTHORISED = Actor(person_id="hod-1", role=Role.SENIOR_MANAGER)
"""A senior manager of the school the school has not authorised at any level (004 §6)."""
WARNING = WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN)


def at(step: Callable[[Script], object]) -> Script:
    s = new_case()
    step(s)
    return s


def deadline(s: Script, rule_id: str, as_of: date) -> tuple[date | None, DeadlineStatus]:
    (found,) = [d for d in s.deadlines(as_of) if d.rule.id == rule_id]
    return found.due_on, found.status


def reschedule(meeting_id: str, new_date: date) -> MeetingRescheduled:
    return MeetingRescheduled(
        meeting_id=meeting_id,
        new_date=new_date,
        cause=RescheduleCause.COMPANION_UNAVAILABLE,
        requested_by="employee",
        reason="Union representative unavailable",
    )


def test_004_s5_4_hr_is_contacted_before_moving_to_the_formal_procedure() -> None:
    s = at(to_pip)
    s.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED, letter="L-notice"), by=LM)
    found = s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    assert s.rule_ids(found) == ["ip-hr-before-formal"]
    other_topic = at(to_pip)
    other_topic.act(PIP_DECIDED, decide("pip-1", Outcome.NOT_IMPROVED, letter="L-notice"), by=LM)
    other_topic.act(PIP_DECIDED, hr_advice("sickness absence"), by=LM)
    found = other_topic.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    assert other_topic.rule_ids(found) == ["ip-hr-before-formal"], "advice on something else"
    advised = at(to_first_formal)
    assert advised.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM) == []


def test_004_s6_2_1_the_first_formal_meeting_needs_level_1_normally_the_line_manager() -> None:
    s = at(to_first_formal)
    found = s.check(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=UNAUTHORISED)
    breach(found, "ip-first-formal-authority", Severity.MAJOR, "authority level 1 or above")
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    found = s.check(FIRST_MEETING, held("ff-1", chair="lm-1"), by=DEPUTY)
    breach(found, "ip-first-formal-authority", Severity.MAJOR, "records the first_formal meeting")
    unexplained(
        s.check(FIRST_MEETING, held("ff-1", chair="dhd-1"), by=DEPUTY),
        "normally conducted by the line manager",
        Severity.MAJOR,
    )
    found = s.act(FIRST_MEETING, held("ff-1", chair="dhd-1"), by=DEPUTY, reason="LM on leave")
    assert s.rule_ids(found) == ["ip-first-formal-authority"]


def test_004_s6_2_2_the_line_manager_presents_when_another_manager_chairs() -> None:
    s = at(to_first_formal)
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    without_lm = held(
        "ff-1", chair="dhd-1", attendees=(Attendee(person_id="hr-1", role="HR adviser"),)
    )
    found = s.act(FIRST_MEETING, without_lm, by=DEPUTY, reason="line manager on sick leave")
    assert s.rule_ids(found) == ["ip-first-formal-authority", "ip-first-formal-lm-presents"]


def test_004_s7_1_seven_calendar_days_notice_of_the_first_formal_meeting() -> None:
    s = at(to_first_formal)
    # a meeting on Monday 5 January 2026 needs the invitation by Monday 29 December
    assert s.act(date(2025, 12, 29), invite("ff-1", FIRST, date(2026, 1, 5)), by=LM) == []
    assert deadline(s, "ip-first-invite-notice", date(2026, 1, 5)) == (
        date(2025, 12, 29),
        DeadlineStatus.MET,
    )
    late = at(to_first_formal)
    found = late.act(date(2025, 12, 30), invite("ff-1", FIRST, date(2026, 1, 5)), by=LM)
    assert late.rule_ids(found) == ["ip-first-invite-notice"]
    assert deadline(late, "ip-first-invite-notice", date(2026, 1, 5))[1] is DeadlineStatus.MISSED


def test_004_s7_1_the_first_invitation_says_what_the_meeting_needs() -> None:
    s = at(to_first_formal)
    bare = invite(
        "ff-1",
        FIRST,
        FIRST_MEETING,
        confirms=("reason_stated",),
        states_right_to_companion=False,
        papers_due_on=date(2025, 10, 20),
    )
    found = s.act(FIRST_INVITED, bare, by=LM)
    assert s.rule_ids(found) == ["ip-first-invite-contents"]
    assert found[0].message.endswith(
        "right_to_companion, hr_present_stated, papers_enclosed, companion_and_papers_due"
    )


def test_004_s7_1_companion_and_papers_3_calendar_days_before_are_the_employees_limit() -> None:
    s = at(to_first_formal)
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    named = CompanionNamed(
        meeting_id="ff-1", name="NEU rep", companion_kind=CompanionKind.TRADE_UNION_REP
    )
    assert s.act(date(2025, 10, 19), named, by=EMPLOYEE) == []
    found = s.act(date(2025, 10, 20), papers("employee", "ff-1"), by=EMPLOYEE)
    assert s.rule_ids(found) == ["ip-first-companion-docs"]
    assert "(by 2025-10-19)" in found[0].message
    assert "the employee's time limit" in found[0].message
    assert s.act(date(2025, 10, 21), papers("management", "ff-1"), by=LM) == []


def test_004_s7_1_hr_is_present_at_the_first_formal_meeting() -> None:
    s = at(to_first_formal)
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    found = s.act(FIRST_MEETING, held("ff-1", hr_present=False), by=LM)
    assert s.rule_ids(found) == ["ip-first-hr-present"]


def test_004_s7_1_note_the_alternative_date_is_normally_within_7_days() -> None:
    s = at(to_first_formal)
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    assert s.act(date(2025, 10, 20), reschedule("ff-1", date(2025, 10, 29)), by=LM) == []
    t = at(to_first_formal)
    t.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    unexplained(
        t.check(date(2025, 10, 20), reschedule("ff-1", date(2025, 10, 30)), by=LM),
        r"within 7 calendar days .* \(by 2025-10-29",
        Severity.MINOR,
    )


def test_004_s7_1_note_hr_advice_before_holding_a_rescheduled_meeting_in_absence() -> None:
    s = at(to_first_formal)
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    s.act(date(2025, 10, 20), reschedule("ff-1", date(2025, 10, 29)), by=LM)
    in_absence = held("ff-1", confirms=(*held("ff-1").confirms, "held_in_absence"))
    found = s.act(date(2025, 10, 29), in_absence, by=LM)
    assert s.rule_ids(found) == ["ip-reschedule-absence-hr"]
    other = at(to_first_formal)
    other.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    other.act(date(2025, 10, 20), reschedule("ff-1", date(2025, 10, 29)), by=LM)
    other.act(date(2025, 10, 28), hr_advice("before_formal"), by=LM)
    found = other.act(date(2025, 10, 29), in_absence, by=LM)
    assert other.rule_ids(found) == ["ip-reschedule-absence-hr"], "not advice on holding it"
    t = at(to_first_formal)
    t.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    t.act(date(2025, 10, 20), reschedule("ff-1", date(2025, 10, 29)), by=LM)
    t.act(date(2025, 10, 28), hr_advice("hold_in_absence"), by=LM)
    assert t.act(date(2025, 10, 29), in_absence, by=LM) == []


def test_004_s7_2_the_first_formal_meeting_covers_standard_gap_reasons_and_mitigation() -> None:
    s = at(to_first_formal)
    s.act(FIRST_INVITED, invite("ff-1", FIRST, FIRST_MEETING), by=LM)
    found = s.act(FIRST_MEETING, held("ff-1", confirms=("standard_set_out",)), by=LM)
    assert s.rule_ids(found) == ["ip-first-meeting-content"]
    assert "mitigation_invited" in found[0].message


def test_004_s7_2_the_formal_pip_states_improvements_measures_and_support() -> None:
    s = at(to_first_meeting)
    found = s.act(FIRST_MEETING, formal_pip(confirms=(), support="", monitoring_frequency=""))
    assert s.rule_ids(found) == ["ip-formal-pip-contents"]
    assert found[0].message.endswith("improvements_required_early, how_measured, support_agreed")


def test_004_s7_2_the_formal_pip_is_normally_6_to_8_weeks_across_christmas() -> None:
    s = at(to_first_meeting)
    # 1 December 2025 + 8 weeks = 26 January 2026, across the Christmas holiday
    assert s.act(FIRST_MEETING, formal_pip(date(2025, 12, 1), date(2026, 1, 26)), by=LM) == []
    longer = at(to_first_meeting)
    unexplained(
        longer.check(FIRST_MEETING, formal_pip(date(2025, 12, 1), date(2026, 1, 27)), by=LM),
        "later than 8 weeks after 2025-12-01",
        Severity.MINOR,
    )
    found = longer.act(
        FIRST_MEETING,
        formal_pip(date(2025, 12, 1), date(2026, 2, 9)),
        by=LM,
        reason="complex role: exam results needed for an objective assessment",
    )
    assert longer.rule_ids(found) == ["ip-formal-pip-length"]
    shorter = at(to_first_meeting)
    unexplained(
        shorter.check(FIRST_MEETING, formal_pip(date(2025, 12, 1), date(2026, 1, 11)), by=LM),
        "sooner than 6 weeks",
        Severity.MINOR,
    )


def test_004_s7_2_the_first_formal_meeting_issues_a_12_month_written_warning() -> None:
    s = at(to_first_meeting)
    s.act(FIRST_MEETING, decide("ff-1", Outcome.FORMAL_PIP_AND_WARNING), by=LM)
    assert deadline(s, "ip-first-formal-warning", FIRST_MEETING) == (
        FIRST_MEETING,
        DeadlineStatus.OPEN,
    )
    s.act(date(2025, 10, 23), WARNING, by=LM)
    assert deadline(s, "ip-first-formal-warning", date(2025, 10, 23))[1] is DeadlineStatus.MISSED
    nfa = at(to_first_meeting)
    unexplained(
        nfa.check(FIRST_MEETING, decide("ff-1", Outcome.NO_FURTHER_ACTION), by=LM),
        "exceptional",
        Severity.MAJOR,
    )
    nfa.act(FIRST_MEETING, decide("ff-1", Outcome.NO_FURTHER_ACTION), by=LM, reason="medical cause")
    assert [d.rule.id for d in nfa.deadlines(date(2025, 11, 1))].count(
        "ip-first-formal-warning"
    ) == 0


def test_004_s7_2_s7_3_the_warning_lasts_12_months_from_29_february_and_the_letter_7_days() -> None:
    s = Script(
        "improving-performance",
        opened_on=date(2024, 1, 2),
        opening={"line_manager_person_id": "lm-1"},
    )
    direct = CapabilityStarted(basis=CapabilityBasis.DIRECT, reason="Unsafe practice")
    s.act(date(2024, 2, 1), direct, by=LM, reason="seriousness of the issue")
    s.act(date(2024, 2, 1), hr_advice("before_formal"), by=LM)
    s.act(date(2024, 2, 21), invite("ff-1", FIRST, date(2024, 2, 29)), by=LM)
    s.act(date(2024, 2, 29), held("ff-1"), by=LM)
    s.act(date(2024, 2, 29), decide("ff-1", Outcome.FORMAL_PIP_AND_WARNING), by=LM)
    s.act(date(2024, 2, 29), WARNING, by=LM)
    live = s.case.live_warnings(date(2025, 2, 27), WARNING_MONTHS)
    assert [w.warning_id for w in live] == ["w-1"]
    assert s.case.live_warnings(date(2025, 2, 28), WARNING_MONTHS) == []
    # the confirmation letter is due 7 calendar days after 29 February 2024: 7 March
    assert deadline(s, "ip-first-letter-7cd", date(2024, 3, 8)) == (
        date(2024, 3, 7),
        DeadlineStatus.OVERDUE,
    )
    s.act(date(2024, 3, 8), letter("ip-first-formal-confirmation", "ff-1"), by=LM)
    assert deadline(s, "ip-first-letter-7cd", date(2024, 3, 8))[1] is DeadlineStatus.MISSED


def test_004_s7_2_the_only_warning_is_the_written_one_issued_at_a_first_formal_meeting() -> None:
    finding(
        new_case().check(date(2025, 9, 8), WARNING, by=LM),
        "does not belong at stage",
        Severity.MAJOR,
    )
    before_meeting = at(to_first_formal)
    finding(
        before_meeting.check(FIRST_INVITED, WARNING, by=LM),
        "issued at a first formal meeting",
        Severity.MAJOR,
    )
    s = at(to_first_meeting)
    final = WarningIssued(warning_id="w-0", warning_kind=WarningKind.FINAL_WRITTEN)
    finding(s.check(FIRST_MEETING, final, by=LM), "only warning", Severity.MAJOR)
    finding(
        s.check(FIRST_MEETING, WARNING, by=UNAUTHORISED),
        "authority level 1 or above",
        Severity.MAJOR,
    )
    s.act(FIRST_MEETING, WARNING, by=LM)
    finding(
        s.check(FIRST_MEETING, WARNING.model_copy(update={"warning_id": "w-2"}), by=LM),
        "already issued its warning",
        Severity.MAJOR,
    )


def test_004_s7_3_the_confirmation_letter_gives_the_plan_dates_dismissal_and_appeal() -> None:
    s = at(to_first_formal_decision)
    s.act(FIRST_MEETING, formal_pip(), by=LM)
    partial = letter("ip-first-formal-confirmation", "ff-1", confirms=FIRST_LETTER_CONTENTS[:2])
    found = s.act(date(2025, 10, 24), partial, by=LM)
    assert s.rule_ids(found) == ["ip-first-letter-contents"]
    assert found[0].message.endswith(
        "provisional_second_formal_date, dismissal_possible, right_of_appeal"
    )
    assert deadline(s, "ip-first-letter-7cd", date(2025, 10, 30)) == (
        date(2025, 10, 29),
        DeadlineStatus.MET,
    )


def test_004_s8_1_weekly_meetings_in_formal_monitoring_need_a_reason_over_christmas() -> None:
    s = at(to_first_formal_decision)
    s.act(FIRST_MEETING, formal_pip(date(2025, 12, 1), date(2026, 1, 26)), by=LM)
    s.act(date(2025, 12, 8), one_to_one("f121-1", plan="fpip-1"), by=LM)
    s.act(date(2025, 12, 15), one_to_one("f121-2", plan="fpip-1"), by=LM)
    after_christmas = one_to_one("f121-3", plan="fpip-1")
    unexplained(
        s.check(date(2026, 1, 5), after_christmas, by=LM),
        "next was due by 2025-12-22",
        Severity.MINOR,
    )
    found = s.act(date(2026, 1, 5), after_christmas, by=LM, reason="school closed for Christmas")
    assert s.rule_ids(found) == ["ip-formal-weekly-meetings"]


def test_004_s8_2_only_a_formal_pip_longer_than_8_weeks_may_be_cut_short() -> None:
    shorten = MonitoringPeriodChanged(
        plan_id="fpip-1",
        change="shortened",
        new_end_on=date(2025, 12, 8),
        reason="no significant progress",
    )
    s = at(to_formal_pip)
    finding(
        s.check(date(2025, 12, 1), shorten, by=LM),
        "longer than the normal maximum of 8 weeks",
        Severity.MAJOR,
    )
    long = at(to_first_formal_decision)
    # 3 November 2025 + 10 weeks = 12 January 2026
    long.act(
        FIRST_MEETING,
        formal_pip(date(2025, 11, 3), date(2026, 1, 12)),
        by=LM,
        reason="complex role",
    )
    assert (
        long.act(
            date(2025, 12, 1), shorten.model_copy(update={"new_end_on": date(2025, 12, 29)}), by=LM
        )
        == []
    )
    assert long.case.plans["fpip-1"].review_on == date(2025, 12, 29)


def test_004_s8_3_hr_advice_before_the_formal_monitoring_outcome() -> None:
    s = at(to_formal_pip)
    found = s.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.NOT_IMPROVED), by=LM)
    assert s.rule_ids(found) == ["ip-formal-outcome-hr"]
    assert s.case.stage is Ladder.FORMAL_STAGE_2
    other = at(to_formal_pip)
    other.act(FORMAL_PIP_REVIEW, hr_advice("dismissal"), by=LM)
    found = other.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.NOT_IMPROVED), by=LM)
    assert other.rule_ids(found) == ["ip-formal-outcome-hr"], "advice on another question"
    advised = at(to_formal_monitoring)
    assert advised.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.IMPROVED), by=LM) == []


def test_004_s8_3_one_further_monitoring_period_of_up_to_4_weeks() -> None:
    extend = MonitoringPeriodChanged(
        plan_id="fpip-1",
        change="extended",
        new_end_on=date(2026, 1, 12),
        new_provisional_meeting_on=date(2026, 1, 21),
        reason="absence in week 5",
    )
    s = at(to_formal_monitoring)
    unexplained(s.check(FORMAL_PIP_REVIEW, extend, by=LM), "exceptional", Severity.MAJOR)
    found = s.act(FORMAL_PIP_REVIEW, extend, by=LM, reason="two weeks' sickness absence")
    assert s.rule_ids(found) == ["ip-formal-extension"]
    assert s.case.plans["fpip-1"].review_on == date(2026, 1, 12)
    finding(
        s.check(date(2026, 1, 12), extend, by=LM, reason="again"),
        "one further period",
        Severity.MAJOR,
    )
    longer = at(to_formal_monitoring)
    found = longer.act(
        FORMAL_PIP_REVIEW,
        extend.model_copy(update={"new_end_on": date(2026, 1, 13)}),
        by=LM,
        reason="sickness",
    )
    assert longer.rule_ids(found) == ["ip-formal-extension", "ip-formal-extension"]
    assert "longer than 4 weeks after 2025-12-15" in found[1].message
    ten_weeks = at(to_first_formal_decision)
    ten_weeks.act(
        FIRST_MEETING, formal_pip(date(2025, 11, 3), date(2026, 1, 12)), by=LM, reason="complex"
    )
    found = ten_weeks.act(
        date(2026, 1, 12),
        extend.model_copy(update={"new_end_on": date(2026, 2, 9)}),
        by=LM,
        reason="sickness",
    )
    assert "original period (2025-11-03 to 2026-01-12) was longer than 8 weeks" in (
        found[1].message
    )


def test_004_s8_3_a_further_period_sets_a_revised_provisional_second_formal_date() -> None:
    extend = MonitoringPeriodChanged(
        plan_id="fpip-1",
        change="extended",
        new_end_on=date(2026, 1, 12),
        reason="absence in week 5",
    )
    s = at(to_formal_monitoring)
    found = s.act(FORMAL_PIP_REVIEW, extend, by=LM, reason="sickness")
    assert s.rule_ids(found) == ["ip-formal-extension", "ip-formal-extension-date"]
    assert "new_provisional_meeting_on" in found[1].message
    assert found[1].severity.value == "minor"
    early = at(to_formal_monitoring)
    before_end = extend.model_copy(update={"new_provisional_meeting_on": date(2026, 1, 7)})
    found = early.act(FORMAL_PIP_REVIEW, before_end, by=LM, reason="sickness")
    assert "comes before the extended period ends on 2026-01-12" in found[1].message
    by_decision = at(to_formal_monitoring)
    further = decide(
        "fpip-1", Outcome.FURTHER_REVIEW_PERIOD, further_period_ends_on=date(2026, 1, 12)
    )
    found = by_decision.act(FORMAL_PIP_REVIEW, further, by=LM, reason="sickness")
    assert "ip-formal-extension-date" in by_decision.rule_ids(found)
    dated = at(to_formal_monitoring)
    with_date = extend.model_copy(update={"new_provisional_meeting_on": date(2026, 1, 21)})
    found = dated.act(FORMAL_PIP_REVIEW, with_date, by=LM, reason="sickness")
    assert dated.rule_ids(found) == ["ip-formal-extension"]


def test_004_s8_2_notes_of_formal_monitoring_are_shared_with_the_employee() -> None:
    s = new_case()
    to_first_formal_decision(s)
    s.act(FIRST_MEETING, formal_pip(), by=LM)
    s.act(date(2025, 10, 24), letter("ip-first-formal-confirmation", "ff-1"), by=LM)
    for n, on in enumerate(FORMAL_121S, 1):
        s.act(on, one_to_one(f"f121-{n}", plan="fpip-1"), by=LM)
        if n != 3:
            s.act(on, notes_copy(s.version), by=LM)
    s.act(FORMAL_PIP_REVIEW, hr_advice("formal_outcome"), by=LM)
    found = s.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.IMPROVED), by=LM)
    assert s.rule_ids(found) == ["ip-formal-notes-shared"]
    assert "no copy to the employee of f121-3 (2025-11-24)" in found[0].message
    shared = at(to_formal_monitoring)
    assert shared.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.IMPROVED), by=LM) == []


def test_004_s8_3_s7_3_after_improvement_a_second_formal_follows_only_a_live_warning() -> None:
    # the warning of 22 October 2025 is live to 21 October 2026 inclusive
    s = at(to_formal_monitoring)
    s.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.IMPROVED), by=LM)
    assert s.case.stage is Ladder.NORMAL_CYCLE
    s.act(date(2026, 10, 21), ConcernRaised(concern_id="c-2", areas=("planning",)), by=LM)
    s.act(date(2026, 10, 21), invite("sf-1", SECOND, date(2026, 11, 2)), by=DIRECTOR)
    assert s.case.stage is Ladder.FORMAL_STAGE_2
    expired = at(to_formal_monitoring)
    expired.act(FORMAL_PIP_REVIEW, decide("fpip-1", Outcome.IMPROVED), by=LM)
    finding(
        expired.check(date(2026, 10, 22), invite("sf-1", SECOND, date(2026, 11, 2)), by=DIRECTOR),
        "no warning is live on 2026-10-22",
        Severity.MAJOR,
    )


def test_004_s6_3_1_the_second_formal_meeting_is_conducted_at_level_2() -> None:
    s = at(to_second_formal)
    found = s.check(SECOND_INVITED, invite("sf-1", SECOND, SECOND_MEETING), by=HEAD)
    breach(found, LEVEL2, Severity.CRITICAL, "level 2 or above; ht-1 acts at level 1")
    s.act(SECOND_INVITED, invite("sf-1", SECOND, SECOND_MEETING), by=DIRECTOR)
    found = s.check(SECOND_MEETING, held("sf-1", chair="ht-1", confirms=()), by=HEAD)
    breach(found, LEVEL2, Severity.CRITICAL, "level 2")
    s.act(SECOND_MEETING, held("sf-1", chair="dir-1", confirms=()), by=DIRECTOR)
    found = s.check(SECOND_MEETING, decide("sf-1", Outcome.NO_FURTHER_ACTION), by=HEAD)
    breach(found, LEVEL2, Severity.CRITICAL, "level 2")
    adjourn = MeetingAdjourned(meeting_id="sf-1", reconvene_on=SECOND_MEETING, reason="to decide")
    breach(s.check(SECOND_MEETING, adjourn, by=LM), LEVEL2, Severity.CRITICAL, "level 2")
    assert s.act(SECOND_MEETING, adjourn, by=DIRECTOR) == []


def test_004_s6_3_3_s9_2_the_line_manager_presents_the_case_at_the_second_meeting() -> None:
    s = at(to_second_formal)
    s.act(SECOND_INVITED, invite("sf-1", SECOND, SECOND_MEETING), by=DIRECTOR)
    alone = held(
        "sf-1",
        chair="dir-1",
        confirms=(),
        attendees=(Attendee(person_id="hr-1", role="HR adviser"),),
    )
    unexplained(
        s.check(SECOND_MEETING, alone, by=DIRECTOR), "does not present the case", Severity.MINOR
    )
    found = s.act(SECOND_MEETING, alone, by=DIRECTOR, reason="line manager has left the school")
    assert s.rule_ids(found) == ["ip-second-formal-lm-presents"]


def test_004_s9_1_seven_calendar_days_notice_of_the_second_formal_meeting() -> None:
    s = at(to_second_formal)
    # a meeting on Wednesday 7 January 2026 needs the invitation by Wednesday 31 December
    assert s.act(date(2025, 12, 31), invite("sf-1", SECOND, SECOND_MEETING), by=DIRECTOR) == []
    late = at(to_second_formal)
    found = late.act(date(2026, 1, 1), invite("sf-1", SECOND, SECOND_MEETING), by=DIRECTOR)
    assert late.rule_ids(found) == ["ip-second-invite-notice"]
    assert "had to be sent by 2025-12-31" in found[0].message


def test_004_s9_1_the_invitation_advises_that_dismissal_is_possible() -> None:
    s = at(to_second_formal)
    silent = invite("sf-1", SECOND, SECOND_MEETING, states_dismissal_possible=False)
    found = s.act(SECOND_INVITED, silent, by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-second-invite-dismissal"]
    s.act(SECOND_MEETING, held("sf-1", chair="dir-1", confirms=()), by=DIRECTOR)
    s.act(SECOND_MEETING, hr_advice("dismissal"), by=DIRECTOR)
    s.act(SECOND_MEETING, ExternalPartyNotified(party="la_hr_business_partner"), by=HR)
    s.act(SECOND_MEETING, decide("sf-1", Outcome.DISMISSAL), by=DIRECTOR)
    found = s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-second-invite-dismissal"]
    assert "(sf-1)" in found[0].message


def test_004_s9_1_the_second_invitation_says_who_attends_and_what_to_send() -> None:
    s = at(to_second_formal)
    found = s.act(SECOND_INVITED, invite("sf-1", SECOND, SECOND_MEETING, confirms=()), by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-second-invite-contents"]
    assert found[0].message.endswith(
        "reason_stated, line_manager_and_hr_present_stated, papers_enclosed"
    )


def test_004_s9_1_companion_and_papers_3_days_before_the_second_meeting() -> None:
    s = at(to_second_formal)
    s.act(SECOND_INVITED, invite("sf-1", SECOND, SECOND_MEETING), by=DIRECTOR)
    named = CompanionNamed(
        meeting_id="sf-1", name="A colleague", companion_kind=CompanionKind.WORK_COLLEAGUE
    )
    found = s.act(date(2026, 1, 5), named, by=EMPLOYEE)
    assert s.rule_ids(found) == ["ip-second-companion-docs"]
    assert "(by 2026-01-04)" in found[0].message


def test_004_s9_1_note_the_second_meeting_is_not_unreasonably_delayed() -> None:
    s = at(to_second_formal)
    s.act(SECOND_INVITED, invite("sf-1", SECOND, SECOND_MEETING), by=DIRECTOR)
    assert s.act(date(2026, 1, 5), reschedule("sf-1", date(2026, 1, 12)), by=DIRECTOR) == []
    unexplained(
        s.check(date(2026, 1, 9), reschedule("sf-1", date(2026, 1, 14)), by=DIRECTOR),
        "already been rescheduled 1 time",
        Severity.MINOR,
    )
    unexplained(
        s.check(date(2026, 1, 9), reschedule("sf-1", date(2026, 1, 15)), by=DIRECTOR, reason=None),
        r"within 7 calendar days .* \(by 2026-01-14",
        Severity.MINOR,
    )


def test_004_s9_3_an_adjournment_for_further_monitoring_reconvenes_within_4_weeks() -> None:
    s = at(to_second_meeting)
    deliberation = MeetingAdjourned(
        meeting_id="sf-1", reconvene_on=SECOND_MEETING, reason="to decide"
    )
    assert s.act(SECOND_MEETING, deliberation, by=DIRECTOR) == []
    monitor = MeetingAdjourned(
        meeting_id="sf-1",
        reconvene_on=date(2026, 2, 4),
        further_monitoring_weeks=4,
        reason="observation evidence still to come",
    )
    unexplained(s.check(SECOND_MEETING, monitor, by=DIRECTOR), "exceptional", Severity.MAJOR)
    found = s.act(SECOND_MEETING, monitor, by=DIRECTOR, reason="awaiting an OH report")
    assert s.rule_ids(found) == ["ip-second-adjourn"]
    assert deadline(s, "ip-second-adjourn", date(2026, 2, 1)) == (
        date(2026, 2, 4),
        DeadlineStatus.OPEN,
    )
    finding(
        s.check(date(2026, 1, 8), monitor, by=DIRECTOR, reason="again"),
        "already adjourned once",
        Severity.MAJOR,
    )
    s.act(date(2026, 2, 4), held("sf-1", chair="dir-1", confirms=()), by=DIRECTOR)
    assert deadline(s, "ip-second-adjourn", date(2026, 2, 5))[1] is DeadlineStatus.MET
    late = at(to_second_meeting)
    found = late.act(
        SECOND_MEETING,
        monitor.model_copy(update={"reconvene_on": date(2026, 2, 5)}),
        by=DIRECTOR,
        reason="awaiting an OH report",
    )
    assert late.rule_ids(found) == ["ip-second-adjourn", "ip-second-adjourn"]
    assert "(by 2026-02-04)" in found[1].message


def test_004_s9_3_no_further_action_is_confirmed_in_writing_within_7_days() -> None:
    s = at(to_second_meeting)
    s.act(SECOND_MEETING, decide("sf-1", Outcome.NO_FURTHER_ACTION), by=DIRECTOR)
    assert s.case.stage is Ladder.NORMAL_CYCLE
    assert deadline(s, "ip-second-nfa-letter", date(2026, 1, 14)) == (
        date(2026, 1, 14),
        DeadlineStatus.OPEN,
    )
    s.act(date(2026, 1, 15), letter("ip-second-formal-nfa", "sf-1"), by=DIRECTOR)
    assert deadline(s, "ip-second-nfa-letter", date(2026, 1, 15))[1] is DeadlineStatus.MISSED


def test_004_s9_3_a_concern_within_12_months_of_no_further_action_reopens_the_second_stage() -> (
    None
):
    # no further action on 7 January 2026: the window runs to 6 January 2027 inclusive, long
    # after the warning of 22 October 2025 expired
    s = at(to_second_meeting)
    s.act(SECOND_MEETING, decide("sf-1", Outcome.NO_FURTHER_ACTION), by=DIRECTOR)
    s.act(date(2027, 1, 6), invite("sf-2", SECOND, date(2027, 1, 14)), by=DIRECTOR)
    assert s.case.stage is Ladder.FORMAL_STAGE_2
    after = at(to_second_meeting)
    after.act(SECOND_MEETING, decide("sf-1", Outcome.NO_FURTHER_ACTION), by=DIRECTOR)
    finding(
        after.check(date(2027, 1, 7), invite("sf-2", SECOND, date(2027, 1, 14)), by=DIRECTOR),
        "12 months to sustain",
        Severity.MAJOR,
    )


def test_004_s9_3_without_improvement_the_employee_is_normally_dismissed() -> None:
    s = at(to_second_meeting)
    unexplained(
        s.check(SECOND_MEETING, decide("sf-1", Outcome.NOT_IMPROVED), by=DIRECTOR),
        "normally be dismissed",
        Severity.MAJOR,
    )
    found = s.act(
        SECOND_MEETING,
        decide("sf-1", Outcome.NOT_IMPROVED),
        by=DIRECTOR,
        reason="redeployment to a cover supervisor post agreed",
    )
    assert s.rule_ids(found) == ["ip-dismissal-normal"]
    assert s.case.stage is Ladder.FORMAL_STAGE_2


def test_004_s6_3_only_the_level_2_manager_who_conducted_the_meeting_dismisses() -> None:
    s = at(to_dismissal_decision)
    finding(
        s.check(SECOND_MEETING, dismissal(), by=HEAD), "only a Level 2 manager", Severity.CRITICAL
    )
    other = Actor(person_id="dir-2", role=Role.HEADTEACHER, authority_level=2)
    finding(
        s.check(SECOND_MEETING, dismissal(), by=other),
        r"conducted the second formal meeting \(dir-1\)",
        Severity.CRITICAL,
    )
    s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    assert s.case.stage is Ladder.DISMISSED


def test_004_s5_3_dismissal_only_at_a_second_formal_meeting() -> None:
    finding(
        at(to_formal_monitoring).check(FORMAL_PIP_REVIEW, dismissal(), by=DIRECTOR),
        "does not belong at stage",
        Severity.CRITICAL,
    )
    finding(
        at(to_second_formal).check(SECOND_INVITED, dismissal(), by=DIRECTOR),
        "none has been held",
        Severity.CRITICAL,
    )


def _decided_to_dismiss(*skip: str) -> Script:
    s = at(to_second_meeting)
    if "hr" not in skip:
        s.act(SECOND_MEETING, hr_advice("dismissal"), by=DIRECTOR)
    if "alternatives" not in skip:
        s.act(SECOND_MEETING, AlternativeRolesConsidered(roles_considered=("cover",)))
    if "council" not in skip:
        s.act(SECOND_MEETING, ExternalPartyNotified(party="la_hr_business_partner"), by=HR)
    s.act(SECOND_MEETING, decide("sf-1", Outcome.DISMISSAL), by=DIRECTOR)
    return s


def test_004_s9_4_alternative_roles_are_considered_before_dismissal() -> None:
    s = _decided_to_dismiss("alternatives")
    found = s.act(SECOND_MEETING, dismissal(alternatives_considered=False), by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-alternative-roles"]
    considered = _decided_to_dismiss()
    assert (
        considered.act(SECOND_MEETING, dismissal(alternatives_considered=False), by=DIRECTOR) == []
    )


def test_004_s9_4_hr_advice_is_sought_before_dismissal() -> None:
    s = _decided_to_dismiss("hr")
    found = s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-dismissal-hr-advice"]
    other = _decided_to_dismiss("hr")
    other.act(SECOND_MEETING, hr_advice("formal_outcome"), by=DIRECTOR)
    found = other.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    assert other.rule_ids(found) == ["ip-dismissal-hr-advice"], "not advice on dismissal"


def test_004_s9_4_the_council_hr_business_partner_is_informed() -> None:
    s = _decided_to_dismiss("council")
    s.act(SECOND_MEETING, ExternalPartyNotified(party="pension_scheme"), by=HR)
    s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    found = s.act(date(2026, 3, 18), CaseClosed(reason="Employment ended"), by=HR)
    assert s.rule_ids(found) == ["ip-dismissal-notify-la"], "another party was told"
    assert "la_hr_business_partner" in found[0].message


def test_004_s9_3_the_dismissal_letter_within_7_days_with_reason_appeal_and_support() -> None:
    s = _decided_to_dismiss()
    s.act(SECOND_MEETING, dismissal(), by=DIRECTOR)
    assert deadline(s, "ip-dismissal-letter", date(2026, 1, 14)) == (
        date(2026, 1, 14),
        DeadlineStatus.OPEN,
    )
    found = s.act(date(2026, 1, 15), letter("ip-dismissal"), by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-dismissal-letter"]
    assert found[0].message.endswith("reason_for_dismissal, right_of_appeal, notice_support_steps")
    assert deadline(s, "ip-dismissal-letter", date(2026, 1, 15))[1] is DeadlineStatus.MISSED


def test_004_s11_1_notice_is_at_least_statutory_and_not_normally_worked() -> None:
    # service since 1 September 2015: ten complete years on 7 January 2026
    s = _decided_to_dismiss()
    found = s.act(SECOND_MEETING, dismissal(notice_weeks=9), by=DIRECTOR)
    assert s.rule_ids(found) == ["ip-notice-period"]
    assert "less than the statutory 10" in found[0].message
    contractual = _decided_to_dismiss()
    found = contractual.act(
        SECOND_MEETING, dismissal(notice_weeks=10, contractual_notice_weeks=12), by=DIRECTOR
    )
    assert contractual.rule_ids(found) == ["ip-notice-period"]
    assert "less than the contractual 12" in found[0].message
    greater = _decided_to_dismiss()
    assert (
        greater.act(
            SECOND_MEETING, dismissal(notice_weeks=12, contractual_notice_weeks=12), by=DIRECTOR
        )
        == []
    )
    worked = _decided_to_dismiss()
    unexplained(
        worked.check(SECOND_MEETING, dismissal(notice_worked=True), by=DIRECTOR),
        "not normally required to work",
        Severity.MAJOR,
    )
    calendar = s.calendar
    leap = date(2024, 2, 29)
    assert statutory_notice_weeks(calendar, leap, date(2024, 3, 28)) == 0
    assert statutory_notice_weeks(calendar, leap, date(2024, 3, 29)) == 1
    assert statutory_notice_weeks(calendar, leap, date(2026, 2, 27)) == 1
    assert statutory_notice_weeks(calendar, leap, date(2026, 2, 28)) == 2
    assert statutory_notice_weeks(calendar, date(2000, 1, 1), date(2026, 1, 1)) == 12
