"""Each record of a case as a sentence a tribunal can read.

"Invited to the first formal meeting on 16 October 2025 by letter delivered by hand on
8 October 2025; told of the right to be accompanied; papers due by 13 October 2025" says what
a row of fields ("No: states dismissal possible · draft plan enclosed") leaves the reader to
decode. Every act kind has its sentence here (one function per kind, looked up in
`_SENTENCES`); people are named from the directory where the reader may see names, and every
field is read through `presented_value`, so what is withheld from the reader stays withheld.
A record entered well after the day it records says so (`timing_note`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from pmledger.events.form_contents import FormPart, ObjectiveAssessment, ObjectiveProgress
from pmledger.events.signed_event import CASE_ACTS, CaseEvent
from pmledger.export.presentation import long_day, presented_value, words
from pmledger.projections.people import People

BACKFILLED_AFTER = timedelta(days=7)
"""A record entered more than this after the day it records is called backfilled."""


class _Record:
    """One event as the sentence functions read it."""

    def __init__(self, event: CaseEvent, people: People) -> None:
        self.event = event
        self.people = people

    def __getattr__(self, field: str) -> Any:
        return presented_value(self.event, field)

    def who(self, person_id: object) -> str:
        return self.people.short(str(person_id))

    @property
    def on(self) -> str:
        return long_day(self.event.occurred_on)

    @property
    def by(self) -> str:
        return self.who(self.event.actor.person_id)


Sentence = Callable[[_Record], str]


def narrate(event: CaseEvent, people: People) -> str:
    """The record as one sentence (several clauses joined by semicolons), ending in a stop."""
    record = _Record(event, people)
    text = _SENTENCES[event.kind](record)
    has_confirms = "confirms" in type(event.act).model_fields
    confirms = presented_value(event, "confirms") if has_confirms else ()
    if isinstance(confirms, tuple) and confirms:
        text += "; confirming " + _and(words(key).lower() for key in confirms)
    return text[:1].upper() + text[1:] + "."


def timing_note(event: CaseEvent) -> str | None:
    """Why a record's date and the day it was entered differ, when they differ by much."""
    entered = event.timestamp.date()
    if entered - event.occurred_on > BACKFILLED_AFTER:
        days = (entered - event.occurred_on).days
        return (
            f"Occurred on {long_day(event.occurred_on)}; entered in the ledger on "
            f"{long_day(entered)}, {days} days later (backfilled)."
        )
    if entered < event.occurred_on:
        return (
            f"Dated {long_day(event.occurred_on)}, but entered in the ledger earlier, on "
            f"{long_day(entered)}."
        )
    return None


def _and(items: Iterable[object]) -> str:
    listed = [str(item) for item in items if str(item)]
    if not listed:
        return ""
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]


def _w(value: object) -> str:
    """An enum or literal in words."""
    return str(getattr(value, "value", value)).replace("_", " ")


def _opt(condition: object, text: str) -> str:
    return f"; {text}" if condition else ""


def _day(value: object) -> str:
    return long_day(value) if isinstance(value, date) else str(value)


_DELIVERY = {
    "post": "by letter sent by post",
    "email": "by email",
    "hand": "by letter delivered by hand",
    "verbal": "verbally",
}


def _purpose(value: object) -> str:
    purpose = _w(value)
    return {
        "first formal": "first formal meeting",
        "second formal": "second formal meeting (potential dismissal)",
        "one to one": "121 meeting",
        "sms review": "structured managerial support review",
        "initial support": "initial meeting",
        "support review": "review meeting",
        "appeal hearing": "appeal hearing",
    }.get(purpose, f"{purpose} meeting")


def _person_opt(r: _Record, field: str, text: str) -> str:
    value = getattr(r, field)
    return f"; {text} {r.who(value)}" if value else ""


# --- the case and its cycles ----------------------------------------------------------------


