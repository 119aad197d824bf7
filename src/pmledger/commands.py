"""Typed commands: what a back-office asks the ledger to record.

A command is validated in full (types, lengths, enums) before anything is looked up or signed,
so bad input is refused with field-level messages and nothing already stored changes.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pmledger.events.actors import Actor
from pmledger.events.signed_event import Act
from pmledger.events.values import FrozenModel, Identifier, Reason
from pmledger.ids import case_id


class EmployeeRef(FrozenModel):
    """An employee as the school's HR system knows them."""

    organisation: Identifier
    employee_ref: Identifier

    @property
    def case_id(self) -> UUID:
        return case_id(self.organisation, self.employee_ref)

    def __str__(self) -> str:
        return f"employee {self.employee_ref} of {self.organisation}"


class RecordAct(FrozenModel):
    """Record one act on one employee's case.

    `expected_version`, when given, makes the write conditional: it is refused with a
    ConcurrencyConflict unless the case is still at that version (what the user saw).
    """

    employee: EmployeeRef
    act: Act
    occurred_on: date
    actor: Actor
    deviation_reason: Reason | None = None
    expected_version: int | None = None
