"""ReFocus Performance Management (seed 000): mid-point reviews, the end of cycle review, the
App B / App D forms and the published submission deadlines (§4, §10, §12, App A-D)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.refocus_pm_script import (
    PACK,
    by_author,
    hold,
    open_cycle,
    part,
    refocus,
    rows,
)
from tests.policies.script import (
    EMPLOYEE,
    HR,
    REVIEWER,
    Script,
    example_term_dates,
    finding,
    unexplained,
)

from pmledger.calendar import (
    SchoolCalendar,
    SchoolYear,
    SubmissionDeadlines,
    TermDataError,
    TermDates,
)
from pmledger.events.meeting_acts import MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordSubmitted, StatementKind, StatementRecorded
from pmledger.ledger.calendars import Calendars
from pmledger.policies.judgement import (
    ActRefusedByRule,
    Deadline,
    DeadlineStatus,
    Finding,
    Severity,
)
from pmledger.policies.registry import current_pack
from pmledger.projections.case_status import case_status

MID = MeetingPurpose.MID_YEAR_REVIEW
END = MeetingPurpose.END_OF_CYCLE_REVIEW
REVIEWER_PART = StatementKind.REVIEWER
EMPLOYEE_PART = StatementKind.EMPLOYEE
APP_C = (
    "objectives_achievement",
    "key_discussion_points",
    "agreed_outcomes_next_steps",
    "professional_development_requirements",
)


def cycle() -> Script:
    s = refocus()
    open_cycle(s)
    return s


def submit(s: Script, on: date, form_version: int, to: str = "headteacher") -> list[Finding]:
    """The employee submits the completed form, naming one of its parts."""
    return s.act(
        on,
        RecordSubmitted.model_validate({"record_version": form_version, "to": to}),
        by=EMPLOYEE,
    )


def employee_b(number: int = 1) -> StatementRecorded:
    return part(
        "refocus-app-b",
        EMPLOYEE_PART,
        mid_year_cycle=number,
        confirms=("training_and_support_needs",),
    )


def published_rows(s: Script, rule_id: str, as_of: date, **dates: date) -> list[Deadline]:
    """The rows when the school's calendar publishes `dates` for 2025-26 (§4 NB)."""
    years = [
        SchoolYear.model_validate({**year.model_dump(), "submission_deadlines": dates})
        if year.academic_year == "2025-26"
        else year
        for year in s.calendar.school_years
    ]
    calendar = SchoolCalendar(s.calendar.nation, years, school="example")
    rows = current_pack("refocus-pm").deadlines(s.case, calendar, as_of)
    return [d for d in rows if d.rule.id == rule_id]


# App B / App D form fields ---------------------------------------------------------------------


def test_000_app_b_and_d_parts_are_recorded_by_their_own_signer() -> None:
    s = cycle()
    with pytest.raises(ActRefusedByRule, match="give mid_year_cycle 1 or 2"):
        s.act(date(2025, 11, 28), part("refocus-app-b", EMPLOYEE_PART), by=EMPLOYEE)
    with pytest.raises(ActRefusedByRule, match="has no mid-year cycle"):
        s.act(date(2026, 7, 1), part("refocus-app-d", EMPLOYEE_PART, mid_year_cycle=2), by=EMPLOYEE)
    with pytest.raises(ActRefusedByRule, match="not refocus-app-c"):
        s.act(date(2026, 7, 1), part("refocus-app-c", EMPLOYEE_PART), by=EMPLOYEE)
    with pytest.raises(ActRefusedByRule, match="a reviewer statement and an employee statement"):
        s.act(date(2026, 7, 1), part("refocus-app-d", StatementKind.MINUTES), by=REVIEWER)
    finding(
        s.check(
            date(2025, 11, 28),
            part("refocus-app-b", EMPLOYEE_PART, mid_year_cycle=1),
            by=REVIEWER,
        ),
        "reviewer cannot record a employee statement",
        Severity.MAJOR,
    )
    finding(
        s.check(date(2026, 7, 1), part("refocus-app-d", REVIEWER_PART), by=EMPLOYEE),
        "employee cannot record a reviewer statement",
        Severity.MAJOR,
    )
    assert (
        s.act(
            date(2025, 11, 28),
            part(
                "refocus-app-b",
                EMPLOYEE_PART,
                mid_year_cycle=1,
                confirms=("training_and_support_needs",),
            ),
            by=EMPLOYEE,
        )
        == []
    )


