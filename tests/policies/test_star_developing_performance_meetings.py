"""STAR Developing Performance (seed 003): the initial and review meetings, letters 1 and 3,
companions, meeting notes and evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.policies.ledger_script import open_example_ledger
from tests.policies.script import EMPLOYEE, HR, finding, unexplained
from tests.policies.star_case import INITIAL_ON, REVIEW_ON, Case, flat

from pmledger.events.meeting_acts import (
    Attendee,
    CompanionKind,
    CompanionNamed,
    DocumentsSubmitted,
    LetterSent,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
    RescheduleCause,
)
from pmledger.events.record_acts import RecordCopyProvided
from pmledger.events.support_acts import Outcome, SupportPlanDrafted
from pmledger.policies.judgement import DeadlineStatus, Severity


@pytest.mark.parametrize("letter", [None, "trust-invitation"])
def test_003_s4_1_the_initial_meeting_follows_model_letter_1(letter: str | None) -> None:
    case = Case()
    found = case.run("initial", change={"invite": {"letter": letter}})
    assert found["initial"] == ["st-letter-1"]
    assert "without model letter star-1" in case.script.findings[-1].message
    separate = Case()
    separate.run("invite", change={"invite": {"letter": None}})
    separate.act(
        date(2025, 9, 10),
        LetterSent(
            letter_id="l-1",
            template="star-1",
            about_id="initial",
            confirms=("policy_copy_enclosed", "right_to_companion_stated"),
        ),
    )
    assert separate.run("initial", start="initial") == {"initial": []}


def test_003_s4_1_letter_1_cannot_invite_to_another_meeting() -> None:
    case = Case()
    wrong = Case()
    wrong.run("invite", change={"invite": {"letter": "star-3"}})
    finding(wrong.script.findings, "star-3 cannot invite to the initial_support", Severity.MAJOR)
    case.run("review-invite")
    finding(
        case.check(
            date(2025, 10, 23), LetterSent(letter_id="x", template="star-1", about_id="review-1")
        ),
        "star-1 cannot be about the support_review",
        Severity.MAJOR,
    )


def test_003_s4_1_the_employee_is_given_a_copy_of_the_policy() -> None:
    case = Case()
    found = case.run("initial", change={"invite": {"confirms": ()}})
    assert found["initial"] == ["st-policy-copy"]


def test_003_s4_1_a_draft_support_plan_is_given_before_the_initial_meeting() -> None:
    case = Case()
    assert case.run("initial", skip={"draft"})["initial"] == ["st-draft-plan"]
    enclosed = Case()
    found = enclosed.run(
        "initial", skip={"draft"}, change={"invite": {"draft_plan_enclosed": True}}
    )
    assert flat(found) == []
    late = Case()
    late.run("invite", skip={"draft"})
    found_late = late.act(
        date(2025, 9, 16), SupportPlanDrafted(plan_id="sp-1", shared_with_employee_on=INITIAL_ON)
    )
    assert found_late == ["st-draft-plan"]
    assert "not before the initial meeting on 2025-09-17" in late.script.findings[-1].message


def test_003_s3_1_letters_1_and_3_state_the_right_to_be_accompanied() -> None:
    case = Case()
    found = case.run(
        change={
            "invite": {"states_right_to_companion": False},
            "review-invite": {"states_right_to_companion": False},
        }
    )
    assert found["initial"] == ["st-companion-right"]
    assert found["review"] == ["st-companion-right"]
    assert "support_review meeting does not state" in case.script.findings[-1].message


def test_003_app1_s2_the_companions_status_is_established_before_the_meeting() -> None:
    companion = {"companion_name": "Pat Jones", "companion_person_id": "col-9"}
    case = Case()
    assert case.run("initial", change={"initial": companion})["initial"] == ["st-companion-status"]
    named = Case()
    named.run("invite")
    named.act(
        date(2025, 9, 15),
        CompanionNamed(
            meeting_id="initial",
            name="Pat Jones",
            companion_kind=CompanionKind.TRADE_UNION_REP,
        ),
        by=EMPLOYEE,
    )
    assert named.run("initial", start="initial", change={"initial": companion}) == {"initial": []}
    kind = Case()
    with_kind = {**companion, "companion_kind": CompanionKind.WORK_COLLEAGUE}
    assert kind.run("initial", change={"initial": with_kind})["initial"] == []


def test_003_app1_s2_a_colleague_who_monitors_or_supports_is_not_a_suitable_companion() -> None:
    case = Case()
    case.run("letter-2")
    found = case.act(
        date(2025, 10, 27),
        CompanionNamed(
            meeting_id="review-1",
            name="Sam Lee",
            companion_kind=CompanionKind.WORK_COLLEAGUE,
            person_id="sup-1",
        ),
        by=EMPLOYEE,
    )
    assert found == ["st-companion-not-monitor"]
    assert "supporter" in case.script.findings[-1].message
    union = case.act(
        date(2025, 10, 27),
        CompanionNamed(
            meeting_id="review-1",
            name="Sam Lee",
            companion_kind=CompanionKind.TRADE_UNION_REP,
            person_id="sup-1",
        ),
        by=EMPLOYEE,
    )
    assert union == []


def test_003_app1_s2_a_colleague_who_accompanied_the_employee_is_not_then_made_a_monitor() -> None:
    colleague = {"companion_kind": CompanionKind.WORK_COLLEAGUE, "companion_person_id": "mon-1"}
    case = Case()
    found = case.run("monitor", change={"initial": {**colleague, "companion_name": "Alex Ray"}})
    assert found["plan"] == ["st-companion-not-monitor"]
    assert found["monitor"] == ["st-companion-not-monitor"]
    assert found["initial"] == []


def test_003_s2_2_meetings_must_not_be_recorded() -> None:
    case = Case()
    found = case.run("initial", change={"initial": {"recorded_electronically": True}})
    assert found["initial"] == ["st-no-recording"]


def test_003_s4_2_the_initial_meeting_gives_an_overview_of_the_process() -> None:
    case = Case()
    found = case.run("initial", change={"initial": {"confirms": ("consequences_explained",)}})
    assert found["initial"] == ["st-process-overview"]


def test_003_s5_notes_of_meetings_are_supplied_to_the_employee() -> None:
    case = Case()
    case.run(skip={"initial-notes"})
    assert case.decide(Outcome.SUCCESSFUL) == ["st-notes-to-employee"]
    assert "initial_support initial on 2025-09-17" in case.script.findings[-1].message
    copied = Case()
    copied.run(skip={"initial-notes"})
    copied.act(
        date(2025, 9, 19),
        RecordCopyProvided(record_version=copied.versions["initial"], to="employee"),
    )
    assert copied.decide(Outcome.SUCCESSFUL) == []


def test_003_s4_5_letter_3_confirms_date_time_and_venue_before_the_review() -> None:
    missing = Case()
    assert missing.run(change={"review-invite": {"letter": None}})["review"] == ["st-letter-3"]
    same_day = Case()
    found = same_day.run(on={"review-invite": REVIEW_ON, "evidence": date(2025, 11, 5)})
    assert found["review"] == ["st-letter-3"]
    assert "not before the meeting" in same_day.script.findings[-1].message
    no_venue = Case()
    assert no_venue.run(change={"review-invite": {"venue": None}})["review"] == ["st-letter-3"]
    interim = Case()
    interim.run("letter-2")
    finding(
        interim.check(
            date(2025, 10, 6),
            MeetingInvited(
                meeting_id="interim",
                purpose=MeetingPurpose.INTERIM_REVIEW,
                scheduled_for=date(2025, 10, 13),
                letter="star-3",
            ),
        ),
        "star-3 cannot invite to the interim_review",
        Severity.MAJOR,
    )


def test_003_s4_5_written_evidence_is_provided_before_the_review_meeting() -> None:
    case = Case()
    found = case.run("review", on={"evidence": REVIEW_ON})
    assert found["evidence"] == ["st-evidence-in-advance"]
    assert flat(Case().run("review", on={"evidence": date(2025, 11, 5)})) == []
    management = Case()
    management.run("review")
    late = management.act(
        date(2025, 11, 7),
        DocumentsSubmitted(meeting_id="review-1", party="management", documents=("Log",)),
    )
    assert late == ["st-evidence-in-advance"]


def test_003_s4_5_the_review_is_held_on_the_date_the_plan_sets_or_a_reason_is_given() -> None:
    case = Case()
    case.run("letter-2")
    moved = {"review-invite": {"scheduled_for": date(2025, 11, 13)}}
    unexplained_case = Case()
    unexplained_case.run("review-invite", change=moved)
    unexplained(unexplained_case.script.findings, "set for 2025-11-13", Severity.MINOR)
    found = case.run(
        "review",
        start="review-invite",
        change=moved,
        on={"review": date(2025, 11, 13)},
        reasons={"review-invite": "Employee on a course on 6 November"},
    )
    assert found == {"review-invite": ["st-review-per-plan"], "evidence": [], "review": []}


def test_003_app1_s5_a_review_brought_forward_or_held_off_the_plan_date_needs_a_reason() -> None:
    case = Case()
    case.run("evidence")
    forward = MeetingRescheduled(
        meeting_id="review-1",
        new_date=date(2025, 10, 30),
        cause=RescheduleCause.BROUGHT_FORWARD,
        requested_by="line manager",
        reason="Significant deterioration in October",
    )
    unexplained(case.check(date(2025, 10, 24), forward), "moved to 2025-10-30", Severity.MINOR)
    case.act(date(2025, 10, 24), forward, reason="significant deterioration brought forward")
    other_day = MeetingHeld(meeting_id="review-1", chair_person_id="lm-1")
    unexplained(case.check(date(2025, 10, 31), other_day), "held on 2025-10-31", Severity.MINOR)
    assert case.act(date(2025, 10, 30), other_day) == []


def test_003_app1_s2_a_colleague_who_gives_information_about_performance_is_no_companion(
    tmp_path: Path,
) -> None:
    """App 1 §2: a work colleague who may "give information about the employee's job
    performance" is compromised as a companion, like a monitor or supporter: recorded, with a
    finding, through the public Ledger with access control on."""
    witness = {"attendees": (Attendee(person_id="col-9", role="witness"),)}
    colleague = {
        "companion_name": "Pat Jones",
        "companion_kind": CompanionKind.WORK_COLLEAGUE,
        "companion_person_id": "col-9",
    }
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        first_witness = Case(ledger=ledger)
        found = first_witness.run("initial", change={"conversation": witness, "initial": colleague})
        assert found["conversation"] == []
        assert found["initial"] == ["st-companion-not-monitor"]
        message = first_witness.script.findings[-1].message
        assert "col-9 accompanies the employee but gave information about their performance" in (
            message
        )
        assert "witness at meeting 121 on 2025-09-09" in message
        assert first_witness.script.findings[-1].severity is Severity.MINOR
    with open_example_ledger(str(tmp_path / "later.sqlite")) as ledger:
        later_witness = Case(ledger=ledger)
        later_witness.run(
            "letter-2", change={"initial": colleague}, skip={"initial-notes", "plan-signed"}
        )
        found = later_witness.run("review", start="review-invite", change={"review": witness})
        assert found["review"] == ["st-companion-not-monitor"]
        assert (
            "col-9 (was a witness at meeting review-1)" in later_witness.script.findings[-1].message
        )
    with open_example_ledger(str(tmp_path / "union.sqlite")) as ledger:
        union = {**colleague, "companion_kind": CompanionKind.TRADE_UNION_REP}
        representative = Case(ledger=ledger)
        found = representative.run("initial", change={"conversation": witness, "initial": union})
        assert found["initial"] == []


def test_003_s4_1_short_notice_is_one_breach_in_the_compliance_list(tmp_path: Path) -> None:
    """Letter 1 sent on Monday 15 September for the Initial Meeting on Wednesday 17th: the
    invitation's finding and the notice deadline it met late are one breach, listed once with
    the finding's severity and linked to the deadline's row."""
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        case = Case(ledger=ledger)
        found = case.run("invite", on={"draft": date(2025, 9, 15), "invite": date(2025, 9, 15)})
        assert found["invite"] == ["st-initial-notice-5wd"]
        invited = case.versions["invite"]
        status = ledger.reader(HR).status(case.script.employee, date(2025, 9, 16))
        (row,) = [d for d in status.deadlines if d.rule.id == "st-initial-notice-5wd"]
        assert row.status is DeadlineStatus.MISSED
        (breach,) = [f for f in status.compliance if f.rule.id == "st-initial-notice-5wd"]
        assert (breach.version, breach.severity) == (invited, Severity.MINOR)
        assert (breach.due_on, breach.deadline_anchor_version) == (row.due_on, row.anchor_version)