def _case_opened(r: _Record) -> str:
    text = (
        f"case opened by {r.by} for {r.who(r.employee_person_id)} (staff reference "
        f"{r.employee_ref} of {r.organisation}) at {r.school}, {_w(r.staff_group)} staff, under "
        f"procedure {r.pack_id}, {_w(r.nation).title()}"
    )
    text += _person_opt(r, "line_manager_person_id", "line manager")
    if r.employment_started_on:
        text += f"; employed since {_day(r.employment_started_on)}"
    text += f"; {_w(r.contract_kind)} contract"
    if r.contract_ends_on:
        text += f" ending {_day(r.contract_ends_on)}"
    text += _opt(r.in_probation, "in probation")
    text += _opt(r.ect_induction, "an early career teacher in induction")
    text += _opt(r.apprentice, "an apprentice")
    text += _opt(r.on_upper_pay_range, "on the upper pay range")
    if r.upr_since:
        text += f" since {_day(r.upr_since)}"
    text += _opt(r.at_top_of_pay_range, "at the top of the pay range")
    return text


def _employment_status_changed(r: _Record) -> str:
    value = "cleared" if r.value is None else f"set to {r.value}"
    return f"{words(r.field).lower()} {value}, effective {_day(r.effective_on)}, by {r.by}"


def _cycle_opened(r: _Record) -> str:
    return (
        f"{_w(r.cycle_kind)} performance management cycle {r.cycle_id} opened, "
        f"{_day(r.starts_on)} to {_day(r.ends_on)}, reviewer {r.who(r.reviewer_person_id)}"
    )


def _cycle_closed(r: _Record) -> str:
    return f"cycle {r.cycle_id} closed ({_w(r.reason)}) by {r.by}"


def _reviewer_assigned(r: _Record) -> str:
    cycle = f" for cycle {r.cycle_id}" if r.cycle_id else ""
    return f"{r.who(r.reviewer_person_id)} assigned as reviewer{cycle} ({_w(r.basis)}) by {r.by}"


def _reviewer_changed(r: _Record) -> str:
    asked = ", at the employee's request" if r.requested_by_employee else ""
    return f"reviewer changed to {r.who(r.reviewer_person_id)}{asked} by {r.by}"


def _reviewer_change_requested(r: _Record) -> str:
    how = "in writing" if r.in_writing else "not in writing"
    return f"the employee asked, {how}, for another reviewer (request {r.request_id})"


def _reviewer_change_decided(r: _Record) -> str:
    if r.granted:
        new = f": {r.who(r.new_reviewer_person_id)}" if r.new_reviewer_person_id else ""
        return f"request {r.request_id} for another reviewer granted by {r.by}{new}"
    return f"request {r.request_id} for another reviewer refused by {r.by}"


def _hpmp_appointed(r: _Record) -> str:
    text = (
        f"Headteacher Performance Management Panel appointed: "
        f"{_and(r.who(m) for m in r.members)}, chaired by {r.who(r.chair_person_id)}"
    )
    text += _opt(r.includes_chair_of_governors, "it includes the Chair of Governors")
    return text + _person_opt(r, "external_adviser_person_id", "external adviser")


def _expectations_communicated(r: _Record) -> str:
    cycle = f" for cycle {r.cycle_id}" if r.cycle_id else ""
    what = _and(_w(item) for item in r.what)
    medium = "in writing" if r.medium == "written" else "at a meeting"
    return f"{what} communicated{cycle} ({medium}) by {r.by}"


def _objectives(r: _Record, verb: str) -> str:
    count = len(r.objectives)
    return f"{count} objective{'s' if count != 1 else ''} {verb} for cycle {r.cycle_id} by {r.by}"


def _objectives_set(r: _Record) -> str:
    text = _objectives(r, "set")
    text += "; agreed with the employee" if r.agreed_by_employee else "; not agreed by the employee"
    text += _opt(r.determined_by_reviewer, "determined by the reviewer")
    return text + _opt(r.external_adviser_consulted, "the external adviser was consulted")


def _objectives_revised(r: _Record) -> str:
    return _objectives(r, "revised")


def _objectives_approved(r: _Record) -> str:
    return f"objectives of cycle {r.cycle_id} (record v{r.objectives_version}) approved by {r.by}"


