"""The formal monitoring period under the Formal PIP, and what follows it (004 §8)."""

from __future__ import annotations

from pmledger.events.meeting_acts import MeetingInvited, MeetingPurpose
from pmledger.events.support_acts import MonitoringPeriodChanged, Outcome, OutcomeDecided, PlanKind
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.ladder import Ladder
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.plan_periods import FINAL_PLAN_OUTCOMES, original_end

from .facts import (
    CHECKS,
    DATA,
    WARNING_MONTHS,
    decided,
    hr_advice_since,
    last_return_to_day_to_day,
    shift,
)


@CHECKS.problem("shortening-problem", "§8.2 note")
def _shortening_problem(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, MonitoringPeriodChanged)
    plan = ctx.file.plans.get(act.plan_id)
    if act.change != "shortened" or plan is None or plan.kind is not PlanKind.FORMAL_PIP:
        return None
    longest_normal = shift(ctx.calendar, plan.plan.starts_on, DATA.time_limit("formal-pip-longest"))
    if original_end(plan) > longest_normal:
        return None
    return (
        f"only a Formal PIP longer than the normal maximum of 8 weeks may be cut short; "
        f"{plan.plan_id} runs {plan.plan.starts_on} to {original_end(plan)}"
    )


@CHECKS.problem("no-hr-before-outcome", "§8.3")
def _no_hr_before_outcome(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, OutcomeDecided)
    plan = ctx.file.plans.get(act.subject_id)
    if plan is None or plan.kind is not PlanKind.FORMAL_PIP:
        return None
    if act.outcome not in FINAL_PLAN_OUTCOMES:
        return None
    if hr_advice_since(ctx.file, "formal_outcome", plan.agreed.version):
        return None
    return (
        "the line manager contacts the School's HR Provider for advice before deciding the "
        "outcome of the formal monitoring period; none on it (topic formal_outcome) is "
        "recorded since the Formal PIP"
    )


@CHECKS.problem("no-revised-provisional-date", "§8.3")
def _no_revised_provisional_date(ctx: ActContext) -> str | None:
    act = ctx.act
    if isinstance(act, MonitoringPeriodChanged) and act.change == "extended":
        plan, new_end = ctx.file.plans.get(act.plan_id), act.new_end_on
        provisional = act.new_provisional_meeting_on
    elif isinstance(act, OutcomeDecided) and act.outcome is Outcome.FURTHER_REVIEW_PERIOD:
        plan, new_end, provisional = ctx.file.plans.get(act.subject_id), None, None
    else:
        return None
    if plan is None or plan.kind is not PlanKind.FORMAL_PIP:
        return None
    if provisional is None:
        return (
            f"a further monitoring period for {plan.plan_id} sets a revised provisional date for "
            "the second formal meeting: record the extension as monitoring_period_changed with "
            "new_provisional_meeting_on"
        )
    if new_end is not None and provisional < new_end:
        return (
            f"the revised provisional second formal date {provisional} comes before the "
            f"extended period ends on {new_end}"
        )
    return None


def returned_by_second_formal_nfa(file: CaseFile) -> Mark | None:
    """The second formal decision of no further action that last brought the case back."""
    version = last_return_to_day_to_day(file)
    for mark, _ in decided(file, MeetingPurpose.SECOND_FORMAL, {Outcome.NO_FURTHER_ACTION}):
        if mark.version == version:
            return mark
    return None


def second_formal_from_day_to_day(ctx: ActContext) -> bool:
    act = ctx.act
    return (
        isinstance(act, MeetingInvited)
        and act.purpose is MeetingPurpose.SECOND_FORMAL
        and ctx.file.stage is Ladder.NORMAL_CYCLE
    )


@CHECKS.problem("no-live-warning", "§7.3, §8.3")
def _no_live_warning(ctx: ActContext) -> str | None:
    if (
        not second_formal_from_day_to_day(ctx)
        or returned_by_second_formal_nfa(ctx.file) is not None
    ):
        return None
    if ctx.file.live_warnings(ctx.on, WARNING_MONTHS):
        return None
    return (
        "from day-to-day management a second formal meeting follows only a concern while the "
        "12-month written warning is live (§7.3, §8.3); no warning is live on "
        f"{ctx.on}"
    )
