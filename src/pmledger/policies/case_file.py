"""The facts of a case that procedures are judged on, folded from its events.

These facts are procedure-neutral (what was invited, held, agreed, issued and when); each pack
reads them to judge the next act and to derive deadlines. The stage is the only pack-specific
part, and the pack sets it through its stage machine (`procedure.fold` asks it).

Every facts record is immutable: an act that changes a meeting, plan, warning, appeal or pay
recommendation replaces its record in the file's container. So a file forks in the time it
takes to copy its containers' references (`CaseFile.fork`), and the case each command judges
on shares everything it does not change with the cached case it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import Field

from pmledger.calendar import add_months
from pmledger.events.actors import Actor
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealDecided,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
    AppealResult,
    TimeLimitExtended,
)
from pmledger.events.case_acts import (
    CaseOpened,
    CycleOpened,
    EmploymentStatusChanged,
    Objective,
    ObjectivesRevised,
    ObjectivesSet,
    ReviewerAssigned,
    ReviewerChanged,
)
from pmledger.events.governance_acts import (
    CaseClosed,
    EmploymentEnded,
    LegalHoldPlaced,
    LegalHoldReleased,
)
from pmledger.events.meeting_acts import (
    CompanionNamed,
    DocumentsSubmitted,
    FeedbackGiven,
    LetterSent,
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingPurpose,
    MeetingRescheduled,
    ObservationHeld,
    ObservationPlanned,
    OneToOneHeld,
)
from pmledger.events.pay_acts import (
    PayDecided,
    PayRecommendationApproved,
    PayRecommendationReferred,
    PayRecommendationShared,
    PayRecommended,
    Rating,
    RatingRecorded,
)
from pmledger.events.record_acts import (
    COUNTERSIGNED,
    AbsenceNoted,
    ConcernRaised,
    RecordAcknowledged,
)
from pmledger.events.sanction_acts import (
    CapabilityEnded,
    CapabilityStarted,
    DismissalOverturned,
    Dismissed,
    WarningIssued,
    WarningKind,
    WarningReduced,
    WarningRescinded,
)
from pmledger.events.signed_event import Act, CaseEvent
from pmledger.events.support_acts import (
    ConsequencesExplained,
    MonitoringPeriodChanged,
    MonitoringReviewed,
    Outcome,
    OutcomeDecided,
    PlanKind,
    Progress,
    SupportPlanAgreed,
    SupportPlanRevised,
)
from pmledger.policies.ladder import Ladder


@dataclass(frozen=True, slots=True)
class Mark:
    """When and at which version something happened, and the reason if it deviated."""

    on: date
    version: int
    reason: str | None = None


def countersigned(kind: str, actor: Actor, opened: CaseOpened) -> bool:
    """Whether the employee countersigns a record: one of the kinds they sign, made by someone
    else (what the case, its status and the bundle each list as awaiting their signature)."""
    return kind in COUNTERSIGNED and actor.person_id != opened.employee_person_id


@dataclass(frozen=True, slots=True)
class Recorded:
    """One act as recorded: when, what, by whom. The case's full history, for rules that need
    facts no summary above keeps (statements by form, approvals, requests, submissions)."""

    mark: Mark
    act: Act
    actor: Actor


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    meeting_id: str
    purpose: MeetingPurpose | None = None
    invited: Mark | None = None
    invitation: MeetingInvited | None = None
    scheduled_for: date | None = None
    original_date: date | None = None
    rescheduled: tuple[tuple[Mark, MeetingRescheduled], ...] = ()
    held: Mark | None = None
    record: MeetingHeld | None = None
    adjourned: tuple[tuple[Mark, MeetingAdjourned], ...] = ()
    companion_named: Mark | None = None
    papers: Mapping[str, Mark] = field(default_factory=dict)
    """party → when they first submitted papers (replaced, never changed, when one is added)."""


@dataclass(frozen=True, slots=True)
class ObservationFacts:
    observation_id: str
    planned: Mark | None = None
    plan: ObservationPlanned | None = None
    held: Mark | None = None
    verbal: Mark | None = None
    written: Mark | None = None


@dataclass(frozen=True, slots=True)
class PlanFacts:
    plan_id: str
    kind: PlanKind
    agreed: Mark
    plan: SupportPlanAgreed
    review_on: date
    ends_on: date | None
    periods: int = 1
    revisions: tuple[tuple[Mark, SupportPlanRevised], ...] = ()
    reviews: tuple[tuple[Mark, Progress], ...] = ()
    period_changes: tuple[tuple[Mark, MonitoringPeriodChanged], ...] = ()
    outcome: Outcome | None = None
    decided: Mark | None = None


@dataclass(frozen=True, slots=True)
class WarningFacts:
    warning_id: str
    kind: WarningKind
    issued: Mark
    rescinded: Mark | None = None
    reduced_to: WarningKind | None = None
    duration_months: int | None = None
    """A live period substituted on appeal; None: the pack's duration for the kind."""

    @property
    def current_kind(self) -> WarningKind:
        return self.reduced_to or self.kind

    def expires_on(self, months: Mapping[WarningKind, int]) -> date:
        """First day the warning is no longer live (live while issued <= day < expires). A
        kind the procedure does not have (recorded all the same, with a finding) lives as
        long as the longest warning the procedure does have: the record never shortens a
        sanction the procedure did not provide for."""
        kind = self.current_kind
        duration = self.duration_months or months.get(kind) or max(months.values(), default=12)
        return add_months(self.issued.on, duration)


