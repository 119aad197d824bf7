"""'Review no earlier than N and no later than M after the plan starts'."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmledger.calendar import SchoolCalendar, TimeLimit
from pmledger.events.support_acts import PlanKind, SupportPlanAgreed, SupportPlanRevised
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import ActContext, Rule, kinds


class PlanReviewWindow(Rule):
    """Checks the review date a plan sets, when it is agreed or revised."""

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
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.plan_kinds = frozenset(plan_kinds)
        self.minimum = minimum
        self.maximum = maximum
        self.exceptional = exceptional
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if isinstance(act, SupportPlanAgreed):
            kind, start = act.plan_kind, act.starts_on
        elif isinstance(act, SupportPlanRevised) and act.plan_id in ctx.file.plans:
            plan = ctx.file.plans[act.plan_id]
            kind, start = plan.kind, (ctx.on if act.further_period else plan.plan.starts_on)
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

    def _problem(self, calendar: SchoolCalendar, start: date, review_on: date) -> str | None:
        if self.minimum is not None:
            earliest, _ = self.due(calendar, start, self.minimum)
            if earliest is not None and review_on < earliest:
                return f"review on {review_on} is sooner than {_words(self.minimum)} after {start}"
        if self.maximum is not None:
            latest, _ = self.due(calendar, start, self.maximum)
            if latest is not None and review_on > latest:
                return f"review on {review_on} is later than {_words(self.maximum)} after {start}"
        return None


def _words(limit: TimeLimit) -> str:
    return f"{limit.amount} {limit.unit.value.replace('_', ' ')}"
