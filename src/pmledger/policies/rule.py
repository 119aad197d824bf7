"""Rules: one requirement of a procedure, citing its source, judged on acts and dates.

A rule can add a finding (a "must" was broken: recorded all the same, because it happened),
ask for a stated reason (allowed only exceptionally: without one it is recorded with a finding
saying the reason is missing), refuse what cannot be (a reference to a record that does not
exist, an appeal against no decision), and derive deadlines from the case's facts. Packs are
mostly lists of these, parameterised with their own time limits and roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pmledger.calendar import CalendarError, Direction, SchoolCalendar, TimeLimit
from pmledger.events.actors import Actor
from pmledger.events.base_act import ActBase
from pmledger.events.signed_event import Act, CaseEvent
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.judgement import (
    REASON_MISSING,
    ActRefusedByRule,
    Deadline,
    DeadlineStatus,
    Finding,
    RuleKind,
    RuleRef,
    Severity,
)

Consequence = Literal["finding", "exceptional", "impossible"]
"""What a rule does with an act it finds wrong: record it with a finding (every breach of the
procedure), record it as an exception the procedure allows with a reason, or refuse it as
something that cannot be (a reference to a record that does not exist)."""

KIND_OF: dict[Consequence, RuleKind] = {
    "finding": RuleKind.FINDING,
    "exceptional": RuleKind.DEVIATION,
    "impossible": RuleKind.HARD,
}


class Impossible(str):
    """A problem that cannot be, whatever the rule's consequence: a rule's problem function
    returns its message as `Impossible(...)` for a reference to a record that does not exist,
    beside the breaches it returns as plain words."""

    __slots__ = ()


@dataclass
class ActContext:
    """An act about to be recorded, and the case as it stood just before it."""

    file: CaseFile
    event: CaseEvent
    calendar: SchoolCalendar
    findings: list[Finding] = field(default_factory=list)
    act: Act = field(init=False)
    on: date = field(init=False)
    actor: Actor = field(init=False)
    reason: str | None = field(init=False)
    """The event's act, date, actor and deviation reason, read once: every rule asks for
    them, dozens of times per act when a log is replayed (events are immutable)."""

    def __post_init__(self) -> None:
        event = self.event
        self.act = event.act
        self.on = event.occurred_on
        self.actor = event.actor
        self.reason = event.deviation_reason

    def judged(self, rule: Rule, consequence: Consequence, message: str) -> None:
        """Act on a problem the rule found, as its consequence says (or refuse it whatever
        the consequence, when the message is `Impossible`)."""
        if consequence == "impossible" or isinstance(message, Impossible):
            self.impossible(rule, message)
        elif consequence == "exceptional":
            self.exceptional(rule, message)
        else:
            self.breach(rule, message)

    def impossible(self, rule: Rule, message: str) -> None:
        """The act cannot be (it names a record that does not exist, or appeals against no
        decision): nothing is recorded. Never for a breach of the procedure, however grave:
        what happened is recorded, with a finding."""
        raise ActRefusedByRule(rule.ref, message)

    def breach(self, rule: Rule, message: str, severity: Severity | None = None) -> None:
        """A 'must' was broken: recorded, with the reason if the act gave one."""
        self.findings.append(
            Finding(
                rule=rule.ref,
                version=self.event.originator_version,
                occurred_on=self.on,
                severity=severity or rule.severity,
                message=message,
                deviation_reason=self.reason,
            )
        )

    def exceptional(self, rule: Rule, message: str) -> None:
        """Allowed only with a stated reason: a deviation with its reason when the act gives
        one; without one, recorded with a finding saying the reason is missing, which a later
        `DeviationReasonGiven` naming the finding (`Finding.id`) turns into a deviation with
        that reason, by whom and when (`projections.case_status`)."""
        self.breach(rule, message if self.reason is not None else f"{message}; {REASON_MISSING}")


@dataclass(frozen=True)
class DeadlineSpec:
    """A due date before it is evaluated on a particular day."""

    rule: Rule
    description: str
    anchor_version: int
    due_on: date | None
    unit: str
    done: Mark | None
    unknown_because: str | None = None
    counted_from: date | None = None
    """Set, with no due_on, for a duty the source gives no limit ("as soon as practicable"): the
    row is open until done, then met, showing the days elapsed since this date."""

    advisory: bool = False
    """A date the source suggests but does not require: done late is still met, not done by
    then is lapsed, and neither is a finding."""

    def evaluate(self, as_of: date) -> Deadline:
        done = self.done if self.done is not None and self.done.on <= as_of else None
        untimed = self.due_on is None and self.counted_from is not None
        if untimed:
            status = DeadlineStatus.MET if done is not None else DeadlineStatus.OPEN
        elif self.due_on is None:
            status = DeadlineStatus.UNKNOWN
        elif done is not None:
            if done.on <= self.due_on or self.advisory:
                status = DeadlineStatus.MET
            else:
                status = DeadlineStatus.DEVIATED if done.reason else DeadlineStatus.MISSED
        else:
            late = DeadlineStatus.LAPSED if self.advisory else DeadlineStatus.OVERDUE
            status = late if as_of > self.due_on else DeadlineStatus.OPEN
        return Deadline(
            rule=self.rule.ref,
            description=self.description,
            anchor_version=self.anchor_version,
            due_on=self.due_on,
            unit=self.unit,
            status=status,
            done_on=done.on if done else None,
            done_version=done.version if done else None,
            reason=(done.reason if done else None) or self.unknown_because,
            advisory=self.advisory,
            elapsed_days=self._elapsed(done.on if done else as_of) if untimed else None,
        )

    def _elapsed(self, until: date) -> int | None:
        """None before the clock has started (the cycle has not ended yet)."""
        assert self.counted_from is not None
        return (until - self.counted_from).days if until >= self.counted_from else None


def kinds(*acts: type[ActBase]) -> frozenset[str]:
    """The `kind`s of act classes: a rule's `acts`, when its `judge` looks at only these."""
    return frozenset(str(act.model_fields["kind"].default) for act in acts)