# §4 mid-point reviews --------------------------------------------------------------------------


def test_000_s4_mid_point_review_1_must_be_in_november_december() -> None:
    early = cycle()
    found = hold(early, date(2025, 10, 31), "mid-1", MID)
    assert early.rule_ids(found) == ["rf-midyear-1"]
    assert "before 2025-11-01" in found[0].message

    s = cycle()
    (row,) = rows(s, "rf-midyear-1", date(2025, 12, 31))
    assert (row.due_on, row.status) == (date(2025, 12, 31), DeadlineStatus.OPEN)
    (row,) = rows(s, "rf-midyear-1", date(2026, 1, 1))
    assert row.status is DeadlineStatus.OVERDUE
    # Autumn term ends 19 December; held after the Christmas holidays is late.
    assert hold(s, date(2026, 1, 6), "mid-1", MID) == []
    (row,) = rows(s, "rf-midyear-1", date(2026, 1, 6))
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2026, 1, 6))

    on_time = cycle()
    assert hold(on_time, date(2025, 12, 19), "mid-1", MID) == []
    (row,) = rows(on_time, "rf-midyear-1", date(2026, 1, 6))
    assert row.status is DeadlineStatus.MET


def test_000_s4_mid_point_review_2_must_be_in_march_april_across_easter() -> None:
    s = cycle()
    hold(s, date(2025, 12, 2), "mid-1", MID)
    found = hold(s, date(2026, 2, 27), "mid-2", MID)
    assert s.rule_ids(found) == ["rf-midyear-2"]

    easter = cycle()
    hold(easter, date(2025, 12, 2), "mid-1", MID)
    # Easter holidays 30 March - 10 April 2026: the window still ends on 30 April.
    (row,) = rows(easter, "rf-midyear-2", date(2026, 4, 10))
    assert (row.due_on, row.status) == (date(2026, 4, 30), DeadlineStatus.OPEN)
    assert hold(easter, date(2026, 4, 30), "mid-2", MID) == []
    (row,) = rows(easter, "rf-midyear-2", date(2026, 5, 1))
    assert row.status is DeadlineStatus.MET

    late = cycle()
    hold(late, date(2025, 12, 2), "mid-1", MID)
    hold(late, date(2026, 5, 1), "mid-2", MID)
    (row,) = rows(late, "rf-midyear-2", date(2026, 5, 1))
    assert row.status is DeadlineStatus.MISSED


def test_000_s4_nb_mid_year_submission_deadline_is_published_annually() -> None:
    s = cycle()
    s.act(
        date(2025, 11, 24),
        MeetingInvited(meeting_id="mid-1", purpose=MID, scheduled_for=date(2025, 12, 2)),
        by=REVIEWER,
    )
    s.act(date(2025, 11, 28), employee_b(), by=EMPLOYEE)
    found = submit(s, date(2025, 12, 1), s.version)
    assert [f.rule.id for f in found] == ["rf-midyear-submission"]
    assert "has not been held yet" in found[0].message

    t = cycle()
    t.act(date(2025, 11, 28), employee_b(), by=EMPLOYEE)
    own_part = t.version
    hold(t, date(2025, 12, 2), "mid-1", MID)
    (row,) = rows(t, "rf-midyear-submission", date(2026, 1, 5))
    assert row.status is DeadlineStatus.UNKNOWN
    assert row.reason is not None
    assert "has not published its mid year 1 submission deadline for 2025-26" in row.reason

    (row,) = published_rows(
        t, "rf-midyear-submission", date(2026, 1, 12), mid_year_1=date(2026, 1, 9)
    )
    assert (row.due_on, row.status) == (date(2026, 1, 9), DeadlineStatus.OVERDUE)
    # Submitted by someone else, it is not the employee's submission.
    t.act(date(2026, 1, 12), RecordSubmitted(record_version=own_part), by=REVIEWER)
    assert submit(t, date(2026, 1, 12), own_part) == []
    (row,) = published_rows(
        t, "rf-midyear-submission", date(2026, 1, 12), mid_year_1=date(2026, 1, 9)
    )
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2026, 1, 12))

    hold(t, date(2026, 3, 24), "mid-2", MID)
    _, second = published_rows(
        t, "rf-midyear-submission", date(2026, 4, 1), mid_year_1=date(2026, 1, 9)
    )
    assert second.status is DeadlineStatus.UNKNOWN
    _, second = published_rows(
        t,
        "rf-midyear-submission",
        date(2026, 4, 1),
        mid_year_1=date(2026, 1, 9),
        mid_year_2=date(2026, 4, 24),
    )
    assert (second.due_on, second.status) == (date(2026, 4, 24), DeadlineStatus.OPEN)


