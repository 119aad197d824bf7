"""'By the date the case itself sets': deadlines on dates a pack computes from the facts.

Some due dates are neither "N units after X" nor one fixed day-month: the end-of-year review is
due by 31 October for teachers but 31 December for the Headteacher, a support plan's review is
due on the date the plan agreed, and an interim meeting is due in every term of the cycle. The
pack computes each row; this kind turns rows into deadlines and honours agreed extensions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from pmledger.calendar import SchoolCalendar
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Severity
from pmledger.policies.rule import DeadlineSpec, Rule
from pmledger.policies.rules.due_after import Anchor


@dataclass(frozen=True)
class DueRow:
    """One deadline: what starts it and what met it, the day it is due, and how to say so."""

    anchor: Anchor
    due_on: date | None
    unit: str
    unknown_because: str | None = None
    counted_from: date | None = None
    """For a row with no due date ("as soon as practicable"): the day its elapsed days count
    from."""


class DueOn(Rule):
    """`rows(file, calendar)` yields one DueRow per deadline the case's facts call for."""

    def __init__(
        self,
        rule_id: str,
        source: str,
        summary: str,
        *,
        rows: Callable[[CaseFile, SchoolCalendar], Iterable[DueRow]],
        severity: Severity = Severity.MAJOR,
    ) -> None:
        super().__init__(rule_id, source, summary)
        self.rows = rows
        self.severity = severity

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for row in self.rows(file, calendar):
            extension = file.extensions.get(f"{self.ref.id}@{row.anchor.mark.version}")
            yield DeadlineSpec(
                rule=self,
                description=row.anchor.description,
                anchor_version=row.anchor.mark.version,
                due_on=extension[1].new_due_on if extension else row.due_on,
                unit=row.unit,
                done=row.anchor.done,
                unknown_because=row.unknown_because,
                counted_from=row.counted_from,
            )