def _development_plan_agreed(r: _Record) -> str:
    return f"development plan for cycle {r.cycle_id} agreed, {len(r.items)} item(s)"


def _development_requested(r: _Record) -> str:
    where = "external " if r.external else ""
    cost = f", cost {r.cost}" if r.cost else ""
    return f"{where}development requested ({r.request_id}, via {_w(r.route)}{cost})"


def _development_request_decided(r: _Record) -> str:
    verdict = "approved" if r.approved else "not approved"
    return f"development request {r.request_id} {verdict} by {r.by} as {_w(r.approver_role)}"


def _rating_recorded(r: _Record) -> str:
    return f"performance rating for cycle {r.cycle_id}: {_w(r.rating)}, recorded by {r.by}"


def _pay(r: _Record) -> str:
    parts = []
    if r.pay_points:
        parts.append(f"{r.pay_points} point(s)")
    if r.pay_steps:
        parts.append(f"{r.pay_steps} step(s)")
    if r.one_off_percent:
        parts.append(f"a {r.one_off_percent}% one-off payment")
    return _and(parts) or "no pay progression"


def _pay_recommended(r: _Record) -> str:
    return f"pay recommendation {r.recommendation_id} for cycle {r.cycle_id}: {_pay(r)}, by {r.by}"


def _pay_recommendation_approved(r: _Record) -> str:
    verdict = "approved" if r.approved else "not approved"
    return f"pay recommendation {r.recommendation_id} {verdict} by {r.by}"


def _pay_recommendation_shared(r: _Record) -> str:
    return f"pay recommendation {r.recommendation_id} shared with the employee by {r.by}"


def _pay_recommendation_referred(r: _Record) -> str:
    return f"pay recommendation {r.recommendation_id} referred to the {_w(r.to)} by {r.by}"


def _pay_decided(r: _Record) -> str:
    return (
        f"pay decided on recommendation {r.recommendation_id}: {_pay(r)}, effective from "
        f"{_day(r.effective_from)}, by {r.by}"
    )


def _bonus_decided(r: _Record) -> str:
    verdict = "awarded" if r.awarded else "not awarded"
    amount = f" ({r.amount})" if r.amount else ""
    return f"term {r.term} bonus for cycle {r.cycle_id} {verdict}{amount} by {r.by}"


# --- meetings, letters, observations ----------------------------------------------------------


def _meeting_invited(r: _Record) -> str:
    text = f"invited to the {_purpose(r.purpose)} on {_day(r.scheduled_for)}"
    if r.venue:
        text += f" at {r.venue}"
    text += f" {_DELIVERY[_w(r.delivery)]} on {r.on}, by {r.by}"
    text += _opt(r.states_right_to_companion, "told of the right to be accompanied")
    text += _opt(r.states_dismissal_possible, "told that dismissal is a possible outcome")
    text += _opt(r.draft_plan_enclosed, "the draft plan enclosed")
    if r.papers_due_on:
        text += f"; companion's name and papers due by {_day(r.papers_due_on)}"
    if r.letter:
        text += f"; letter {r.letter}"
    return text


def _meeting_rescheduled(r: _Record) -> str:
    return (
        f"meeting {r.meeting_id} moved to {_day(r.new_date)} ({_w(r.cause)}), at the request "
        f"of {r.requested_by}"
    )


def _meeting_held(r: _Record) -> str:
    purpose = _purpose(r.purpose) if r.purpose else "meeting"
    text = f"{purpose} {r.meeting_id} held, chaired by {r.who(r.chair_person_id)}"
    if r.duration_minutes:
        text += f"; it lasted {r.duration_minutes} minutes"
    if r.attendees:
        text += "; also present: " + _and(f"{r.who(a.person_id)} ({a.role})" for a in r.attendees)
    if r.companion_name:
        kind = f", {_w(r.companion_kind)}" if r.companion_kind else ""
        text += f"; accompanied by {r.companion_name}{kind}"
    elif r.companion_person_id:
        text += f"; accompanied by {r.who(r.companion_person_id)}"
    text += _opt(r.hr_present, "HR present")
    text += _opt(not r.within_working_hours, "held outside working hours")
    text += _opt(not r.venue_private, "in a venue that was not private")
    text += _opt(r.recorded_electronically, "recorded electronically")
    if r.next_meeting_on:
        text += f"; next meeting {_day(r.next_meeting_on)}"
    return text


