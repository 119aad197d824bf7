"""The school's choices where seed 001 is loose, optional or contradicts itself.

Every default is the reading recommended in the pack specification (packs.md §2.6-2.7); a
school that reads its policy differently builds its pack with `build_pack(Settings(...))`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from pmledger.calendar import TimeLimit, TimeUnit
from pmledger.events.actors import Role
from pmledger.events.sanction_acts import WarningKind
from pmledger.policies.packfile.binding import pack_data

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""


class Form(StrEnum):
    """The policy's appendices; §9 says a school need not use them all."""

    APP1_MEMO = "ss-app1-memo"
    APP2_SELF_EVALUATION = "ss-app2"
    APP3_PLANNING_AND_REVIEW = "ss-app3"
    APP4_MID_YEAR_REVIEW = "ss-app4"
    APP5_OBSERVATION = "ss-app5"


CAPABILITY_NOTICE = "ss-capability-notice"
"""LetterSent.template of the §5.1 written notice that performance management no longer applies."""


class MemoTiming(StrEnum):
    """When the App 1 memo goes out: the two places in 001 that say so disagree (D-ss-1).

    App 1 heads the memo "To be sent out 5 working days before the performance management
    meeting"; §9.1 says "send to the reviewee within 5 working days of the performance management
    review meeting". A memo sent early meets a "within" limit, so "either" reads the same as §9.1.
    """

    AT_LEAST_5WD_BEFORE = "at_least_5wd_before"
    WITHIN_5WD_OF = "within_5wd_of"


class MidYearRule(StrEnum):
    """§4.4 puts the mid-year review "in April", §4.7 "6 months after the main review" (D-ss-5)."""

    APRIL = "april"
    PLUS_6_MONTHS = "plus_6_months"
    EITHER = "either"


@dataclass(frozen=True)
class Settings:
    memo_timing: MemoTiming = MemoTiming.AT_LEAST_5WD_BEFORE
    mid_year_rule: MidYearRule = MidYearRule.EITHER
    forms_in_use: frozenset[Form] = frozenset(
        {Form.APP3_PLANNING_AND_REVIEW, Form.APP4_MID_YEAR_REVIEW, Form.APP5_OBSERVATION}
    )
    """App 1 and App 2 are opt-in; App 3/4 are implied by the §6.3 checklist, App 5 by §9.5's
    planned observations (D-ss-4)."""
    app3_ht_copy_unit: TimeUnit = TimeUnit.WORKING_DAYS
    """App 3 says "within 10 days", no unit; §9.3's 10 working days is the default (D-ss-2)."""
    warning_months: Mapping[WarningKind, int] = field(
        default_factory=lambda: MappingProxyType(DATA.warning_months())
    )
    """§5.2 gives these "for example" for the separate Capability Procedure (D-ss-3)."""
    warning_issuers: frozenset[Role] = frozenset({Role.HEADTEACHER})
    dismissal_roles: frozenset[Role] = frozenset({Role.HEADTEACHER})
    supervision_interval: TimeLimit | None = None
    """§4.7 leaves the timescale to the school: no supervision rule unless one is set."""
    max_key_objectives: int = DATA.limit("max-key-objectives")
    planning_deadline: tuple[int, int] = (10, 31)
    """(month, day) by which the planning/review meeting has taken place (§4.4)."""
