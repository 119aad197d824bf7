"""What a template can say about a case: the case's facts, read from its opened records.

The facts are plain nested mappings (a template reads `case.plans.formal_pip.review_on`), the
latest of each kind of thing first by its kind (the first formal meeting, the Formal PIP, the
warning, the appeal) and every one by its id, with people as directory details. They are
built from the records as the reader may read them, so a letter never says more than its
author could see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, cast

from pydantic import BaseModel

from pmledger.events.appeal_acts import (
    AppealDecided,
    AppealHearingArranged,
    AppealLodged,
)
from pmledger.events.case_acts import (
    CaseOpened,
    CycleOpened,
    Objective,
    ObjectivesRevised,
    ObjectivesSet,
)
from pmledger.events.meeting_acts import (
    CompanionNamed,
    MeetingAdjourned,
    MeetingHeld,
    MeetingInvited,
    MeetingRescheduled,
    ObservationPlanned,
)
from pmledger.events.pay_acts import RatingRecorded
from pmledger.events.record_acts import ConcernRaised
from pmledger.events.sanction_acts import Dismissed, WarningIssued
from pmledger.events.signed_event import CaseEvent
from pmledger.events.support_acts import (
    OutcomeDecided,
    SupportPlanAgreed,
    SupportPlanDrafted,
    SupportPlanRevised,
)
from pmledger.projections.people import People

Facts = dict[str, Any]


def case_facts(events: Iterable[CaseEvent], people: People, as_of: date) -> Facts:
    """The facts of the case's records that occurred on or before `as_of`."""
    facts: Facts = {
        "meetings": {},
        "meeting": {},
        "plans": {},
        "plan": {},
        "outcomes": {},
        "warnings": {},
        "appeals": {},
        "cycles": {},
        "observations": {},
        "concerns": {},
    }
    for event in events:
        if event.occurred_on > as_of:
            continue
        _apply(facts, event, people)
    return facts


def _apply(facts: Facts, event: CaseEvent, people: People) -> None:
    handler = _HANDLERS.get(type(event.act))
    if handler is not None:
        handler(facts, event, people)


