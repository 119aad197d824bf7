"""'Review no earlier than N and no later than M after the plan starts' (or after the meeting
the procedure counts from)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pmledger.calendar import SchoolCalendar, TimeLimit
from pmledger.events.support_acts import PlanKind, SupportPlanAgreed, SupportPlanRevised
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule, kinds

CountedFrom = Callable[[ActContext, SupportPlanAgreed], tuple[date, str] | None]
"""The day a first period's window runs from and how to name it (e.g. 'the Initial Meeting
held on 2025-09-17'), or None to count from the plan's start."""


class PlanReviewWindow(Rule):
    """Checks the review date a plan sets, when it is agreed or revised.

    A first period is counted from the plan's start unless `counted_from` names the day the
    procedure counts from instead (STAR 003 §4.3 counts from the Initial Meeting); a further
    period always from the day it was given."""

    acts = kinds(SupportPlanAgreed, SupportPlanRevised)

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        plan_kinds: Iterable[PlanKind],
        minimum: TimeLimit | None = None,
        maximum: TimeLimit | None = None,
        exceptional: bool = False,
        severity: Severity = Severity.MAJOR,
        counted_from: CountedFrom | None = None,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.plan_kinds = frozenset(plan_kinds)
        self.minimum = minimum
        self.maximum = maximum
        self.exceptional = exceptional
        self.severity = severity
        self.counted_from = counted_from

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, SupportPlanAgreed):
            kind, start = act.plan_kind, self._first_start(ctx, act)
        elif isinstance(act, SupportPlanRevised) and act.plan_id in ctx.file.plans:
            plan = ctx.file.plans[act.plan_id]
            kind = plan.kind
            start = (
                (ctx.on, str(ctx.on)) if act.further_period else self._first_start(ctx, plan.plan)
            )
        else:
            return
        if kind not in self.plan_kinds:
            return
        problem = self._problem(ctx.calendar, start, act.review_on)
        if problem is None:
            return
        if self.exceptional:
            ctx.exceptional(self, problem)
        else:
            ctx.breach(self, problem)

    def _first_start(self, ctx: ActContext, plan: SupportPlanAgreed) -> tuple[date, str]:
        counted = self.counted_from(ctx, plan) if self.counted_from is not None else None
        return counted or (plan.starts_on, str(plan.starts_on))

    def _problem(
        self, calendar: SchoolCalendar, start: tuple[date, str], review_on: date
    ) -> str | None:
        day, named = start
        if self.minimum is not None:
            earliest, _ = self.due(calendar, day, self.minimum)
            if earliest is not None and review_on < earliest:
                return f"review on {review_on} is sooner than {_words(self.minimum)} after {named}"
        if self.maximum is not None:
            latest, _ = self.due(calendar, day, self.maximum)
            if latest is not None and review_on > latest:
                return f"review on {review_on} is later than {_words(self.maximum)} after {named}"
        return None


def _words(limit: TimeLimit) -> str:
    return f"{limit.amount} {limit.unit.value.replace('_', ' ')}"
