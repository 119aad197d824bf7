"""Support staff performance management (seed 001): the memo and the forms (§6, §9, App 1-4)."""

from __future__ import annotations

from datetime import date

from tests.policies.script import EMPLOYEE, HEAD, REVIEWER, Script
from tests.policies.support_staff_pm_script import (
    CYCLE,
    act_under,
    countersign,
    held,
    invite,
    objectives,
    planning_meeting,
    rows,
    ss,
    with_cycle,
)

from pmledger.calendar import Direction, TimeLimit, TimeUnit
from pmledger.events.case_acts import CycleClosed, CycleOpened, ObjectivesSet
from pmledger.events.meeting_acts import LetterSent, MeetingPurpose
from pmledger.events.record_acts import (
    DisagreementReferred,
    RecordCopyProvided,
    RecordSubmitted,
    StatementKind,
    StatementRecorded,
)
from pmledger.policies.judgement import DeadlineStatus
from pmledger.policies.packs.support_staff_pm import Form, MemoTiming, Settings, build_pack

MEMO = Form.APP1_MEMO.value


def statement(form: Form, kind: StatementKind = StatementKind.PLANNING_REVIEW) -> StatementRecorded:
    return StatementRecorded(statement_kind=kind, form=form.value, cycle_id=CYCLE, text="…")


def test_001_app1_memo_goes_out_5_working_days_before_the_meeting_across_easter() -> None:
    s = with_cycle()
    # Monday 13 April 2026: Easter Monday (6 April) and Good Friday (3 April) are not working
    # days, so the fifth working day before is Thursday 2 April.
    assert s.calendar.shift(
        date(2026, 4, 13), TimeLimit(amount=5, unit=TimeUnit.WORKING_DAYS), Direction.BEFORE
    ) == date(2026, 4, 2)
    assert (
        s.act(
            date(2026, 4, 2),
            invite("plan-1", MeetingPurpose.PLANNING, date(2026, 4, 13), letter=MEMO),
        )
        == []
    )
    late = with_cycle()
    found = late.act(
        date(2026, 4, 7), invite("plan-1", MeetingPurpose.PLANNING, date(2026, 4, 13), letter=MEMO)
    )
    assert late.rule_ids(found) == ["ss-memo-timing"]
    assert "sent by 2026-04-02" in found[0].message
    (row,) = rows(late, date(2026, 4, 13), "ss-memo-timing")
    assert (row.due_on, row.status) == (date(2026, 4, 2), DeadlineStatus.MISSED)


def test_001_s9_1_conflict_the_memo_within_5_working_days_of_the_meeting_is_a_setting() -> None:
    assert "conflict" in next(r for r in build_pack().rules if r.ref.id == "ss-memo-timing").summary
    after = build_pack(Settings(memo_timing=MemoTiming.WITHIN_5WD_OF))
    memo = LetterSent(letter_id="memo-1", template=MEMO, about_id="plan-1")
    s = with_cycle()
    act_under(
        after, s, date(2025, 12, 12), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 12, 19))
    )
    act_under(after, s, date(2025, 12, 19), held("plan-1"))
    # 5 working days after Friday 19 December 2025, skipping Christmas and Boxing Day: 30 December.
    assert act_under(after, s, date(2025, 12, 30), memo) == []
    (row,) = rows(s, date(2026, 1, 5), "ss-memo-timing", after)
    assert (row.due_on, row.status) == (date(2025, 12, 30), DeadlineStatus.MET)
    late = with_cycle()
    act_under(
        after,
        late,
        date(2025, 12, 12),
        invite("plan-1", MeetingPurpose.PLANNING, date(2025, 12, 19)),
    )
    act_under(after, late, date(2025, 12, 19), held("plan-1"))
    assert [f.rule.id for f in act_under(after, late, date(2025, 12, 31), memo)] == [
        "ss-memo-timing"
    ]
    # The default (App 1) reading finds the same memo late: it came after the meeting.
    default = with_cycle()
    default.act(date(2025, 12, 12), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 12, 19)))
    default.act(date(2025, 12, 19), held("plan-1"))
    assert default.rule_ids(default.act(date(2025, 12, 30), memo)) == ["ss-memo-timing"]