def _case_opened(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(CaseOpened, event.act), event.occurred_on
    facts.update(
        opened_on=on,
        employee=people[act.employee_person_id],
        line_manager=people[act.line_manager_person_id] if act.line_manager_person_id else None,
        school=act.school,
        organisation=act.organisation,
        staff_group=act.staff_group.value,
        employee_ref=act.employee_ref,
    )


def _cycle_opened(facts: Facts, event: CaseEvent, people: People) -> None:
    act = cast(CycleOpened, event.act)
    cycle = {
        "cycle_id": act.cycle_id,
        "starts_on": act.starts_on,
        "ends_on": act.ends_on,
        "reviewer": people[act.reviewer_person_id],
        "objectives": [],
    }
    facts["cycles"][act.cycle_id] = cycle
    facts["cycle"] = cycle
    facts["reviewer"] = people[act.reviewer_person_id]


def _objectives_set(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(ObjectivesSet | ObjectivesRevised, event.act), event.occurred_on
    cycle = facts["cycles"].setdefault(act.cycle_id, {"cycle_id": act.cycle_id})
    cycle["objectives"] = [_target(o) for o in act.objectives]
    cycle["objectives_on"] = on
    facts.setdefault("cycle", cycle)


def _meeting_invited(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(MeetingInvited, event.act), event.occurred_on
    meeting = _meeting(facts, act.meeting_id, act.purpose.value)
    meeting.update(
        invited_on=on,
        scheduled_for=act.scheduled_for,
        venue=act.venue,
        papers_due_on=act.papers_due_on,
        invited_by=people[event.actor.person_id],
    )


def _meeting_rescheduled(facts: Facts, event: CaseEvent, people: People) -> None:
    act = cast(MeetingRescheduled, event.act)
    _meeting(facts, act.meeting_id, None)["scheduled_for"] = act.new_date


def _meeting_held(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(MeetingHeld, event.act), event.occurred_on
    purpose = act.purpose.value if act.purpose else None
    meeting = _meeting(facts, act.meeting_id, purpose)
    meeting.update(
        held_on=on,
        chair=people[act.chair_person_id],
        companion_name=act.companion_name or meeting.get("companion_name"),
        hr_present=act.hr_present,
        attendees=[people[a.person_id] for a in act.attendees],
        next_meeting_on=act.next_meeting_on,
    )


def _meeting_adjourned(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(MeetingAdjourned, event.act), event.occurred_on
    _meeting(facts, act.meeting_id, None).update(
        adjourned_on=on, reconvene_on=act.reconvene_on, scheduled_for=act.reconvene_on
    )


def _companion_named(facts: Facts, event: CaseEvent, people: People) -> None:
    act = cast(CompanionNamed, event.act)
    _meeting(facts, act.meeting_id, None)["companion_name"] = act.name


def _support_plan_drafted(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(SupportPlanDrafted, event.act), event.occurred_on
    plan = facts["plan"].setdefault(act.plan_id, {"plan_id": act.plan_id})
    plan.update(drafted_on=on, draft_shared_on=act.shared_with_employee_on)
    plan.setdefault("targets", [_target(t) for t in act.targets])


def _support_plan_agreed(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(SupportPlanAgreed, event.act), event.occurred_on
    plan = facts["plan"].setdefault(act.plan_id, {"plan_id": act.plan_id})
    plan.update(
        kind=act.plan_kind.value,
        agreed_on=on,
        starts_on=act.starts_on,
        review_on=act.review_on,
        ends_on=act.ends_on or act.review_on,
        targets=[_target(t) for t in act.targets],
        support=act.support,
        monitoring=act.monitoring_frequency,
        monitor=people[act.monitor_person_id] if act.monitor_person_id else None,
        supporter=people[act.supporter_person_id] if act.supporter_person_id else None,
        provisional_meeting_on=act.provisional_meeting_on,
        weeks=(act.review_on - act.starts_on).days // 7,
        decisive_targets=[_target(t) for t in act.targets if t.decisive],
    )
    facts["plans"][act.plan_kind.value] = plan


def _support_plan_revised(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(SupportPlanRevised, event.act), event.occurred_on
    plan = facts["plan"].setdefault(act.plan_id, {"plan_id": act.plan_id})
    plan.update(review_on=act.review_on, revised_on=on)
    if act.targets:
        plan["targets"] = [_target(t) for t in act.targets]


def _outcome_decided(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(OutcomeDecided, event.act), event.occurred_on
    outcome = {
        "subject_id": act.subject_id,
        "outcome": act.outcome.value,
        "decided_on": on,
        "reasons": act.reasons,
        "further_period_ends_on": act.further_period_ends_on,
        "decided_by": people[event.actor.person_id],
    }
    facts["outcomes"][act.subject_id] = outcome
    facts["outcome"] = outcome
    if act.subject_id in facts["plan"]:
        facts["plan"][act.subject_id]["outcome"] = outcome
    if act.subject_id in facts["meeting"]:
        facts["meeting"][act.subject_id]["outcome"] = outcome


def _warning_issued(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(WarningIssued, event.act), event.occurred_on
    warning = {
        "warning_id": act.warning_id,
        "kind": act.warning_kind.value.replace("_", " "),
        "issued_on": on,
        "reasons": act.reasons,
    }
    facts["warnings"][act.warning_id] = warning
    facts["warning"] = warning


def _dismissed(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(Dismissed, event.act), event.occurred_on
    facts["dismissal"] = {
        "decided_on": on,
        "effective_on": act.effective_on,
        "notice_weeks": act.notice_weeks,
        "notice_worked": act.notice_worked,
        "reasons": act.reasons,
    }


def _appeal_lodged(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(AppealLodged, event.act), event.occurred_on
    appeal = {
        "appeal_id": act.appeal_id,
        "lodged_on": on,
        "grounds": [g.value.replace("_", " ") for g in act.grounds],
        "details": act.details,
        "against_version": act.against_version,
    }
    facts["appeals"][act.appeal_id] = appeal
    facts["appeal"] = appeal


def _appeal_hearing_arranged(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(AppealHearingArranged, event.act), event.occurred_on
    facts["appeals"].setdefault(act.appeal_id, {"appeal_id": act.appeal_id}).update(
        arranged_on=on,
        hearing_on=act.hearing_on,
        chair=people[act.chair_person_id],
        venue=act.venue,
    )


def _appeal_decided(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(AppealDecided, event.act), event.occurred_on
    facts["appeals"].setdefault(act.appeal_id, {"appeal_id": act.appeal_id}).update(
        decided_on=on, result=act.result.value.replace("_", " "), reasons=act.reasons
    )


def _observation_planned(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(ObservationPlanned, event.act), event.occurred_on
    observation = {
        "observation_id": act.observation_id,
        "planned_for": act.planned_for,
        "observer": people[act.observer_person_id],
        "purpose": act.purpose,
        "aspects": list(act.aspects),
        "amount": act.amount,
        "duration_minutes": act.duration_minutes,
        "agreed_on": on,
    }
    facts["observations"][act.observation_id] = observation
    facts["observation"] = observation


def _concern_raised(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(ConcernRaised, event.act), event.occurred_on
    concern = {
        "concern_id": act.concern_id,
        "raised_on": on,
        "areas": list(act.areas),
        "details": act.details,
    }
    facts["concerns"][act.concern_id] = concern
    facts["concern"] = concern


def _rating_recorded(facts: Facts, event: CaseEvent, people: People) -> None:
    act, on = cast(RatingRecorded, event.act), event.occurred_on
    facts["rating"] = {
        "cycle_id": act.cycle_id,
        "rating": act.rating.value.replace("_", " "),
        "assessment": act.assessment,
        "recorded_on": on,
    }


_HANDLERS: dict[type[Any], Callable[[Facts, CaseEvent, People], None]] = {
    CaseOpened: _case_opened,
    CycleOpened: _cycle_opened,
    ObjectivesSet: _objectives_set,
    ObjectivesRevised: _objectives_set,
    MeetingInvited: _meeting_invited,
    MeetingRescheduled: _meeting_rescheduled,
    MeetingHeld: _meeting_held,
    MeetingAdjourned: _meeting_adjourned,
    CompanionNamed: _companion_named,
    SupportPlanDrafted: _support_plan_drafted,
    SupportPlanAgreed: _support_plan_agreed,
    SupportPlanRevised: _support_plan_revised,
    OutcomeDecided: _outcome_decided,
    WarningIssued: _warning_issued,
    Dismissed: _dismissed,
    AppealLodged: _appeal_lodged,
    AppealHearingArranged: _appeal_hearing_arranged,
    AppealDecided: _appeal_decided,
    ObservationPlanned: _observation_planned,
    ConcernRaised: _concern_raised,
    RatingRecorded: _rating_recorded,
}


def _meeting(facts: Facts, meeting_id: str, purpose: str | None) -> dict[str, Any]:
    meeting: dict[str, Any] = facts["meeting"].setdefault(meeting_id, {"meeting_id": meeting_id})
    if purpose:
        meeting["purpose"] = purpose
    if meeting.get("purpose"):
        facts["meetings"][meeting["purpose"]] = meeting
    return meeting


def _target(objective: Objective) -> dict[str, Any]:
    return _plain(objective)


def _plain(model: BaseModel) -> dict[str, Any]:
    return {name: getattr(model, name) for name in type(model).model_fields}
