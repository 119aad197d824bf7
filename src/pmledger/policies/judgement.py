"""What judging an act produces: refusals, findings and deadlines, each citing its source.

A finding is a breach the procedure treats as a "must" (recorded, shown, never hidden); a
deviation is something the procedure allows only with a reason, recorded with that reason.
Deadlines are due dates on the right calendar with their status on a given date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pmledger.errors import ActRefused
from pmledger.events.values import FrozenModel


class RuleKind(StrEnum):
    HARD = "hard"
    FINDING = "finding"
    DEVIATION = "deviation"
    DERIVE = "derive"
    LIMIT = "limit"


class Severity(StrEnum):
    """How much a breach matters, worst first.

    `critical`: what a tribunal would treat as unfair in itself (a dismissal without level-2
    authority, no right of appeal, no prior warning of the consequences); `major`: a "must" of
    the procedure broken (timing, sequence, contents, who acted); `minor`: a step the procedure
    only expects, or a record short of what it asks for."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


class RuleRef(FrozenModel):
    """A rule's id and where it comes from, e.g. ('ip-first-formal-notice', '004 §7')."""

    id: str
    source: str


class Finding(FrozenModel):
    rule: RuleRef
    version: int
    occurred_on: date
    severity: Severity
    message: str
    deviation_reason: str | None = None
    """Set when the act carried a stated reason: the breach is then a recorded deviation."""
    due_on: date | None = None
    deadline_anchor_version: int | None = None
    """Set on a compliance row whose breach is also a deadline met late: the date it was due
    and the version that started its clock, which name its row in the status's deadlines
    (the breach is listed once, under the act's finding)."""

    @property
    def deviated(self) -> bool:
        return self.deviation_reason is not None


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    OVERDUE = "overdue"
    DEVIATED = "deviated"
    UNKNOWN = "unknown"
    LAPSED = "lapsed"
    """An advisory date passed without the step it suggests: shown, never a finding."""


class Deadline(FrozenModel):
    """A due date the procedure derives; `status` is as of the date it was evaluated on."""

    rule: RuleRef
    description: str
    anchor_version: int
    due_on: date | None
    unit: str
    status: DeadlineStatus
    done_on: date | None = None
    done_version: int | None = None
    reason: str | None = None
    advisory: bool = False
    """A date the source only suggests ("it may be helpful"): met or lapsed, never missed."""
    elapsed_days: int | None = None
    """Calendar days from the clock's start to when it was done (or to the day evaluated while
    open): set for duties with no fixed limit ("as soon as practicable"), whose row has no due
    date and so is never overdue, but whose delay is still shown."""

    @property
    def no_due_date_words(self) -> str:
        """What to show in a due-date column when there is no date: the days elapsed on an
        untimed duty, otherwise that the date cannot be computed (the reason says why)."""
        if self.elapsed_days is not None:
            return f"no limit; {self.elapsed_days} days elapsed"
        return "not computable"


class ActRefusedByRule(ActRefused):
    """The act cannot be (a reference to a record that does not exist, an appeal against no
    decision); nothing was recorded."""

    def __init__(self, rule: RuleRef, message: str) -> None:
        super().__init__(f"{message} ({rule.source}, rule {rule.id})")
        self.rule = rule
