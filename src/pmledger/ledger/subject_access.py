"""What the ledger holds about one person, gathered for their subject access request.

Read by the DPO through a `CaseReader` (`CaseReader.subject_access`), which checks the right
case by case and logs it; the export (`pmledger.export.subject_access`) redacts third parties
from what is gathered here and writes it out. Nothing here is redacted yet: this is the
controller's view, never shown as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from pmledger.commands import EmployeeRef
from pmledger.events.signed_event import AccessEvent, CaseEvent
from pmledger.projections.people import People, PersonDetails


@dataclass(frozen=True)
class HeldCase:
    """One case of the requester: every record opened, and its documents by digest."""

    employee: EmployeeRef
    school: str
    pack_id: str
    records: list[CaseEvent]
    document: Callable[[str], Iterator[bytes]]
    """The case's documents by digest, chunk by chunk (DocumentUnavailable once disposed)."""


@dataclass(frozen=True)
class DirectoryDisposal:
    """The signed certificate of the requester's directory entry's disposal."""

    as_of: date
    rule: str


@dataclass(frozen=True)
class SubjectAccessHeld:
    person_id: str
    details: PersonDetails
    """The requester's own directory entry (or what stands in its place once disposed)."""
    cases: list[HeldCase]
    access_entries: list[AccessEvent]
    """Access-log entries about the requester's cases, and those the requester made."""
    directory_disposal: DirectoryDisposal | None
    others: People = field(repr=False)
    """Everyone else in the directory: whose names and details the export must keep out."""
