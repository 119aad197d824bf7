"""ReFocus (seed 000) forms as typed records, checked box by box, through the public `Ledger`
with access control on, on a real SQLite file (PostgreSQL for the sealing check): App B and
App D (progress per target, points for reflection, CPD, career aspirations), App C's review
statement with the §12 discussion, and the length §7 and §12 set for review meetings.

A box the procedure requires left empty is recorded with a finding naming the box as the form
heads it; the form is never refused for it (issue 17 §2, §3).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.policies.ledger_script import LedgerScript, open_example_ledger
from tests.policies.refocus_pm_script import PACK, hold, open_cycle, part, targets_set
from tests.policies.script import EMPLOYEE, HEAD, HR, REVIEWER, finding, unexplained

from pmledger.events.form_contents import MidYearReviewPart, ObjectiveProgress
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import DeviationReasonGiven, StatementKind, StatementRecorded
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import Finding, Severity

MID = MeetingPurpose.MID_YEAR_REVIEW
END = MeetingPurpose.END_OF_CYCLE_REVIEW
EMPLOYEE_PART = StatementKind.EMPLOYEE
REVIEWER_PART = StatementKind.REVIEWER


def _cycle(ledger: Ledger) -> LedgerScript:
    """A 2025-26 cycle with targets t1-t3, on the public ledger."""
    s = LedgerScript(ledger, PACK)
    open_cycle(s)  # type: ignore[arg-type]
    assert s.act(date(2025, 9, 16), targets_set(), by=REVIEWER) == []
    return s


def _ids(found: list[Finding]) -> list[str]:
    return sorted(f.rule.id for f in found)


def test_000_s12_app_c_the_review_statement_records_the_wellbeing_discussion(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _cycle(ledger)
        hold(s, date(2026, 7, 7), "eoc", END, duration_minutes=55)  # type: ignore[arg-type]
        meeting = s.version
        silent = part("refocus-app-d", REVIEWER_PART, about=meeting,
                      empty=("workload", "flexible_working"))  # fmt: skip
        found = s.act(date(2026, 7, 8), silent, by=REVIEWER)
        match = finding(found, "leaves empty: workload; flexible working opportunities",
                        Severity.MINOR)  # fmt: skip
        assert match.rule.id == "rf-wellbeing-discussed"
        assert match.rule.source == "000 §12, App C"
        status = ledger.reader(HR).status(s.employee, date(2026, 7, 8))
        assert f"rf-wellbeing-discussed@{s.version}" in {f.id for f in status.compliance}
        complete = part("refocus-app-d", REVIEWER_PART, about=meeting)
        assert s.act(date(2026, 7, 9), complete, by=REVIEWER) == []


def test_000_app_c_a_review_statement_without_its_boxes_is_recorded_with_its_findings(
    tmp_path: Path,
) -> None:
    """Recorded all the same: what was written is the record; the findings say what it lacks."""
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _cycle(ledger)
        hold(s, date(2026, 7, 7), "eoc", END)  # type: ignore[arg-type]
        bare = part("refocus-app-d", REVIEWER_PART, about=s.version, filled=False)
        found = s.act(date(2026, 7, 8), bare, by=REVIEWER)
        assert _ids(found) == ["rf-end-of-cycle-contents", "rf-wellbeing-discussed"]
        contents = next(f for f in found if f.rule.id == "rf-end-of-cycle-contents")
        assert contents.severity is Severity.MAJOR
        assert contents.message.endswith(
            "achievement of objectives; key discussion points; agreed outcomes and next steps; "
            "professional development requirements"
        )


def test_000_app_d_the_employee_part_answers_reflection_cpd_and_aspirations(
    tmp_path: Path,
) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _cycle(ledger)
        gaps = part("refocus-app-d", EMPLOYEE_PART,
                    empty=("challenges", "cpd_undertaken", "career_aspirations"))  # fmt: skip
        found = s.act(date(2026, 7, 1), gaps, by=EMPLOYEE)
        assert _ids(found) == [
            "rf-career-aspirations", "rf-pdp-each-point", "rf-reflection-answered",
        ]  # fmt: skip
        by_rule = {f.rule.id: f for f in found}
        assert by_rule["rf-reflection-answered"].message.endswith(
            "3) What challenges or barriers did I encounter, and how were they addressed?"
        )
        assert by_rule["rf-pdp-each-point"].message.endswith("Training/CPD undertaken this year")
        assert by_rule["rf-career-aspirations"].message.endswith(
            "Career aspirations and next steps"
        )
        assert by_rule["rf-career-aspirations"].rule.source == "000 §12, App D"
        assert s.act(date(2026, 7, 2), part("refocus-app-d", EMPLOYEE_PART), by=EMPLOYEE) == []


def test_000_app_b_review_of_progress_objectives_covers_every_target(tmp_path: Path) -> None:
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _cycle(ledger)
        rows = (
            ObjectiveProgress(objective_id="t1", success_criteria="5% better attendance",
                              actions_taken="Mentoring", evidence="Registers"),
            ObjectiveProgress(objective_id="t2", success_criteria="Two sessions led",
                              actions_taken="Session 1 led"),
        )  # fmt: skip
        form = StatementRecorded(
            statement_kind=EMPLOYEE_PART,
            form="refocus-app-b",
            mid_year_cycle=1,
            text="Ahead of mid-point review 1",
            contents=MidYearReviewPart(
                objectives=rows,
                going_well="Year 10",
                strengths_and_skills="Planning",
                barriers="Attendance",
                training_and_support_needed="Oracy",
            ),
        )
        (match,) = s.act(date(2025, 11, 21), form, by=EMPLOYEE)
        assert (match.rule.id, match.rule.source) == ("rf-objectives-reviewed", "000 App B, App D")
        assert match.message.endswith("t2: evidence empty; t3: no row")
        assert match.severity is Severity.MINOR


def test_000_s7_s12_a_review_meeting_lasts_40_minutes_to_an_hour(tmp_path: Path) -> None:
    """Outside 40-60 minutes is an exception: without a reason it is a finding saying the
    reason is missing, which a later signed act can give (issue 17 §2)."""
    with open_example_ledger(str(tmp_path / "l.sqlite")) as ledger:
        s = _cycle(ledger)
        short = unexplained(
            hold(s, date(2025, 12, 2), "mid-1", MID, duration_minutes=25),  # type: ignore[arg-type]
            "mid year review meeting takes 40 minutes to an hour; this one lasted 25 minutes",
            Severity.MINOR,
        )
        assert short.rule.source == "000 §7, §12"
        assert hold(s, date(2026, 3, 10), "mid-2", MID, duration_minutes=40) == []  # type: ignore[arg-type]
        explained = hold(  # type: ignore[arg-type]
            s, date(2026, 7, 7), "eoc", END, duration_minutes=90,
            reason="Two years' evidence reviewed at the employee's request",
        )  # fmt: skip
        assert [f.rule.id for f in explained] == ["rf-meeting-length"]
        assert explained[0].deviated
        assert hold(s, date(2026, 7, 8), "c-1", MeetingPurpose.CONCERNS, duration_minutes=90) == []  # type: ignore[arg-type]

        ledger.record(
            s.employee,
            DeviationReasonGiven(finding_id=short.id, reason="The fire alarm ended it early"),
            occurred_on=date(2025, 12, 3),
            actor=HEAD,
        )
        status = ledger.reader(HR).status(s.employee, date(2025, 12, 3))
        (given,) = [f for f in status.compliance if f.id == short.id]
        assert given.deviation_reason == "The fire alarm ended it early"


def test_000_app_b_a_form_s_boxes_are_sealed_at_rest(backend: str) -> None:
    with open_example_ledger(backend) as ledger:
        s = _cycle(ledger)
        s.act(date(2025, 11, 21), part("refocus-app-b", EMPLOYEE_PART, mid_year_cycle=1),
              by=EMPLOYEE)  # fmt: skip
        rows = [row.state for row in ledger._store.rows() if b"refocus-app-b-employee" in row.state]
        assert len(rows) == 1
        assert b"What is going well?" not in rows[0]
        assert b"Weekly mentoring sessions" not in rows[0]
        case = ledger.reader(HR).records(s.employee)
        opened = case[-1].act
        assert isinstance(opened, StatementRecorded)
        assert isinstance(opened.contents, MidYearReviewPart)
        assert opened.contents.objectives[0].actions_taken == "Weekly mentoring sessions"
