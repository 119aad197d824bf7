"""Who may see and do what in a case, as the procedures' confidentiality rules say.

Access follows relationships to the case (the employee, their reviewer, their school's
Headteacher, HR, the HPMP for a Headteacher's own case, the appeal chair for the appeal, SLT for
moderation of statements), never job titles alone. Each pack carries a table from operation to
the relationships allowed; the default follows the common ground of the five procedures, and a
pack overrides what its procedure narrows (support staff: Headteacher, reviewer, reviewee only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import StaffGroup
from pmledger.policies.case_file import CaseFile


class Operation(StrEnum):
    READ_CASE = "read_case"
    """The records themselves, personal content opened."""
    READ_STATUS = "read_status"
    """Stage, dates, deadlines, warnings and findings: no personal free text."""
    READ_COUNTS = "read_counts"
    """Being counted in reports across cases (cases by stage, findings by procedure): numbers,
    nothing of any one case. Whoever may be counted every case a report counts may run it."""
    READ_STATEMENTS = "read_statements"
    """Statements only, for moderation (SLT)."""
    RECORD = "record"
    EXPORT = "export"
    DISPOSE = "dispose"
    READ_AGGREGATES = "read_aggregates"
    """Anonymised counts across cases (governors)."""
    READ_ACCESS_LOG = "read_access_log"
    READ_DIRECTORY = "read_directory"
    """A person's directory entry read outside a case (HR, administrators, the DPO, the person)."""
    MANAGE_DIRECTORY = "manage_directory"
    """Recording a person's details or that they left (HR, administrators)."""
    SUBJECT_ACCESS = "subject_access"
    """Everything held about the case's employee, opened for their subject access request and
    redacted of third parties (UK GDPR Art. 15): the DPO alone, who answers for the controller
    and is party to no case, so no manager redacts their own records out of an answer."""


class Relationship(StrEnum):
    EMPLOYEE = "employee"
    REVIEWER = "reviewer"
    LINE_MANAGER = "line_manager"
    HEADTEACHER_OF_SCHOOL = "headteacher_of_school"
    HR = "hr"
    SLT_OF_SCHOOL = "slt_of_school"
    HPMP_MEMBER = "hpmp_member"
    APPEAL_CHAIR = "appeal_chair"
    MONITOR_OR_SUPPORTER = "monitor_or_supporter"
    GOVERNOR = "governor"
    PROCEDURAL_ROLE_AT_SCHOOL = "procedural_role_at_school"
    """A deputy headteacher, senior manager, observer, external adviser, pay panel or governors'
    committee member, or the Chair of Governors (who arranges appeal hearings, 004 §10.5), at
    the case's school: someone a procedure calls on at set points, for the acts the pack gives
    their role."""
    DPO = "dpo"
    ADMINISTRATOR = "administrator"


R = Relationship
AccessTable = Mapping[Operation, frozenset[Relationship]]

_MANAGEMENT = frozenset({R.REVIEWER, R.LINE_MANAGER, R.HEADTEACHER_OF_SCHOOL, R.HR})
_CASE = frozenset({R.EMPLOYEE, *_MANAGEMENT, R.HPMP_MEMBER, R.APPEAL_CHAIR})