def _meeting_adjourned(r: _Record) -> str:
    weeks = r.further_monitoring_weeks
    more = f" for {weeks} weeks' further monitoring" if weeks else ""
    return (
        f"meeting {r.meeting_id} adjourned{more} by {r.by}; to reconvene on {_day(r.reconvene_on)}"
    )


def _one_to_one_held(r: _Record) -> str:
    plan = f" under plan {r.plan_id}" if r.plan_id else ""
    text = f"121 meeting held by {r.by}{plan}"
    return text + _opt(
        r.pip_possibility_advised,
        "the employee was told a Performance Improvement Plan may follow if performance does "
        "not improve",
    )


def _companion_named(r: _Record) -> str:
    return f"{r.name} ({_w(r.companion_kind)}) named as companion for meeting {r.meeting_id}"


def _documents_submitted(r: _Record) -> str:
    return (
        f"{r.party} submitted {len(r.documents)} document(s) for meeting {r.meeting_id}: "
        f"{_and(r.documents)}"
    )


def _letter_sent(r: _Record) -> str:
    about = f" about {r.about_id}" if r.about_id else ""
    text = f"letter {r.letter_id} ({r.template}){about} sent {_DELIVERY[_w(r.delivery)]} by {r.by}"
    text += _opt(r.states_right_of_appeal, "it states the right of appeal")
    text += _opt(r.states_dismissal_possible, "it states that dismissal is possible")
    document = r.document
    if document is not None:
        edited = ", an edited copy of the letter generated" if document.generated_sha256 else ""
        text += f"; the letter as sent is {document.file_name}{edited}, SHA-256 {document.sha256}"
    return text


def _observation_planned(r: _Record) -> str:
    text = (
        f"observation {r.observation_id} planned for {_day(r.planned_for)} by "
        f"{r.who(r.observer_person_id)} ({_w(r.observer_kind)} observer), "
        f"{r.duration_minutes} minutes: {r.purpose}"
    )
    if r.aspects:
        text += f"; aspects: {_and(r.aspects)}"
    if r.amount:
        text += f"; amount: {r.amount}"
    if r.observer_has_qts is not None:
        text += "; the observer holds QTS" if r.observer_has_qts else "; the observer has no QTS"
    if r.communicated_on:
        text += f"; communicated on {_day(r.communicated_on)}"
    if r.feedback_on:
        text += f"; feedback on {_day(r.feedback_on)}"
    return text


def _observation_held(r: _Record) -> str:
    return f"observation {r.observation_id} held"


def _feedback_given(r: _Record) -> str:
    return f"{_w(r.medium)} feedback on observation {r.observation_id} given by {r.by}"


# --- statements, copies, concerns -------------------------------------------------------------


def form_boxes(event: CaseEvent) -> list[tuple[str, str]]:
    """A form's boxes as the form heads them, each with what was written (a row per objective
    first), so the bundle prints a form as it was filled in rather than as a field dump; an
    empty box says so. None for a record that holds no form."""
    fields = type(event.act).model_fields
    contents = presented_value(event, "contents") if "contents" in fields else None
    if not isinstance(contents, FormPart):
        return []
    boxes: list[tuple[str, str]] = []
    for row in getattr(contents, "objectives", ()):
        if isinstance(row, ObjectiveProgress):
            text = "; ".join(
                f"{words.capitalize()}: {getattr(row, box) or EMPTY_BOX}"
                for box, words in row.BOXES.items()
            )
            boxes.append((f"Objective {row.objective_id}", text))
        elif isinstance(row, ObjectiveAssessment):
            boxes.append((f"Assessment of objective {row.objective_id}", row.summary))
    for box, heading in contents.BOXES.items():
        boxes.append((heading[:1].upper() + heading[1:], getattr(contents, box) or EMPTY_BOX))
    return boxes