def test_000_app_a_employee_part_is_completed_ahead_of_the_meeting() -> None:
    s = cycle()
    s.act(date(2025, 11, 28), employee_b(), by=EMPLOYEE)
    hold(s, date(2025, 12, 2), "mid-1", MID)
    (row,) = rows(s, "rf-midyear-prefill", date(2025, 12, 3))
    assert (row.due_on, row.status, row.done_on) == (
        date(2025, 12, 2),
        DeadlineStatus.MET,
        date(2025, 11, 28),
    )

    late = cycle()
    hold(late, date(2025, 12, 2), "mid-1", MID)
    (row,) = rows(late, "rf-midyear-prefill", date(2025, 12, 2))
    assert row.status is DeadlineStatus.OPEN
    (row,) = rows(late, "rf-midyear-prefill", date(2025, 12, 3))
    assert row.status is DeadlineStatus.OVERDUE, "never recorded shows as overdue"
    assert late.act(date(2025, 12, 3), employee_b(), by=EMPLOYEE) == []
    (row,) = rows(late, "rf-midyear-prefill", date(2025, 12, 3))
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2025, 12, 3))
    # Review 2's part, written ahead of review 2 (after the Easter break), meets review 2's.
    late.act(date(2026, 3, 20), employee_b(2), by=EMPLOYEE)
    hold(late, date(2026, 4, 14), "mid-2", MID)
    first, second = rows(late, "rf-midyear-prefill", date(2026, 4, 14))
    assert first.status is DeadlineStatus.MISSED
    assert (second.status, second.done_on) == (DeadlineStatus.MET, date(2026, 3, 20))


def test_000_app_a_review_date_is_recorded_by_naming_the_meeting() -> None:
    s = cycle()
    hold(s, date(2025, 12, 2), "mid-1", MID)
    meeting = s.version
    reviewer_b = part("refocus-app-b", REVIEWER_PART, mid_year_cycle=1)
    found = s.act(date(2025, 12, 3), reviewer_b, by=REVIEWER)
    assert s.rule_ids(found) == ["rf-meeting-date-recorded"]
    found = s.act(
        date(2025, 12, 3), reviewer_b.model_copy(update={"about_version": 1}), by=REVIEWER
    )
    assert "about_version 1 is not a held mid_year_review meeting" in found[0].message
    assert (
        s.act(
            date(2025, 12, 3), reviewer_b.model_copy(update={"about_version": meeting}), by=REVIEWER
        )
        == []
    )


# §12 / App C / App D end of cycle --------------------------------------------------------------


