"""Monitoring periods: regular meetings during a plan, and the one further period it may get.

Procedures that set a plan for a period ("a PIP of at least 4 weeks with 121s normally weekly")
ask the same two things of it: that its meetings come at the interval they name (a longer gap
needs a reason), and that a further period is exceptional, once, and no longer than they allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pmledger.calendar import SchoolCalendar, TimeLimit, TimeUnit
from pmledger.events.meeting_acts import OneToOneHeld
from pmledger.events.support_acts import (
    MonitoringPeriodChanged,
    Outcome,
    OutcomeDecided,
    PlanKind,
)
from pmledger.policies.case_file import CaseFile, Mark, PlanFacts
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule, kinds

FINAL_PLAN_OUTCOMES = frozenset({Outcome.IMPROVED, Outcome.NOT_IMPROVED})
"""The decisions that close a plan's monitoring period."""


def words(limit: TimeLimit) -> str:
    return f"{limit.amount} {limit.unit.value.replace('_', ' ')}"


def period_end(plan: PlanFacts) -> date:
    """The current end of a monitoring period (after any extension or shortening)."""
    return plan.ends_on or plan.review_on


def original_end(plan: PlanFacts) -> date:
    return plan.plan.ends_on or plan.plan.review_on


def further_periods(file: CaseFile, plan: PlanFacts) -> int:
    """Extensions so far, recorded as a changed period or as a 'further review' decision."""
    extended = sum(1 for _, change in plan.period_changes if change.change == "extended")
    decided = sum(
        1
        for _, act in file.outcomes
        if act.subject_id == plan.plan_id and act.outcome is Outcome.FURTHER_REVIEW_PERIOD
    )
    return extended + decided


def plan_one_to_ones(file: CaseFile, plan_id: str) -> list[Mark]:
    return [mark for mark, act in file.one_to_ones if act.plan_id == plan_id]


def _closed(plan: PlanFacts) -> Mark | None:
    """When the plan's final decision (improved / not improved) was made."""
    return plan.decided if plan.outcome in FINAL_PLAN_OUTCOMES else None


def meetings_stop(file: CaseFile, plan: PlanFacts) -> date:
    """The last day a plan's regular meetings are due: the end of its monitoring period (as
    changed, or as a further review period decided for it extends it), or an earlier final
    decision on the plan or dismissal. 121s that name the plan after it (e.g. during an
    adjourned meeting's further monitoring) are recorded, but start no clock."""
    further = [
        act.further_period_ends_on
        for _, act in file.outcomes
        if act.subject_id == plan.plan_id
        and act.outcome is Outcome.FURTHER_REVIEW_PERIOD
        and act.further_period_ends_on is not None
    ]
    stops = [max([period_end(plan), *further])]
    closed = _closed(plan)
    if closed is not None:
        stops.append(closed.on)
    if file.dismissed is not None:
        stops.append(file.dismissed[0].on)
    return min(stops)