@dataclass(frozen=True, slots=True)
class AppealFacts:
    appeal_id: str
    lodged: Mark
    appeal: AppealLodged
    accepted: Mark | None = None
    hearing_on: date | None = None
    arranged: Mark | None = None
    heard: Mark | None = None
    decided: Mark | None = None
    result: AppealResult | None = None


@dataclass(frozen=True, slots=True)
class PayFacts:
    recommendation_id: str
    recommended: Mark
    recommendation: PayRecommended
    approved: Mark | None = None
    shared: Mark | None = None
    referred: Mark | None = None
    decided: Mark | None = None
    decision: PayDecided | None = None
    """What the pay panel decided (it may differ from the recommendation)."""


@dataclass(slots=True)
class CaseFile:
    opened: CaseOpened
    opened_on: date
    stage: Ladder = Ladder.NORMAL_CYCLE
    stage_since: date | None = None
    stage_history: list[tuple[Mark, Ladder]] = field(default_factory=list)
    employment: dict[str, str | None] = field(default_factory=dict)
    cycles: dict[str, tuple[Mark, CycleOpened]] = field(default_factory=dict)
    reviewer_person_id: str | None = None
    objectives: dict[str, tuple[Objective, ...]] = field(default_factory=dict)
    objectives_set: dict[str, Mark] = field(default_factory=dict)
    meetings: dict[str, MeetingFacts] = field(default_factory=dict)
    observations: dict[str, ObservationFacts] = field(default_factory=dict)
    one_to_ones: list[tuple[Mark, OneToOneHeld]] = field(default_factory=list)
    concerns: dict[str, tuple[Mark, ConcernRaised]] = field(default_factory=dict)
    consequences: list[tuple[Mark, ConsequencesExplained]] = field(default_factory=list)
    plans: dict[str, PlanFacts] = field(default_factory=dict)
    outcomes: list[tuple[Mark, OutcomeDecided]] = field(default_factory=list)
    letters: list[tuple[Mark, LetterSent]] = field(default_factory=list)
    capability: list[tuple[Mark, CapabilityStarted]] = field(default_factory=list)
    capability_ended: list[tuple[Mark, CapabilityEnded]] = field(default_factory=list)
    warnings: dict[str, WarningFacts] = field(default_factory=dict)
    ratings: dict[str, tuple[Mark, Rating]] = field(default_factory=dict)
    pay: dict[str, PayFacts] = field(default_factory=dict)
    dismissed: tuple[Mark, Dismissed] | None = None
    appeals: dict[str, AppealFacts] = field(default_factory=dict)
    holds: dict[str, tuple[Mark, Mark | None]] = field(default_factory=dict)
    absences: list[tuple[Mark, AbsenceNoted]] = field(default_factory=list)
    acknowledged: dict[int, Mark] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    """version → act kind of every record, so rules can ask what a version holds."""
    extensions: dict[str, tuple[Mark, TimeLimitExtended]] = field(default_factory=dict)
    """'rule-id@anchor-version' → the agreed extension of that deadline."""
    employment_ended_on: date | None = None
    closed_on: date | None = None
    history: list[Recorded] = field(default_factory=list)
    by_kind: Annotated[dict[str, tuple[Recorded, ...]], Field(exclude=True)] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """kind → its records in `history`, oldest first, as far as `indexed`: an index that
    `recorded` brings up to date, not a fact (never dumped, so not in a snapshot, and never
    read from one; a restored file indexes its history on the first ask)."""
    indexed: Annotated[int, Field(exclude=True)] = field(
        default=0, init=False, compare=False, repr=False
    )

    def recorded(self, *kinds: str) -> list[Recorded]:
        """Every recorded act of the given kinds, oldest first.

        Asked for every act judged (by the access table, the disposal check and the packs'
        rules), so it reads an index of the history rather than the history: a scan made each
        act of an import cost as much as the case was long. Each kind's records are a tuple,
        replaced when one is added, so a forked file (`fork`) shares them safely."""
        index = self.by_kind
        for r in self.history[self.indexed :]:
            index[r.act.kind] = (*index.get(r.act.kind, ()), r)
        self.indexed = len(self.history)
        if len(kinds) == 1:
            return list(index.get(kinds[0], ()))
        found = [r for kind in dict.fromkeys(kinds) for r in index.get(kind, ())]
        found.sort(key=_version)
        return found

    @property
    def capability_active(self) -> bool:
        return len(self.capability) > len(self.capability_ended)

    @property
    def appeal_pending(self) -> bool:
        return any(a.decided is None for a in self.appeals.values())

    def live_warnings(self, as_of: date, months: Mapping[WarningKind, int]) -> list[WarningFacts]:
        live = []
        for warning in self.warnings.values():
            if warning.rescinded is not None and warning.rescinded.on <= as_of:
                continue
            if warning.issued.on <= as_of < warning.expires_on(months):
                live.append(warning)
        return live

    def apply(self, event: CaseEvent, stage: Ladder) -> None:
        """Record the facts an event adds and the stage it leads to (which the pack's machine
        decided). Pure bookkeeping: judging happened before."""
        mark = Mark(event.occurred_on, event.originator_version, event.deviation_reason)
        if stage is not self.stage:
            self.stage_history.append((mark, stage))
            self.stage = stage
            self.stage_since = event.occurred_on
        self.kinds[event.originator_version] = event.kind
        self.history.append(Recorded(mark, event.act, event.actor))
        self.apply_facts(event.act, mark)

    def apply_facts(self, act: Act, mark: Mark) -> None:
        """Record the facts `act` adds to the file's summaries (meetings, warnings, holds…),
        without the stage, the kinds or the history: `apply`'s last step, and all the
        retention dates pass (`projections.disposal_facts`) folds of the acts it reads, so
        both hold the same facts by the same code."""
        _APPLY.get(type(act), _ignore)(self, act, mark)

    def fork(self) -> CaseFile:
        """A file that goes on from this one independently, without copying the case.

        The facts records are immutable (a change replaces one), so both files share them;
        only the top-level containers are new, each a C-level copy of references. That is what
        the case cache hands each command: one that fails after folding its act leaves the
        cached file as it was, at a cost that does not grow with what each fact holds."""
        forked = object.__new__(CaseFile)
        for name in _FIELDS:
            value = getattr(self, name)
            setattr(forked, name, value.copy() if type(value) in _CONTAINERS else value)
        return forked


