"""STAR Developing Performance (seed 003): review outcomes, letters 4-6, further periods,
the move to capability, and absence during the process."""

from __future__ import annotations

from datetime import date

import pytest
from tests.policies.script import HR, finding, unexplained
from tests.policies.star_case import REVIEW_ON, Case, sign

from pmledger.events.governance_acts import CaseClosed
from pmledger.events.meeting_acts import LetterSent, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import AbsenceNoted, ConcernRaised, HrAdviceObtained
from pmledger.events.sanction_acts import CapabilityStarted
from pmledger.events.support_acts import (
    Consequence,
    ConsequencesExplained,
    Outcome,
    OutcomeDecided,
    SupportPlanRevised,
)
from pmledger.policies.judgement import (
    ActRefusedByRule,
    DeadlineStatus,
    Severity,
)
from pmledger.policies.ladder import Ladder

WARNED = {"review-invite": {"confirms": ("capability_likely_stated",)}}


def further(review_on: date, **extra: object) -> SupportPlanRevised:
    return SupportPlanRevised.model_validate(
        {
            "plan_id": "sp-1",
            "review_on": review_on,
            "further_period": True,
            "reason": "Partially successful review",
            **extra,
        }
    )


def test_003_s4_5_outcomes_are_the_three_the_policy_names_and_move_the_stage() -> None:
    case = Case()
    case.run()
    with pytest.raises(ActRefusedByRule, match="not improved"):
        case.decide(Outcome.IMPROVED, confirmed=False)
    with pytest.raises(ActRefusedByRule, match="there is no plan sp-9"):
        case.act(REVIEW_ON, OutcomeDecided(subject_id="sp-9", outcome=Outcome.SUCCESSFUL))
    assert case.decide(Outcome.SUCCESSFUL) == []
    assert case.file.stage is Ladder.NORMAL_CYCLE
    unsuccessful = Case()
    unsuccessful.run(change=WARNED)
    assert unsuccessful.decide(Outcome.UNSUCCESSFUL) == []
    assert unsuccessful.file.stage is Ladder.FORMAL_STAGE_1


def test_003_s4_5_a_letter_that_does_not_match_the_outcome_is_refused() -> None:
    case = Case()
    case.run()
    finding(
        case.check(
            REVIEW_ON,
            OutcomeDecided(subject_id="sp-1", outcome=Outcome.SUCCESSFUL, letter="star-6"),
        ),
        "star-6 cannot confirm a successful outcome",
        Severity.MAJOR,
    )
    finding(
        case.check(REVIEW_ON, LetterSent(letter_id="l-4", template="star-4")),
        "none is recorded",
        Severity.MAJOR,
    )
    case.decide(Outcome.SUCCESSFUL, confirmed=False)
    finding(
        case.check(
            date(2025, 11, 7), LetterSent(letter_id="l-5", template="star-5", about_id="sp-1")
        ),
        "confirms a partially_successful outcome",
        Severity.MAJOR,
    )
    assert case.act(date(2025, 11, 7), LetterSent(letter_id="l-4", template="star-4")) == []
    finding(
        case.check(
            date(2026, 1, 5),
            MeetingInvited(
                meeting_id="m",
                purpose=MeetingPurpose.MID_YEAR_REVIEW,
                scheduled_for=date(2026, 1, 12),
                letter="star-4",
            ),
        ),
        "it cannot invite",
        Severity.MAJOR,
    )


def test_003_s4_5_the_decision_is_confirmed_in_writing() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.SUCCESSFUL, confirmed=False)
    assert case.act(date(2026, 1, 30), CaseClosed(reason="Sustained"), by=HR) == [
        "st-outcome-letter"
    ]
    assert "never confirmed with model letter star-4" in case.script.findings[-1].message
    again = Case()
    again.run()
    again.decide(Outcome.SUCCESSFUL, confirmed=False)
    again.act(date(2026, 2, 2), ConcernRaised(concern_id="c-2", areas=("invoicing",)))
    found = again.run(
        "invite",
        start="invite",
        on={"invite": date(2026, 2, 3)},
        change={"invite": {"scheduled_for": date(2026, 2, 10)}},
    )
    assert found == {"invite": ["st-outcome-letter"]}
    written = Case()
    written.run()
    written.decide(Outcome.SUCCESSFUL, confirmed=False)
    written.act(date(2025, 11, 10), LetterSent(letter_id="l-4", template="star-4"))
    assert written.act(date(2026, 1, 30), CaseClosed(reason="Sustained"), by=HR) == []


def test_003_s4_5_partial_success_brings_a_further_period_with_letter_5() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.PARTIALLY_SUCCESSFUL)
    assert case.file.stage is Ladder.INFORMAL_SUPPORT
    case.act(REVIEW_ON, further(date(2025, 12, 18)))
    case.act(date(2025, 11, 7), LetterSent(letter_id="l-5", template="star-5", about_id="sp-1"))
    assert case.file.plans["sp-1"].periods == 2
    assert case.file.plans["sp-1"].review_on == date(2025, 12, 18)


def test_003_s4_5_a_further_period_follows_only_a_partially_successful_outcome() -> None:
    case = Case()
    case.run()
    finding(
        case.check(REVIEW_ON, further(date(2025, 12, 18))),
        "follows only a partially successful",
        Severity.MAJOR,
    )