def test_001_s9_app1_memo_is_awaited_only_where_the_school_uses_it() -> None:
    s = with_cycle()
    s.act(date(2025, 10, 1), invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)))
    assert rows(s, date(2025, 10, 8), "ss-memo-timing") == []
    uses_app1 = build_pack(
        Settings(forms_in_use=frozenset({Form.APP1_MEMO, Form.APP3_PLANNING_AND_REVIEW}))
    )
    (row,) = rows(s, date(2025, 10, 8), "ss-memo-timing", uses_app1)
    assert (row.due_on, row.status) == (date(2025, 10, 1), DeadlineStatus.OVERDUE)


def test_001_s9_2_the_self_evaluation_is_completed_before_the_review_meeting() -> None:
    self_evaluation = statement(Form.APP2_SELF_EVALUATION, StatementKind.SELF_EVALUATION)
    # Where the school does not use App 2, nothing is awaited ...
    s = with_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    assert rows(s, date(2025, 10, 9), "ss-self-evaluation-before") == []
    # ... but one completed after the meeting anyway is late.
    s.act(date(2025, 10, 9), self_evaluation, by=EMPLOYEE)
    (row,) = rows(s, date(2025, 10, 9), "ss-self-evaluation-before")
    assert (row.due_on, row.status) == (date(2025, 10, 8), DeadlineStatus.MISSED)

    uses_app2 = build_pack(Settings(forms_in_use=frozenset({Form.APP2_SELF_EVALUATION})))
    missing = with_cycle()
    act_under(
        uses_app2,
        missing,
        date(2025, 10, 1),
        invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)),
    )
    considered = held("plan-1", confirms=("self_evaluation_considered",))
    act_under(uses_app2, missing, date(2025, 10, 8), considered)
    (row,) = rows(missing, date(2025, 10, 9), "ss-self-evaluation-before", uses_app2)
    assert row.status is DeadlineStatus.OVERDUE, "never completed shows as overdue"

    ahead = with_cycle()
    ahead.act(date(2025, 10, 6), self_evaluation, by=EMPLOYEE)
    planning_meeting(ahead, date(2025, 10, 1), date(2025, 10, 8))
    (row,) = rows(ahead, date(2025, 10, 9), "ss-self-evaluation-before", uses_app2)
    assert (row.status, row.done_on) == (DeadlineStatus.MET, date(2025, 10, 6))


def test_001_s6_2_where_app2_is_used_the_meeting_considers_the_self_evaluation() -> None:
    uses_app2 = build_pack(Settings(forms_in_use=frozenset({Form.APP2_SELF_EVALUATION})))
    s = with_cycle()
    act_under(
        uses_app2,
        s,
        date(2025, 10, 1),
        invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)),
    )
    found = act_under(uses_app2, s, date(2025, 10, 8), held("plan-1"))
    assert [f.rule.id for f in found] == ["ss-self-evaluation-before"]
    t = with_cycle()
    act_under(
        uses_app2,
        t,
        date(2025, 10, 1),
        invite("plan-1", MeetingPurpose.PLANNING, date(2025, 10, 8)),
    )
    considered = held("plan-1", confirms=("self_evaluation_considered",))
    assert act_under(uses_app2, t, date(2025, 10, 8), considered) == []


def second_cycle() -> Script:
    """A case whose 2024-25 cycle had objectives, now in its 2025-26 cycle: App 3 then has an
    assessment summary to give."""
    s = ss(opened_on=date(2024, 9, 2))
    s.act(
        date(2024, 9, 2),
        CycleOpened(
            cycle_id="2024-25",
            starts_on=date(2024, 9, 2),
            ends_on=date(2025, 8, 31),
            reviewer_person_id="rev-1",
        ),
    )
    s.act(
        date(2024, 10, 7),
        ObjectivesSet(cycle_id="2024-25", objectives=objectives(3)),
        by=REVIEWER,
    )
    s.act(
        date(2025, 9, 1),
        CycleOpened(
            cycle_id=CYCLE,
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id="rev-1",
        ),
    )
    return s


