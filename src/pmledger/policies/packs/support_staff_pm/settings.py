"""The school's choices where seed 001 is loose, optional or contradicts itself.

Every default is the reading recommended in the pack specification (packs.md §2.6-2.7), with
its limits and units read from the pack file; a school that reads its policy differently builds
its pack with `build_pack(Settings(...))`. The named checks read the settings; what the rule
kinds read (time limits, the memo's direction, who may warn and dismiss) the settings write
into the pack file's data (`Settings.applied`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from pmledger.calendar import TimeLimit, TimeUnit
from pmledger.events.actors import Role
from pmledger.events.sanction_acts import WarningKind
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.packfile.model import PackFile, RuleEntry

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

SUPERVISION = DATA.time_limits["supervision-interval"]
"""§4.7 leaves the supervision timescale to the school: an amount of 0 sets none."""


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
    app3_ht_copy_unit: TimeUnit = DATA.time_limits["app3-head-copy"].unit
    """App 3 says "within 10 days", no unit; §9.3's 10 working days is the default (D-ss-2)."""
    warning_months: Mapping[WarningKind, int] = field(
        default_factory=lambda: MappingProxyType(DATA.warning_months())
    )
    """§5.2 gives these "for example" for the separate Capability Procedure (D-ss-3)."""
    warning_issuers: frozenset[Role] = frozenset({Role.HEADTEACHER})
    dismissal_roles: frozenset[Role] = frozenset({Role.HEADTEACHER})
    supervision_interval: TimeLimit | None = SUPERVISION.limit if SUPERVISION.amount else None
    """§4.7 leaves the timescale to the school: no supervision is due unless one is set."""
    max_key_objectives: int = DATA.limit("max-key-objectives")
    planning_deadline: tuple[int, int] = (10, 31)
    """(month, day) by which the planning/review meeting has taken place (§4.4)."""

    def applied(self, data: PackFile) -> PackFile:
        """The pack file as this school reads 001: its settings written where the rule kinds
        read them (the memo's clock runs before or after the meeting as `memo_timing` says),
        and no supervision rule where the school sets no timescale."""
        time_limits = dict(data.time_limits)
        head = time_limits["app3-head-copy"]
        time_limits["app3-head-copy"] = head.model_copy(update={"unit": self.app3_ht_copy_unit})
        if self.supervision_interval is not None:
            interval = self.supervision_interval
            time_limits["supervision-interval"] = time_limits["supervision-interval"].model_copy(
                update={"amount": interval.amount, "unit": interval.unit}
            )
        limits = dict(data.limits)
        limits["max-key-objectives"] = limits["max-key-objectives"].model_copy(
            update={"value": self.max_key_objectives}
        )
        before = self.memo_timing is MemoTiming.AT_LEAST_5WD_BEFORE
        changes: dict[str, dict[str, Any]] = {
            "ss-memo-timing": {"direction": "before" if before else "after"},
            "ss-warning-in-capability": {"roles": sorted(r.value for r in self.warning_issuers)},
            "ss-dismissal-invariant": {"roles": sorted(r.value for r in self.dismissal_roles)},
        }
        rules = tuple(
            _changed(entry, changes.get(entry.id, {}))
            for entry in data.rules
            if entry.id != "ss-supervision" or self.supervision_interval is not None
        )
        return data.model_copy(
            update={"time_limits": time_limits, "limits": limits, "rules": rules}
        )


def _changed(entry: RuleEntry, changes: dict[str, Any]) -> RuleEntry:
    """The entry with the parameters it has among `changes` replaced."""
    mine = {name: value for name, value in changes.items() if name in entry.params}
    return RuleEntry.model_validate({**entry.model_dump(), **mine}) if mine else entry
