"""'By the date the case itself fixes': a plan's own review date, a published deadline, the
last day of a month window. No time limit is counted, so no calendar unit applies.

Some procedures give no "within N days" at all, only dates: "monitor improvement with review
deadlines" (the plan sets them), "the deadline ... will be agreed and published annually" (the
school sets it), "November/December" (the month sets it). A due date that nobody has fixed yet
is shown as unknown with the reason, never guessed. A duty with no date at all ("as soon as
practicable") is shown open with the days elapsed since `counted_from`, never as missed.

A pack file declares such a rule as kind `on_dates` (`DatedByCheck`), naming the pack's check
that finds the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import DeadlineSpec, Rule


@dataclass(frozen=True)
class FixedDue:
    """One clock: what starts it, the date it is due (or why that is unknown), what met it."""

    mark: Mark
    description: str
    due_on: date | None
    unit: str
    """How the date was fixed, e.g. 'by the plan's own review date'."""
    done: Mark | None
    unknown_because: str | None = None
    counted_from: date | None = None
    """For a row with no due date ("as soon as practicable"): the day its elapsed days count
    from."""


class DatedByCheck(Rule):
    """The `on_dates` rule kind: a pack's named check finds the clocks, from the case and the
    school's calendar (a date the school publishes is the calendar's, not the case's); an agreed
    extension replaces a clock's date."""

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        dated: Callable[[CaseFile, SchoolCalendar], Iterable[FixedDue]],
        kind: RuleKind,
        severity: Severity,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.dated = dated
        self.kind = kind
        self.severity = severity

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for due in self.dated(file, calendar):
            extension = file.extensions.get(f"{self.ref.id}@{due.mark.version}")
            yield DeadlineSpec(
                rule=self,
                description=due.description,
                anchor_version=due.mark.version,
                due_on=extension[1].new_due_on if extension else due.due_on,
                unit="by the agreed extended date" if extension else due.unit,
                done=due.done,
                unknown_because=None if extension else due.unknown_because,
                counted_from=due.counted_from,
            )