def test_001_s6_3_the_planning_and_review_form_is_completed_within_one_week() -> None:
    first = with_cycle()
    planning_meeting(first, date(2025, 10, 1), date(2025, 10, 8))
    (row,) = rows(first, date(2025, 10, 16), "ss-pr-form-one-week")
    assert "objectives recorded" in row.description, "a first cycle has nothing to assess"
    assert (row.due_on, row.status) == (date(2025, 10, 15), DeadlineStatus.OVERDUE)
    first.act(
        date(2025, 10, 16), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER
    )
    assert rows(first, date(2025, 10, 16), "ss-pr-form-one-week")[0].status is (
        DeadlineStatus.MISSED
    )

    s = second_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    objectives_row, summary_row = rows(s, date(2025, 10, 16), "ss-pr-form-one-week")
    assert objectives_row.status is DeadlineStatus.MET
    assert "App 3 assessment summary" in summary_row.description
    assert (summary_row.due_on, summary_row.status) == (date(2025, 10, 15), DeadlineStatus.OVERDUE)
    # A summary recorded before the meeting is not this meeting's form.
    s.act(date(2025, 10, 16), statement(Form.APP3_PLANNING_AND_REVIEW), by=REVIEWER)
    _, summary_row = rows(s, date(2025, 10, 16), "ss-pr-form-one-week")
    assert (summary_row.status, summary_row.done_on) == (DeadlineStatus.MISSED, date(2025, 10, 16))


def test_001_s9_3_the_form_is_signed_by_both_within_10_working_days_across_half_term() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 10, 17), date(2025, 10, 24))
    s.act(date(2025, 10, 24), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    version = s.version
    # Half term (27-31 October) is made of working days: the tenth is Friday 7 November.
    (row,) = rows(s, date(2025, 11, 7), "ss-pr-form-signed-10wd")
    assert (row.due_on, row.status) == (date(2025, 11, 7), DeadlineStatus.OPEN)
    countersign(s, date(2025, 11, 10), version)
    assert rows(s, date(2025, 11, 10), "ss-pr-form-signed-10wd")[0].status is DeadlineStatus.MISSED


def test_001_s9_3_signatures_due_over_christmas() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 12, 3), date(2025, 12, 10))
    s.act(date(2025, 12, 10), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    countersign(s, date(2025, 12, 24), s.version)
    (row,) = rows(s, date(2026, 1, 5), "ss-pr-form-signed-10wd")
    assert (row.due_on, row.status) == (date(2025, 12, 24), DeadlineStatus.MET)


def test_001_s9_3_the_assessment_summary_is_signed_by_both_within_10_working_days() -> None:
    s = second_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    _, summary = rows(s, date(2025, 10, 23), "ss-pr-form-signed-10wd")
    assert (summary.due_on, summary.status) == (date(2025, 10, 22), DeadlineStatus.OVERDUE)
    s.act(date(2025, 10, 9), statement(Form.APP3_PLANNING_AND_REVIEW), by=REVIEWER)
    countersign(s, date(2025, 10, 22), s.version)
    _, summary = rows(s, date(2025, 10, 23), "ss-pr-form-signed-10wd")
    assert (summary.status, summary.done_on) == (DeadlineStatus.MET, date(2025, 10, 22))


def test_001_app3_a_signed_copy_reaches_the_headteacher_within_10_days() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    version = s.version
    unsigned = s.act(
        date(2025, 10, 9), RecordCopyProvided(record_version=version, to="headteacher"), by=REVIEWER
    )
    assert "not signed by the reviewee" in unsigned[0].message
    (row,) = rows(s, date(2025, 10, 23), "ss-pr-form-to-ht")
    assert (row.due_on, row.status) == (date(2025, 10, 22), DeadlineStatus.MET)

    late = with_cycle()
    planning_meeting(late, date(2025, 10, 1), date(2025, 10, 8))
    late.act(
        date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER
    )
    version = late.version
    (row,) = rows(late, date(2025, 10, 23), "ss-pr-form-to-ht")
    assert row.status is DeadlineStatus.OVERDUE, "no copy at all shows as overdue"
    countersign(late, date(2025, 10, 13), version)
    assert late.act(date(2025, 10, 23), RecordSubmitted(record_version=version), by=REVIEWER) == []
    (row,) = rows(late, date(2025, 10, 23), "ss-pr-form-to-ht")
    assert (row.status, row.done_on) == (DeadlineStatus.MISSED, date(2025, 10, 23))
    calendar_days = build_pack(Settings(app3_ht_copy_unit=TimeUnit.CALENDAR_DAYS))
    (row,) = rows(late, date(2025, 10, 23), "ss-pr-form-to-ht", calendar_days)
    assert row.due_on == date(2025, 10, 18)


def test_001_s6_3_the_reviewee_gets_a_copy_of_the_final_signed_form() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    version = s.version
    (row,) = rows(s, date(2026, 9, 1), "ss-pr-form-copy-reviewee")
    assert (row.due_on, row.status) == (date(2026, 8, 31), DeadlineStatus.OVERDUE)
    # A copy before the reviewee signed is not of the final signed form.
    s.act(date(2025, 10, 9), RecordCopyProvided(record_version=version, to="employee"))
    countersign(s, date(2025, 10, 13), version)
    (row,) = rows(s, date(2026, 9, 1), "ss-pr-form-copy-reviewee")
    assert row.status is DeadlineStatus.OVERDUE
    s.act(date(2025, 10, 14), RecordCopyProvided(record_version=version, to="employee"))
    (row,) = rows(s, date(2026, 9, 1), "ss-pr-form-copy-reviewee")
    assert (row.status, row.done_on) == (DeadlineStatus.MET, date(2025, 10, 14))

    closed = with_cycle()
    planning_meeting(closed, date(2025, 10, 1), date(2025, 10, 8))
    closed.act(date(2026, 2, 27), CycleClosed(cycle_id=CYCLE, reason="employment_ended"))
    (row,) = rows(closed, date(2026, 3, 2), "ss-pr-form-copy-reviewee")
    assert (row.due_on, row.status) == (date(2026, 2, 27), DeadlineStatus.OVERDUE)


def test_001_s9_3_disagreements_are_brought_to_the_headteacher_by_the_reviewer() -> None:
    s = with_cycle()
    planning_meeting(s, date(2025, 10, 1), date(2025, 10, 8))
    s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=CYCLE, objectives=objectives(3)), by=REVIEWER)
    countersign(s, date(2025, 10, 13), s.version, disagrees=True)
    acknowledgement = s.version
    (row,) = rows(s, date(2026, 9, 1), "ss-disagreement-to-ht")
    assert (row.due_on, row.status) == (date(2026, 8, 31), DeadlineStatus.OVERDUE)
    s.act(date(2025, 10, 14), DisagreementReferred(record_version=acknowledgement), by=HEAD)
    assert rows(s, date(2026, 9, 1), "ss-disagreement-to-ht")[0].status is (
        DeadlineStatus.OVERDUE
    ), "referred by someone other than the reviewer"
    s.act(date(2025, 10, 15), DisagreementReferred(record_version=acknowledgement), by=REVIEWER)
    (row,) = rows(s, date(2026, 9, 1), "ss-disagreement-to-ht")
    assert (row.status, row.done_on) == (DeadlineStatus.MET, date(2025, 10, 15))

    comment = StatementRecorded(
        statement_kind=StatementKind.EMPLOYEE_COMMENT, text="I disagree", disagrees=True
    )
    s.act(date(2026, 4, 20), comment, by=EMPLOYEE)
    _, statement_row = rows(s, date(2026, 9, 1), "ss-disagreement-to-ht")
    assert statement_row.status is DeadlineStatus.OVERDUE


