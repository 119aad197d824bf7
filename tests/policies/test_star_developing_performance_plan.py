"""STAR Developing Performance (seed 003): the Work Performance Support Plan — contents,
signatures, timescale, monitors and supporters, amendments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.policies.ledger_script import open_example_ledger
from tests.policies.script import EMPLOYEE, unexplained
from tests.policies.star_case import REVIEW_ON, Case, plan, sign, target

from pmledger.events.meeting_acts import MeetingHeld, MeetingPurpose
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.support_acts import (
    Consequence,
    ConsequencesExplained,
    MonitoringRoleAssigned,
    Outcome,
    PlanKind,
    SupportPlanRevised,
)
from pmledger.policies.judgement import (
    ActRefusedByRule,
    Deadline,
    DeadlineStatus,
    Severity,
)
from pmledger.projections.case_status import case_status


def test_003_s4_2_consequences_are_explained_by_the_time_the_plan_is_finalised() -> None:
    unexplained = {
        "initial": {"confirms": ("overview_given",)},
        "plan": {"consequences_explained_in_writing": False},
    }
    case = Case()
    assert case.run("plan", change=unexplained)["plan"] == ["st-consequences-explained"]
    told = Case()
    told.run("initial", change=unexplained)
    told.act(
        date(2025, 9, 17),
        ConsequencesExplained(subject_id="c-1", consequences=(Consequence.CAPABILITY_POSSIBLE,)),
    )
    assert told.run("plan", start="plan", change=unexplained) == {"plan": []}


def test_003_s4_2_the_finalised_plan_is_confirmed_with_letter_2() -> None:
    case = Case()
    case.run(skip={"letter-2"})
    assert case.decide(Outcome.SUCCESSFUL) == ["st-plan-confirmed-letter-2"]


def test_003_s6_a_plan_under_this_procedure_is_the_support_plan() -> None:
    case = Case()
    with pytest.raises(ActRefusedByRule, match="not a pip"):
        case.run("plan", change={"plan": {"plan_kind": PlanKind.PIP}})


def test_003_app1_s4_the_plan_sets_out_areas_behaviours_actions_support_and_monitoring() -> None:
    case = Case()
    found = case.run("plan", change={"plan": {"confirms": ("actions_stated",), "support": ""}})
    assert found["plan"] == ["st-plan-contents"]
    assert case.script.findings[-1].message.endswith("does not confirm: behaviours_stated, support")


def test_003_app1_s4_targets_are_smart_with_success_criteria_and_a_deadline() -> None:
    vague = target("t2", success_criteria=" ", due_on=None)
    case = Case()
    found = case.run("plan", change={"plan": {"targets": (target(), vague)}})
    assert found["plan"] == ["st-plan-smart"]
    assert "target t2 has no success criteria and no deadline" in case.script.findings[-1].message
    case.run("review", start="monitor")
    case.decide(Outcome.PARTIALLY_SUCCESSFUL)
    revised = SupportPlanRevised(
        plan_id="sp-1",
        review_on=date(2025, 12, 18),
        further_period=True,
        targets=(target(due_on=None),),
        reason="Partially successful review",
    )
    assert case.act(REVIEW_ON, revised) == ["st-plan-smart"]


def test_003_s6_the_employee_signs_the_plan_before_its_review() -> None:
    case = Case()
    case.run(skip={"plan-signed"})
    assert case.decide(Outcome.SUCCESSFUL) == ["st-plan-signed"]


def test_003_app1_s4_a_decisive_target_counts_only_if_told_before_the_plan_started() -> None:
    decisive = {"targets": (target(decisive=True, weighting_percent=60),)}
    case = Case()
    case.run(change={"plan": decisive})
    found = case.decide(Outcome.UNSUCCESSFUL, basis="decisive_target_missed")
    assert "st-weighting-disclosed" in found
    told = Case()
    told.run(change={"plan": {**decisive, "decisive_targets_told_before_start": True}})
    found = told.decide(Outcome.UNSUCCESSFUL, basis="decisive_target_missed")
    assert "st-weighting-disclosed" not in found
    unmarked = Case()
    unmarked.run(change={"plan": {"decisive_targets_told_before_start": True}})
    found = unmarked.decide(Outcome.UNSUCCESSFUL, basis="decisive_target_missed")
    assert "st-weighting-disclosed" in found
    assert "the plan marks none" in unmarked.script.findings[-2].message


def test_003_s4_3_review_between_4_weeks_and_3_months_needs_a_reason_outside() -> None:
    exact = {"plan": {"starts_on": date(2025, 9, 23), "review_on": date(2025, 10, 15)}}
    assert Case().run("plan", change=exact)["plan"] == []
    early = Case()
    short = {"plan": {"starts_on": date(2025, 9, 23), "review_on": date(2025, 10, 14)}}
    early.run("plan", change=short)
    unexplained(
        early.script.findings,
        "sooner than 4 weeks after the Initial Meeting held on 2025-09-17",
        Severity.MAJOR,
    )
    early = Case()
    found = early.run(
        "plan",
        change=short,
        reasons={"plan": "significant deterioration: review brought forward"},
    )
    assert found["plan"] == ["st-timescale"]
    assert early.script.findings[-1].deviated


def test_003_s4_3_the_window_runs_from_the_initial_meeting_to_the_review_meeting(
    tmp_path: Path,
) -> None:
    """§4.3, App 1 §5: "a minimum of 4 weeks and a maximum of three months would be the
    parameters between the Initial Meeting and the Review Meeting", whenever the plan's own
    period starts. Initial Meeting Wednesday 17 September 2025, through the public Ledger."""
    late_start = {"starts_on": date(2025, 10, 6), "targets": (target(due_on=date(2025, 10, 27)),)}
    with open_example_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        # Five weeks and five days after the Initial Meeting (three weeks after the plan starts).
        in_window = Case(ledger=ledger)
        found = in_window.run(
            "plan", change={"plan": {**late_start, "review_on": date(2025, 10, 27)}}
        )
        assert found["plan"] == []
    with open_example_ledger(str(tmp_path / "late.sqlite")) as ledger:
        # Three months after the plan's start (29 September), but not after the Initial Meeting.
        too_late = Case(ledger=ledger)
        far = {"starts_on": date(2025, 9, 29), "review_on": date(2025, 12, 22)}
        too_late.run(
            "plan", change={"plan": {**far, "targets": (target(due_on=date(2025, 12, 22)),)}}
        )
        unexplained(
            too_late.script.findings,
            "review on 2025-12-22 is later than 3 months after the Initial Meeting held on "
            "2025-09-17",
            Severity.MAJOR,
        )
        assert too_late.script.receipts[-1].version == too_late.versions["plan"]


def test_003_s4_3_four_weeks_count_calendar_weeks_across_the_october_half_term() -> None:
    initial = {"invite": {"scheduled_for": date(2025, 10, 20)}}
    on = {"initial": date(2025, 10, 20), "plan": date(2025, 10, 20)}
    over_half_term = {
        **initial,
        "plan": {"starts_on": date(2025, 10, 20), "review_on": date(2025, 11, 17)},
    }
    assert Case().run("plan", change=over_half_term, on=on)["plan"] == []
    short = Case()
    short.run(
        "plan",
        change={
            **initial,
            "plan": {"starts_on": date(2025, 10, 20), "review_on": date(2025, 11, 14)},
        },
        on=on,
    )
    unexplained(
        short.script.findings,
        "sooner than 4 weeks after the Initial Meeting held on 2025-10-20",
        Severity.MAJOR,
    )


def test_003_s4_3_three_months_end_on_29_february_in_a_leap_year() -> None:
    case = Case()
    case.act(date(2027, 11, 22), ConcernRaised(concern_id="c", areas=("invoicing",)))
    leap = plan(date(2027, 11, 30), date(2028, 2, 29), targets=(target(due_on=date(2028, 2, 29)),))
    assert case.act(date(2027, 11, 29), leap) == []
    late = Case()
    late.act(date(2027, 11, 22), ConcernRaised(concern_id="c", areas=("invoicing",)))
    unexplained(
        late.check(date(2027, 11, 29), plan(date(2027, 11, 30), date(2028, 3, 1))),
        "later than 3 months after 2027-11-30",
        Severity.MAJOR,
    )


def test_003_s4_3_a_further_period_is_measured_from_the_review_that_starts_it() -> None:
    case = Case()
    case.run()
    case.decide(Outcome.PARTIALLY_SUCCESSFUL)
    three_weeks = SupportPlanRevised(
        plan_id="sp-1", review_on=date(2025, 11, 27), further_period=True, reason="Partial"
    )
    unexplained(
        case.check(date(2025, 11, 7), three_weeks),
        "sooner than 4 weeks after 2025-11-07",
        Severity.MAJOR,
    )


def test_003_s4_4_monitor_and_supporter_differ_unless_the_employee_agrees() -> None:
    same = {"supporter_person_id": "mon-1", "named_work_contact_person_id": "mon-1"}
    unagreed = Case()
    unagreed.run("plan", change={"plan": same})
    unexplained(unagreed.script.findings, r"same person \(mon-1\)", Severity.MAJOR)
    agreed = {**same, "employee_agreed_same_monitor_and_supporter": True}
    assert Case().run("plan", change={"plan": agreed})["plan"] == []
    case = Case()
    case.run("plan")
    twice = MonitoringRoleAssigned(plan_id="sp-1", person_id="sup-1", role="monitor")
    unexplained(case.check(date(2025, 9, 17), twice), r"same person \(sup-1\)", Severity.MAJOR)
    agreed_act = twice.model_copy(update={"employee_agreed_same_person": True})
    assert case.act(date(2025, 9, 17), agreed_act) == []


def test_003_s4_4_roles_are_confirmed_with_monitors_and_supporters_before_the_period() -> None:
    never = Case()
    never.run(skip={"monitor", "supporter"})
    assert never.decide(Outcome.SUCCESSFUL) == ["st-roles-confirmed"]
    late = Case()
    found = late.run(on={"monitor": date(2025, 9, 22), "supporter": date(2025, 9, 22)})
    assert found["monitor"] == ["st-roles-confirmed"]
    assert found["supporter"] == []
    assert "after the support period started on 2025-09-18" in late.script.findings[0].message


def test_003_app1_s6_support_through_a_named_work_contact_is_considered() -> None:
    no_contact = {"named_work_contact_person_id": None}
    assert Case().run("plan", change={"plan": no_contact})["plan"] == ["st-named-work-contact"]
    considered = {
        **no_contact,
        "confirms": ("behaviours_stated", "actions_stated", "named_work_contact_considered"),
    }
    assert Case().run("plan", change={"plan": considered})["plan"] == []


def test_003_app1_s6_an_amendment_is_to_an_agreed_plan_and_agreed_with_the_employee() -> None:
    case = Case()
    case.run("letter-2")
    with pytest.raises(ActRefusedByRule, match="no Support Plan sp-9"):
        case.act(
            date(2025, 9, 22),
            SupportPlanRevised(plan_id="sp-9", review_on=REVIEW_ON, reason="Typo"),
        )
    amended = SupportPlanRevised(
        plan_id="sp-1", review_on=REVIEW_ON, reason="Extra invoice training added"
    )
    assert case.act(date(2025, 10, 1), amended) == []
    case.run("review", start="review-invite")
    assert case.decide(Outcome.SUCCESSFUL) == ["st-plan-amendment"]
    agreed = Case()
    agreed.run("letter-2")
    agreed.act(date(2025, 10, 1), amended)
    agreed.act(date(2025, 10, 2), sign(agreed.script.version), by=EMPLOYEE)
    agreed.run("review", start="review-invite")
    assert agreed.decide(Outcome.SUCCESSFUL) == []


def test_003_app1_s7_interim_review_at_the_half_way_point_is_advisory() -> None:
    case = Case()
    case.run("letter-2")

    def interim_rows(as_of: date) -> list[Deadline]:
        return [d for d in case.script.deadlines(as_of) if d.rule.id == "st-interim-review"]

    # Support period 18 September to the review on 6 November 2025: half way is 12 October.
    (row,) = interim_rows(date(2025, 10, 12))
    assert (row.due_on, row.status, row.advisory) == (date(2025, 10, 12), DeadlineStatus.OPEN, True)
    assert row.rule.source == "003 App 1 §7"
    (row,) = interim_rows(date(2025, 10, 20))
    assert row.status is DeadlineStatus.LAPSED
    status = case_status(case.script.events, lambda _: case.script.calendar, date(2025, 10, 20))
    assert "st-interim-review" not in {f.rule.id for f in status.compliance}

    case.act(
        date(2025, 10, 14),
        MeetingHeld(
            meeting_id="interim", purpose=MeetingPurpose.INTERIM_REVIEW, chair_person_id="lm-1"
        ),
    )
    # "It may be helpful": held two days after the half-way point still counts.
    (row,) = interim_rows(date(2025, 10, 20))
    assert (row.status, row.done_on) == (DeadlineStatus.MET, date(2025, 10, 14))
