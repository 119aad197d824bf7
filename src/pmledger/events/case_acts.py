"""Opening a case, employment facts, cycles, reviewers and objectives."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from pmledger.calendar import Nation
from pmledger.events.actors import Role
from pmledger.events.base_act import ActBase
from pmledger.events.values import (
    Confirmations,
    FrozenModel,
    Identifier,
    Name,
    PersonalName,
    PersonalReason,
    PersonalText,
)


class StaffGroup(StrEnum):
    TEACHER = "teacher"
    SUPPORT_STAFF = "support_staff"
    HEADTEACHER = "headteacher"
    SENIOR_LEADER = "senior_leader"


class ContractKind(StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"


class CaseOpened(ActBase):
    """First event of every case: who the employee is and which procedure governs it.

    The employment facts decide scope (probation, ECT induction, apprentices, short contracts
    are outside some procedures) and pay eligibility (Upper Pay Range every other year).
    """

    kind: Literal["case_opened"] = "case_opened"
    organisation: Identifier
    employee_ref: Identifier
    employee_person_id: Identifier
    school: Identifier
    nation: Nation = Nation.ENGLAND
    staff_group: StaffGroup
    pack_id: Identifier
    line_manager_person_id: Identifier | None = None
    employment_started_on: date | None = None
    contract_kind: ContractKind = ContractKind.PERMANENT
    contract_ends_on: date | None = None
    in_probation: bool = False
    ect_induction: bool = False
    apprentice: bool = False
    on_upper_pay_range: bool = False
    upr_since: date | None = None
    at_top_of_pay_range: bool = False


class EmploymentStatusChanged(ActBase):
    kind: Literal["employment_status_changed"] = "employment_status_changed"
    field: Literal[
        "in_probation",
        "ect_induction",
        "apprentice",
        "contract_ends_on",
        "staff_group",
        "upr_since",
        "at_top_of_pay_range",
        "line_manager_person_id",
        "on_upper_pay_range",
    ]
    value: Name | None
    effective_on: date


class CycleKind(StrEnum):
    ANNUAL = "annual"
    FIRST_PERIOD_ALIGNMENT = "first_period_alignment"
    FIXED_TERM_CONTRACT = "fixed_term_contract"


class CycleOpened(ActBase):
    kind: Literal["cycle_opened"] = "cycle_opened"
    cycle_id: Identifier
    starts_on: date
    ends_on: date
    reviewer_person_id: Identifier
    cycle_kind: CycleKind = CycleKind.ANNUAL

    confirms: Confirmations = ()

    @model_validator(mode="after")
    def _ends_after_start(self) -> CycleOpened:
        if self.ends_on <= self.starts_on:
            msg = f"ends_on {self.ends_on} must be after starts_on {self.starts_on}"
            raise ValueError(msg)
        return self


class CycleClosed(ActBase):
    kind: Literal["cycle_closed"] = "cycle_closed"
    cycle_id: Identifier
    reason: Literal["completed", "suspended_capability", "employment_ended"] = "completed"


class ReviewerBasis(StrEnum):
    LINE_MANAGER = "line_manager"
    HEADTEACHER_APPOINTED = "headteacher_appointed"
    REDELEGATED_ON_CONCERN = "redelegated_on_concern"
    HPMP = "hpmp"


class ReviewerAssigned(ActBase):
    kind: Literal["reviewer_assigned"] = "reviewer_assigned"
    cycle_id: Identifier | None = None
    reviewer_person_id: Identifier
    basis: ReviewerBasis = ReviewerBasis.LINE_MANAGER


class ReviewerChanged(ActBase):
    kind: Literal["reviewer_changed"] = "reviewer_changed"
    reviewer_person_id: Identifier
    requested_by_employee: bool = False
    reason: PersonalReason


class ReviewerChangeRequested(ActBase):
    """The reviewee's written request, with reasons, for another reviewer (001 §3)."""

    kind: Literal["reviewer_change_requested"] = "reviewer_change_requested"
    request_id: Identifier
    reasons: PersonalReason
    in_writing: bool = True