EMPTY_BOX = "— (left empty)"


def _statement_recorded(r: _Record) -> str:
    form = f" on form {r.form}" if r.form else ""
    contents = r.contents if "contents" in type(r.event.act).model_fields else None
    text = f"{_w(r.statement_kind)} statement{form} recorded by {r.by}"
    if isinstance(contents, FormPart):
        text = f"{contents.TITLE}, recorded by {r.by}"
    if r.cycle_id:
        text += f" for cycle {r.cycle_id}"
    if r.mid_year_cycle:
        text += f" (mid-year review {r.mid_year_cycle})"
    if r.about_version:
        text += f", about record v{r.about_version}"
    if r.evidence_observation_ids:
        text += f"; cites observations {_and(r.evidence_observation_ids)}"
    return text + _opt(r.disagrees, "recording disagreement")


def _record_acknowledged(r: _Record) -> str:
    stance = (
        "signed record v{v}, recording that they disagree with it"
        if r.disagrees
        else "signed record v{v}, agreeing with it"
    ).format(v=r.record_version)
    return f"{r.by} {stance} (countersigning its digest {str(r.record_digest)[:16]}…)"


def _record_submitted(r: _Record) -> str:
    return f"record v{r.record_version} submitted to the {_w(r.to)} by {r.by}"


def _record_copy_provided(r: _Record) -> str:
    to = {"employee": "the employee", "personal_file": "the personal file"}.get(
        _w(r.to), f"the {_w(r.to)}"
    )
    return f"a copy of record v{r.record_version} given to {to} by {r.by}"


def _disagreement_referred(r: _Record) -> str:
    return f"disagreement with record v{r.record_version} referred to the Headteacher by {r.by}"


def _deviation_reason_given(r: _Record) -> str:
    version = str(r.finding_id).rsplit("@", 1)[-1]
    return (
        f"{r.by} gave the reason for finding {r.finding_id} on record v{version}, which was "
        f"recorded without it: {r.reason}"
    )


def _concern_raised(r: _Record) -> str:
    return f"{_w(r.category)} concern {r.concern_id} raised by {r.by}: {_and(r.areas)}"


def _employee_concern_raised(r: _Record) -> str:
    return f"{r.by} raised a concern about how the procedure is being applied"


def _concern_notified(r: _Record) -> str:
    text = f"concern {r.concern_id} notified to the {_w(r.notified_role)} by {r.by}"
    return text + _opt(r.how_to_proceed_agreed, "how to proceed agreed")


def _reasonable_adjustments_considered(r: _Record) -> str:
    listed = f": {_and(r.adjustments)}" if r.adjustments else ""
    return f"reasonable adjustments considered for concern {r.concern_id} by {r.by}{listed}"


def _absence_noted(r: _Record) -> str:
    text = f"absence {r.absence_id} noted: {r.nature}, from {_day(r.starts_on)}"
    if r.ends_on:
        text += f" to {_day(r.ends_on)}"
    if r.likely_duration_days is not None:
        text += f"; likely to last {r.likely_duration_days} days"
    return text + _opt(r.occupational_health_referred, "referred to occupational health")


def _hr_advice_obtained(r: _Record) -> str:
    return f"HR advice obtained by {r.by} from {r.provider} on {_w(r.topic)}"


# --- support and outcomes ---------------------------------------------------------------------


def _support_measure_started(r: _Record) -> str:
    concern = f" for concern {r.concern_id}" if r.concern_id else ""
    return f"{_w(r.measure)} started{concern}" + _person_opt(r, "provider_person_id", "given by")


def _support_plan_drafted(r: _Record) -> str:
    return (
        f"draft plan {r.plan_id} ({len(r.targets)} target(s)) given to the employee on "
        f"{_day(r.shared_with_employee_on)}"
    )


def _monitoring_role_assigned(r: _Record) -> str:
    text = f"{r.who(r.person_id)} assigned as {r.role} for plan {r.plan_id}"
    return text + _opt(
        r.employee_agreed_same_person, "the employee agreed to one person monitoring and supporting"
    )


