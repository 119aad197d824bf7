"""Meetings, letters, companions and observations."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from pmledger.events.base_act import ActBase
from pmledger.events.documents import DocumentRef
from pmledger.events.values import (
    Confirmations,
    FrozenModel,
    Identifier,
    Name,
    PersonalName,
    PersonalReason,
    PersonalText,
)


class MeetingPurpose(StrEnum):
    PLANNING = "planning"
    MID_YEAR_REVIEW = "mid_year_review"
    END_OF_CYCLE_REVIEW = "end_of_cycle_review"
    SUPERVISION = "supervision"
    ONE_TO_ONE = "one_to_one"
    EARLY_CONVERSATION = "early_conversation"
    CONCERNS = "concerns"
    SMS_REVIEW = "sms_review"
    INITIAL_SUPPORT = "initial_support"
    INTERIM_REVIEW = "interim_review"
    SUPPORT_REVIEW = "support_review"
    FIRST_FORMAL = "first_formal"
    SECOND_FORMAL = "second_formal"
    APPEAL_HEARING = "appeal_hearing"


class Delivery(StrEnum):
    POST = "post"
    EMAIL = "email"
    HAND = "hand"
    VERBAL = "verbal"


class Attendee(FrozenModel):
    person_id: Identifier
    role: Name


class MeetingInvited(ActBase):
    """A written invitation; `occurred_on` is the day notice was given (sent)."""

    kind: Literal["meeting_invited"] = "meeting_invited"
    meeting_id: Identifier
    purpose: MeetingPurpose
    scheduled_for: date
    venue: Name | None = None
    delivery: Delivery = Delivery.EMAIL
    papers_due_on: date | None = None
    states_dismissal_possible: bool = False
    states_right_to_companion: bool = False
    draft_plan_enclosed: bool = False
    letter: Identifier | None = None
    confirms: Confirmations = ()


class RescheduleCause(StrEnum):
    COMPANION_UNAVAILABLE = "companion_unavailable"
    BEYOND_EMPLOYEE_CONTROL = "beyond_employee_control"
    MANAGEMENT_UNAVAILABLE = "management_unavailable"
    BROUGHT_FORWARD = "brought_forward"
    OTHER = "other"


class MeetingRescheduled(ActBase):
    kind: Literal["meeting_rescheduled"] = "meeting_rescheduled"
    meeting_id: Identifier
    new_date: date
    cause: RescheduleCause = RescheduleCause.OTHER
    requested_by: PersonalName
    reason: PersonalReason


class CompanionKind(StrEnum):
    TRADE_UNION_REP = "trade_union_rep"
    WORK_COLLEAGUE = "work_colleague"


class MeetingHeld(ActBase):
    kind: Literal["meeting_held"] = "meeting_held"
    meeting_id: Identifier
    purpose: MeetingPurpose | None = None
    """Needed only for a meeting held without a recorded invitation."""
    chair_person_id: Identifier
    attendees: tuple[Attendee, ...] = Field(default=(), max_length=50)
    companion_name: PersonalName | None = None
    companion_kind: CompanionKind | None = None
    companion_person_id: Identifier | None = None
    hr_present: bool = False
    within_working_hours: bool = True
    venue_private: bool = True
    recorded_electronically: bool = False
    next_meeting_on: date | None = None
    duration_minutes: int | None = Field(default=None, gt=0, le=720)
    """How long the meeting lasted, where a procedure sets a length (000 §7, §12: 40 minutes
    to an hour; 001 App 1: up to an hour)."""
    minutes: PersonalText = ""
    confirms: Confirmations = ()


class MeetingAdjourned(ActBase):
    kind: Literal["meeting_adjourned"] = "meeting_adjourned"
    meeting_id: Identifier
    reconvene_on: date
    further_monitoring_weeks: int | None = Field(default=None, ge=0, le=52)
    reason: PersonalReason


class OneToOneHeld(ActBase):
    """Improving Performance 121s; `pip_possibility_advised` enables a PIP later (004 §4)."""

    kind: Literal["one_to_one_held"] = "one_to_one_held"
    meeting_id: Identifier
    summary: PersonalText = ""
    pip_possibility_advised: bool = False
    plan_id: Identifier | None = None


class CompanionNamed(ActBase):
    kind: Literal["companion_named"] = "companion_named"
    meeting_id: Identifier
    name: PersonalName
    companion_kind: CompanionKind
    person_id: Identifier | None = None
    confirms: Confirmations = ()


class DocumentsSubmitted(ActBase):
    kind: Literal["documents_submitted"] = "documents_submitted"
    meeting_id: Identifier
    party: Literal["employee", "management"]
    documents: tuple[PersonalName, ...] = Field(min_length=1, max_length=100)


class LetterSent(ActBase):
    """A letter or form the procedure names (STAR letters 1-6, 004 confirmation letters...).

    `document` names the letter as sent by its digest (see `pmledger.letters`: a letter
    generated from its pack's template carries the confirmations its filled slots state)."""

    kind: Literal["letter_sent"] = "letter_sent"
    letter_id: Identifier
    template: Identifier
    about_id: Identifier | None = None
    delivery: Delivery = Delivery.EMAIL
    states_right_of_appeal: bool = False
    states_dismissal_possible: bool = False
    summary: PersonalText = ""
    confirms: Confirmations = ()
    document: DocumentRef | None = None


class ObservationPlanned(ActBase):
    kind: Literal["observation_planned"] = "observation_planned"
    observation_id: Identifier
    planned_for: date
    observer_person_id: Identifier
    purpose: Name
    aspects: tuple[Name, ...] = ()
    amount: Name | None = None
    duration_minutes: int = Field(gt=0, le=480)
    observer_kind: Literal["internal", "la_officer", "ofsted"] = "internal"
    observer_has_qts: bool | None = None
    communicated_on: date | None = None
    feedback_on: date | None = None
    """The "Feedback Date" the planned observation form sets (001 App 5)."""

    @model_validator(mode="after")
    def _feedback_after_the_observation(self) -> ObservationPlanned:
        if self.feedback_on is not None and self.feedback_on < self.planned_for:
            msg = f"feedback_on {self.feedback_on} is before the observation on {self.planned_for}"
            raise ValueError(msg)
        return self


class ObservationHeld(ActBase):
    kind: Literal["observation_held"] = "observation_held"
    observation_id: Identifier


class FeedbackGiven(ActBase):
    """Verbal or written feedback after an observation; the deadlines differ by medium."""

    kind: Literal["feedback_given"] = "feedback_given"
    observation_id: Identifier
    medium: Literal["verbal", "written"]
    text: PersonalText = ""
