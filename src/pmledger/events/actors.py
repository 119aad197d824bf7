"""Who acts: a named person in a named role, optionally with an authority level."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pmledger.events.values import FrozenModel, Identifier


class Role(StrEnum):
    """Roles the five procedures give people in a case."""

    EMPLOYEE = "employee"
    REVIEWER = "reviewer"
    LINE_MANAGER = "line_manager"
    HEADTEACHER = "headteacher"
    HR = "hr"
    SLT = "slt"
    GOVERNOR = "governor"
    HPMP = "hpmp"
    APPEAL_CHAIR = "appeal_chair"
    CHAIR_OF_GOVERNORS = "chair_of_governors"
    MONITOR = "monitor"
    SUPPORTER = "supporter"
    DPO = "dpo"
    ADMINISTRATOR = "administrator"
    DEPUTY_HEADTEACHER = "deputy_headteacher"
    GOVERNOR_COMMITTEE = "governor_committee"
    HPMP_CHAIR = "hpmp_chair"
    PAY_PANEL = "pay_panel"
    EXTERNAL_ADVISER = "external_adviser"
    SENIOR_MANAGER = "senior_manager"
    OBSERVER = "observer"


class Actor(FrozenModel):
    """The person who performs and signs an act.

    `authority_level` is the Improving Performance Policy's (004 §6) level 1 (a manager who may
    hold meetings up to the first formal meeting, line managers included) or level 2 (a manager
    with authority to dismiss); it belongs to the person, as the school configures it. Other
    procedures leave it unset.
    """

    person_id: Identifier
    role: Role
    authority_level: Literal[1, 2] | None = None
