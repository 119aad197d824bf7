"""The pack scripts' acts recorded through the public `Ledger`, access control on.

`LedgerScript` has `Script`'s shape (`act(on, act, by=…, reason=…)` returning the findings), but
each act is signed and stored on a real ledger (a SQLite file or a PostgreSQL schema) by a person
whose key was registered with the role they act in, at the example school. So a step a pack test
takes in memory can be taken by the people the procedure names through the front door, and the
two cannot disagree about who may record what.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tests.core.helpers import SteppingClock
from tests.policies.script import HEAD, HR, SCHOOL, Registrations, example_term_dates

from pmledger.calendar import TermDates
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, StaffGroup
from pmledger.events.signed_event import Act
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger, Receipt
from pmledger.policies.case_file import CaseFile
from pmledger.policies.judgement import Finding

EMPLOYEE_REF = EmployeeRef(organisation="trust", employee_ref="E-1")
ADMIN = Actor(person_id="admin-1", role=Role.ADMINISTRATOR)
ENROLLER = Actor(person_id="admin-1", role=Role.HR)
"""The person who registers everybody's keys (HR and administrator), acting in no case."""


def open_example_ledger(
    target: str, term_dates: TermDates | None = None, packs: Sequence[Path] = ()
) -> Ledger:
    """A ledger on `target` with the example school's term dates (or `term_dates`, e.g. with
    published paperwork deadlines), its enroller's key, and a school's own `packs` files."""
    ledger = Ledger.open(
        target,
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=Calendars({SCHOOL: term_dates or example_term_dates()}),
        packs=packs,
    )
    ledger.bootstrap(ADMIN.person_id, (Role.ADMINISTRATOR, Role.HR))
    return ledger


@dataclass
class People:
    """Gives each person a key on the ledger as `Registrations` registers them (the role they
    act in, at the example school unless trust-wide), with the highest authority level they
    have acted at; a person seen in a further role or level gets a new key with all of them."""

    ledger: Ledger
    registrations: Registrations = field(default_factory=Registrations)
    levels: dict[str, int] = field(default_factory=dict)

    def ensure(self, actor: Actor) -> None:
        before = self.levels.get(actor.person_id, 0)
        level = max(before, actor.authority_level or 0)
        if not self.registrations.register(actor) and level == before:
            return
        self.levels[actor.person_id] = level
        roles, schools = self.registrations.held(actor.person_id)
        self.ledger.register_person(
            actor.person_id,
            tuple(sorted(roles)),
            by=ENROLLER,
            schools=tuple(schools),
            authority_level=2 if level >= 2 else (1 if level == 1 else None),
        )


@dataclass
class LedgerScript:
    """A case on a real ledger, opened by HR, driven act by act as the pack tests do."""

    ledger: Ledger
    pack_id: str
    opened_on: date = date(2025, 9, 1)
    staff_group: StaffGroup = StaffGroup.TEACHER
    opening: dict[str, Any] = field(default_factory=dict)
    employee: EmployeeRef = EMPLOYEE_REF
    findings: list[Finding] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    people: People | None = None
    """Who has a key on the ledger: shared by the scripts of several cases on one ledger."""
    before_each: Callable[[LedgerScript, RecordAct], None] | None = None
    """Called with each act before it is recorded (the generated tests probe it with check)."""

    def __post_init__(self) -> None:
        if self.people is None:
            self.people = People(self.ledger)
        self.act(
            self.opened_on,
            CaseOpened(
                organisation=self.employee.organisation,
                employee_ref=self.employee.employee_ref,
                employee_person_id="emp-1",
                school=SCHOOL,
                staff_group=self.staff_group,
                pack_id=self.pack_id,
                **self.opening,
            ),
            by=HR,
        )

    def act(
        self, on: date, act: Act, *, by: Actor = HEAD, reason: str | None = None
    ) -> list[Finding]:
        """Record one act as `by` (registered on first sight); returns its findings."""
        self.registered(by)
        if self.before_each is not None:
            self.before_each(
                self,
                RecordAct(
                    employee=self.employee,
                    act=act,
                    occurred_on=on,
                    actor=by,
                    deviation_reason=reason,
                ),
            )
        receipt = self.ledger.record(
            self.employee, act, occurred_on=on, actor=by, deviation_reason=reason
        )
        self.receipts.append(receipt)
        self.findings.extend(receipt.findings)
        return list(receipt.findings)

    def check(
        self, on: date, act: Act, *, by: Actor = HEAD, reason: str | None = None
    ) -> list[Finding]:
        """What recording the act would find (`Ledger.check`), without recording it; a
        refusal is raised, as `act` would raise it."""
        self.registered(by)
        verdict = self.ledger.check(
            RecordAct(
                employee=self.employee, act=act, occurred_on=on, actor=by, deviation_reason=reason
            )
        )
        if verdict.refusal is not None:
            raise verdict.refusal
        return list(verdict.findings)

    def registered(self, actor: Actor) -> None:
        """Give `actor` a key with their role, if they have none yet."""
        assert self.people is not None, "set in __post_init__"
        self.people.ensure(actor)

    @property
    def version(self) -> int:
        return self.receipts[-1].version

    @property
    def case(self) -> CaseFile:
        return self.ledger.reader(HR).case(self.employee).file

    def rule_ids(self, found: list[Finding]) -> list[str]:
        return [f.rule.id for f in found]