def test_000_s12_end_of_cycle_review_is_in_june_july_unless_outcomes_are_awaited() -> None:
    s = cycle()
    assert hold(s, date(2026, 7, 21), "eoc", END) == []
    (row,) = rows(s, "rf-end-of-cycle-window", date(2026, 8, 1))
    assert (row.due_on, row.status) == (date(2026, 7, 31), DeadlineStatus.MET)

    early = cycle()
    # Summer half term is 25-29 May 2026; a review in May is before the window.
    hold(early, date(2026, 5, 22), "eoc", END)
    unexplained(early.findings, "June/July", Severity.MINOR)

    waits = cycle()
    open_cycle(
        waits,
        on=date(2026, 9, 1),
        cycle_id="2026-27",
        starts=date(2026, 9, 1),
        ends=date(2027, 8, 31),
    )
    hold(waits, date(2026, 9, 15), "eoc", END)
    unexplained(waits.findings, "for 2025-26 takes place in June/July", Severity.MINOR)
    found = hold(
        waits, date(2026, 9, 15), "eoc", END, reason="outcomes_evidence_awaited: GCSE results"
    )
    assert found[0].deviated
    first, second = rows(waits, "rf-end-of-cycle-window", date(2026, 9, 16))
    assert (first.status, first.reason) == (
        DeadlineStatus.DEVIATED,
        "outcomes_evidence_awaited: GCSE results",
    )
    assert (second.due_on, second.status) == (date(2027, 7, 31), DeadlineStatus.OPEN)


def test_000_s12_a_year_never_reviewed_does_not_capture_the_next_years_review() -> None:
    s = refocus(opened_on=date(2024, 9, 2))
    open_cycle(
        s, on=date(2024, 9, 2), cycle_id="2024-25", starts=date(2024, 9, 2), ends=date(2025, 8, 31)
    )
    open_cycle(s)
    assert hold(s, date(2026, 7, 7), "eoc-2026", END) == []
    old, current = rows(s, "rf-end-of-cycle-window", date(2026, 7, 8))
    assert (old.due_on, old.status) == (date(2025, 7, 31), DeadlineStatus.OVERDUE)
    assert (current.due_on, current.status) == (date(2026, 7, 31), DeadlineStatus.MET)


def test_000_app_c_end_of_cycle_is_documented_on_app_d_with_the_meeting_date() -> None:
    s = cycle()
    hold(s, date(2026, 7, 7), "eoc", END)
    meeting = s.version
    reviewer_d = part("refocus-app-d", REVIEWER_PART, confirms=APP_C)
    found = s.act(date(2026, 7, 8), reviewer_d, by=REVIEWER)
    assert s.rule_ids(found) == ["rf-end-of-cycle-template"]
    assert found[0].severity.value == "major"
    named = reviewer_d.model_copy(update={"about_version": meeting})
    assert s.act(date(2026, 7, 8), named, by=REVIEWER) == []


def test_000_app_c_no_app_d_by_the_published_deadline_shows_overdue() -> None:
    s = cycle()
    hold(s, date(2026, 7, 7), "eoc", END)
    meeting = s.version
    (row,) = rows(s, "rf-end-of-cycle-template", date(2026, 7, 20))
    assert row.status is DeadlineStatus.UNKNOWN
    (row,) = published_rows(
        s, "rf-end-of-cycle-template", date(2026, 7, 20), end_of_cycle=date(2026, 7, 17)
    )
    assert (row.due_on, row.status) == (date(2026, 7, 17), DeadlineStatus.OVERDUE)
    # An App D not naming the meeting does not document it.
    s.act(date(2026, 7, 16), part("refocus-app-d", REVIEWER_PART, confirms=APP_C), by=REVIEWER)
    (row,) = published_rows(
        s, "rf-end-of-cycle-template", date(2026, 7, 20), end_of_cycle=date(2026, 7, 17)
    )
    assert row.status is DeadlineStatus.OVERDUE
    s.act(
        date(2026, 7, 20),
        part("refocus-app-d", REVIEWER_PART, about=meeting, confirms=APP_C),
        by=REVIEWER,
    )
    (row,) = published_rows(
        s, "rf-end-of-cycle-template", date(2026, 7, 20), end_of_cycle=date(2026, 7, 17)
    )
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2026, 7, 20))


