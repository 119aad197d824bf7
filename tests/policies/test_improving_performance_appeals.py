"""Improving Performance Policy (seed 004): appeals (§10) and meeting records (§13.2)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.improving_performance_case import (
    APPEAL_CHAIR,
    APPEALED,
    ARRANGED,
    CHAIR_OF_GOVERNORS,
    DIRECTOR,
    FIRST_INVITED,
    FIRST_MEETING,
    HEARING,
    LM,
    WARNED,
    appeal,
    appeal_decided,
    arrange,
    decide,
    heard,
    held,
    invite,
    letter,
    new_case,
    one_to_one,
    papers,
    to_appeal_hearing,
    to_dismissed,
    to_first_formal,
    to_formal_monitoring,
    to_pip,
)
from tests.policies.script import EMPLOYEE, HEAD, HR, Script, breach, finding

from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealGround,
    AppealHeard,
    AppealLodged,
    AppealResult,
    TimeLimitExtended,
)
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.sanction_acts import (
    DismissalOverturned,
    WarningIssued,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.events.support_acts import Outcome
from pmledger.policies.judgement import ActRefusedByRule, DeadlineStatus, Severity
from pmledger.policies.ladder import Ladder
from pmledger.policies.packs.improving_performance.facts import WARNING_MONTHS


def deadline(s: Script, rule_id: str, as_of: date) -> tuple[date | None, DeadlineStatus]:
    (found,) = [d for d in s.deadlines(as_of) if d.rule.id == rule_id]
    return found.due_on, found.status


def dismissed_case() -> tuple[Script, int]:
    s = new_case()
    return s, to_dismissed(s)


def heard_case() -> Script:
    s = new_case()
    to_appeal_hearing(s)
    s.act(HEARING, heard(), by=APPEAL_CHAIR)
    return s


def warning_version(s: Script) -> int:
    return s.case.warnings["w-1"].issued.version


def warning_appeal(s: Script) -> AppealLodged:
    """An appeal against the warning, lodged with the line manager who chaired the meeting."""
    return appeal(warning_version(s), addressed_to_person_id="lm-1")


def test_004_s10_2_an_appeal_is_lodged_within_7_days_of_notification() -> None:
    # the dismissal letter of 9 January 2026 notified the decision: appeal by 16 January
    s, dismissed = dismissed_case()
    assert s.act(date(2026, 1, 16), appeal(dismissed), by=EMPLOYEE) == []
    late, dismissed = dismissed_case()
    found = late.act(date(2026, 1, 17), appeal(dismissed), by=EMPLOYEE)
    assert late.rule_ids(found) == ["ip-appeal-time-limit"]
    assert "(due by 2026-01-16; the employee's time limit)" in found[0].message
    finding(
        late.check(ARRANGED, arrange(), by=CHAIR_OF_GOVERNORS),
        "record appeal_accepted",
        Severity.MINOR,
    )
    late.act(ARRANGED, AppealAccepted(appeal_id="a-1", reason="posted on time, delivered late"))
    assert late.act(ARRANGED, arrange(), by=CHAIR_OF_GOVERNORS) == []
    warned = new_case()
    to_formal_monitoring(warned)
    # the warning was notified by the letter of 24 October 2025: appeal by 31 October
    found = warned.act(date(2025, 11, 1), warning_appeal(warned), by=EMPLOYEE)
    assert "notified on 2025-10-24 (due by 2025-10-31" in found[0].message


def test_004_s10_2_the_appeal_goes_to_the_manager_who_chaired_the_meeting() -> None:
    s, dismissed = dismissed_case()
    found = s.act(APPEALED, appeal(dismissed, addressed_to_person_id="lm-1"), by=EMPLOYEE)
    assert s.rule_ids(found) == ["ip-appeal-time-limit"]
    assert "chaired the meeting (dir-1); it was addressed to lm-1" in found[0].message
    unaddressed, dismissed = dismissed_case()
    found = unaddressed.act(APPEALED, appeal(dismissed, addressed_to_person_id=None), by=EMPLOYEE)
    assert "not addressed to anyone" in found[0].message
    warned = new_case()
    to_formal_monitoring(warned)
    assert warned.act(date(2025, 10, 27), warning_appeal(warned), by=EMPLOYEE) == []


def test_004_s10_2_an_appeal_against_nothing_is_refused() -> None:
    s = new_case()
    with pytest.raises(ActRefusedByRule, match="no record version 99"):
        s.act(WARNED, appeal(99), by=EMPLOYEE)
    s.act(WARNED, one_to_one("121-1", warned=True), by=LM)
    with pytest.raises(ActRefusedByRule, match=r"\(one_to_one_held\) is not a decision"):
        s.act(WARNED, appeal(s.version), by=EMPLOYEE)
    with pytest.raises(ActRefusedByRule, match="no appeal a-1"):
        s.act(WARNED, heard(), by=CHAIR_OF_GOVERNORS)
    informal = new_case()
    to_pip(informal)
    informal.act(date(2025, 10, 13), decide("pip-1", Outcome.NOT_IMPROVED), by=LM)
    with pytest.raises(ActRefusedByRule, match="not a decision of a first or second formal"):
        informal.act(date(2025, 10, 14), appeal(informal.version), by=EMPLOYEE)
    warned = new_case()
    to_formal_monitoring(warned)
    assert warned.act(date(2025, 10, 27), warning_appeal(warned), by=EMPLOYEE) == []


def test_004_s10_3_appeals_on_the_three_grounds_only() -> None:
    s, dismissed = dismissed_case()
    finding(
        s.check(
            APPEALED,
            appeal(
                dismissed, grounds=(AppealGround.NEW_EVIDENCE, AppealGround.DISAGREE_WITH_ENTRY)
            ),
            by=EMPLOYEE,
        ),
        "not disagree_with_entry",
        Severity.MINOR,
    )
    grounds = (
        AppealGround.DEFECTIVE_PROCEDURE,
        AppealGround.NEW_EVIDENCE,
        AppealGround.INAPPROPRIATE_SANCTION,
    )
    assert s.act(APPEALED, appeal(dismissed, grounds=grounds), by=EMPLOYEE) == []


def test_004_s10_4_the_employee_substantiates_the_grounds() -> None:
    s, dismissed = dismissed_case()
    found = s.act(APPEALED, appeal(dismissed, details=""), by=EMPLOYEE)
    assert s.rule_ids(found) == ["ip-appeal-substantiated"]
    assert found[0].severity.value == "minor"


def test_004_s10_5_the_chair_of_governors_arranges_the_hearing_within_14_days() -> None:
    s, dismissed = dismissed_case()
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    found = s.check(ARRANGED, arrange(), by=HR)
    breach(found, "ip-who-arranges-appeal", Severity.MAJOR, "chair_of_governors")
    assert deadline(s, "ip-appeal-arranged-14cd", date(2026, 1, 28)) == (
        date(2026, 1, 28),
        DeadlineStatus.OPEN,
    )
    s.act(date(2026, 1, 29), arrange(date(2026, 2, 10)), by=CHAIR_OF_GOVERNORS)
    assert deadline(s, "ip-appeal-arranged-14cd", date(2026, 2, 1))[1] is DeadlineStatus.MISSED


def test_004_s10_6_ten_calendar_days_notice_of_the_hearing() -> None:
    s, dismissed = dismissed_case()
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    found = s.act(ARRANGED, arrange(date(2026, 1, 29)), by=CHAIR_OF_GOVERNORS)
    assert s.rule_ids(found) == ["ip-appeal-notice-10cd"]
    assert "(by 2026-01-19)" in found[0].message
    assert deadline(s, "ip-appeal-notice-10cd", date(2026, 1, 29)) == (
        date(2026, 1, 19),
        DeadlineStatus.MISSED,
    )


def test_004_s10_7_written_material_reaches_the_chair_7_days_before() -> None:
    s, dismissed = dismissed_case()
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    s.act(ARRANGED, arrange(), by=CHAIR_OF_GOVERNORS)
    assert s.act(date(2026, 1, 27), papers("management"), by=DIRECTOR) == []
    found = s.act(date(2026, 1, 28), papers("employee"), by=EMPLOYEE)
    assert s.rule_ids(found) == ["ip-appeal-material-7cd"]
    assert "(by 2026-01-27); the employee's came on 2026-01-28" in found[0].message


def _hearing_after_easter(exchanged_on: date) -> Script:
    s, dismissed = dismissed_case()
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    s.act(date(2026, 3, 26), arrange(date(2026, 4, 9)), by=CHAIR_OF_GOVERNORS)
    s.act(date(2026, 3, 27), papers("employee"), by=EMPLOYEE)
    s.act(exchanged_on, letter("ip-appeal-papers-exchanged", "a-1"), by=CHAIR_OF_GOVERNORS)
    return s


def test_004_s10_8_papers_exchanged_3_working_days_before_across_easter() -> None:
    # hearing Thursday 9 April 2026; Good Friday 3 and Easter Monday 6 April are bank holidays,
    # so the third working day before is Thursday 2 April
    on_time = _hearing_after_easter(date(2026, 4, 2))
    assert deadline(on_time, "ip-appeal-exchange-3wd", date(2026, 4, 9)) == (
        date(2026, 4, 2),
        DeadlineStatus.MET,
    )
    late = _hearing_after_easter(date(2026, 4, 3))
    assert deadline(late, "ip-appeal-exchange-3wd", date(2026, 4, 9))[1] is DeadlineStatus.MISSED
    s, dismissed = dismissed_case()
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    s.act(ARRANGED, arrange(), by=CHAIR_OF_GOVERNORS)
    assert [d.rule.id for d in s.deadlines(HEARING)].count("ip-appeal-exchange-3wd") == 0


def test_004_s10_9_time_frames_are_extended_only_by_agreement_in_advance() -> None:
    s, dismissed = dismissed_case()
    s.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    lodged = s.version
    one_sided = TimeLimitExtended(
        rule_id="ip-appeal-arranged-14cd",
        anchor_version=lodged,
        new_due_on=date(2026, 2, 4),
        agreed_by=(Role.CHAIR_OF_GOVERNORS,),
        reason="governor availability",
    )
    found = s.act(date(2026, 1, 27), one_sided, by=CHAIR_OF_GOVERNORS)
    assert s.rule_ids(found) == ["ip-appeal-extension"]
    assert "agreed by chair_of_governors" in found[0].message
    assert deadline(s, "ip-appeal-arranged-14cd", date(2026, 2, 1)) == (
        date(2026, 1, 28),
        DeadlineStatus.OVERDUE,
    ), "an extension one party decided does not move the limit"
    extension = one_sided.model_copy(update={"agreed_by": (Role.CHAIR_OF_GOVERNORS, Role.EMPLOYEE)})
    both = new_case()
    both.act(APPEALED, appeal(to_dismissed(both)), by=EMPLOYEE)
    assert both.act(date(2026, 1, 27), extension, by=CHAIR_OF_GOVERNORS) == []
    assert deadline(both, "ip-appeal-arranged-14cd", date(2026, 2, 1)) == (
        date(2026, 2, 4),
        DeadlineStatus.OPEN,
    )
    late, dismissed = dismissed_case()
    late.act(APPEALED, appeal(dismissed), by=EMPLOYEE)
    found = late.act(date(2026, 1, 29), extension, by=CHAIR_OF_GOVERNORS)
    assert late.rule_ids(found) == ["ip-appeal-extension"]
    assert deadline(late, "ip-appeal-arranged-14cd", date(2026, 2, 1)) == (
        date(2026, 1, 28),
        DeadlineStatus.OVERDUE,
    )
    with pytest.raises(ActRefusedByRule, match="no time limit started by version 3"):
        late.act(date(2026, 1, 29), extension.model_copy(update={"anchor_version": 3}))


def test_004_s10_10_a_governor_chairs_the_hearing_advised_by_hr() -> None:
    s = new_case()
    to_appeal_hearing(s)
    found = s.check(HEARING, heard(), by=HEAD)
    breach(found, "ip-who-hears-appeal", Severity.MAJOR, "recorded it as headteacher")
    s.act(HEARING, heard(), by=APPEAL_CHAIR)
    unadvised = appeal_decided().model_copy(update={"confirms": ()})
    found = s.act(HEARING, unadvised, by=APPEAL_CHAIR)
    assert s.rule_ids(found) == ["ip-appeal-chair"]
    assert found[0].severity.value == "minor"


def test_004_s10_an_appeal_chair_independent_of_the_decision_is_recommended() -> None:
    s = new_case()
    to_appeal_hearing(s)
    same_person = Actor(person_id="dir-1", role=Role.GOVERNOR)
    s.act(ARRANGED, arrange(chair_person_id="dir-1"), by=CHAIR_OF_GOVERNORS)
    found = s.act(
        HEARING,
        AppealHeard(appeal_id="a-1", chair_person_id="dir-1", notes="Heard."),
        by=same_person,
    )
    assert s.rule_ids(found) == ["ip-appeal-independence"]


def test_004_s10_14_an_upheld_appeal_overturns_a_dismissal_with_a_lesser_penalty() -> None:
    s = new_case()
    to_appeal_hearing(s)
    finding(
        s.check(HEARING, appeal_decided(), by=APPEAL_CHAIR),
        "decided after its hearing",
        Severity.MAJOR,
    )
    finding(s.check(HEARING, one_to_one("121-9"), by=LM), "has been dismissed", Severity.MAJOR)
    s.act(HEARING, heard(), by=APPEAL_CHAIR)
    s.act(HEARING, appeal_decided(AppealResult.UPHELD_LESSER_SANCTION), by=APPEAL_CHAIR)
    finding(
        s.check(
            HEARING,
            DismissalOverturned(appeal_id="a-1", substitute="final_written_warning"),
            by=APPEAL_CHAIR,
        ),
        "no final written warning",
        Severity.MAJOR,
    )
    s.act(HEARING, DismissalOverturned(appeal_id="a-1", substitute="written_warning"))
    assert s.case.dismissed is None
    assert s.case.stage is Ladder.DISMISSED
    s.act(HEARING, WarningIssued(warning_id="w-2", warning_kind=WarningKind.WRITTEN))
    assert s.case.stage is Ladder.NORMAL_CYCLE
    assert {w.warning_id for w in s.case.live_warnings(HEARING, WARNING_MONTHS)} == {"w-1", "w-2"}


def test_004_s10_14_upheld_or_not_and_an_upheld_appeal_rescinds_the_warning() -> None:
    s = heard_case()
    s.act(HEARING, appeal_decided(), by=APPEAL_CHAIR)
    finding(
        s.check(HEARING, DismissalOverturned(appeal_id="a-1"), by=APPEAL_CHAIR),
        "only by an upheld appeal",
        Severity.MAJOR,
    )
    warned = new_case()
    to_formal_monitoring(warned)
    warned.act(date(2025, 10, 27), warning_appeal(warned), by=EMPLOYEE)
    warned.act(date(2025, 10, 28), arrange(date(2025, 11, 10)), by=CHAIR_OF_GOVERNORS)
    warned.act(date(2025, 11, 10), heard(), by=APPEAL_CHAIR)
    finding(
        warned.check(
            date(2025, 11, 10),
            appeal_decided(AppealResult.UPHELD_LESSER_SANCTION),
            by=APPEAL_CHAIR,
        ),
        "lesser penalty is awarded only on an appeal",
        Severity.MAJOR,
    )
    warned.act(date(2025, 11, 10), appeal_decided(AppealResult.UPHELD), by=APPEAL_CHAIR)
    rescind = WarningRescinded(warning_id="w-1", appeal_id="a-1", reason="appeal upheld")
    warned.act(date(2025, 11, 10), rescind, by=APPEAL_CHAIR)
    assert warned.case.live_warnings(date(2025, 11, 11), WARNING_MONTHS) == []


def test_004_s10_14_an_upheld_appeal_may_shorten_the_warning_instead() -> None:
    warned = new_case()
    to_formal_monitoring(warned)
    warned.act(date(2025, 10, 27), warning_appeal(warned), by=EMPLOYEE)
    warned.act(date(2025, 10, 28), arrange(date(2025, 11, 10)), by=CHAIR_OF_GOVERNORS)
    warned.act(date(2025, 11, 10), heard(), by=APPEAL_CHAIR)
    reduce = WarningReduced(
        warning_id="w-1",
        new_kind=WarningKind.WRITTEN,
        new_duration_months=6,
        appeal_id="a-1",
        reason="shorter",
    )
    finding(
        warned.check(date(2025, 11, 10), reduce, by=APPEAL_CHAIR),
        "only when upheld against it",
        Severity.MAJOR,
    )
    warned.act(date(2025, 11, 10), appeal_decided(AppealResult.UPHELD), by=APPEAL_CHAIR)
    for problem, change in (
        ("give new_duration_months", {"new_duration_months": None}),
        ("fewer than 12 months", {"new_duration_months": 12}),
        ("not reduced to another", {"new_kind": WarningKind.FINAL_WRITTEN}),
    ):
        finding(
            warned.check(date(2025, 11, 10), reduce.model_copy(update=change), by=APPEAL_CHAIR),
            problem,
            Severity.MAJOR,
        )
    warned.act(date(2025, 11, 10), reduce, by=APPEAL_CHAIR)
    # Issued 22 October 2025 for six months: live to 21 April 2026, over Easter.
    live = warned.case.live_warnings(date(2026, 4, 21), WARNING_MONTHS)
    assert [w.warning_id for w in live] == ["w-1"]
    assert warned.case.live_warnings(date(2026, 4, 22), WARNING_MONTHS) == []


def test_004_s10_15_the_decision_is_written_within_7_days_of_the_hearing() -> None:
    s = heard_case()
    s.act(HEARING, appeal_decided(), by=APPEAL_CHAIR)
    assert deadline(s, "ip-appeal-decision-7cd", date(2026, 2, 10)) == (
        date(2026, 2, 10),
        DeadlineStatus.OPEN,
    )
    s.act(date(2026, 2, 11), letter("ip-appeal-decision", "a-1"), by=APPEAL_CHAIR)
    assert deadline(s, "ip-appeal-decision-7cd", date(2026, 2, 11))[1] is DeadlineStatus.MISSED


def test_004_s10_16_the_appeal_decision_is_final() -> None:
    s = heard_case()
    s.act(HEARING, appeal_decided(), by=APPEAL_CHAIR)
    decided = s.version
    finding(
        s.check(date(2026, 2, 5), appeal(decided, appeal_id="a-2"), by=EMPLOYEE),
        "final",
        Severity.MINOR,
    )
    against = s.case.appeals["a-1"].appeal.against_version
    finding(
        s.check(date(2026, 2, 5), appeal(against, appeal_id="a-2"), by=EMPLOYEE),
        "already been appealed",
        Severity.MINOR,
    )


def test_004_s13_2_a_written_record_is_made_of_every_meeting() -> None:
    s = new_case()
    found = s.act(WARNED, one_to_one("121-1", warned=True).model_copy(update={"summary": ""}))
    assert s.rule_ids(found) == ["ip-meeting-record"]
    assert "121 121-1 (summary)" in found[0].message
    formal = new_case()
    to_first_formal(formal)
    formal.act(FIRST_INVITED, invite("ff-1", MeetingPurpose.FIRST_FORMAL, FIRST_MEETING), by=LM)
    found = formal.act(FIRST_MEETING, held("ff-1", minutes=" "), by=LM)
    assert formal.rule_ids(found) == ["ip-meeting-record"]
    hearing = new_case()
    to_appeal_hearing(hearing)
    found = hearing.act(
        HEARING, AppealHeard(appeal_id="a-1", chair_person_id="gov-2"), by=APPEAL_CHAIR
    )
    assert hearing.rule_ids(found) == ["ip-meeting-record"]