_FIELDS = tuple(f.name for f in fields(CaseFile))


def _version(recorded: Recorded) -> int:
    return recorded.mark.version


_CONTAINERS = (list, dict)


_Facts = TypeVar("_Facts")


def _replaced(facts: _Facts, **changes: Any) -> _Facts:
    """`dataclasses.replace` for the file's facts records (frozen, slotted, no
    `__post_init__`): the same record with `changes`, the other fields shared, at ≈ 60 % of
    replace's cost (which reads every field's metadata and goes through the generated
    `__init__`). Every meeting's invitation and holding replaces one, for every case a
    retention plan or purge folds."""
    cls = type(facts)
    new = object.__new__(cls)
    for name in cls.__slots__:  # type: ignore[attr-defined]
        object.__setattr__(
            new, name, changes.pop(name) if name in changes else getattr(facts, name)
        )
    if changes:
        raise TypeError(f"{cls.__name__} has no field {', '.join(changes)}")
    return new


def _ignore(file: CaseFile, act: Act, mark: Mark) -> None:
    """Acts that add no procedural facts beyond their presence in the record."""


def _meeting(file: CaseFile, meeting_id: str) -> MeetingFacts:
    return file.meetings.get(meeting_id) or MeetingFacts(meeting_id)


def _observation(file: CaseFile, observation_id: str) -> ObservationFacts:
    return file.observations.get(observation_id) or ObservationFacts(observation_id)


