"""Support staff (seed 001) forms as typed records, checked box by box, through the public
`Ledger` with access control on, on a real SQLite file: App 3 (each objective's link to the
School Improvement Plan and the support it needs; the assessment summary per objective of the
cycle assessed, with the observation feedback), App 4's three questions, App 5's feedback
date; and App 1's hour, which applies where the school sends the memo (a school setting).

A box left empty is recorded with a finding naming it as the form heads it (issue 17 §2, §3).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.script import HEAD, REVIEWER, finding, unexplained
from tests.policies.support_staff_pm_script import (
    PACK_ID,
    act_under,
    held,
    invite,
    objective,
    objectives,
    with_cycle,
)

from pmledger.errors import InvalidInput
from pmledger.events.case_acts import CycleOpened, ObjectivesSet, StaffGroup
from pmledger.events.form_contents import (
    AssessmentSummary,
    MidYearReviewStatement,
    ObjectiveAssessment,
)
from pmledger.events.meeting_acts import MeetingPurpose, ObservationHeld, ObservationPlanned
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import Severity
from pmledger.policies.packs.support_staff_pm import Form, Settings, build_pack

LAST_YEAR, THIS_YEAR = "2024-25", "2025-26"


def _case(ledger: Ledger) -> LedgerScript:
    """A support-staff case with its 2024-25 and 2025-26 cycles, reviewer rev-1."""
    s = LedgerScript(
        ledger, PACK_ID, opened_on=date(2024, 9, 2), staff_group=StaffGroup.SUPPORT_STAFF
    )
    for cycle_id, starts, ends in (
        (LAST_YEAR, date(2024, 9, 2), date(2025, 8, 31)),
        (THIS_YEAR, date(2025, 9, 1), date(2026, 8, 31)),
    ):
        s.act(starts, CycleOpened(cycle_id=cycle_id, starts_on=starts, ends_on=ends,
                                  reviewer_person_id="rev-1"), by=HEAD)  # fmt: skip
    return s


def _app3(**contents: Any) -> StatementRecorded:
    return StatementRecorded(
        statement_kind=StatementKind.PLANNING_REVIEW,
        form=Form.APP3_PLANNING_AND_REVIEW.value,
        cycle_id=THIS_YEAR,
        text="Assessment summary of performance in the 2024-25 cycle",
        contents=AssessmentSummary.model_validate(contents) if contents else None,
    )


def _observe(s: LedgerScript, on: date, observation_id: str = "obs-1", **extra: Any) -> list[Any]:
    return s.act(
        on,
        ObservationPlanned(
            observation_id=observation_id,
            planned_for=on,
            observer_person_id="rev-1",
            purpose="Phonics intervention",
            aspects=("pace",),
            amount="One 30-minute session",
            duration_minutes=30,
            **extra,
        ),
        by=REVIEWER,
    )


def test_001_app3_each_objective_links_to_the_sip_and_names_its_support(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _case(ledger)
        unlinked = (
            objective(1, school_improvement_link=""),
            objective(2, support_required="  "),
            objective(3),
        )
        found = s.act(date(2025, 10, 8), ObjectivesSet(cycle_id=THIS_YEAR, objectives=unlinked),
                      by=REVIEWER)  # fmt: skip
        match = finding(found, "ss-app3-objective-boxes", Severity.MINOR)
        assert match.rule.source == "001 App 3, §9.3"
        assert match.message.endswith(
            "o1: Links to School Improvement Plan Objective empty; "
            "o2: Support/learning and development required empty"
        )
        complete = ObjectivesSet(cycle_id=THIS_YEAR, objectives=objectives(3))
        assert s.act(date(2025, 10, 9), complete, by=REVIEWER) == []


def test_001_app3_the_assessment_summary_assesses_each_objective_of_the_cycle_assessed(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _case(ledger)
        last = ObjectivesSet(cycle_id=LAST_YEAR, objectives=objectives(3))
        assert s.act(date(2024, 10, 8), last, by=REVIEWER) == []
        _observe(s, date(2025, 3, 12), feedback_on=date(2025, 3, 13))
        s.act(date(2025, 3, 12), ObservationHeld(observation_id="obs-1"), by=REVIEWER)

        (bare,) = s.act(date(2025, 10, 8), _app3(), by=REVIEWER)
        assert bare.rule.id == "ss-app3-assessment-boxes"
        assert bare.message == (
            "the App 3 assessment summary of cycle 2024-25: the form's boxes are not recorded "
            "(contents); no assessment of objective o1; no assessment of objective o2; no "
            "assessment of objective o3; Feedback from Classroom Observation empty (observed: "
            "obs-1)"
        )
        partial = _app3(
            objectives=[
                ObjectiveAssessment(objective_id="o1", summary="Met"),
                ObjectiveAssessment(objective_id="o2", summary="Partly met: see the data"),
            ]
        )
        (gaps,) = s.act(date(2025, 10, 9), partial, by=REVIEWER)
        assert gaps.message.endswith(
            "no assessment of objective o3; Feedback from Classroom Observation empty "
            "(observed: obs-1)"
        )
        complete = _app3(
            objectives=[
                ObjectiveAssessment(objective_id=f"o{n}", summary="Met") for n in (1, 2, 3)
            ],
            observation_feedback="March: good pace; develop questioning",
        )
        assert s.act(date(2025, 10, 10), complete, by=REVIEWER) == []


def test_001_app4_the_mid_year_review_form_answers_its_three_questions(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _case(ledger)
        review = StatementRecorded(
            statement_kind=StatementKind.MID_YEAR_REVIEW,
            form=Form.APP4_MID_YEAR_REVIEW.value,
            cycle_id=THIS_YEAR,
            text="Mid Cycle Review Statement for Cycle 2025-26",
            contents=MidYearReviewStatement(
                progress="Two of three objectives on track", barriers_and_amendments="None"
            ),
        )
        (match,) = s.act(date(2026, 4, 22), review, by=REVIEWER)
        assert (match.rule.id, match.rule.source) == ("ss-app4-boxes", "001 App 4")
        assert match.message == "ss-app4 leaves empty: any further support / development required"
        answered = review.model_copy(
            update={
                "contents": MidYearReviewStatement(
                    progress="Two of three on track",
                    barriers_and_amendments="None",
                    further_support="No further support needed",
                )
            }
        )
        assert s.act(date(2026, 4, 23), answered, by=REVIEWER) == []


def test_001_app5_a_planned_observation_sets_its_feedback_date(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _case(ledger)
        (match,) = _observe(s, date(2025, 11, 12))
        assert (match.rule.id, match.rule.source) == ("ss-app5-feedback-date", "001 App 5")
        assert match.message == "the planned observation obs-1 (App 5) sets no Feedback Date"
        assert _observe(s, date(2025, 11, 19), "obs-2", feedback_on=date(2025, 11, 20)) == []
        # A feedback date before the observation is outside the act's schema: refused.
        s.people.ensure(REVIEWER)
        with pytest.raises(InvalidInput, match="feedback_on 2025-11-25 is before the observation"):
            ledger.execute(
                {
                    "employee": s.employee.model_dump(),
                    "act": {
                        "kind": "observation_planned",
                        "observation_id": "obs-3",
                        "planned_for": "2025-11-26",
                        "observer_person_id": "rev-1",
                        "purpose": "Phonics intervention",
                        "duration_minutes": 30,
                        "feedback_on": "2025-11-25",
                    },
                    "occurred_on": "2025-11-19",
                    "actor": REVIEWER.model_dump(),
                }
            )


def test_001_app1_the_planning_meeting_may_last_up_to_an_hour() -> None:
    """Only where the school sends the App 1 memo, which tells the reviewee so (a setting):
    longer is an exception, recorded with the reason or a finding that it is missing."""
    memo = build_pack(
        Settings(forms_in_use=frozenset({Form.APP1_MEMO, Form.APP3_PLANNING_AND_REVIEW}))
    )
    s = with_cycle()
    planning = MeetingPurpose.PLANNING
    act_under(memo, s, date(2025, 10, 1), invite("plan-1", planning, date(2025, 10, 8)))
    long = act_under(memo, s, date(2025, 10, 8), held("plan-1", duration_minutes=75))
    match = unexplained(long, "may last up to 60 minutes .* lasted 75 minutes", Severity.MINOR)
    assert match.rule.id == "ss-planning-meeting-length"
    assert act_under(memo, s, date(2025, 10, 8), held("plan-1", duration_minutes=60)) == []
    # The default reading (no App 1 memo) sets no length.
    assert s.act(date(2025, 10, 9), held("plan-1", duration_minutes=75)) == []


def test_001_the_ledger_refuses_a_form_part_of_another_form(tmp_path: Path) -> None:
    """Contents of App 4 on an App 3 statement are outside the act's schema (InvalidInput,
    saying which form the contents belong to); nothing is stored."""
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _case(ledger)
        version = s.version
        s.people.ensure(REVIEWER)
        with pytest.raises(InvalidInput, match="belong to form ss-app4, not ss-app3"):
            ledger.execute(
                {
                    "employee": s.employee.model_dump(),
                    "act": {
                        "kind": "statement_recorded",
                        "statement_kind": "planning_review",
                        "form": "ss-app3",
                        "text": "…",
                        "contents": {"part": "ss-app4-review", "progress": "On track"},
                    },
                    "occurred_on": "2025-10-08",
                    "actor": REVIEWER.model_dump(),
                }
            )
        assert ledger.reader(HEAD).case(s.employee).version == version
