"""Ratings, pay recommendations and decisions, and term bonuses."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from pmledger.events.base_act import ActBase
from pmledger.events.values import Identifier, PersonalText


class Rating(StrEnum):
    EXCEPTIONAL = "exceptional"
    ACHIEVED = "achieved"
    IMPROVEMENT_REQUIRED = "improvement_required"
    NOT_MET = "not_met"


class RatingRecorded(ActBase):
    kind: Literal["rating_recorded"] = "rating_recorded"
    cycle_id: Identifier
    rating: Rating
    assessment: PersonalText = ""


class PayRecommended(ActBase):
    """Points for teachers, steps for support staff, plus any one-off percentage."""

    kind: Literal["pay_recommended"] = "pay_recommended"
    recommendation_id: Identifier = "pay-1"
    cycle_id: Identifier
    pay_points: int = Field(default=0, ge=0, le=3)
    pay_steps: int = Field(default=0, ge=0, le=3)
    one_off_percent: int = Field(default=0, ge=0, le=10)
    exceptional_reason: PersonalText = ""


class PayRecommendationApproved(ActBase):
    """Hampshire: the Headteacher approves before a recommendation is shared."""

    kind: Literal["pay_recommendation_approved"] = "pay_recommendation_approved"
    recommendation_id: Identifier
    approved: bool = True
    reason: PersonalText = ""


class PayRecommendationShared(ActBase):
    kind: Literal["pay_recommendation_shared"] = "pay_recommendation_shared"
    recommendation_id: Identifier


class PayRecommendationReferred(ActBase):
    kind: Literal["pay_recommendation_referred"] = "pay_recommendation_referred"
    recommendation_id: Identifier
    to: Literal["pay_panel", "hpmp"] = "pay_panel"


class PayDecided(ActBase):
    kind: Literal["pay_decided"] = "pay_decided"
    recommendation_id: Identifier
    pay_points: int = Field(default=0, ge=0, le=3)
    pay_steps: int = Field(default=0, ge=0, le=3)
    one_off_percent: int = Field(default=0, ge=0, le=10)
    effective_from: date


class BonusDecided(ActBase):
    """ReFocus term bonuses, decided by the Headteacher and the governor committee (000 §5)."""

    kind: Literal["bonus_decided"] = "bonus_decided"
    cycle_id: Identifier
    term: Literal[1, 2]
    awarded: bool
    amount: str | None = Field(default=None, pattern=r"^\d+(\.\d{1,2})?$")