def test_003_s4_5_without_an_updated_plan_the_partial_outcome_is_not_followed_through() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.PARTIALLY_SUCCESSFUL, confirmed=False)
    early = case.act(
        date(2025, 11, 7), LetterSent(letter_id="l-5", template="star-5", about_id="sp-1")
    )
    assert early == ["st-partial-further-period"]
    ignored = Case()
    ignored.run()
    ignored.decide(Outcome.PARTIALLY_SUCCESSFUL, confirmed=False)
    ignored.act(
        date(2025, 11, 7),
        SupportPlanRevised(plan_id="sp-1", review_on=date(2025, 12, 18), reason="Carry on"),
    )
    found = ignored.decide(Outcome.SUCCESSFUL, on=date(2025, 12, 18))
    assert "st-partial-further-period" in found
    assert "st-outcome-letter" in found


def test_003_s4_5_third_period_only_exceptionally_and_never_a_fourth() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.PARTIALLY_SUCCESSFUL)
    assert case.act(REVIEW_ON, further(date(2025, 12, 18))) == []
    assert case.act(date(2025, 11, 7), sign(case.script.version)) == []
    assert case.decide(Outcome.PARTIALLY_SUCCESSFUL, on=date(2025, 12, 18)) == []
    unexplained(
        case.check(date(2025, 12, 18), further(date(2026, 2, 5))), "third period", Severity.MAJOR
    )
    found = case.act(
        date(2025, 12, 18), further(date(2026, 2, 5)), reason="long-term sickness in period 2"
    )
    assert found == ["st-period-limit"]
    case.act(date(2025, 12, 19), sign(case.script.version))
    case.decide(Outcome.PARTIALLY_SUCCESSFUL, on=date(2026, 2, 5))
    finding(
        case.check(date(2026, 2, 5), further(date(2026, 3, 19)), reason="again"),
        "at most three periods",
        Severity.MAJOR,
    )


def test_003_app1_s7_the_employee_is_warned_before_the_review_if_capability_is_likely() -> None:
    case = Case()
    case.run()
    assert case.decide(Outcome.UNSUCCESSFUL) == ["st-capability-likely-warned"]
    warned = Case()
    warned.run(change=WARNED)
    assert warned.decide(Outcome.UNSUCCESSFUL) == []
    told = Case()
    told.run("evidence")
    told.act(
        date(2025, 11, 4),
        ConsequencesExplained(subject_id="sp-1", consequences=(Consequence.CAPABILITY_POSSIBLE,)),
    )
    told.run("review", start="review")
    assert told.decide(Outcome.UNSUCCESSFUL) == []
    same_day = Case()
    same_day.run()
    same_day.act(
        REVIEW_ON,
        ConsequencesExplained(subject_id="sp-1", consequences=(Consequence.CAPABILITY_POSSIBLE,)),
    )
    assert same_day.decide(Outcome.UNSUCCESSFUL) == ["st-capability-likely-warned"]


@pytest.mark.parametrize(
    ("started", "status"),
    [
        (REVIEW_ON, DeadlineStatus.MET),
        (date(2025, 11, 7), DeadlineStatus.MISSED),
        (None, DeadlineStatus.OVERDUE),
    ],
)
def test_003_s4_5_unsuccessful_moves_to_capability_with_immediate_effect(
    started: date | None, status: DeadlineStatus
) -> None:
    case = Case()
    case.run(change=WARNED)
    case.decide(Outcome.UNSUCCESSFUL)
    assert case.file.stage is Ladder.FORMAL_STAGE_1
    assert case.file.stage_since == REVIEW_ON
    if started is not None:
        case.act(started, CapabilityStarted(reason="Unsuccessful Developing Performance"))
    (deadline,) = [
        d
        for d in case.script.deadlines(date(2025, 11, 20))
        if d.rule.id == "st-unsuccessful-capability"
    ]
    assert deadline.due_on == REVIEW_ON
    assert deadline.status is status


def test_003_s4_6_absence_during_the_process_has_its_nature_and_likely_duration_determined() -> (
    None
):
    case = Case()
    appraisal = AbsenceNoted(nature="Flu", starts_on=date(2025, 9, 1))
    assert case.act(date(2025, 9, 1), appraisal) == []
    case.run("letter-2")
    unknown = AbsenceNoted(absence_id="a-2", nature="Back injury", starts_on=date(2025, 10, 6))
    assert case.act(date(2025, 10, 6), unknown) == ["st-sickness"]
    known = unknown.model_copy(update={"likely_duration_days": 10})
    assert case.act(date(2025, 10, 7), known) == []


def test_003_app1_s6_a_significant_absence_goes_to_attendance_management_and_hr() -> None:
    long = AbsenceNoted(
        absence_id="a-1",
        nature="Surgery",
        starts_on=date(2025, 10, 6),
        likely_duration_days=30,
        confirms=("significant_period",),
    )
    case = Case()
    case.run("letter-2")
    case.act(date(2025, 10, 6), long)
    case.run("review", start="review-invite")
    assert case.decide(Outcome.SUCCESSFUL) == ["st-sickness"]
    assert "Attendance Management Policy and HR not consulted" in case.script.findings[-1].message
    handled = Case()
    handled.run("letter-2")
    handled.act(
        date(2025, 10, 6),
        long.model_copy(update={"confirms": ("significant_period", "attendance_policy_referred")}),
    )
    handled.act(date(2025, 10, 8), HrAdviceObtained(topic="long absence", provider="Trust HR"))
    handled.run("review", start="review-invite")
    assert handled.decide(Outcome.SUCCESSFUL) == []
