"""'Within N units of X, do Y': a deadline per anchor, met by the first matching act."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from pmledger.calendar import SchoolCalendar, TimeLimit
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


class DueAfter(Rule):
    """Deadlines derived from the case's facts; a late or missing act shows as missed/overdue.

    `anchors` reads the facts and yields one Anchor per clock, so a pack states a rule like
    "written feedback within 5 working days of the observation" in one line.
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
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.limit = limit
        self.anchors = anchors
        self.severity = severity

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for anchor in self.anchors(file):
            yield self.spec(
                file,
                calendar,
                description=anchor.description,
                anchor=anchor.mark,
                start=anchor.start or anchor.mark.on,
                limit=self.limit,
                done=anchor.done,
            )


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
