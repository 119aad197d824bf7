"""The status of one case on any date: a pure fold over its events.

Time travel is a filter: the status on D is the fold of the acts that occurred on or before D,
judged exactly as when they were recorded (each under its recorded pack version), with every
deadline evaluated on D. Nothing here reads a clock or a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import TypeAdapter

from pmledger.calendar import Nation, SchoolCalendar
from pmledger.errors import ActRefused, InvalidInput
from pmledger.events.case_acts import CaseOpened
from pmledger.events.record_acts import DeviationReasonGiven
from pmledger.events.signed_event import CaseEvent, PackRef
from pmledger.policies.case_file import CaseFile, PayFacts, countersigned
from pmledger.policies.judgement import (
    Deadline,
    DeadlineStatus,
    Finding,
    ReasonGiven,
    RuleRef,
    Severity,
)
from pmledger.policies.ladder import Ladder
from pmledger.policies.pack import ReviewPoint
from pmledger.policies.procedure import fold, judge_act
from pmledger.policies.registry import pack_for
from pmledger.projections.warnings import WarningStatus, WarningView, warning_views

CalendarFor = Callable[[CaseOpened], SchoolCalendar]


@dataclass(frozen=True)
class AwaitingSignature:
    version: int
    kind: str
    occurred_on: date


@dataclass(frozen=True)
class PayLine:
    """A cycle's rating and pay: what was recommended and, beside it, what the governors' pay
    panel decided (what the employee receives; it may differ, with a finding if it departs
    from the rating's mapping). The decided amounts are None until a decision is recorded."""

    cycle_id: str
    rating: str | None
    recommendation_id: str | None
    recommended_points: int
    recommended_steps: int
    recommended_one_off_percent: int
    approved: bool
    shared: bool
    referred: bool
    decided: bool
    decided_points: int | None = None
    decided_steps: int | None = None
    decided_one_off_percent: int | None = None
    effective_from: date | None = None


@dataclass(frozen=True)
class AppealLine:
    """An appeal and where it stands: lodged, its hearing, and its outcome once decided."""

    appeal_id: str
    lodged_on: date
    against_version: int
    hearing_on: date | None
    heard_on: date | None
    decided_on: date | None
    result: str | None
    """'upheld', 'upheld_lesser_sanction' or 'not_upheld'; None while undecided."""

    @property
    def words(self) -> str:
        """Where the appeal stands, its outcome first once decided."""
        lodged = f"lodged {self.lodged_on} against v{self.against_version}"
        if self.result is not None:
            return f"{self.result.replace('_', ' ')} (decided {self.decided_on}; {lodged})"
        if self.heard_on is not None:
            return f"heard {self.heard_on}, awaiting the decision ({lodged})"
        if self.hearing_on is not None:
            return f"hearing on {self.hearing_on} ({lodged})"
        return f"pending ({lodged})"


@dataclass
class CaseStatus:
    case_id: str
    organisation: str
    employee_ref: str
    school: str
    nation: Nation
    pack_id: str
    pack_title: str
    as_of: date
    stage: Ladder
    stage_words: str
    stage_since: date | None
    capability_active: bool
    appeal_pending: bool
    version: int
    warnings: list[WarningView] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    pay: list[PayLine] = field(default_factory=list)
    awaiting: list[AwaitingSignature] = field(default_factory=list)
    appeals: list[AppealLine] = field(default_factory=list)
    review: ReviewPoint | None = None
    """Where the case stands in its procedure's own review cycle (ReFocus: review 1, 2 or 3
    of the three-point cycle), for procedures that number their reviews."""
    reasons_given: list[ReasonGiven] = field(default_factory=list)
    """Reasons given after the records they excuse, each naming its finding: the compliance
    view shows those findings as deviations with the reason, by whom and when."""

    @property
    def live_warnings(self) -> list[WarningView]:
        return [w for w in self.warnings if w.status is WarningStatus.LIVE]

    @property
    def overdue(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.status is DeadlineStatus.OVERDUE]

    @property
    def open_deadlines(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.status is DeadlineStatus.OPEN]

    @property
    def compliance(self) -> list[Finding]:
        """Each breach once: act findings, and every deadline missed, overdue or deviated from.

        A deadline met late by an act whose own finding (same rule, same version) already
        says so is that finding, not a second row: the finding keeps its severity and links
        the deadline (`due_on`, `deadline_anchor_version`: the name the overdue row had).
        Each finding a later act gave the reason for shows that reason."""
        findings = list(self.findings)
        at = {(f.rule.id, f.version): i for i, f in reversed(list(enumerate(findings)))}
        late = []
        for d in self.deadlines:
            if d.status not in (
                DeadlineStatus.MISSED,
                DeadlineStatus.OVERDUE,
                DeadlineStatus.DEVIATED,
            ):
                continue
            same = at.get((d.rule.id, d.done_version)) if d.done_version is not None else None
            if same is not None:
                findings[same] = findings[same].model_copy(
                    update={"due_on": d.due_on, "deadline_anchor_version": d.anchor_version}
                )
                continue
            late.append(
                Finding(
                    rule=d.rule,
                    version=d.done_version or d.anchor_version,
                    occurred_on=d.done_on or d.due_on or self.as_of,
                    severity=Severity.MAJOR,
                    message=f"{d.description}: due {d.due_on}, "
                    + (f"done {d.done_on}" if d.done_on else f"not done by {self.as_of}"),
                    deviation_reason=d.reason if d.status is DeadlineStatus.DEVIATED else None,
                    due_on=d.due_on,
                    anchor_version=d.anchor_version,
                )
            )
        found = with_given_reasons([*findings, *late], self.reasons_given)
        return sorted(found, key=lambda f: (f.occurred_on, f.version))

    def as_json(self) -> dict[str, Any]:
        """The status as JSON-ready data: every field, plus `compliance` (what a reader of
        the status most wants and the fields alone do not hold), each finding with its `id`
        (what a `deviation_reason_given` act names). `pmledger.to_json` calls it."""
        data: dict[str, Any] = _STATUS.dump_python(self, mode="json")
        data["compliance"] = [{"id": f.id, **f.model_dump(mode="json")} for f in self.compliance]
        return data


def with_reasons(status: CaseStatus, reveal: Callable[[str], str]) -> CaseStatus:
    """`status` with each deviation reason its findings and deadlines quote passed through
    `reveal`: folded from stored events, they quote the reasons sealed, as stored."""
    status.findings = [
        f.model_copy(update={"deviation_reason": reveal(f.deviation_reason)})
        if f.deviation_reason
        else f
        for f in status.findings
    ]
    status.deadlines = [
        d.model_copy(update={"reason": reveal(d.reason)}) if d.reason else d
        for d in status.deadlines
    ]
    status.reasons_given = [
        r.model_copy(update={"reason": reveal(r.reason)}) for r in status.reasons_given
    ]
    return status


def with_given_reasons(findings: list[Finding], given: list[ReasonGiven]) -> list[Finding]:
    """Each finding a later act gave the reason for, as a deviation with that reason (the
    latest given, when more than one was)."""
    latest = {r.finding_id: r for r in given}
    return [_with_reason(f, latest) for f in findings]


def _with_reason(finding: Finding, latest: dict[str, ReasonGiven]) -> Finding:
    """The finding with the latest reason given under any of its names, if one was."""
    given = [latest[name] for name in finding.names if name in latest]
    return finding.with_reason(max(given, key=lambda r: r.version)) if given else finding


@dataclass
class FoldState:
    """Everything the status of a case is computed from; serialisable, so stored read models
    can keep it per case and resume after a crash without re-reading the whole log."""

    file: CaseFile | None = None
    case_id: str = ""
    version: int = 0
    pack_id: str = ""
    pack_version: str = ""
    findings: list[Finding] = field(default_factory=list)
    countersignable: list[AwaitingSignature] = field(default_factory=list)
    reasons_given: list[ReasonGiven] = field(default_factory=list)

    def apply(self, event: CaseEvent, calendar_for: CalendarFor) -> None:
        """Judge the act again (findings) and advance the case by it."""
        calendar = calendar_for(self.file.opened if self.file else _opened(event))
        stage: Ladder | None = None
        try:
            findings, stage = judge_act(self.file, event, calendar)
            self.findings.extend(findings)
        except ActRefused as refused:
            self.findings.append(
                Finding(
                    rule=RuleRef(id="re-judged", source=event.pack.id),
                    version=event.originator_version,
                    occurred_on=event.occurred_on,
                    severity=Severity.MAJOR,
                    message=f"recorded, but refused when judged again: {refused}",
                )
            )
        if self.file is None:
            self.case_id = str(event.originator_id)
        self.file = fold(self.file, event, stage)
        if isinstance(event.act, DeviationReasonGiven):
            self.reasons_given.append(
                ReasonGiven(
                    finding_id=event.act.finding_id,
                    reason=event.act.reason,
                    by=event.actor.person_id,
                    on=event.occurred_on,
                    version=event.originator_version,
                )
            )
        self.version = event.originator_version
        self.pack_id, self.pack_version = event.pack.id, event.pack.version
        if countersigned(event.kind, event.actor, self.file.opened):
            self.countersignable.append(
                AwaitingSignature(event.originator_version, event.kind, event.occurred_on)
            )

    def status(self, as_of: date, calendar_for: CalendarFor) -> CaseStatus:
        file = self.file
        if file is None:
            msg = "no events folded yet"
            raise ValueError(msg)
        pack = pack_for(PackRef(id=self.pack_id, version=self.pack_version))
        return CaseStatus(
            case_id=self.case_id,
            organisation=file.opened.organisation,
            employee_ref=file.opened.employee_ref,
            school=file.opened.school,
            nation=file.opened.nation,
            pack_id=pack.id,
            pack_title=pack.title,
            as_of=as_of,
            stage=file.stage,
            stage_words=pack.words(file.stage),
            stage_since=file.stage_since,
            capability_active=file.capability_active,
            appeal_pending=file.appeal_pending,
            version=self.version,
            warnings=warning_views(file, pack, as_of),
            deadlines=pack.deadlines(file, calendar_for(file.opened), as_of),
            findings=list(self.findings),
            pay=_pay_lines(file),
            awaiting=[a for a in self.countersignable if a.version not in file.acknowledged],
            appeals=_appeal_lines(file),
            review=pack.review_point(file) if pack.review_point else None,
            reasons_given=list(self.reasons_given),
        )


FOLD_STATE: TypeAdapter[FoldState] = TypeAdapter(FoldState)
_STATUS: TypeAdapter[CaseStatus] = TypeAdapter(CaseStatus)


def case_status(events: Iterable[CaseEvent], calendar_for: CalendarFor, as_of: date) -> CaseStatus:
    """Status on `as_of` from the acts that occurred on or before it.

    A day before the case was opened has no status, even when an act recorded later is dated
    on or before it (a concern backfilled from before the case): the case it belongs to did
    not exist yet, and it counts from the opening on."""
    return case_fold(events, calendar_for, as_of).status(as_of, calendar_for)


def case_fold(events: Iterable[CaseEvent], calendar_for: CalendarFor, as_of: date) -> FoldState:
    """The fold of the acts that occurred on or before `as_of` (see `case_status`)."""
    state = FoldState()
    for event in events:
        if event.originator_version == 1 and event.occurred_on > as_of:
            opened = _opened(event)
            raise InvalidInput(
                f"the case of {opened.employee_ref} ({opened.organisation}) was opened on "
                f"{event.occurred_on}, so there is no case to show as of {as_of} (an act "
                "recorded later may be dated earlier, but its case did not exist yet): ask for "
                f"it as of {event.occurred_on} or later"
            )
        if event.occurred_on <= as_of:
            state.apply(event, calendar_for)
    return state


def _opened(event: CaseEvent) -> CaseOpened:
    if not isinstance(event.act, CaseOpened):
        msg = f"case {event.originator_id} does not start with case_opened"
        raise ValueError(msg)
    return event.act


def _appeal_lines(file: CaseFile) -> list[AppealLine]:
    return [
        AppealLine(
            appeal_id=appeal.appeal_id,
            lodged_on=appeal.lodged.on,
            against_version=appeal.appeal.against_version,
            hearing_on=appeal.hearing_on,
            heard_on=appeal.heard.on if appeal.heard else None,
            decided_on=appeal.decided.on if appeal.decided else None,
            result=appeal.result.value if appeal.result else None,
        )
        for appeal in sorted(file.appeals.values(), key=lambda a: a.lodged.version)
    ]


def _pay_lines(file: CaseFile) -> list[PayLine]:
    lines = []
    cycles = sorted(set(file.ratings) | {p.recommendation.cycle_id for p in file.pay.values()})
    for cycle in cycles:
        rating = file.ratings.get(cycle)
        pays: list[PayFacts | None] = [
            p for p in file.pay.values() if p.recommendation.cycle_id == cycle
        ] or [None]
        for pay in pays:
            recommended = pay.recommendation if pay else None
            decision = pay.decision if pay else None
            lines.append(
                PayLine(
                    cycle_id=cycle,
                    rating=rating[1].value if rating else None,
                    recommendation_id=pay.recommendation_id if pay else None,
                    recommended_points=recommended.pay_points if recommended else 0,
                    recommended_steps=recommended.pay_steps if recommended else 0,
                    recommended_one_off_percent=recommended.one_off_percent if recommended else 0,
                    approved=bool(pay and pay.approved),
                    shared=bool(pay and pay.shared),
                    referred=bool(pay and pay.referred),
                    decided=decision is not None,
                    decided_points=decision.pay_points if decision else None,
                    decided_steps=decision.pay_steps if decision else None,
                    decided_one_off_percent=decision.one_off_percent if decision else None,
                    effective_from=decision.effective_from if decision else None,
                )
            )
    return lines
