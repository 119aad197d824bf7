"""Access follows relationships to the case, per procedure; every read and refusal is logged."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.core.helpers import open_ledger

from pmledger.commands import EmployeeRef
from pmledger.errors import AccessDenied, ActRefused, UnknownKey
from pmledger.events.actors import Actor, Role
from pmledger.events.appeal_acts import AppealHearingArranged
from pmledger.events.case_acts import CaseOpened, CycleOpened, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.ledger.facade import Ledger
from pmledger.policies.access import DEFAULT_ACCESS, Operation, Relationship, relationships

TODAY = date(2025, 11, 3)
CASE = EmployeeRef(organisation="trust", employee_ref="E-7")
SCHOOL = "oakfield"
HR = Actor(person_id="hr-1", role=Role.HR)

# person, role, schools, the relationship that person has to CASE in that role (None: none)
CAST: list[tuple[str, Role, tuple[str, ...], Relationship | None]] = [
    ("emp-7", Role.EMPLOYEE, (SCHOOL,), Relationship.EMPLOYEE),
    ("rev-1", Role.REVIEWER, (SCHOOL,), Relationship.REVIEWER),
    ("ht-oak", Role.HEADTEACHER, (SCHOOL,), Relationship.HEADTEACHER_OF_SCHOOL),
    ("ht-elm", Role.HEADTEACHER, ("elm-academy",), None),
    ("hr-1", Role.HR, (), Relationship.HR),
    ("slt-oak", Role.SLT, (SCHOOL,), Relationship.SLT_OF_SCHOOL),
    ("slt-elm", Role.SLT, ("elm-academy",), None),
    ("gov-1", Role.GOVERNOR, (SCHOOL,), Relationship.GOVERNOR),
    ("dpo-1", Role.DPO, (), Relationship.DPO),
    ("emp-8", Role.EMPLOYEE, (SCHOOL,), None),
    ("obs-oak", Role.OBSERVER, (SCHOOL,), Relationship.PROCEDURAL_ROLE_AT_SCHOOL),
    ("pay-elm", Role.PAY_PANEL, ("elm-academy",), None),
]
OPERATIONS = {
    Operation.READ_STATUS: lambda r: r.status(CASE, TODAY),
    Operation.READ_CASE: lambda r: r.records(CASE),
    Operation.READ_STATEMENTS: lambda r: r.statements(CASE),
    Operation.EXPORT: lambda r: r.disclosure(CASE),
}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return record_case(open_ledger(str(tmp_path_factory.mktemp("access") / "l.sqlite")))


def record_case(ledger: Ledger) -> Ledger:
    """The CAST enrolled and CASE recorded: a statement and minutes, both personal content."""
    ledger.bootstrap("admin-1", (Role.ADMINISTRATOR, Role.HR))
    admin = Actor(person_id="admin-1", role=Role.HR)
    for person, role, schools, _ in CAST:
        ledger.register_person(person, (role,), by=admin, schools=schools)
    ledger.record(
        CASE,
        CaseOpened(
            organisation="trust",
            employee_ref="E-7",
            employee_person_id="emp-7",
            school=SCHOOL,
            staff_group=StaffGroup.TEACHER,
            pack_id="hampshire-pm",
        ),
        occurred_on=date(2025, 9, 1),
        actor=Actor(person_id="hr-1", role=Role.HR),
    )
    head = Actor(person_id="ht-oak", role=Role.HEADTEACHER)
    ledger.record(
        CASE,
        CycleOpened(
            cycle_id="2025-26",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id="rev-1",
        ),
        occurred_on=date(2025, 9, 1),
        actor=head,
    )
    ledger.record(
        CASE,
        StatementRecorded(
            statement_kind=StatementKind.EMPLOYEE, text="I would like more support with phonics."
        ),
        occurred_on=date(2025, 10, 1),
        actor=Actor(person_id="emp-7", role=Role.EMPLOYEE),
    )
    ledger.record(
        CASE,
        MeetingHeld(
            meeting_id="m1", chair_person_id="rev-1", minutes="Private discussion of health."
        ),
        occurred_on=date(2025, 10, 2),
        actor=Actor(person_id="rev-1", role=Role.REVIEWER),
    )
    return ledger


@pytest.mark.parametrize(("person", "role", "schools", "relation"), CAST)
def test_relationships_follow_the_case_not_the_title(
    ledger: Ledger, person: str, role: Role, schools: tuple[str, ...], relation: Relationship | None
) -> None:
    file = ledger.reader(HR).case(CASE).file
    found = relationships(
        Actor(person_id=person, role=role), file, frozenset({role}), frozenset(schools)
    )
    assert found == (frozenset({relation}) if relation else frozenset())


@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize(("person", "role", "schools", "relation"), CAST)
def test_every_role_and_query_pair_is_allowed_exactly_as_the_policy_says(
    ledger: Ledger,
    person: str,
    role: Role,
    schools: tuple[str, ...],
    relation: Relationship | None,
    operation: Operation,
) -> None:
    expected = relation is not None and relation in DEFAULT_ACCESS[operation]
    reader = ledger.reader(Actor(person_id=person, role=role), TODAY)
    if expected:
        OPERATIONS[operation](reader)
    else:
        with pytest.raises(AccessDenied, match=operation.value):
            OPERATIONS[operation](reader)


@pytest.mark.parametrize(("person", "role", "schools", "relation"), CAST)
def test_every_role_may_record_exactly_as_the_policy_says(
    tmp_path: Path, person: str, role: Role, schools: tuple[str, ...], relation: Relationship | None
) -> None:
    """Writes go through the same table as reads: a person unrelated to the case (or related
    in a way RECORD does not name) is refused before the procedure even judges the act, the
    refusal is in the access log, and nothing is stored. Whoever RECORD names gets past the
    access check; the procedure may still refuse the act for their role (ActRefused)."""
    ledger = record_case(open_ledger(str(tmp_path / "w.sqlite")))
    statement = StatementRecorded(
        cycle_id="2025-26",
        statement_kind=StatementKind.EMPLOYEE_COMMENT,
        text="A note for the file.",
    )
    attempt = lambda: ledger.record(  # noqa: E731
        CASE, statement, occurred_on=TODAY, actor=Actor(person_id=person, role=role)
    )
    # Someone a procedure calls on at set points records only those points' acts: an
    # observer's relationship to the case does not reach an employee's comment.
    at_set_points = relation is Relationship.PROCEDURAL_ROLE_AT_SCHOOL
    if relation is not None and relation in DEFAULT_ACCESS[Operation.RECORD] and not at_set_points:
        with contextlib.suppress(ActRefused):
            attempt()
    else:
        with pytest.raises(AccessDenied, match="statement_recorded on employee E-7"):
            attempt()
        assert ledger.reader(HR).case(CASE).version == 4, "nothing of a refused write is stored"
        log = ledger.reader(Actor(person_id="dpo-1", role=Role.DPO), TODAY).access_log(TODAY, TODAY)
        assert (person, "record", False) in {
            (e.actor.person_id, e.entry.operation, e.entry.allowed) for e in log
        }
    ledger.close()


def test_a_disposal_certificate_needs_the_right_to_dispose(tmp_path: Path) -> None:
    """HR may record in the case but not dispose of it: only the DPO and administrators sign
    a RecordsDisposed certificate or run the retention plan and purge."""
    from pmledger.events.governance_acts import DisposalCount, RecordsDisposed
    from pmledger.ledger.retention_jobs import plan, purge
    from pmledger.retention import load_default

    ledger = record_case(open_ledger(str(tmp_path / "d.sqlite")))
    certificate = RecordsDisposed(
        as_of=TODAY, disposals=(DisposalCount(category="appraisal", rule="r", records=1),)
    )
    with pytest.raises(AccessDenied, match="dispose needs"):
        ledger.record(CASE, certificate, occurred_on=TODAY, actor=HR)
    with pytest.raises(AccessDenied, match="not theirs to dispose of"):
        list(plan(ledger, load_default(), TODAY, HR))
    with pytest.raises(AccessDenied, match="not theirs to dispose of"):
        purge(ledger, load_default(), TODAY, HR)
    assert ledger.reader(HR).case(CASE).version == 4
    dpo = Actor(person_id="dpo-1", role=Role.DPO)
    assert {i.employee_ref for i in plan(ledger, load_default(), TODAY, dpo)} == {"E-7"}
    ledger.close()


def test_reads_and_refusals_are_in_the_signed_access_log(ledger: Ledger) -> None:
    ledger.reader(Actor(person_id="rev-1", role=Role.REVIEWER), TODAY).records(CASE)
    with pytest.raises(AccessDenied):
        ledger.reader(Actor(person_id="ht-elm", role=Role.HEADTEACHER), TODAY).records(CASE)
    with pytest.raises(AccessDenied, match="data protection officer"):
        ledger.reader(Actor(person_id="hr-1", role=Role.HR), TODAY).access_log(TODAY, TODAY)
    log = list(
        ledger.reader(Actor(person_id="dpo-1", role=Role.DPO), TODAY).access_log(TODAY, TODAY)
    )
    seen = {(e.actor.person_id, e.entry.operation, e.entry.allowed) for e in log}
    assert ("rev-1", "read_case", True) in seen
    assert ("ht-elm", "read_case", False) in seen
    assert ("hr-1", "read_access_log", False) in seen
    assert ledger.verify().ok
    assert ledger.reader(HR).case(CASE).version == 4, "reading never changes the case"


def test_a_claimed_role_the_person_was_never_given_grants_nothing(ledger: Ledger) -> None:
    with pytest.raises(AccessDenied, match="no relationship"):
        ledger.reader(Actor(person_id="emp-8", role=Role.HR), TODAY).records(CASE)
    with pytest.raises(UnknownKey):
        ledger.reader(Actor(person_id="nobody", role=Role.HR), TODAY).records(CASE)


def test_people_see_only_the_cases_they_are_related_to(ledger: Ledger) -> None:
    def refs(person: str, role: Role) -> list[str]:
        return [
            c.employee_ref for c in ledger.reader(Actor(person_id=person, role=role), TODAY).cases()
        ]

    assert refs("rev-1", Role.REVIEWER) == ["E-7"]
    assert refs("ht-elm", Role.HEADTEACHER) == []
    assert refs("emp-8", Role.EMPLOYEE) == []


TRUST_WIDE = {Relationship.HR, Relationship.DPO, Relationship.ADMINISTRATOR, Relationship.GOVERNOR}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(role=st.sampled_from(list(Role)), school=st.sampled_from(["elm-academy", "birch-school"]))
def test_no_one_unrelated_reads_any_content(ledger: Ledger, role: Role, school: str) -> None:
    """A person of another school, in any role, has no case-bound relationship; whatever they
    may still do comes only from a trust-wide role the policy names for that query."""
    stranger = f"stranger-{role.value}-{school}"
    if stranger not in {k.person_id for k in ledger.keyring().keys.values()}:
        ledger.register_person(
            stranger, (role,), by=Actor(person_id="admin-1", role=Role.HR), schools=(school,)
        )
    actor = Actor(person_id=stranger, role=role)
    related = relationships(
        actor, ledger.reader(HR).case(CASE).file, frozenset({role}), frozenset({school})
    )
    assert related <= TRUST_WIDE
    reader = ledger.reader(actor, TODAY)
    for operation, query in OPERATIONS.items():
        if related & DEFAULT_ACCESS[operation]:
            query(reader)
        else:
            with pytest.raises(AccessDenied):
                query(reader)


def test_governors_see_only_counts_with_small_numbers_suppressed(tmp_path: object) -> None:
    from pmledger.projections.anonymised import THRESHOLD

    ledger = open_ledger(str(tmp_path) + "/g.sqlite")
    ledger.bootstrap("admin-1", (Role.ADMINISTRATOR, Role.HR))
    admin = Actor(person_id="admin-1", role=Role.HR)
    ledger.register_person("gov-1", (Role.GOVERNOR,), by=admin, schools=(SCHOOL,))
    for n in range(7):
        who = EmployeeRef(organisation="trust", employee_ref=f"T-{n}")
        ledger.record(
            who,
            CaseOpened(
                organisation="trust",
                employee_ref=who.employee_ref,
                employee_person_id=f"t-{n}",
                school=SCHOOL,
                staff_group=StaffGroup.TEACHER,
                pack_id="hampshire-pm",
            ),
            occurred_on=date(2025, 9, 1),
            actor=admin,
        )
    governor = ledger.reader(Actor(person_id="gov-1", role=Role.GOVERNOR), TODAY)
    cells = governor.anonymised_counts()
    stage = [c for c in cells if c.dimension == "stage"]
    assert [(c.value, c.count) for c in stage] == [("normal_cycle", 7)]
    with pytest.raises(AccessDenied):
        governor.records(EmployeeRef(organisation="trust", employee_ref="T-1"))
    from pmledger.policies.ladder import Ladder
    from pmledger.projections.anonymised import anonymised_counts

    files = [
        ledger.reader(admin).case(EmployeeRef(organisation="trust", employee_ref=f"T-{n}")).file
        for n in range(7)
    ]
    files[0].stage = Ladder.FORMAL_STAGE_1
    shown = {(c.value, c.count) for c in anonymised_counts(files) if c.dimension == "stage"}
    assert shown == {("formal_stage_1", None), ("normal_cycle", None)}, (
        f"a single case under {THRESHOLD} would be revealed by subtraction"
    )


def test_004_10_5_the_chair_of_governors_may_record_at_their_own_school(tmp_path: Path) -> None:
    """The Chair of Governors arranges an appeal hearing (004 §10.5), before anyone has named
    them in the case, so RECORD must reach them at their school; a chair of another school's
    governors is refused like anyone unrelated."""
    ledger = record_case(open_ledger(str(tmp_path / "c.sqlite")))
    admin = Actor(person_id="admin-1", role=Role.HR)
    ledger.register_person("cog-oak", (Role.CHAIR_OF_GOVERNORS,), by=admin, schools=(SCHOOL,))
    ledger.register_person("cog-elm", (Role.CHAIR_OF_GOVERNORS,), by=admin, schools=("elm",))
    note = AppealHearingArranged(
        appeal_id="a-1", hearing_on=date(2025, 11, 20), chair_person_id="gov-9"
    )
    with contextlib.suppress(ActRefused):
        ledger.record(
            CASE,
            note,
            occurred_on=TODAY,
            actor=Actor(person_id="cog-oak", role=Role.CHAIR_OF_GOVERNORS),
        )
    with pytest.raises(AccessDenied):
        ledger.record(
            CASE,
            note,
            occurred_on=TODAY,
            actor=Actor(person_id="cog-elm", role=Role.CHAIR_OF_GOVERNORS),
        )
    ledger.close()
