"""Legal holds and disposals: acts about the record rather than about performance."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from pmledger.events.base_act import ActBase
from pmledger.events.values import FrozenModel, Identifier, Name, PersonalText


class HoldReason(StrEnum):
    TRIBUNAL_CLAIM = "tribunal_claim"
    SUBJECT_ACCESS_REQUEST = "subject_access_request"
    INVESTIGATION = "investigation"
    OTHER = "other"


class LegalHoldPlaced(ActBase):
    kind: Literal["legal_hold_placed"] = "legal_hold_placed"
    hold_id: Identifier
    reason: HoldReason
    details: PersonalText = ""


class LegalHoldReleased(ActBase):
    kind: Literal["legal_hold_released"] = "legal_hold_released"
    hold_id: Identifier
    details: PersonalText = ""


class DisposalCount(FrozenModel):
    category: Name
    rule: Name
    records: int = Field(ge=0)


class RecordsDisposed(ActBase):
    """The signed certificate a purge leaves behind: what went, under which rule, when."""

    kind: Literal["records_disposed"] = "records_disposed"
    as_of: date
    disposals: tuple[DisposalCount, ...] = Field(min_length=1)


class EmploymentEnded(ActBase):
    kind: Literal["employment_ended"] = "employment_ended"
    ended_on: date


class CaseClosed(ActBase):
    kind: Literal["case_closed"] = "case_closed"
    reason: PersonalText = ""