def _support_plan_agreed(r: _Record) -> str:
    text = (
        f"{words(_w(r.plan_kind)).replace('Pip', 'PIP')} {r.plan_id} agreed by {r.by}: "
        f"{len(r.targets)} target(s), from {_day(r.starts_on)}, review on {_day(r.review_on)}"
    )
    if r.ends_on:
        text += f", ending {_day(r.ends_on)}"
    text += _person_opt(r, "monitor_person_id", "monitored by")
    text += _person_opt(r, "supporter_person_id", "supported by")
    text += _person_opt(r, "named_work_contact_person_id", "named work contact")
    if r.provisional_meeting_on:
        text += f"; provisional next formal meeting {_day(r.provisional_meeting_on)}"
    text += _opt(r.consequences_explained_in_writing, "the consequences explained in writing")
    text += _opt(
        r.employee_agreed_same_monitor_and_supporter,
        "the employee agreed to one person monitoring and supporting",
    )
    text += _opt(r.decisive_targets_told_before_start, "decisive targets told before the start")
    return text + _opt(not r.employee_agreed, "not agreed by the employee")


def _support_plan_revised(r: _Record) -> str:
    text = f"plan {r.plan_id} revised by {r.by}; review now on {_day(r.review_on)}"
    return text + _opt(r.further_period, "a further period of support")


def _monitoring_reviewed(r: _Record) -> str:
    return f"progress on plan {r.plan_id} reviewed by {r.by}: {_w(r.progress)}"


def _monitoring_period_changed(r: _Record) -> str:
    text = f"monitoring period of plan {r.plan_id} {r.change} to {_day(r.new_end_on)} by {r.by}"
    if r.new_provisional_meeting_on:
        text += f"; provisional meeting moved to {_day(r.new_provisional_meeting_on)}"
    return text


def _consequences_explained(r: _Record) -> str:
    how = "in writing" if r.in_writing else "orally"
    return (
        f"{r.by} explained {how} the consequences for {r.subject_id}: "
        f"{_and(_w(c) for c in r.consequences)}"
    )


def _outcome_decided(r: _Record) -> str:
    text = f"outcome of {r.subject_id} decided by {r.by}: {_w(r.outcome)}"
    if r.basis:
        text += f" ({r.basis})"
    if r.further_period_ends_on:
        text += f"; further period to {_day(r.further_period_ends_on)}"
    if r.letter:
        text += f"; confirmed by letter {r.letter}"
    return text


def _capability_started(r: _Record) -> str:
    return f"capability procedure {r.capability_id} started by {r.by} ({_w(r.basis)})"


def _capability_ended(r: _Record) -> str:
    return f"capability procedure {r.capability_id} ended ({_w(r.outcome)}) by {r.by}"


def _warning_issued(r: _Record) -> str:
    return f"{_w(r.warning_kind)} warning {r.warning_id} issued by {r.by}"


def _warning_rescinded(r: _Record) -> str:
    appeal = f" on appeal {r.appeal_id}" if r.appeal_id else ""
    return f"warning {r.warning_id} rescinded{appeal} by {r.by}"


def _warning_reduced(r: _Record) -> str:
    months = f", live for {r.new_duration_months} months" if r.new_duration_months else ""
    appeal = f" on appeal {r.appeal_id}" if r.appeal_id else ""
    return f"warning {r.warning_id} reduced to a {_w(r.new_kind)} warning{months}{appeal}"


def _alternative_roles_considered(r: _Record) -> str:
    listed = _and(r.roles_considered) or "none listed"
    return f"alternative roles considered by {r.by}: {listed}"


def _external_party_notified(r: _Record) -> str:
    about = f" of record v{r.about_version}" if r.about_version else ""
    return f"{_w(r.party)} notified{about} by {r.by}"