def test_000_app_c_review_statement_records_the_four_required_things() -> None:
    s = cycle()
    hold(s, date(2026, 7, 7), "eoc", END)
    meeting = s.version
    reviewer_d = part(
        "refocus-app-d",
        REVIEWER_PART,
        about=meeting,
        empty=("professional_development_requirements",),
    )
    found = s.act(date(2026, 7, 8), reviewer_d, by=REVIEWER)
    assert s.rule_ids(found) == ["rf-end-of-cycle-contents"]
    assert found[0].message.endswith("leaves empty: professional development requirements")
    complete = part("refocus-app-d", REVIEWER_PART, about=meeting)
    assert s.act(date(2026, 7, 8), complete, by=REVIEWER) == []


def test_000_s12_reviewer_statement_then_employee_submits_by_the_published_deadline() -> None:
    employee_d = part("refocus-app-d", EMPLOYEE_PART, confirms=("cpd_undertaken", "cpd_requested"))
    s = cycle()
    s.act(
        date(2026, 6, 29),
        MeetingInvited(meeting_id="eoc", purpose=END, scheduled_for=date(2026, 7, 7)),
        by=REVIEWER,
    )
    s.act(date(2026, 7, 1), employee_d, by=EMPLOYEE)
    found = submit(s, date(2026, 7, 6), s.version, to="formal_assessment")
    assert [f.rule.id for f in found] == ["rf-end-of-cycle-sequence"]
    hold(s, date(2026, 7, 7), "eoc", END)
    meeting = s.version
    reviewer_d = part("refocus-app-d", REVIEWER_PART, about=meeting, confirms=APP_C)
    found = s.act(date(2026, 7, 9), reviewer_d, by=REVIEWER)
    assert s.rule_ids(found) == ["rf-end-of-cycle-sequence"]
    assert "submitted the appraisal on 2026-07-06" in found[0].message

    in_order = cycle()
    hold(in_order, date(2026, 7, 7), "eoc", END)
    reviewer_d = part("refocus-app-d", REVIEWER_PART, about=in_order.version, confirms=APP_C)
    assert in_order.act(date(2026, 7, 9), reviewer_d, by=REVIEWER) == []
    (row,) = rows(in_order, "rf-end-of-cycle-sequence", date(2026, 7, 20))
    assert row.status is DeadlineStatus.UNKNOWN
    assert submit(in_order, date(2026, 7, 17), in_order.version, to="formal_assessment") == []
    (row,) = published_rows(
        in_order, "rf-end-of-cycle-sequence", date(2026, 7, 20), end_of_cycle=date(2026, 7, 17)
    )
    assert (row.status, row.done_on) == (DeadlineStatus.MET, date(2026, 7, 17))
    (row,) = published_rows(
        in_order, "rf-end-of-cycle-sequence", date(2026, 7, 20), end_of_cycle=date(2026, 7, 16)
    )
    assert row.status is DeadlineStatus.MISSED


def test_000_s12_appraisal_meetings_take_place_within_working_hours() -> None:
    s = cycle()
    found = hold(s, date(2026, 7, 7), "eoc", END, within_working_hours=False)
    assert s.rule_ids(found) == ["rf-working-hours"]
    found = hold(s, date(2025, 12, 2), "mid-1", MID, within_working_hours=False)
    assert s.rule_ids(found) == ["rf-working-hours"]
    assert (
        hold(s, date(2025, 10, 6), "c-1", MeetingPurpose.CONCERNS, within_working_hours=False) == []
    )


def test_000_s10_pdp_and_cpd_are_documented_at_each_point() -> None:
    s = cycle()
    b_without = part(
        "refocus-app-b", EMPLOYEE_PART, mid_year_cycle=1, empty=("training_and_support_needed",)
    )
    found = s.act(date(2025, 11, 28), b_without, by=EMPLOYEE)
    assert s.rule_ids(found) == ["rf-pdp-each-point"]
    assert "4) What additional training and support do I need?" in found[0].message
    found = s.act(
        date(2026, 7, 1),
        part("refocus-app-d", EMPLOYEE_PART, empty=("cpd_requested",)),
        by=EMPLOYEE,
    )
    assert found[0].message.endswith("leaves empty: Training/CPD requested for the next cycle")
    complete = part("refocus-app-d", EMPLOYEE_PART)
    assert s.act(date(2026, 7, 1), complete, by=by_author(EMPLOYEE_PART)) == []


