"""Informal and formal support: plans, PIPs, monitoring, consequences and outcomes."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field

from pmledger.events.base_act import ActBase
from pmledger.events.case_acts import Objective
from pmledger.events.values import (
    Confirmations,
    Identifier,
    Name,
    PersonalReason,
    PersonalText,
)


class PlanKind(StrEnum):
    INFORMAL_SUPPORT = "informal_support"
    CONCERNS_SUPPORT = "concerns_support"
    STRUCTURED_MANAGERIAL_SUPPORT = "structured_managerial_support"
    SUPPORT_PLAN = "support_plan"
    PIP = "pip"
    FORMAL_PIP = "formal_pip"


class SupportMeasureStarted(ActBase):
    kind: Literal["support_measure_started"] = "support_measure_started"
    measure_id: Identifier
    concern_id: Identifier | None = None
    measure: Literal["coaching", "mentoring", "training", "structured_observation", "other"]
    provider_person_id: Identifier | None = None


class SupportPlanDrafted(ActBase):
    """STAR: a draft plan given to the employee before the initial meeting (003 §4.1)."""

    kind: Literal["support_plan_drafted"] = "support_plan_drafted"
    plan_id: Identifier
    shared_with_employee_on: date
    targets: tuple[Objective, ...] = ()


class MonitoringRoleAssigned(ActBase):
    kind: Literal["monitoring_role_assigned"] = "monitoring_role_assigned"
    plan_id: Identifier
    person_id: Identifier
    role: Literal["monitor", "supporter"]
    employee_agreed_same_person: bool = False


class SupportPlanAgreed(ActBase):
    kind: Literal["support_plan_agreed"] = "support_plan_agreed"
    plan_id: Identifier
    plan_kind: PlanKind
    concern_id: Identifier | None = None
    starts_on: date
    review_on: date
    ends_on: date | None = None
    targets: tuple[Objective, ...] = Field(min_length=1, max_length=30)
    support: PersonalText = ""
    monitoring_frequency: PersonalText = ""
    monitor_person_id: Identifier | None = None
    supporter_person_id: Identifier | None = None
    employee_agreed_same_monitor_and_supporter: bool = False
    consequences_explained_in_writing: bool = False
    decisive_targets_told_before_start: bool = False
    provisional_meeting_on: date | None = None
    named_work_contact_person_id: Identifier | None = None
    employee_agreed: bool = True
    confirms: Confirmations = ()


class SupportPlanRevised(ActBase):
    """A revised plan; `further_period` marks a new support period (STAR allows a third only
    exceptionally)."""

    kind: Literal["support_plan_revised"] = "support_plan_revised"
    plan_id: Identifier
    review_on: date
    targets: tuple[Objective, ...] = ()
    further_period: bool = False
    reason: PersonalReason
    confirms: Confirmations = ()


class Progress(StrEnum):
    ON_TRACK = "on_track"
    SOME_PROGRESS = "some_progress"
    NO_PROGRESS = "no_progress"


class MonitoringReviewed(ActBase):
    kind: Literal["monitoring_reviewed"] = "monitoring_reviewed"
    plan_id: Identifier
    progress: Progress
    notes: PersonalText = ""


class MonitoringPeriodChanged(ActBase):
    """An extension (004: once, up to 4 weeks) or a shortening of a monitoring period."""

    kind: Literal["monitoring_period_changed"] = "monitoring_period_changed"
    plan_id: Identifier
    change: Literal["extended", "shortened"]
    new_end_on: date
    new_provisional_meeting_on: date | None = None
    reason: PersonalReason


class Consequence(StrEnum):
    CAPABILITY_POSSIBLE = "capability_possible"
    FORMAL_PROCEDURE_APPLIES = "formal_procedure_applies"
    PAY_PROGRESSION_IMPACT = "pay_progression_impact"
    DISMISSAL_POSSIBLE = "dismissal_possible"


class ConsequencesExplained(ActBase):
    """A written record that the employee was told the potential consequences (002, 001 §4.6)."""

    kind: Literal["consequences_explained"] = "consequences_explained"
    subject_id: Identifier
    in_writing: bool = True
    consequences: tuple[Consequence, ...] = Field(min_length=1)


class Outcome(StrEnum):
    SUCCESSFUL = "successful"
    PARTIALLY_SUCCESSFUL = "partially_successful"
    UNSUCCESSFUL = "unsuccessful"
    IMPROVED = "improved"
    NOT_IMPROVED = "not_improved"
    SUFFICIENT = "sufficient"
    INSUFFICIENT = "insufficient"
    FORMAL_PIP_AND_WARNING = "formal_pip_and_warning"
    NO_FURTHER_ACTION = "no_further_action"
    FURTHER_REVIEW_PERIOD = "further_review_period"
    DISMISSAL = "dismissal"


class OutcomeDecided(ActBase):
    """The decision closing a plan or a formal meeting, with the letter that confirms it."""

    kind: Literal["outcome_decided"] = "outcome_decided"
    subject_id: Identifier
    outcome: Outcome
    letter: Identifier | None = None
    basis: Name | None = None
    reasons: PersonalText = ""
    further_period_ends_on: date | None = None
    confirms: Confirmations = ()
