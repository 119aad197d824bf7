"""Time limits as data, so each procedure's rules can say "5 working days" without code."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class TimeUnit(StrEnum):
    """Every unit the five procedures use; they differ, and mixing them up moves deadlines."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    SCHOOL_DAYS = "school_days"
    SCHOOL_WEEKS = "school_weeks"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    HALF_TERMS = "half_terms"


class Direction(StrEnum):
    """Whether a limit runs forward from an event ("within") or back from it ("before")."""

    AFTER = "after"
    BEFORE = "before"


class TimeLimit(BaseModel):
    """A length of time in one unit; the direction is given when it is applied to a date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: int = Field(ge=0)
    unit: TimeUnit