def _employment_status(file: CaseFile, act: EmploymentStatusChanged, mark: Mark) -> None:
    file.employment[act.field] = act.value


def _cycle(file: CaseFile, act: CycleOpened, mark: Mark) -> None:
    file.cycles[act.cycle_id] = (mark, act)
    file.reviewer_person_id = act.reviewer_person_id


def _reviewer(file: CaseFile, act: ReviewerAssigned | ReviewerChanged, mark: Mark) -> None:
    file.reviewer_person_id = act.reviewer_person_id


def _objectives(file: CaseFile, act: ObjectivesSet | ObjectivesRevised, mark: Mark) -> None:
    file.objectives[act.cycle_id] = act.objectives
    file.objectives_set.setdefault(act.cycle_id, mark)


def _invited(file: CaseFile, act: MeetingInvited, mark: Mark) -> None:
    meeting = _meeting(file, act.meeting_id)
    file.meetings[act.meeting_id] = _replaced(
        meeting,
        purpose=act.purpose,
        invited=mark,
        invitation=act,
        scheduled_for=act.scheduled_for,
        original_date=meeting.original_date or act.scheduled_for,
    )


def _rescheduled(file: CaseFile, act: MeetingRescheduled, mark: Mark) -> None:
    meeting = _meeting(file, act.meeting_id)
    file.meetings[act.meeting_id] = _replaced(
        meeting, rescheduled=(*meeting.rescheduled, (mark, act)), scheduled_for=act.new_date
    )


def _held(file: CaseFile, act: MeetingHeld, mark: Mark) -> None:
    meeting = _meeting(file, act.meeting_id)
    file.meetings[act.meeting_id] = _replaced(
        meeting, purpose=meeting.purpose or act.purpose, held=mark, record=act
    )


def _adjourned(file: CaseFile, act: MeetingAdjourned, mark: Mark) -> None:
    meeting = _meeting(file, act.meeting_id)
    file.meetings[act.meeting_id] = _replaced(
        meeting, adjourned=(*meeting.adjourned, (mark, act)), scheduled_for=act.reconvene_on
    )


def _companion(file: CaseFile, act: CompanionNamed, mark: Mark) -> None:
    meeting = _meeting(file, act.meeting_id)
    file.meetings[act.meeting_id] = _replaced(meeting, companion_named=mark)


def _papers(file: CaseFile, act: DocumentsSubmitted, mark: Mark) -> None:
    meeting = _meeting(file, act.meeting_id)
    if act.party not in meeting.papers:
        papers = {**meeting.papers, act.party: mark}
        file.meetings[act.meeting_id] = _replaced(meeting, papers=papers)


def _one_to_one(file: CaseFile, act: OneToOneHeld, mark: Mark) -> None:
    file.one_to_ones.append((mark, act))


def _letter(file: CaseFile, act: LetterSent, mark: Mark) -> None:
    file.letters.append((mark, act))


def _observation_planned(file: CaseFile, act: ObservationPlanned, mark: Mark) -> None:
    observation = _observation(file, act.observation_id)
    file.observations[act.observation_id] = _replaced(observation, planned=mark, plan=act)


def _observation_held(file: CaseFile, act: ObservationHeld, mark: Mark) -> None:
    observation = _observation(file, act.observation_id)
    file.observations[act.observation_id] = _replaced(observation, held=mark)


def _feedback(file: CaseFile, act: FeedbackGiven, mark: Mark) -> None:
    observation = _observation(file, act.observation_id)
    if act.medium == "verbal":
        observation = _replaced(observation, verbal=observation.verbal or mark)
    else:
        observation = _replaced(observation, written=observation.written or mark)
    file.observations[act.observation_id] = observation


def _concern(file: CaseFile, act: ConcernRaised, mark: Mark) -> None:
    file.concerns[act.concern_id] = (mark, act)


