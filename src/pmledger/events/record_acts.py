"""Statements, acknowledgements, copies, concerns, absences and advice."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from pmledger.events.base_act import ActBase
from pmledger.events.form_contents import FormContents
from pmledger.events.values import (
    Confirmations,
    Identifier,
    Name,
    PersonalName,
    PersonalReason,
    PersonalText,
)


class StatementKind(StrEnum):
    REVIEWER = "reviewer"
    EMPLOYEE = "employee"
    ANNUAL = "annual"
    MID_YEAR_REVIEW = "mid_year_review"
    END_OF_CYCLE_REVIEW = "end_of_cycle_review"
    PLANNING_REVIEW = "planning_review"
    SELF_EVALUATION = "self_evaluation"
    EMPLOYEE_COMMENT = "employee_comment"
    CONCERNS_RECORD = "concerns_record"
    MINUTES = "minutes"
    EVIDENCE = "evidence"


class StatementRecorded(ActBase):
    kind: Literal["statement_recorded"] = "statement_recorded"
    statement_kind: StatementKind
    form: Identifier | None = None
    """The form the statement fills in, e.g. 'refocus-app-b' or 'ss-app3'."""
    cycle_id: Identifier | None = None
    mid_year_cycle: Literal[1, 2] | None = None
    about_version: int | None = Field(default=None, ge=1)
    evidence_observation_ids: tuple[Identifier, ...] = ()
    disagrees: bool = False
    text: PersonalText
    confirms: Confirmations = ()
    contents: FormContents | None = None
    """The form's boxes as filled in (`pmledger.events.form_contents`), for the forms whose
    boxes a procedure checks; `text` is then the statement the form's free box holds."""

    @model_validator(mode="after")
    def _contents_of_this_form(self) -> StatementRecorded:
        contents = self.contents
        if contents is None:
            return self
        if self.form != contents.FORM:
            msg = f"contents {contents.part!r} belong to form {contents.FORM}, not {self.form}"
            raise ValueError(msg)
        if contents.SIGNER is not None and self.statement_kind.value != contents.SIGNER:
            msg = (
                f"contents {contents.part!r} are the {contents.SIGNER}'s part of {contents.FORM}; "
                f"give statement_kind {contents.SIGNER!r}, not {self.statement_kind.value!r}"
            )
            raise ValueError(msg)
        return self


class RecordAcknowledged(ActBase):
    """The employee's countersignature: their key signs the digest of the acknowledged record."""

    kind: Literal["record_acknowledged"] = "record_acknowledged"
    record_version: int = Field(ge=1)
    record_digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    disagrees: bool = False
    comment: PersonalText = ""


class RecordSubmitted(ActBase):
    kind: Literal["record_submitted"] = "record_submitted"
    record_version: int = Field(ge=1)
    to: Literal["headteacher", "formal_assessment"] = "headteacher"


class RecordCopyProvided(ActBase):
    kind: Literal["record_copy_provided"] = "record_copy_provided"
    record_version: int = Field(ge=1)
    to: Literal["employee", "headteacher", "personal_file", "hr"]


class DisagreementReferred(ActBase):
    kind: Literal["disagreement_referred"] = "disagreement_referred"
    record_version: int = Field(ge=1)
    summary: PersonalText = ""


FindingId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=160, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*@[1-9][0-9]*$"
    ),
]
"""A finding as the compliance view names it: 'rule-id@version' (`Finding.id`)."""


class DeviationReasonGiven(ActBase):
    """The reason the procedure asks for, given after the act it excuses was recorded without
    one (issue 17 §2). The earlier act stays as it was signed, with its finding; this signed
    act names that finding, and from then on the compliance view shows it as a deviation with
    this reason, who gave it and when. Refused only when the case has no such finding."""

    kind: Literal["deviation_reason_given"] = "deviation_reason_given"
    finding_id: FindingId
    reason: PersonalReason

    @property
    def record_version(self) -> int:
        """The record the finding is about (the act judged, or the start of a late step)."""
        return int(self.finding_id.rsplit("@", 1)[1])


class ConcernCategory(StrEnum):
    PERFORMANCE = "performance"
    MISCONDUCT = "misconduct"
    ATTENDANCE = "attendance"
    HEALTH = "health"


class ConcernRaised(ActBase):
    kind: Literal["concern_raised"] = "concern_raised"
    concern_id: Identifier
    category: ConcernCategory = ConcernCategory.PERFORMANCE
    areas: tuple[PersonalName, ...] = Field(min_length=1, max_length=30)
    details: PersonalText = ""
    pattern_evidence: PersonalText = ""
    confirms: Confirmations = ()


class EmployeeConcernRaised(ActBase):
    """The employee's concern about how the procedure is being applied."""

    kind: Literal["employee_concern_raised"] = "employee_concern_raised"
    about: PersonalText


class ConcernNotified(ActBase):
    """Hampshire: HPMP chair and Chair of Governors tell each other of Headteacher concerns."""

    kind: Literal["concern_notified"] = "concern_notified"
    concern_id: Identifier
    notified_role: Literal["headteacher", "chair_of_governors", "hpmp_chair"]
    how_to_proceed_agreed: bool = False


class ReasonableAdjustmentsConsidered(ActBase):
    kind: Literal["reasonable_adjustments_considered"] = "reasonable_adjustments_considered"
    concern_id: Identifier
    adjustments: tuple[PersonalName, ...] = ()
    outcome: PersonalText = ""


class AbsenceNoted(ActBase):
    kind: Literal["absence_noted"] = "absence_noted"
    absence_id: Identifier = "absence-1"
    nature: PersonalName
    starts_on: date
    ends_on: date | None = None
    likely_duration_days: int | None = Field(default=None, ge=0, le=730)
    occupational_health_referred: bool = False
    confirms: Confirmations = ()


class HrAdviceObtained(ActBase):
    kind: Literal["hr_advice_obtained"] = "hr_advice_obtained"
    topic: Name
    provider: Name
    summary: PersonalText = ""


COUNTERSIGNED = frozenset(
    {
        "objectives_set",
        "objectives_revised",
        "meeting_held",
        "feedback_given",
        "statement_recorded",
        "support_plan_agreed",
        "support_plan_revised",
        "monitoring_reviewed",
        "outcome_decided",
        "warning_issued",
        "rating_recorded",
        "appeal_decided",
    }
)
"""Formal records the forms require the employee to sign as well as the reviewer (000 App. B/D,
001 App. 3-5, 003 §6): until they do, the record is visibly awaiting acknowledgement."""