SCHOOL_TOML = """
school = "example"
nation = "england"

[[years]]
academic_year = "2025-26"
terms = [
  { name = "Autumn", start = 2025-09-01, end = 2025-12-19 },
  { name = "Spring", start = 2026-01-05, end = 2026-03-27 },
  { name = "Summer", start = 2026-04-13, end = 2026-07-21 },
]

[years.submission_deadlines]
mid_year_1 = 2026-01-09
end_of_cycle = 2026-07-17
"""


def test_000_s4_nb_published_deadlines_reach_the_case_status_from_the_school_calendar() -> None:
    """The route a host takes: the school's calendar file → Calendars → Ledger status."""
    calendars = Calendars({"example": TermDates.from_toml(SCHOOL_TOML)})
    s = cycle()
    s.act(date(2025, 11, 28), employee_b(), by=EMPLOYEE)
    own_part = s.version
    hold(s, date(2025, 12, 2), "mid-1", MID)

    def submission_rows(as_of: date) -> list[Deadline]:
        status = case_status(s.events, calendars.for_case, as_of)
        return [d for d in status.deadlines if d.rule.id == "rf-midyear-submission"]

    (first,) = submission_rows(date(2026, 1, 8))
    assert (first.due_on, first.status) == (date(2026, 1, 9), DeadlineStatus.OPEN)
    assert first.unit == "by the mid year 1 submission deadline example published for 2025-26"
    (first,) = submission_rows(date(2026, 1, 12))
    assert first.status is DeadlineStatus.OVERDUE
    submit(s, date(2026, 1, 9), own_part)
    (first,) = submission_rows(date(2026, 1, 12))
    assert (first.status, first.done_on) == (DeadlineStatus.MET, date(2026, 1, 9))

    # mid_year_2 is not in the file: not published, and the row says where to add it.
    hold(s, date(2026, 3, 24), "mid-2", MID)
    _, second = submission_rows(date(2026, 4, 1))
    assert second.status is DeadlineStatus.UNKNOWN
    assert second.reason is not None
    assert "has not published its mid year 2 submission deadline for 2025-26" in second.reason
    assert "mid_year_2 under [years.submission_deadlines]" in second.reason

    missed = cycle()
    missed.act(date(2025, 11, 28), employee_b(), by=EMPLOYEE)
    late_part = missed.version
    hold(missed, date(2025, 12, 2), "mid-1", MID)
    submit(missed, date(2026, 1, 13), late_part)
    status = case_status(missed.events, calendars.for_case, date(2026, 1, 13))
    (row,) = [d for d in status.deadlines if d.rule.id == "rf-midyear-submission"]
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2026, 1, 13))
    assert "rf-midyear-submission" in {f.rule.id for f in status.compliance}


def test_000_s4_nb_a_mistyped_published_deadline_is_refused_with_what_to_fix() -> None:
    wrong_year = SCHOOL_TOML.replace("mid_year_1 = 2026-01-09", "mid_year_1 = 2016-01-09")
    with pytest.raises(TermDataError, match="mid_year_1 \\(2016-01-09\\) is not between"):
        TermDates.from_toml(wrong_year)
    misspelt = SCHOOL_TOML.replace("mid_year_1 =", "mid_year1 =")
    with pytest.raises(TermDataError, match=r"submission_deadlines\.mid_year1: not a setting"):
        TermDates.from_toml(misspelt)
    swapped = SCHOOL_TOML.replace("end_of_cycle = 2026-07-17", "end_of_cycle = 2025-12-17")
    with pytest.raises(TermDataError, match="end_of_cycle \\(2025-12-17\\) is before mid_year_1"):
        TermDates.from_toml(swapped)


