"""'Within N units of X, do Y': a deadline per anchor, met by the first matching act."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit
from pmledger.events.actors import Role
from pmledger.events.appeal_acts import TimeLimitExtended
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import DeadlineSpec, Rule


@dataclass(frozen=True)
class Anchor:
    """One occurrence that starts a clock: when, what it is, and what (if anything) met it."""

    mark: Mark
    description: str
    done: Mark | None
    start: date | None = None
    """Count from this date instead of the anchor's own date (e.g. a meeting's date)."""


Extensions = Literal["as_agreed", "agreed_in_advance_by_both"]
"""Which recorded extensions move a limit: any (`TimeLimitExtended` as recorded), or only one
agreed before the limit passed by both the employee and management ("extensions are agreed
in advance by both parties")."""


def agreed_by_both(extension: TimeLimitExtended) -> bool:
    """ "Agreed by both parties": the employee and someone for the school."""
    roles = set(extension.agreed_by)
    return Role.EMPLOYEE in roles and bool(roles - {Role.EMPLOYEE})


class DueAfter(Rule):
    """Deadlines derived from the case's facts; a late or missing act shows as missed/overdue.

    `anchors` reads the facts and yields one Anchor per clock, so a pack states a rule like
    "written feedback within 5 working days of the observation" in one line. `direction`
    "before" counts back from the anchor's start ("notice at least 10 days before the
    hearing"); `extensions` says which recorded extensions move the limit.
    """

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        limit: TimeLimit,
        anchors: Callable[[CaseFile], Iterable[Anchor]],
        severity: Severity = Severity.MAJOR,
        direction: Direction = Direction.AFTER,
        extensions: Extensions = "as_agreed",
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.limit = limit
        self.anchors = anchors
        self.severity = severity
        self.direction = direction
        self.extensions = extensions

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for anchor in self.anchors(file):
            start = anchor.start or anchor.mark.on
            spec = self.spec(
                file,
                calendar,
                description=anchor.description,
                anchor=anchor.mark,
                start=start,
                limit=self.limit,
                done=anchor.done,
                direction=self.direction,
            )
            yield self._unless_extended_late(file, calendar, spec, anchor.mark, start)

    def _unless_extended_late(
        self,
        file: CaseFile,
        calendar: SchoolCalendar,
        spec: DeadlineSpec,
        anchor: Mark,
        start: date,
    ) -> DeadlineSpec:
        """The original due date where an extension agreed after it, or not by both parties,
        does not count."""
        if self.extensions == "as_agreed":
            return spec
        extension = file.extensions.get(f"{self.ref.id}@{anchor.version}")
        original, _ = self.due(calendar, start, self.limit, self.direction)
        if extension is None or original is None:
            return spec
        if extension[0].on > original or not agreed_by_both(extension[1]):
            return dataclasses.replace(spec, due_on=original)
        return spec


class DueBy(Rule):
    """'By 31 October': a fixed day-month after each anchor (e.g. a cycle's start)."""

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        month: int,
        day: int,
        anchors: Callable[[CaseFile], Iterable[Anchor]],
        severity: Severity = Severity.MAJOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.month = month
        self.day = day
        self.anchors = anchors
        self.severity = severity

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for anchor in self.anchors(file):
            start = anchor.start or anchor.mark.on
            due = date(start.year, self.month, self.day)
            if due < start:
                due = date(start.year + 1, self.month, self.day)
            extension = file.extensions.get(f"{self.ref.id}@{anchor.mark.version}")
            yield DeadlineSpec(
                rule=self,
                description=anchor.description,
                anchor_version=anchor.mark.version,
                due_on=extension[1].new_due_on if extension else due,
                unit=f"by {due:%d %B}",
                done=anchor.done,
            )
