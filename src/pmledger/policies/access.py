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
    Operation.READ_STATEMENTS: _CASE | {R.SLT_OF_SCHOOL},
    Operation.RECORD: _CASE | {R.MONITOR_OR_SUPPORTER, R.PROCEDURAL_ROLE_AT_SCHOOL, R.DPO},
    Operation.EXPORT: frozenset({R.EMPLOYEE, R.HR, R.HEADTEACHER_OF_SCHOOL, R.DPO}),
    Operation.DISPOSE: frozenset({R.DPO, R.ADMINISTRATOR}),
    Operation.READ_AGGREGATES: frozenset({R.GOVERNOR, R.HEADTEACHER_OF_SCHOOL, R.HR, R.DPO}),
    Operation.READ_ACCESS_LOG: frozenset({R.DPO}),
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
) -> frozenset[Relationship]:
    """What the acting person is to this case, in the role they act in.

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
    if role is Role.LINE_MANAGER and person == opened.line_manager_person_id:
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
    if role in _PROCEDURAL_ROLES and at_school:
        found.add(R.PROCEDURAL_ROLE_AT_SCHOOL)
    if role is Role.DPO:
        found.add(R.DPO)
    if role is Role.ADMINISTRATOR:
        found.add(R.ADMINISTRATOR)
    return frozenset(found)


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


def decide_for(
    table: AccessTable,
    actor: Actor,
    file: CaseFile,
    person: tuple[frozenset[Role], frozenset[str]],
    operation: Operation,
) -> Decision:
    """The one decision every read and every command goes through: the actor's relationships
    to the case, given the roles and schools (`person`) their keys valid now carry, held to
    the pack's table."""
    roles, schools = person
    return decide(table, relationships(actor, file, roles, schools), operation, actor)


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


def _reviewers(file: CaseFile) -> set[str]:
    people = {cycle.reviewer_person_id for _, cycle in file.cycles.values()}
    if file.reviewer_person_id:
        people.add(file.reviewer_person_id)
    return people


def _hpmp(file: CaseFile) -> set[str]:
    return {
        member for r in file.recorded("hpmp_appointed") for member in getattr(r.act, "members", ())
    }


def _chairs(file: CaseFile) -> set[str]:
    return {
        str(getattr(r.act, "chair_person_id", ""))
        for r in file.recorded("appeal_hearing_arranged", "appeal_heard")
    }


def _monitors(file: CaseFile) -> set[str]:
    people: set[str] = set()
    for plan in file.plans.values():
        people.update(p for p in (plan.plan.monitor_person_id, plan.plan.supporter_person_id) if p)
    people.update(
        str(getattr(r.act, "person_id", "")) for r in file.recorded("monitoring_role_assigned")
    )
    return people
