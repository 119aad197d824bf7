"""The statutory clock of a subject access request: one month, extendable by two (UK GDPR).

Not a procedure's rule but the law's, so it is the same in every pack (`PolicyPack` asks it
besides the pack's own rules). Art. 12(3): answer "within one month of receipt of the request",
extendable "by two further months where necessary", telling the requester "within one month of
receipt" of the extension and its reasons. The ICO's reading of "one month" is what is computed:
from the day of receipt to the corresponding calendar date of the next month (the last day of
that month when it has no such date), moved to the next working day when it falls on a
weekend or bank holiday of the school's nation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from pmledger.calendar import SchoolCalendar, add_months
from pmledger.events.subject_access_acts import (
    SubjectAccessAnswered,
    SubjectAccessExtended,
    SubjectAccessRequested,
)
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.judgement import RuleKind, Severity
from pmledger.policies.rule import ActContext, DeadlineSpec, Rule, kinds

SOURCE = "UK GDPR Art. 12(3); ICO, Right of access: time limits"
MAX_EXTENSION_MONTHS = 2


@dataclass(frozen=True)
class Request:
    """One request as the case records it: received, extensions, first answer."""

    received: Mark
    request_id: str
    extended_months: int
    answered: Mark | None


def requests(file: CaseFile) -> list[Request]:
    """Every subject access request on the case, in the order received."""
    found: dict[str, Request] = {}
    for r in file.recorded(*SubjectAccessDeadline.acts):
        act = r.act
        if isinstance(act, SubjectAccessRequested):
            found[act.request_id] = Request(r.mark, act.request_id, 0, None)
        elif isinstance(act, SubjectAccessExtended) and act.request_id in found:
            old = found[act.request_id]
            found[act.request_id] = Request(
                old.received, old.request_id, old.extended_months + act.months, old.answered
            )
        elif isinstance(act, SubjectAccessAnswered) and act.request_id in found:
            old = found[act.request_id]
            if old.answered is None:
                found[act.request_id] = Request(
                    old.received, old.request_id, old.extended_months, r.mark
                )
    return list(found.values())


def due_on(received: date, months: int, calendar: SchoolCalendar) -> date:
    """The corresponding date `months` later (clamped to the month's end), then the next
    working day if that is not one."""
    due = add_months(received, months)
    while not calendar.is_working_day(due):
        due += timedelta(days=1)
    return due


class SubjectAccessDeadline(Rule):
    kind = RuleKind.FINDING
    severity = Severity.MAJOR
    acts = kinds(SubjectAccessRequested, SubjectAccessExtended, SubjectAccessAnswered)

    def __init__(self) -> None:
        super().__init__(
            "subject-access",
            SOURCE,
            "a subject access request is answered within one month of receipt, or within "
            "three when extended in the first month with reasons",
        )

    def judge(self, ctx: ActContext) -> None:
        act = ctx.act
        known = {r.request_id: r for r in requests(ctx.file)}
        if isinstance(act, SubjectAccessRequested):
            if act.request_id in known:
                ctx.impossible(self, f"subject access request {act.request_id} is already recorded")
            return
        assert isinstance(act, SubjectAccessExtended | SubjectAccessAnswered)
        request = known.get(act.request_id)
        if request is None:
            ctx.impossible(
                self,
                f"no subject access request {act.request_id} is recorded on this case; "
                "record its receipt (subject_access_requested) first",
            )
            return
        if not isinstance(act, SubjectAccessExtended):
            return
        if request.extended_months + act.months > MAX_EXTENSION_MONTHS:
            ctx.breach(
                self,
                f"request {act.request_id} extended by {request.extended_months + act.months} "
                f"months in all; Art. 12(3) allows two further months at most",
            )
        first_month = due_on(request.received.on, 1, ctx.calendar)
        if ctx.on > first_month:
            ctx.breach(
                self,
                f"request {act.request_id}: the extension was recorded on {ctx.on}, after the "
                f"first month ended ({first_month}); the requester must be told within it",
            )

    def deadlines(self, file: CaseFile, calendar: SchoolCalendar) -> Iterable[DeadlineSpec]:
        for request in requests(file):
            months = 1 + min(request.extended_months, MAX_EXTENSION_MONTHS)
            extended = f", extended by {months - 1}" if months > 1 else ""
            yield DeadlineSpec(
                rule=self,
                description=f"answer subject access request {request.request_id}{extended}",
                anchor_version=request.received.version,
                due_on=due_on(request.received.on, months, calendar),
                unit=f"{months} calendar month{'s' if months > 1 else ''} after receipt",
                done=request.answered,
            )


STATUTORY_RULES: tuple[Rule, ...] = (SubjectAccessDeadline(),)
"""Rules every pack applies because the law, not the procedure, makes them."""