class ReviewerChangeDecided(ActBase):
    kind: Literal["reviewer_change_decided"] = "reviewer_change_decided"
    request_id: Identifier
    granted: bool
    new_reviewer_person_id: Identifier | None = None
    reason: PersonalText = ""


class HpmpAppointed(ActBase):
    """The Headteacher Performance Management Panel: three governors (002)."""

    kind: Literal["hpmp_appointed"] = "hpmp_appointed"
    members: tuple[Identifier, ...] = Field(min_length=1, max_length=10)
    chair_person_id: Identifier
    includes_chair_of_governors: bool = False
    external_adviser_person_id: Identifier | None = None


class ExpectationsCommunicated(ActBase):
    kind: Literal["expectations_communicated"] = "expectations_communicated"
    cycle_id: Identifier | None = None
    what: tuple[Name, ...] = Field(min_length=1)
    medium: Literal["meeting", "written"] = "written"


class ObjectiveKind(StrEnum):
    WHOLE_SCHOOL = "whole_school"
    DUTIES = "duties"
    CPD = "cpd"
    PUPIL_OUTCOMES = "pupil_outcomes"
    OTHER = "other"


class Objective(FrozenModel):
    """A SMART objective; `decisive` marks a STAR support-plan target that decides the outcome."""

    objective_id: Identifier
    text: PersonalText
    success_criteria: PersonalText
    weighting_percent: int | None = Field(default=None, ge=0, le=100)
    milestones: tuple[PersonalName, ...] = ()
    spans_cycles: bool = False
    group_objective: bool = False
    decisive: bool = False
    objective_kind: ObjectiveKind = ObjectiveKind.OTHER
    due_on: date | None = None
    school_improvement_link: PersonalText = ""
    """The School Improvement Plan objective it links to (001 App 3; 000 §10 "whole school
    priorities")."""
    support_required: PersonalText = ""
    """The support, learning and development it needs (001 App 3)."""


class ObjectivesSet(ActBase):
    kind: Literal["objectives_set"] = "objectives_set"
    cycle_id: Identifier
    objectives: tuple[Objective, ...] = Field(min_length=1, max_length=50)
    agreed_by_employee: bool = True
    determined_by_reviewer: bool = False
    external_adviser_consulted: bool = False
    confirms: Confirmations = ()


class ObjectivesRevised(ActBase):
    kind: Literal["objectives_revised"] = "objectives_revised"
    cycle_id: Identifier
    objectives: tuple[Objective, ...] = Field(min_length=1, max_length=50)
    reason: PersonalReason


class ObjectivesApproved(ActBase):
    """ReFocus: targets agreed by the Headteacher and Deputy Headteachers (000 §4)."""

    kind: Literal["objectives_approved"] = "objectives_approved"
    cycle_id: Identifier
    objectives_version: int = Field(ge=1)


class DevelopmentPlanAgreed(ActBase):
    kind: Literal["development_plan_agreed"] = "development_plan_agreed"
    cycle_id: Identifier
    items: tuple[PersonalName, ...] = Field(min_length=1, max_length=30)


class DevelopmentRequested(ActBase):
    """A PDP/CPD request; ReFocus needs line-manager and Headteacher approval (000 §10-11)."""

    kind: Literal["development_requested"] = "development_requested"
    request_id: Identifier
    description: PersonalText
    route: Literal["pdp", "separate"] = "pdp"
    external: bool = False
    cost: str | None = Field(default=None, pattern=r"^\d+(\.\d{1,2})?$")


class DevelopmentRequestDecided(ActBase):
    kind: Literal["development_request_decided"] = "development_request_decided"
    request_id: Identifier
    approved: bool
    approver_role: Literal[Role.LINE_MANAGER, Role.HEADTEACHER]
    reason: PersonalText = ""
