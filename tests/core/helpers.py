"""Small builders shared by the core tests: a steady clock, a cast and a case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pmledger.commands import EmployeeRef
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.integrity.keystore import KeyStore, MemoryKeyStore
from pmledger.ledger.facade import Ledger


@dataclass
class SteppingClock:
    """Recorded times advance one minute per call from a fixed, explicit instant."""

    now: datetime = field(default_factory=lambda: datetime(2025, 9, 1, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


HR = Actor(person_id="hr-1", role=Role.HR)
ADMIN = Actor(person_id="hr-1", role=Role.ADMINISTRATOR)
"""The same person as HR acting as administrator: the role that runs retention jobs."""
HEAD = Actor(person_id="ht-1", role=Role.HEADTEACHER, authority_level=1)
EMPLOYEE = Actor(person_id="emp-1", role=Role.EMPLOYEE)
ALICE = EmployeeRef(organisation="trust", employee_ref="E-001")


def open_ledger(
    target: str, keystore: KeyStore | None = None, clock: SteppingClock | None = None
) -> Ledger:
    return Ledger.open(
        target,
        keystore=keystore or MemoryKeyStore(),
        clock=clock or SteppingClock(),
        create=True,
    )


def enrol(ledger: Ledger) -> None:
    ledger.bootstrap("hr-1", (Role.HR, Role.ADMINISTRATOR))
    ledger.register_person(
        "ht-1", (Role.HEADTEACHER,), by=HR, schools=("oakfield",), authority_level=1
    )
    ledger.register_person("emp-1", (Role.EMPLOYEE,), by=HR)


def opened(employee: EmployeeRef = ALICE, person: str = "emp-1") -> CaseOpened:
    return CaseOpened(
        organisation=employee.organisation,
        employee_ref=employee.employee_ref,
        employee_person_id=person,
        school="oakfield",
        staff_group=StaffGroup.TEACHER,
        pack_id="star-developing-performance",
    )


def invite(n: int = 1) -> MeetingInvited:
    return MeetingInvited(
        meeting_id=f"m-{n}", purpose=MeetingPurpose.FIRST_FORMAL, scheduled_for=date(2025, 10, 9)
    )


def held(n: int = 1) -> MeetingHeld:
    return MeetingHeld(meeting_id=f"m-{n}", chair_person_id="ht-1", minutes="Discussed targets.")


def seeded(target: str, keystore: KeyStore | None = None) -> Ledger:
    """A ledger with three keys and one case of four events (v1 opened … v4 acknowledged)."""
    ledger = open_ledger(target, keystore)
    enrol(ledger)
    ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
    ledger.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD)
    minutes = ledger.record(ALICE, held(), occurred_on=date(2025, 10, 9), actor=HEAD)
    ledger.record(
        ALICE,
        RecordAcknowledged(record_version=minutes.version, record_digest=minutes.digest),
        occurred_on=date(2025, 10, 10),
        actor=EMPLOYEE,
    )
    return ledger
