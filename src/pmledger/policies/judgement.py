"""What judging an act produces: refusals, findings and deadlines, each citing its source.

A finding is a breach the procedure treats as a "must" (recorded, shown, never hidden); a
deviation is something the procedure allows only with a reason, recorded with that reason.
Deadlines are due dates on the right calendar with their status on a given date.
"""

from __future__ import annotations

from collections.abc import Callable
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


REASON_MISSING = "the procedure allows this only with a stated reason, and none was given"
"""The words ending a finding of an exception recorded without its reason."""


class ReasonGiven(FrozenModel):
    """A reason given after the record it excuses (a `deviation_reason_given` act): the finding
    it answers, the reason, who gave it, when, and the record that gave it."""

    finding_id: str
    reason: str
    by: str
    on: date
    version: int


class Finding(FrozenModel):
    rule: RuleRef
    version: int
    occurred_on: date
    severity: Severity
    message: str
    deviation_reason: str | None = None
    """Set when the act carried a stated reason, or one was given later (`reason_given`): the
    breach is then a recorded deviation."""
    due_on: date | None = None
    """Set on a row whose breach is a time limit: the date it was due."""
    anchor_version: int | None = None
    """For a step done late or not at all: the record that started its clock, which names the
    finding however the step is later done."""
    deadline_anchor_version: int | None = None
    """Set on an act's finding whose breach is also a deadline met late (the breach is listed
    once, under the act's finding): the version that started the deadline's clock, which
    named the breach while it was overdue and still names it (`names`)."""
    reason_given: ReasonGiven | None = None
    """Who gave the reason later, when, and in which record; None when the act carried it."""

    @property
    def deviated(self) -> bool:
        return self.deviation_reason is not None

    @property
    def id(self) -> str:
        """'rule-id@version': stable for as long as the record stands, so a later act can name
        the finding it gives the reason for (a late step: the version its clock started at)."""
        anchor = self.anchor_version if self.anchor_version is not None else self.version
        return f"{self.rule.id}@{anchor}"

    @property
    def names(self) -> tuple[str, ...]:
        """Every id a later act may name this finding by: its own, and for an act's finding
        merged with the deadline it met late, the id that deadline's row had while overdue."""
        if self.deadline_anchor_version is None:
            return (self.id,)
        return (self.id, f"{self.rule.id}@{self.deadline_anchor_version}")

    def reason_words(
        self, name: Callable[[str], str] = str, day: Callable[[date], str] = date.isoformat
    ) -> str:
        """The stated reason as a view shows it; one given later says by whom (`name` turns a
        person id into what the reader may see), when (`day` writes the date as the view
        does) and in which record."""
        given = self.reason_given
        if given is None:
            return self.deviation_reason or ""
        return (
            f"{given.reason} (given by {name(given.by)} on {day(given.on)}, "
            f"record v{given.version})"
        )

    def with_reason(self, given: ReasonGiven) -> Finding:
        """The finding as a deviation with the reason given later: its message no longer says
        the reason is missing, and the reason says by whom and when it was given."""
        message = self.message.removesuffix(f"; {REASON_MISSING}")
        return self.model_copy(
            update={"message": message, "deviation_reason": given.reason, "reason_given": given}
        )


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