def _consequences(file: CaseFile, act: ConsequencesExplained, mark: Mark) -> None:
    file.consequences.append((mark, act))


def _plan_agreed(file: CaseFile, act: SupportPlanAgreed, mark: Mark) -> None:
    file.plans[act.plan_id] = PlanFacts(
        plan_id=act.plan_id,
        kind=act.plan_kind,
        agreed=mark,
        plan=act,
        review_on=act.review_on,
        ends_on=act.ends_on,
    )
    if act.consequences_explained_in_writing:
        file.consequences.append(
            (
                mark,
                ConsequencesExplained(
                    subject_id=act.plan_id, consequences=("capability_possible",)
                ),
            )
        )


def _plan_revised(file: CaseFile, act: SupportPlanRevised, mark: Mark) -> None:
    plan = file.plans.get(act.plan_id)
    if plan is None:
        return
    plan = _replaced(plan, revisions=(*plan.revisions, (mark, act)), review_on=act.review_on)
    if act.further_period:
        plan = _replaced(plan, periods=plan.periods + 1, outcome=None, decided=None)
    file.plans[act.plan_id] = plan


def _monitoring(file: CaseFile, act: MonitoringReviewed, mark: Mark) -> None:
    plan = file.plans.get(act.plan_id)
    if plan is not None:
        reviews = (*plan.reviews, (mark, act.progress))
        file.plans[act.plan_id] = _replaced(plan, reviews=reviews)


def _period_changed(file: CaseFile, act: MonitoringPeriodChanged, mark: Mark) -> None:
    plan = file.plans.get(act.plan_id)
    if plan is not None:
        file.plans[act.plan_id] = _replaced(
            plan,
            period_changes=(*plan.period_changes, (mark, act)),
            ends_on=act.new_end_on,
            review_on=act.new_end_on,
        )


def _outcome(file: CaseFile, act: OutcomeDecided, mark: Mark) -> None:
    file.outcomes.append((mark, act))
    plan = file.plans.get(act.subject_id)
    if plan is not None:
        file.plans[act.subject_id] = _replaced(plan, outcome=act.outcome, decided=mark)


def _capability_started(file: CaseFile, act: CapabilityStarted, mark: Mark) -> None:
    file.capability.append((mark, act))


def _capability_ended(file: CaseFile, act: CapabilityEnded, mark: Mark) -> None:
    file.capability_ended.append((mark, act))


def _warning(file: CaseFile, act: WarningIssued, mark: Mark) -> None:
    file.warnings[act.warning_id] = WarningFacts(act.warning_id, act.warning_kind, mark)


def _rescinded(file: CaseFile, act: WarningRescinded, mark: Mark) -> None:
    warning = file.warnings.get(act.warning_id)
    if warning is not None:
        file.warnings[act.warning_id] = _replaced(warning, rescinded=mark)


def _reduced(file: CaseFile, act: WarningReduced, mark: Mark) -> None:
    warning = file.warnings.get(act.warning_id)
    if warning is not None:
        file.warnings[act.warning_id] = _replaced(
            warning, reduced_to=act.new_kind, duration_months=act.new_duration_months
        )


def _rating(file: CaseFile, act: RatingRecorded, mark: Mark) -> None:
    file.ratings[act.cycle_id] = (mark, act.rating)


def _pay(file: CaseFile, act: PayRecommended, mark: Mark) -> None:
    file.pay[act.recommendation_id] = PayFacts(act.recommendation_id, mark, act)


def _pay_step(
    file: CaseFile,
    act: PayRecommendationApproved
    | PayRecommendationShared
    | PayRecommendationReferred
    | PayDecided,
    mark: Mark,
) -> None:
    pay = file.pay.get(act.recommendation_id)
    if pay is None:
        return
    if isinstance(act, PayRecommendationApproved):
        pay = _replaced(pay, approved=mark if act.approved else None)
    elif isinstance(act, PayRecommendationShared):
        pay = _replaced(pay, shared=mark)
    elif isinstance(act, PayRecommendationReferred):
        pay = _replaced(pay, referred=mark)
    else:
        pay = _replaced(pay, decided=mark, decision=act)
    file.pay[act.recommendation_id] = pay


def _dismissed(file: CaseFile, act: Dismissed, mark: Mark) -> None:
    file.dismissed = (mark, act)


