"""Which retention category each act's personal content belongs to.

The category decides the data key the content is sealed under, and so when it is destroyed.
Meetings take the category of what they are about (a formal capability meeting is a capability
record, a planning meeting an appraisal record); an acknowledgement takes the category of the
record it countersigns, and a reason given later the category of the record whose finding it
answers, so each is kept exactly as long.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import DeviationReasonGiven, RecordAcknowledged
from pmledger.events.signed_event import Act
from pmledger.retention.schedule import RecordCategory

_BY_KIND: Mapping[str, RecordCategory] = {
    "observation_planned": RecordCategory.OBSERVATION,
    "observation_held": RecordCategory.OBSERVATION,
    "feedback_given": RecordCategory.OBSERVATION,
    "statement_recorded": RecordCategory.STATEMENT,
    "rating_recorded": RecordCategory.STATEMENT,
    "disagreement_referred": RecordCategory.STATEMENT,
    "pay_recommended": RecordCategory.PAY_RECOMMENDATION,
    "pay_recommendation_approved": RecordCategory.PAY_RECOMMENDATION,
    "pay_recommendation_shared": RecordCategory.PAY_RECOMMENDATION,
    "pay_recommendation_referred": RecordCategory.PAY_RECOMMENDATION,
    "pay_decided": RecordCategory.PAY_RECOMMENDATION,
    "bonus_decided": RecordCategory.PAY_RECOMMENDATION,
    "concern_raised": RecordCategory.SUPPORT_PLAN,
    "one_to_one_held": RecordCategory.SUPPORT_PLAN,
    "support_measure_started": RecordCategory.SUPPORT_PLAN,
    "support_plan_drafted": RecordCategory.SUPPORT_PLAN,
    "support_plan_agreed": RecordCategory.SUPPORT_PLAN,
    "support_plan_revised": RecordCategory.SUPPORT_PLAN,
    "monitoring_role_assigned": RecordCategory.SUPPORT_PLAN,
    "monitoring_reviewed": RecordCategory.SUPPORT_PLAN,
    "monitoring_period_changed": RecordCategory.SUPPORT_PLAN,
    "consequences_explained": RecordCategory.SUPPORT_PLAN,
    "outcome_decided": RecordCategory.SUPPORT_PLAN,
    "reasonable_adjustments_considered": RecordCategory.SUPPORT_PLAN,
    "absence_noted": RecordCategory.SUPPORT_PLAN,
    "employee_concern_raised": RecordCategory.SUPPORT_PLAN,
    "hr_advice_obtained": RecordCategory.SUPPORT_PLAN,
    "letter_sent": RecordCategory.SUPPORT_PLAN,
    "companion_named": RecordCategory.SUPPORT_PLAN,
    "documents_submitted": RecordCategory.SUPPORT_PLAN,
    "capability_started": RecordCategory.CAPABILITY,
    "capability_ended": RecordCategory.CAPABILITY,
    "warning_issued": RecordCategory.WARNING,
    "warning_rescinded": RecordCategory.WARNING,
    "warning_reduced": RecordCategory.WARNING,
    "dismissed": RecordCategory.DISMISSAL,
    "alternative_roles_considered": RecordCategory.DISMISSAL,
    "external_party_notified": RecordCategory.DISMISSAL,
    "dismissal_overturned": RecordCategory.APPEAL,
    "appeal_lodged": RecordCategory.APPEAL,
    "appeal_accepted": RecordCategory.APPEAL,
    "appeal_hearing_arranged": RecordCategory.APPEAL,
    "appeal_heard": RecordCategory.APPEAL,
    "appeal_decided": RecordCategory.APPEAL,
    "grievance_invoked": RecordCategory.APPEAL,
    "legal_hold_placed": RecordCategory.LEGAL_HOLD,
    "legal_hold_released": RecordCategory.LEGAL_HOLD,
    "subject_access_requested": RecordCategory.LEGAL_HOLD,
    "subject_access_extended": RecordCategory.LEGAL_HOLD,
    "subject_access_answered": RecordCategory.LEGAL_HOLD,
}

_BY_PURPOSE: Mapping[MeetingPurpose, RecordCategory] = {
    MeetingPurpose.FIRST_FORMAL: RecordCategory.CAPABILITY,
    MeetingPurpose.SECOND_FORMAL: RecordCategory.CAPABILITY,
    MeetingPurpose.APPEAL_HEARING: RecordCategory.APPEAL,
    MeetingPurpose.ONE_TO_ONE: RecordCategory.SUPPORT_PLAN,
    MeetingPurpose.EARLY_CONVERSATION: RecordCategory.SUPPORT_PLAN,
    MeetingPurpose.CONCERNS: RecordCategory.SUPPORT_PLAN,
    MeetingPurpose.SMS_REVIEW: RecordCategory.SUPPORT_PLAN,
    MeetingPurpose.INITIAL_SUPPORT: RecordCategory.SUPPORT_PLAN,
    MeetingPurpose.INTERIM_REVIEW: RecordCategory.SUPPORT_PLAN,
    MeetingPurpose.SUPPORT_REVIEW: RecordCategory.SUPPORT_PLAN,
}


def act_field(act: BaseModel, name: str, default: Any = None) -> Any:
    """The act's field `name`, or `default` when its kind has no such field (acts forbid
    extra fields and have no properties of these names). Read from the model's `__dict__`,
    where pydantic keeps field values, not by `getattr(act, name, default)`: a name the
    model lacks goes through pydantic's `__getattr__`, ≈ 7 µs of raised and caught
    AttributeErrors against ≈ 0.1 µs here, and the fold asks this of every event it folds
    (`category_of`), a retention plan of every record."""
    return act.__dict__.get(name, default)


_ABOUT_A_RECORD = (RecordAcknowledged, DeviationReasonGiven)
"""Acts in the category of the record they name. A tuple made once: `X | Y` in the call
built a union object every time, and the fold asks this of every event it folds."""


def category_of(
    act: Act,
    *,
    meeting_purposes: Mapping[str, MeetingPurpose | None],
    record_categories: Mapping[int, RecordCategory],
) -> RecordCategory:
    """The category of `act`, given the case's meetings and its earlier records' categories."""
    if isinstance(act, _ABOUT_A_RECORD):
        return record_categories.get(act.record_version, RecordCategory.APPRAISAL)
    meeting_id = act_field(act, "meeting_id")
    if act.kind.startswith("meeting_") and isinstance(meeting_id, str):
        purpose = act_field(act, "purpose") or meeting_purposes.get(meeting_id)
        return (
            _BY_PURPOSE.get(purpose, RecordCategory.APPRAISAL)
            if purpose
            else (RecordCategory.APPRAISAL)
        )
    return _BY_KIND.get(act.kind, RecordCategory.APPRAISAL)
