"""A tiny script runner for example histories: record acts, remember receipts, countersign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pmledger.commands import EmployeeRef
from pmledger.events.actors import Role
from pmledger.events.meeting_acts import Delivery
from pmledger.events.record_acts import RecordAcknowledged, RecordCopyProvided
from pmledger.events.signed_event import Act
from pmledger.examples.cast import BY_ID, ORGANISATION
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger, Receipt
from pmledger.letters import RenderedLetter


@dataclass
class Story:
    ledger: Ledger
    employee_ref: str
    employee_person_id: str
    organisation: str = ORGANISATION
    receipts: dict[str, Receipt] = field(default_factory=dict)
    letters: list[RenderedLetter] = field(default_factory=list)
    """The letters generated and sent in the story, as PDF and DOCX (the ledger keeps each as
    sent; the demo also writes them out to show them)."""

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
        documents: Sequence[Attachment] = (),
    ) -> Receipt:
        receipt = self.ledger.record(
            self.employee,
            act,
            occurred_on=on,
            actor=BY_ID[who].as_(role),
            deviation_reason=deviation,
            documents=documents,
        )
        if label:
            self.receipts[label] = receipt
        return receipt

    def letter(
        self,
        on: date,
        who: str,
        template: str,
        *,
        delivery: Delivery = Delivery.EMAIL,
        role: Role | None = None,
        label: str | None = None,
        deviation: str | None = None,
        **inputs: Any,
    ) -> Receipt:
        """Generate a letter from the procedure's template, dated and sent on `on`, and record
        it as sent (an invitation records its meeting too); the receipt is the LetterSent's."""
        letters = self.ledger.letters(BY_ID[who].as_(role))
        rendered = letters.render(self.employee, template, on, **inputs)
        receipts = letters.record(rendered, delivery=delivery, deviation_reason=deviation)
        self.letters.append(rendered)
        if label:
            self.receipts[label] = receipts[-1]
        return receipts[-1]

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
