"""A tiny script runner for example histories: record acts, remember receipts, countersign."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pmledger.commands import EmployeeRef
from pmledger.events.actors import Role
from pmledger.events.record_acts import RecordAcknowledged, RecordCopyProvided
from pmledger.events.signed_event import Act
from pmledger.examples.cast import BY_ID, ORGANISATION
from pmledger.ledger.facade import Ledger, Receipt


@dataclass
class Story:
    ledger: Ledger
    employee_ref: str
    employee_person_id: str
    organisation: str = ORGANISATION
    receipts: dict[str, Receipt] = field(default_factory=dict)

    @property
    def employee(self) -> EmployeeRef:
        return EmployeeRef(organisation=self.organisation, employee_ref=self.employee_ref)

    def act(
        self,
        on: date,
        who: str,
        act: Act,
        *,
        role: Role | None = None,
        label: str | None = None,
        deviation: str | None = None,
    ) -> Receipt:
        receipt = self.ledger.record(
            self.employee,
            act,
            occurred_on=on,
            actor=BY_ID[who].as_(role),
            deviation_reason=deviation,
        )
        if label:
            self.receipts[label] = receipt
        return receipt

    def version(self, label: str) -> int:
        return self.receipts[label].version

    def countersign(
        self,
        on: date,
        label: str,
        comment: str = "",
        *,
        disagrees: bool = False,
        deviation: str | None = None,
    ) -> Receipt:
        """The employee signs the digest of a labelled record."""
        record = self.receipts[label]
        return self.act(
            on,
            self.employee_person_id,
            RecordAcknowledged(
                record_version=record.version,
                record_digest=record.digest,
                disagrees=disagrees,
                comment=comment,
            ),
            deviation=deviation,
        )

    def copy(
        self,
        on: date,
        who: str,
        label: str,
        to: Literal["employee", "headteacher", "personal_file", "hr"] = "employee",
        *,
        role: Role | None = None,
    ) -> Receipt:
        """A copy of a labelled record given to the employee (or filed, or sent on)."""
        return self.act(
            on, who, RecordCopyProvided(record_version=self.version(label), to=to), role=role
        )