def test_001_s9_4_the_mid_year_form_is_completed_within_one_week_over_easter() -> None:
    s = with_cycle()
    s.act(date(2026, 3, 20), invite("mid", MeetingPurpose.MID_YEAR_REVIEW, date(2026, 3, 27)))
    s.act(date(2026, 3, 27), held("mid"))
    form = statement(Form.APP4_MID_YEAR_REVIEW, StatementKind.MID_YEAR_REVIEW)
    completed, signed = rows(s, date(2026, 4, 4), "ss-mid-year-form")
    assert (completed.due_on, completed.status) == (date(2026, 4, 3), DeadlineStatus.OVERDUE)
    # Good Friday 3 April and Easter Monday 6 April are not working days.
    assert (signed.due_on, signed.status) == (date(2026, 4, 14), DeadlineStatus.OPEN)
    s.act(date(2026, 4, 4), form, by=REVIEWER)
    countersign(s, date(2026, 4, 14), s.version)
    completed, signed = rows(s, date(2026, 4, 15), "ss-mid-year-form")
    assert (completed.status, signed.status) == (DeadlineStatus.MISSED, DeadlineStatus.MET)
    no_app4 = build_pack(Settings(forms_in_use=frozenset()))
    assert rows(s, date(2026, 4, 15), "ss-mid-year-form", no_app4) == []
