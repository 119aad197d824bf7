"""Capability, warnings, alternatives and dismissal."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from pmledger.events.base_act import ActBase
from pmledger.events.values import (
    Confirmations,
    Identifier,
    Name,
    PersonalReason,
    PersonalText,
)


class CapabilityBasis(StrEnum):
    AFTER_SUPPORT = "after_support"
    DIRECT = "direct"
    RECURRENCE_IN_WARNING = "recurrence_in_warning"
    NOT_SUSTAINED = "not_sustained"


class CapabilityStarted(ActBase):
    kind: Literal["capability_started"] = "capability_started"
    capability_id: Identifier = "capability-1"
    basis: CapabilityBasis = CapabilityBasis.AFTER_SUPPORT
    reason: PersonalText
    direct_entry_reason: PersonalReason | None = None
    confirms: Confirmations = ()


class CapabilityEnded(ActBase):
    kind: Literal["capability_ended"] = "capability_ended"
    capability_id: Identifier = "capability-1"
    outcome: Literal["standard_reached", "dismissed", "employment_ended", "other"] = (
        "standard_reached"
    )
    reason: PersonalText


class WarningKind(StrEnum):
    WRITTEN = "written"
    FINAL_WRITTEN = "final_written"


class WarningIssued(ActBase):
    kind: Literal["warning_issued"] = "warning_issued"
    warning_id: Identifier
    warning_kind: WarningKind
    reasons: PersonalText = ""
    confirms: Confirmations = ()


class WarningRescinded(ActBase):
    kind: Literal["warning_rescinded"] = "warning_rescinded"
    warning_id: Identifier
    appeal_id: Identifier | None = None
    reason: PersonalReason


class WarningReduced(ActBase):
    kind: Literal["warning_reduced"] = "warning_reduced"
    warning_id: Identifier
    new_kind: WarningKind
    new_duration_months: int | None = Field(default=None, ge=1, le=24)
    """A shorter live period substituted on appeal; None keeps the new kind's duration."""
    appeal_id: Identifier | None = None
    reason: PersonalReason


class AlternativeRolesConsidered(ActBase):
    kind: Literal["alternative_roles_considered"] = "alternative_roles_considered"
    roles_considered: tuple[Name, ...] = ()
    outcome: PersonalText = ""


class ExternalPartyNotified(ActBase):
    kind: Literal["external_party_notified"] = "external_party_notified"
    party: Name
    about_version: int | None = Field(default=None, ge=1)


class Dismissed(ActBase):
    kind: Literal["dismissed"] = "dismissed"
    effective_on: date
    notice_weeks: int = Field(ge=0, le=52)
    contractual_notice_weeks: int | None = Field(default=None, ge=0, le=52)
    notice_worked: bool = False
    alternatives_considered: bool
    reasons: PersonalText
    confirms: Confirmations = ()


class DismissalOverturned(ActBase):
    kind: Literal["dismissal_overturned"] = "dismissal_overturned"
    appeal_id: Identifier
    substitute: Literal["none", "written_warning", "final_written_warning"] = "none"
