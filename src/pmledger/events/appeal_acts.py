"""Appeals against a decision recorded in the case, and escalations outside it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from pmledger.events.actors import Role
from pmledger.events.base_act import ActBase
from pmledger.events.values import (
    Confirmations,
    Identifier,
    Name,
    PersonalReason,
    PersonalText,
)


class AppealGround(StrEnum):
    DEFECTIVE_PROCEDURE = "defective_procedure"
    NEW_EVIDENCE = "new_evidence"
    INAPPROPRIATE_SANCTION = "inappropriate_sanction"
    DISAGREE_WITH_ENTRY = "disagree_with_entry"
    OTHER = "other"


class AppealLodged(ActBase):
    kind: Literal["appeal_lodged"] = "appeal_lodged"
    appeal_id: Identifier
    against_version: int = Field(ge=1)
    level: Literal["reviewer", "appeal_hearing"] = "appeal_hearing"
    addressed_to_person_id: Identifier | None = None
    grounds: tuple[AppealGround, ...] = Field(min_length=1)
    details: PersonalText = ""


class AppealAccepted(ActBase):
    """An appeal taken although lodged out of time, with the reason."""

    kind: Literal["appeal_accepted"] = "appeal_accepted"
    appeal_id: Identifier
    reason: PersonalReason


class AppealHearingArranged(ActBase):
    kind: Literal["appeal_hearing_arranged"] = "appeal_hearing_arranged"
    appeal_id: Identifier
    hearing_on: date
    chair_person_id: Identifier
    venue: Name | None = None
    confirms: Confirmations = ()


class AppealHeard(ActBase):
    kind: Literal["appeal_heard"] = "appeal_heard"
    appeal_id: Identifier
    chair_person_id: Identifier
    notes: PersonalText = ""


class AppealResult(StrEnum):
    UPHELD = "upheld"
    UPHELD_LESSER_SANCTION = "upheld_lesser_sanction"
    NOT_UPHELD = "not_upheld"


class AppealDecided(ActBase):
    kind: Literal["appeal_decided"] = "appeal_decided"
    appeal_id: Identifier
    result: AppealResult
    reasons: PersonalText = ""
    confirms: Confirmations = ()


class GrievanceInvoked(ActBase):
    kind: Literal["grievance_invoked"] = "grievance_invoked"
    about_version: int = Field(ge=1)
    procedure: Literal["grievance", "resolving_issues_at_work", "pay_appeal"] = "grievance"


class TimeLimitExtended(ActBase):
    """A time limit moved by agreement of both parties before it fell due."""

    kind: Literal["time_limit_extended"] = "time_limit_extended"
    rule_id: Identifier
    anchor_version: int = Field(ge=1)
    new_due_on: date
    agreed_by: tuple[Role, ...] = ()
    """Roles that agreed the extension (004 §10.9 needs both parties)."""
    reason: PersonalReason