def _dismissed(r: _Record) -> str:
    text = (
        f"dismissed by {r.by}, employment ending {_day(r.effective_on)}, with "
        f"{r.notice_weeks} weeks' notice"
    )
    if r.contractual_notice_weeks is not None:
        text += f" (contractual notice {r.contractual_notice_weeks} weeks)"
    text += "; notice to be worked" if r.notice_worked else "; notice not worked"
    return text + (
        "; alternative roles considered"
        if r.alternatives_considered
        else "; alternative roles not considered"
    )


def _dismissal_overturned(r: _Record) -> str:
    instead = "" if r.substitute == "none" else f", a {_w(r.substitute)} substituted"
    return f"dismissal overturned on appeal {r.appeal_id}{instead}"


# --- appeals and governance -------------------------------------------------------------------


def _appeal_lodged(r: _Record) -> str:
    to = f" to {r.who(r.addressed_to_person_id)}" if r.addressed_to_person_id else ""
    level = "to the reviewer" if r.level == "reviewer" else "for an appeal hearing"
    return (
        f"appeal {r.appeal_id} lodged{to} {level} against record v{r.against_version}, on the "
        f"grounds of {_and(_w(g) for g in r.grounds)}"
    )


def _appeal_accepted(r: _Record) -> str:
    return f"appeal {r.appeal_id} accepted out of time by {r.by}"


def _appeal_hearing_arranged(r: _Record) -> str:
    venue = f" at {r.venue}" if r.venue else ""
    return (
        f"appeal hearing for {r.appeal_id} arranged by {r.by} for {_day(r.hearing_on)}{venue}, "
        f"chaired by {r.who(r.chair_person_id)}"
    )


def _appeal_heard(r: _Record) -> str:
    return f"appeal {r.appeal_id} heard, chaired by {r.who(r.chair_person_id)}"


def _appeal_decided(r: _Record) -> str:
    return f"appeal {r.appeal_id} decided by {r.by}: {_w(r.result)}"


def _grievance_invoked(r: _Record) -> str:
    return f"{_w(r.procedure)} procedure invoked about record v{r.about_version}"


def _time_limit_extended(r: _Record) -> str:
    agreed = f", agreed by {_and(_w(role) for role in r.agreed_by)}" if r.agreed_by else ""
    return (
        f"time limit {r.rule_id} (from record v{r.anchor_version}) extended to "
        f"{_day(r.new_due_on)}{agreed}"
    )


def _legal_hold_placed(r: _Record) -> str:
    return f"legal hold {r.hold_id} placed ({_w(r.reason)}) by {r.by}: no record may be disposed of"


def _legal_hold_released(r: _Record) -> str:
    return f"legal hold {r.hold_id} released by {r.by}"


def _records_disposed(r: _Record) -> str:
    parts = [f"{d.records} {_w(d.category)} record(s) under rule {d.rule}" for d in r.disposals]
    return f"disposal certified by {r.by} as of {_day(r.as_of)}: {_and(parts)}"


def _employment_ended(r: _Record) -> str:
    return f"employment ended on {_day(r.ended_on)}"


def _case_closed(r: _Record) -> str:
    return f"case closed by {r.by}"


def _subject_access_requested(r: _Record) -> str:
    return f"subject access request {r.request_id} received (UK GDPR Art. 15), recorded by {r.by}"


def _subject_access_extended(r: _Record) -> str:
    months = "one further month" if r.months == 1 else "two further months"
    return f"subject access request {r.request_id}: time to answer extended by {months}"


def _subject_access_answered(r: _Record) -> str:
    return f"subject access request {r.request_id} answered by {r.by} (export {r.sha256[:16]}…)"


def _sentences() -> dict[str, Sentence]:
    """The sentence of every act kind in the catalogue: `_<kind>` above. A kind added to the
    catalogue without its sentence stops this module from importing, so no record is ever
    printed without one."""
    found: dict[str, Sentence] = {}
    module = globals()
    for act in CASE_ACTS:
        kind = str(act.model_fields["kind"].default)
        function = module.get(f"_{kind}")
        if function is None:
            raise NotImplementedError(f"no sentence for act kind {kind!r} in {__name__}")
        found[kind] = function
    return found


_SENTENCES = _sentences()
