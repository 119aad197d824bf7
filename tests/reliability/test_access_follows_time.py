"""Access follows time: a role or school counts only through a key valid at the moment of the
read or act, and a relationship to a case ends when the case's events end it.

Every attack here goes through the front door (`Ledger`, access control on) on a real SQLite
file and on PostgreSQL, as the person whose access should have ended.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import open_ledger
from tests.reliability.harness import backend_name, tally

from pmledger.commands import EmployeeRef
from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, CycleOpened, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.export.exporter import export_case
from pmledger.ledger.facade import Ledger

CASE = EmployeeRef(organisation="trust", employee_ref="E-7")
HR = Actor(person_id="hr-1", role=Role.HR)
HEAD = Actor(person_id="ht-1", role=Role.HEADTEACHER)
REVIEWER = Actor(person_id="rev-1", role=Role.REVIEWER)
EMPLOYEE = Actor(person_id="emp-7", role=Role.EMPLOYEE)
DAY = date(2025, 11, 3)


def _case(ledger: Ledger) -> None:
    """A teacher's case at oakfield: opened by HR, a cycle with rev-1 reviewing, a statement."""
    ledger.bootstrap("hr-1", (Role.HR, Role.ADMINISTRATOR))
    ledger.register_person("ht-1", (Role.HEADTEACHER,), by=HR, schools=("oakfield",))
    ledger.register_person("rev-1", (Role.REVIEWER,), by=HR, schools=("oakfield",))
    ledger.register_person("emp-7", (Role.EMPLOYEE,), by=HR, schools=("oakfield",))
    ledger.record(
        CASE,
        CaseOpened(
            organisation="trust",
            employee_ref="E-7",
            employee_person_id="emp-7",
            school="oakfield",
            staff_group=StaffGroup.TEACHER,
            pack_id="hampshire-pm",
        ),
        occurred_on=date(2025, 9, 1),
        actor=HR,
    )
    ledger.record(
        CASE,
        CycleOpened(
            cycle_id="2025-26",
            starts_on=date(2025, 9, 1),
            ends_on=date(2026, 8, 31),
            reviewer_person_id="rev-1",
        ),
        occurred_on=date(2025, 9, 1),
        actor=HEAD,
    )
    ledger.record(
        CASE,
        StatementRecorded(statement_kind=StatementKind.EMPLOYEE, text="Private words."),
        occurred_on=date(2025, 10, 1),
        actor=EMPLOYEE,
    )


def _refused_everything(ledger: Ledger, actor: Actor, out: Path) -> int:
    """Every way in, as `actor`: each must be refused. Returns how many were tried."""
    attempts = [
        lambda: ledger.status(CASE, DAY, actor=actor),
        lambda: ledger.case_events(CASE, actor=actor),
        lambda: ledger.reader(actor, DAY).statements(CASE),
        lambda: export_case(ledger.reader(actor, DAY), CASE, out, DAY),
        lambda: ledger.record(
            CASE,
            MeetingHeld(meeting_id="m9", chair_person_id=actor.person_id, minutes="Notes."),
            occurred_on=DAY,
            actor=actor,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied):
            attempt()
    assert ledger.list_cases(actor=actor) == []
    assert not (out / "bundle.pdf").exists()
    return len(attempts) + 1


def test_a_revoked_school_key_grants_nothing_at_that_school(backend: str, tmp_path: Path) -> None:
    """A Headteacher moved from oakfield to elm: the oakfield key revoked, a new key for elm.
    Today the keyring counts every school any of their keys ever had, so they still read,
    record on and export oakfield's cases."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        ledger.status(CASE, DAY, actor=HEAD)  # allowed while the oakfield key is valid
        old = ledger.keyring().signing_key_for("ht-1", ledger.now())
        assert old is not None
        ledger.revoke_key(old.key_id, reason="moved to elm academy", by=HR)
        ledger.register_person("ht-1", (Role.HEADTEACHER,), by=HR, schools=("elm-academy",))
        tried = _refused_everything(ledger, HEAD, tmp_path / "bundle")
    tally("access-revoked-key", backend_name(backend), attempts=tried)


def test_a_revoked_role_grants_nothing(backend: str, tmp_path: Path) -> None:
    """HR staff who become a Headteacher elsewhere: the HR key revoked, a Headteacher key
    at elm. Acting as HR must fail, though a key once carried the role."""
    with open_ledger(backend) as ledger:
        _case(ledger)
        ledger.register_person("hr-2", (Role.HR,), by=HR)
        hr2 = Actor(person_id="hr-2", role=Role.HR)
        ledger.status(CASE, DAY, actor=hr2)
        old = ledger.keyring().signing_key_for("hr-2", ledger.now())
        assert old is not None
        ledger.revoke_key(old.key_id, reason="left HR", by=HR)
        ledger.register_person("hr-2", (Role.HEADTEACHER,), by=HR, schools=("elm-academy",))
        tried = _refused_everything(ledger, hr2, tmp_path / "bundle")
    tally("access-revoked-key", backend_name(backend), attempts=tried)