DEFAULT_ACCESS: AccessTable = {
    Operation.READ_CASE: _CASE,
    Operation.READ_STATUS: _CASE | {R.DPO, R.MONITOR_OR_SUPPORTER},
    Operation.READ_COUNTS: _CASE | {R.DPO, R.MONITOR_OR_SUPPORTER},
    Operation.READ_STATEMENTS: _CASE | {R.SLT_OF_SCHOOL},
    Operation.RECORD: _CASE | {R.MONITOR_OR_SUPPORTER, R.PROCEDURAL_ROLE_AT_SCHOOL, R.DPO},
    Operation.EXPORT: frozenset({R.EMPLOYEE, R.HR, R.HEADTEACHER_OF_SCHOOL, R.DPO}),
    Operation.DISPOSE: frozenset({R.DPO, R.ADMINISTRATOR}),
    Operation.READ_AGGREGATES: frozenset({R.GOVERNOR, R.HEADTEACHER_OF_SCHOOL, R.HR, R.DPO}),
    Operation.READ_ACCESS_LOG: frozenset({R.DPO}),
    Operation.SUBJECT_ACCESS: frozenset({R.DPO}),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


def relationships(
    actor: Actor,
    file: CaseFile,
    registered_roles: frozenset[Role],
    schools: frozenset[str],
    act_kind: str | None = None,
) -> frozenset[Relationship]:
    """What the acting person is to this case, in the role they act in, now.

    `act_kind` is the act being recorded, if any: someone a procedure calls on at set points
    (a pay panel, an observer…) is related to the case only for the acts of those points.
    Relationships the case's events have ended (a reviewer replaced, an appeal decided)
    count for nothing.

    A role counts only if a key of the person valid at the moment of the read or act carries
    it, and school roles only at the schools such a key names, so nobody gains access by
    claiming a title or through a key since revoked.
    """
    if actor.role not in registered_roles:
        return frozenset()
    person, role, opened = actor.person_id, actor.role, file.opened
    at_school = opened.school in schools
    found: set[Relationship] = set()
    if role is Role.EMPLOYEE and person == opened.employee_person_id:
        found.add(R.EMPLOYEE)
    if role in (Role.REVIEWER, Role.LINE_MANAGER, Role.HEADTEACHER) and person in _reviewers(file):
        found.add(R.REVIEWER)
    if role is Role.LINE_MANAGER and person == _line_manager(file):
        found.add(R.LINE_MANAGER)
    if role is Role.HEADTEACHER and at_school and person != opened.employee_person_id:
        found.add(R.HEADTEACHER_OF_SCHOOL)
    if role is Role.HR:
        found.add(R.HR)
    if role is Role.SLT and at_school:
        found.add(R.SLT_OF_SCHOOL)
    if (
        role in (Role.HPMP, Role.HPMP_CHAIR)
        and opened.staff_group is StaffGroup.HEADTEACHER
        and person in _hpmp(file)
    ):
        found.add(R.HPMP_MEMBER)
    if role in (Role.APPEAL_CHAIR, Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS) and person in _chairs(
        file
    ):
        found.add(R.APPEAL_CHAIR)
    if role in (Role.MONITOR, Role.SUPPORTER) and person in _monitors(file):
        found.add(R.MONITOR_OR_SUPPORTER)
    if role in (Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS):
        found.add(R.GOVERNOR)
    if role in _PROCEDURAL_ROLES and at_school and _called_on(role, file, act_kind):
        found.add(R.PROCEDURAL_ROLE_AT_SCHOOL)
    if (
        role in _ALSO_CALLED_ON
        and (at_school or role in _TRUST_WIDE)
        and act_kind in SET_POINT_ACTS[role]
    ):
        found.add(R.PROCEDURAL_ROLE_AT_SCHOOL)
    if role is Role.DPO:
        found.add(R.DPO)
    if role is Role.ADMINISTRATOR:
        found.add(R.ADMINISTRATOR)
    return frozenset(found)


DECIDED_BY_OPENING = frozenset({Role.EMPLOYEE, Role.HR, Role.SLT, Role.DPO, Role.ADMINISTRATOR})
"""Roles whose relationships to a case `relationships` finds from the case's opening alone
(its employee and school) when no act is being recorded: a decision for them may be taken
on a file holding only the opening (the retention walk's, `projections.disposal_facts`);
anyone else's reads what the case's events named (reviewers, panels, chairs, monitors).
`tests/retention/test_dates_pass.py` holds it to the full fold."""

_PROCEDURAL_ROLES = frozenset(
    {
        Role.CHAIR_OF_GOVERNORS,
        Role.DEPUTY_HEADTEACHER,
        Role.SENIOR_MANAGER,
        Role.OBSERVER,
        Role.EXTERNAL_ADVISER,
        Role.PAY_PANEL,
        Role.GOVERNOR_COMMITTEE,
    }
)
_ALSO_CALLED_ON = frozenset({Role.SLT, Role.ADMINISTRATOR})
"""Roles whose own relationship to a case decides their reads (the SLT of the school moderates
statements; an administrator runs the ledger) and who are also called on to record their set
points' acts, which only those acts relate them to the case for."""
_TRUST_WIDE = frozenset({Role.ADMINISTRATOR})
"""Of those, the roles that serve every school of the trust (registered with no school)."""


_MEETINGS = frozenset(
    {
        "meeting_invited",
        "meeting_rescheduled",
        "meeting_held",
        "meeting_adjourned",
        "one_to_one_held",
        "companion_named",
        "documents_submitted",
        "letter_sent",
        "statement_recorded",
    }
)
_OBSERVATIONS = frozenset({"observation_planned", "observation_held", "feedback_given"})
_PAY = frozenset(
    {
        "pay_recommendation_approved",
        "pay_recommendation_referred",
        "pay_recommendation_shared",
        "pay_decided",
    }
)
_APPEALS = frozenset(
    {
        "appeal_accepted",
        "appeal_hearing_arranged",
        "appeal_heard",
        "appeal_decided",
        "time_limit_extended",
        "documents_submitted",
        "letter_sent",
    }
)
_DEPUTISING = frozenset(
    {
        *_MEETINGS,
        *_OBSERVATIONS,
        "objectives_approved",
        "development_plan_agreed",
        "development_request_decided",
        "concern_raised",
        "concern_notified",
        "hr_advice_obtained",
        "reasonable_adjustments_considered",
        "capability_started",
        "capability_ended",
        "warning_issued",
        "alternative_roles_considered",
        "dismissed",
        "support_measure_started",
        "support_plan_drafted",
        "support_plan_agreed",
        "support_plan_revised",
        "monitoring_role_assigned",
        "monitoring_reviewed",
        "consequences_explained",
        "outcome_decided",
        "record_copy_provided",
    }
)
SET_POINT_ACTS: Mapping[Role, frozenset[str]] = {
    Role.PAY_PANEL: _PAY,
    Role.GOVERNOR_COMMITTEE: _PAY | _APPEALS | {"bonus_decided"},
    Role.CHAIR_OF_GOVERNORS: _APPEALS | {"hpmp_appointed"},
    Role.OBSERVER: _OBSERVATIONS,
    Role.EXTERNAL_ADVISER: frozenset({"statement_recorded", "documents_submitted"}),
    Role.DEPUTY_HEADTEACHER: _DEPUTISING,
    Role.SENIOR_MANAGER: _DEPUTISING,
    Role.SLT: _DEPUTISING - {"statement_recorded"},
    Role.ADMINISTRATOR: frozenset({"cycle_opened", "reviewer_assigned", "reviewer_changed"}),
}
"""The acts each role a procedure calls on at set points records, outside any relationship
the case names them in: the pay panel decides pay (002) but holds no meetings in a teacher's
case, an observer observes, the Chair of Governors arranges appeal hearings (004 §10.5), and so
accepts a late appeal before a chair is named, and appoints the HPMP (002); deputy headteachers
and senior managers deputise for the manager (chairing a meeting, approving objectives, a
dismissal), and so does a member of the SLT (004 §6 and 003 App 1 §9 name SLT managers; 000
§10 has SLT approve training), who writes no one's statement (the SLT moderates statements); an
administrator (trust-wide, at no school) records a cycle and its reviewer for the Headteacher,
as school administration (000 §5; the packs' rules say whether the reviewer was theirs to
name). In a Headteacher's own case the Chair of Governors is the manager (003 §2) and records
any act."""


def _called_on(role: Role, file: CaseFile, act_kind: str | None) -> bool:
    """Whether `role` is called on for `act_kind` (None: no act, a lookup or a read, which
    the access tables decide)."""
    if act_kind is None:
        return True
    if role is Role.CHAIR_OF_GOVERNORS and file.opened.staff_group is StaffGroup.HEADTEACHER:
        return True
    return act_kind in SET_POINT_ACTS.get(role, frozenset())


def decide_for(
    table: AccessTable,
    actor: Actor,
    file: CaseFile,
    person: tuple[frozenset[Role], frozenset[str]],
    operation: Operation,
    act_kind: str | None = None,
) -> Decision:
    """The one decision every read and every command goes through: the actor's relationships
    to the case now, given the roles and schools (`person`) their keys valid now carry, held
    to the pack's table. `act_kind` is the act a RECORD would store."""
    roles, schools = person
    related = relationships(actor, file, roles, schools, act_kind)
    decision = decide(table, related, operation, actor)
    if not decision.allowed and act_kind is not None and actor.role in SET_POINT_ACTS:
        acts = ", ".join(sorted(SET_POINT_ACTS[actor.role]))
        return Decision(False, f"{decision.reason} for {act_kind} (as {actor.role}: {acts})")
    return decision


def decide(
    table: AccessTable, related: frozenset[Relationship], operation: Operation, who: Actor
) -> Decision:
    allowed = table.get(operation, frozenset())
    granted = related & allowed
    if granted:
        return Decision(True, f"{who.person_id} as {', '.join(sorted(granted))}")
    if not related:
        return Decision(
            False, f"{who.person_id} acting as {who.role.value} has no relationship to this case"
        )
    return Decision(
        False,
        f"{who.person_id} is {', '.join(sorted(related))} to this case; {operation.value} needs "
        f"{' or '.join(sorted(allowed)) or 'a role no one has'}",
    )


# Who holds a relationship now: each is folded from the case's events in order, so whoever a
# later act replaced (a reviewer changed, a line manager changed, a monitor reassigned) or
# whose part ended (an appeal chair once the appeal is decided) holds nothing from then on.


def _reviewers(file: CaseFile) -> set[str]:
    """The reviewer now: the last cycle opened, reviewer assigned or reviewer changed."""
    return {file.reviewer_person_id} if file.reviewer_person_id else set()


def _line_manager(file: CaseFile) -> str | None:
    """The line manager named when the case was opened, unless a change of employment
    status has named another (or none) since."""
    if "line_manager_person_id" in file.employment:
        return file.employment["line_manager_person_id"]
    return file.opened.line_manager_person_id


def _hpmp(file: CaseFile) -> set[str]:
    """The members of the panel appointed last: a new appointment replaces the panel."""
    appointed = file.recorded("hpmp_appointed")
    return set(getattr(appointed[-1].act, "members", ())) if appointed else set()


def _chairs(file: CaseFile) -> set[str]:
    """The chairs of appeals still running (the last one named for each appeal). An appeal
    ends when, once it is decided, a letter about it is sent: the chair writes the decision
    letter (004 §10.14) and has no part in the case after it."""
    chairs: dict[str, str] = {}
    decided: set[str] = set()
    kinds = ("appeal_hearing_arranged", "appeal_heard", "appeal_decided", "letter_sent")
    for r in file.recorded(*kinds):
        appeal = str(getattr(r.act, "about_id" if r.act.kind == "letter_sent" else "appeal_id", ""))
        if r.act.kind == "appeal_decided":
            decided.add(appeal)
        elif r.act.kind == "letter_sent":
            if appeal in decided:
                chairs.pop(appeal, None)
        else:
            chairs[appeal] = str(getattr(r.act, "chair_person_id", ""))
    return set(chairs.values())


def _monitors(file: CaseFile) -> set[str]:
    """Each plan's monitor and supporter now: as the plan named them, unless a monitoring
    role was assigned to someone else since."""
    held: dict[tuple[str, str], str] = {}
    for r in file.recorded("support_plan_agreed", "monitoring_role_assigned"):
        act, plan = r.act, str(getattr(r.act, "plan_id", ""))
        if act.kind == "monitoring_role_assigned":
            held[(plan, str(getattr(act, "role", "")))] = str(getattr(act, "person_id", ""))
            continue
        for role in ("monitor", "supporter"):
            person = getattr(act, f"{role}_person_id", None)
            if person:
                held[(plan, role)] = str(person)
    return set(held.values())