class RegularMeetings(Rule):
    """A gap longer than `interval` between a plan's 121s needs a reason ("normally weekly").

    The meetings belong to the monitoring period (004 §4.5, §8.0-§8.1: its "regular meetings
    (normally weekly)"), so the clock starts when the plan starts and restarts at each 121
    linked to the plan (`OneToOneHeld.plan_id`) until `meetings_stop`; a next meeting that
    would fall due after that day is not due. A 121 on the plan's first day (the one that
    sets it) starts the same clock, so it is not a second deadline.
    """

    acts = kinds(OneToOneHeld)
    kind = RuleKind.DEVIATION
    severity = Severity.MINOR

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        plan_kind: PlanKind,
        interval: TimeLimit,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.plan_kind = plan_kind
        self.interval = interval
        # In the procedure's words ("normally weekly"), and right for any interval a file sets.
        weekly = interval.amount == 1 and interval.unit is TimeUnit.WEEKS
        self.how_often = "weekly" if weekly else f"every {words(interval)}"

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        if not isinstance(act, OneToOneHeld) or act.plan_id is None:
            return
        plan = ctx.file.plans.get(act.plan_id)
        if plan is None or plan.kind is not self.plan_kind or _closed(plan) is not None:
            return
        last = max([plan.plan.starts_on, *(m.on for m in plan_one_to_ones(ctx.file, plan.plan_id))])
        due = ctx.calendar.shift(last, self.interval)
        if ctx.on > due and due <= meetings_stop(ctx.file, plan):
            ctx.exceptional(
                self,
                f"121s during the {self.plan_kind.value} are normally {self.how_often}: the last "
                f"was on {last}, so the next was due by {due}; this one is on {ctx.on}",
            )

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for plan in file.plans.values():
            if plan.kind is not self.plan_kind:
                continue
            meetings = plan_one_to_ones(file, plan.plan_id)
            starts: list[tuple[Mark, date]] = [(plan.agreed, plan.plan.starts_on)]
            starts += [(m, m.on) for m in meetings if m.on != plan.plan.starts_on]
            closed = _closed(plan)
            stop = meetings_stop(file, plan)
            for anchor, start in starts:
                if start >= stop:
                    continue
                ends = [m for m in meetings if m.on > start][:1]
                if closed is not None and closed.on >= start:
                    ends.append(closed)
                done = min(ends, key=lambda m: m.on, default=None)
                spec = self.spec(
                    file,
                    calendar,
                    description=f"next {self.how_often} 121 of {plan.kind.value} "
                    f"{plan.plan_id} after {start}"
                    if self.how_often == "weekly"
                    else f"next 121 ({self.how_often}) of {plan.kind.value} {plan.plan_id} "
                    f"after {start}",
                    anchor=anchor,
                    start=start,
                    limit=self.interval,
                    done=done,
                )
                after_the_period = spec.due_on is not None and spec.due_on > stop
                if not after_the_period or (done is not None and done.on <= stop):
                    yield spec


class FurtherPeriod(Rule):
    """One further period, only exceptionally (a reason is required); a second is a finding.

    `limit` is how long it may be; `original_at_most` (if any) caps the original period for
    which a further one may be given. Overstepping either is a finding when `strict`, and a
    note in the reasoned deviation otherwise ("unlikely to exceed" is not a maximum).
    """

    acts = kinds(MonitoringPeriodChanged, OutcomeDecided)
    kind = RuleKind.DEVIATION

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        plan_kind: PlanKind,
        limit: TimeLimit,
        original_at_most: TimeLimit | None = None,
        strict: bool,
        severity: Severity,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.plan_kind = plan_kind
        self.limit = limit
        self.original_at_most = original_at_most
        self.strict = strict
        self.severity = severity

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        new_end: date | None
        if isinstance(act, MonitoringPeriodChanged) and act.change == "extended":
            plan, new_end = ctx.file.plans.get(act.plan_id), act.new_end_on
            plan_end = period_end(plan) if plan else None
        elif isinstance(act, OutcomeDecided) and act.outcome is Outcome.FURTHER_REVIEW_PERIOD:
            plan, new_end = ctx.file.plans.get(act.subject_id), act.further_period_ends_on
            plan_end = ctx.on
        else:
            return
        if plan is None or plan.kind is not self.plan_kind or plan_end is None:
            return
        if further_periods(ctx.file, plan) >= 1:
            ctx.breach(self, f"{plan.plan_id} has already had its one further period")
            return
        problems = self._problems(ctx.calendar, plan, plan_end, new_end)
        message = f"a further period for {self.plan_kind.value} {plan.plan_id}"
        if self.strict:
            ctx.exceptional(self, f"{message} is exceptional")
            for problem in problems:
                ctx.breach(self, problem)
        else:
            ctx.exceptional(self, "; ".join([f"{message} is exceptional", *problems]))

    def _problems(
        self, calendar: SchoolCalendar, plan: PlanFacts, plan_end: date, new_end: date | None
    ) -> list[str]:
        problems = []
        if new_end is None:
            problems.append("the further period has no end date")
        elif new_end > calendar.shift(plan_end, self.limit):
            problems.append(
                f"the further period to {new_end} is longer than {words(self.limit)} after "
                f"{plan_end}"
            )
        if self.original_at_most is not None:
            latest = calendar.shift(plan.plan.starts_on, self.original_at_most)
            if original_end(plan) > latest:
                problems.append(
                    f"the original period ({plan.plan.starts_on} to {original_end(plan)}) was "
                    f"longer than {words(self.original_at_most)}"
                )
        return problems