def test_000_s4_s12_a_deferred_reviews_paperwork_is_never_due_before_the_meeting_held(
    tmp_path: Path,
) -> None:
    """§12: the end of cycle review is in June/July "unless student outcomes are required as
    evidence"; §4 NB: paperwork deadlines are published annually. Deferred to 15 September 2026
    for GCSE results, its App D and the employee's submission cannot be due on the 17 July
    deadline before it: they follow the meeting to the school's next published deadline (11
    December 2026), and paperwork done in September meets it. Through the public Ledger."""
    published = {
        "2025-26": SubmissionDeadlines(end_of_cycle=date(2026, 7, 17)),
        "2026-27": SubmissionDeadlines(mid_year_1=date(2026, 12, 11)),
    }
    terms = example_term_dates()
    years = tuple(
        year.model_copy(update={"submission_deadlines": published[year.academic_year]})
        if year.academic_year in published
        else year
        for year in terms.years
    )
    with open_example_ledger(
        str(tmp_path / "ledger.sqlite"), terms.model_copy(update={"years": years})
    ) as ledger:
        s = LedgerScript(ledger, PACK)
        open_cycle(s)  # type: ignore[arg-type]
        open_cycle(  # type: ignore[arg-type]
            s, on=date(2026, 9, 1), cycle_id="2026-27", starts=date(2026, 9, 1),
            ends=date(2027, 8, 31),
        )  # fmt: skip
        reason = "outcomes_evidence_awaited: GCSE results"
        hold(s, date(2026, 9, 15), "eoc", END, reason=reason)  # type: ignore[arg-type]
        meeting = s.version
        statement = part("refocus-app-d", REVIEWER_PART, about=meeting, confirms=APP_C)
        s.act(date(2026, 9, 18), statement, by=REVIEWER)
        submit(s, date(2026, 9, 22), s.version, to="formal_assessment")  # type: ignore[arg-type]
        status = ledger.reader(HR).status(s.employee, date(2026, 9, 23))
        paperwork = {d.rule.id: d for d in status.deadlines if d.anchor_version == meeting}
        for rule_id in ("rf-end-of-cycle-template", "rf-end-of-cycle-sequence"):
            row = paperwork[rule_id]
            assert (row.due_on, row.status) == (date(2026, 12, 11), DeadlineStatus.MET), row
            assert "the end of cycle deadline 2026-07-17 published for 2025-26" in row.unit
        assert not [f for f in status.compliance if f.rule.id in paperwork]


def test_000_s4_the_status_names_the_review_of_the_three_point_cycle(tmp_path: Path) -> None:
    """§4: mid-point reviews in November/December (1) and March/April (2), the end of cycle
    review in June/July (3); the status says which was held last, on any date."""
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        s = LedgerScript(ledger, PACK)
        open_cycle(s)  # type: ignore[arg-type]

        def review_on(day: date) -> tuple[int, int] | None:
            point = ledger.reader(HR).status(s.employee, day).review
            return (point.number, point.of) if point else None

        assert review_on(date(2025, 11, 19)) is None
        hold(s, date(2025, 11, 20), "mid-1", MID)  # type: ignore[arg-type]
        hold(s, date(2026, 3, 19), "mid-2", MID)  # type: ignore[arg-type]
        hold(s, date(2026, 7, 7), "eoc", END)  # type: ignore[arg-type]
        assert review_on(date(2025, 12, 1)) == (1, 3)
        assert review_on(date(2026, 4, 1)) == (2, 3)
        point = ledger.reader(HR).status(s.employee, date(2026, 7, 8)).review
        assert point is not None
        assert (point.number, point.held_on, point.cycle) == (3, date(2026, 7, 7), "2025-26")
        assert point.words == (
            "review 3 of 3: the end of cycle review of 2025-26, held on 2026-07-07"
        )
        mid = ledger.reader(HR).status(s.employee, date(2026, 4, 1)).review
        assert mid is not None
        assert mid.words.startswith("review 2 of 3: the March/April mid-point review of 2025-26")