def _dismissal_overturned(file: CaseFile, act: DismissalOverturned, mark: Mark) -> None:
    file.dismissed = None


def _appeal(file: CaseFile, act: AppealLodged, mark: Mark) -> None:
    file.appeals[act.appeal_id] = AppealFacts(act.appeal_id, mark, act)


def _appeal_step(
    file: CaseFile,
    act: AppealAccepted | AppealHearingArranged | AppealHeard | AppealDecided,
    mark: Mark,
) -> None:
    appeal = file.appeals.get(act.appeal_id)
    if appeal is None:
        return
    if isinstance(act, AppealAccepted):
        appeal = _replaced(appeal, accepted=mark)
    elif isinstance(act, AppealHearingArranged):
        appeal = _replaced(appeal, arranged=mark, hearing_on=act.hearing_on)
    elif isinstance(act, AppealHeard):
        appeal = _replaced(appeal, heard=mark)
    else:
        appeal = _replaced(appeal, decided=mark, result=act.result)
    file.appeals[act.appeal_id] = appeal


def _hold(file: CaseFile, act: LegalHoldPlaced | LegalHoldReleased, mark: Mark) -> None:
    if isinstance(act, LegalHoldPlaced):
        file.holds[act.hold_id] = (mark, None)
    elif act.hold_id in file.holds:
        file.holds[act.hold_id] = (file.holds[act.hold_id][0], mark)


def _absence(file: CaseFile, act: AbsenceNoted, mark: Mark) -> None:
    file.absences.append((mark, act))


def _acknowledged(file: CaseFile, act: RecordAcknowledged, mark: Mark) -> None:
    file.acknowledged[act.record_version] = mark


def _extended(file: CaseFile, act: TimeLimitExtended, mark: Mark) -> None:
    file.extensions[f"{act.rule_id}@{act.anchor_version}"] = (mark, act)


def _employment_ended(file: CaseFile, act: EmploymentEnded, mark: Mark) -> None:
    file.employment_ended_on = act.ended_on


def _closed(file: CaseFile, act: CaseClosed, mark: Mark) -> None:
    file.closed_on = mark.on


_APPLY: dict[type, Callable[[CaseFile, Any, Mark], None]] = {
    EmploymentStatusChanged: _employment_status,
    CycleOpened: _cycle,
    ReviewerAssigned: _reviewer,
    ReviewerChanged: _reviewer,
    ObjectivesSet: _objectives,
    ObjectivesRevised: _objectives,
    MeetingInvited: _invited,
    MeetingRescheduled: _rescheduled,
    MeetingHeld: _held,
    MeetingAdjourned: _adjourned,
    CompanionNamed: _companion,
    DocumentsSubmitted: _papers,
    OneToOneHeld: _one_to_one,
    LetterSent: _letter,
    ObservationPlanned: _observation_planned,
    ObservationHeld: _observation_held,
    FeedbackGiven: _feedback,
    ConcernRaised: _concern,
    ConsequencesExplained: _consequences,
    SupportPlanAgreed: _plan_agreed,
    SupportPlanRevised: _plan_revised,
    MonitoringReviewed: _monitoring,
    MonitoringPeriodChanged: _period_changed,
    OutcomeDecided: _outcome,
    CapabilityStarted: _capability_started,
    CapabilityEnded: _capability_ended,
    WarningIssued: _warning,
    WarningRescinded: _rescinded,
    WarningReduced: _reduced,
    RatingRecorded: _rating,
    PayRecommended: _pay,
    PayRecommendationApproved: _pay_step,
    PayRecommendationShared: _pay_step,
    PayRecommendationReferred: _pay_step,
    PayDecided: _pay_step,
    Dismissed: _dismissed,
    DismissalOverturned: _dismissal_overturned,
    AppealLodged: _appeal,
    AppealAccepted: _appeal_step,
    AppealHearingArranged: _appeal_step,
    AppealHeard: _appeal_step,
    AppealDecided: _appeal_step,
    LegalHoldPlaced: _hold,
    LegalHoldReleased: _hold,
    AbsenceNoted: _absence,
    RecordAcknowledged: _acknowledged,
    TimeLimitExtended: _extended,
    EmploymentEnded: _employment_ended,
    CaseClosed: _closed,
}