class Rule:
    """Base rule: override `judge` and/or `deadlines`."""

    kind: RuleKind = RuleKind.FINDING
    severity: Severity = Severity.MAJOR
    acts: frozenset[str] | None = None
    """The act kinds `judge` looks at; None for rules that look at every act."""

    def __init__(self, rule_id: str, source: str, summary: str) -> None:
        self.ref = RuleRef(id=rule_id, source=source)
        self.summary = summary

    def judge(self, ctx: ActContext) -> None:
        """Look at the act in context; call ctx.breach / ctx.exceptional / ctx.impossible."""

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        return ()

    def due(
        self,
        calendar: SchoolCalendar,
        anchor: date,
        limit: TimeLimit,
        direction: Direction = Direction.AFTER,
    ) -> tuple[date | None, str | None]:
        """A due date on the pack's calendar, or why it cannot be known (no term dates)."""
        try:
            return calendar.shift(anchor, limit, direction), None
        except CalendarError as exc:
            return None, str(exc)

    def spec(
        self,
        file: CaseFile,
        calendar: SchoolCalendar,
        *,
        description: str,
        anchor: Mark,
        start: date,
        limit: TimeLimit,
        done: Mark | None,
        direction: Direction = Direction.AFTER,
    ) -> DeadlineSpec:
        """A deadline N units after (or before) `start`, honouring agreed extensions."""
        due_on, unknown = self.due(calendar, start, limit, direction)
        extension = file.extensions.get(f"{self.ref.id}@{anchor.version}")
        if extension is not None:
            due_on = extension[1].new_due_on
        return DeadlineSpec(
            rule=self,
            description=description,
            anchor_version=anchor.version,
            due_on=due_on,
            unit=f"{limit.amount} {limit.unit.value.replace('_', ' ')} {direction.value}",
            done=done,
            unknown_because=unknown,
        )
