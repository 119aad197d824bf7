"""What a case's disposal dates are worked out from, read without the procedure's fold.

A retention plan reads every case in the ledger, and folding each through its procedure (the
stage machine, every meeting's, plan's and pay recommendation's facts, the history the rules
read) was a third of the plan's time for facts no disposal date reads. The dates pass here
folds only what the dates read: each record's date and retention category, whether it holds
personal content, and the facts of the acts the triggers name (`TRIGGER_ACTS`), through the
same code as the fold (`CaseFile.apply_facts`, `record_category`, `check_link`,
`disposed_by`). `facts_of` takes the same facts from a case the fold has built, and
`tests/retention/test_dates_pass.py` holds the two to the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from pmledger.aggregates.employee_case import EmployeeCase, check_link, record_category
from pmledger.events.appeal_acts import (
    AppealAccepted,
    AppealDecided,
    AppealHeard,
    AppealHearingArranged,
    AppealLodged,
)
from pmledger.events.case_acts import CaseOpened, CycleOpened
from pmledger.events.governance_acts import (
    CaseClosed,
    EmploymentEnded,
    LegalHoldPlaced,
    LegalHoldReleased,
    RecordsDisposed,
)
from pmledger.events.meeting_acts import MeetingHeld, MeetingInvited
from pmledger.events.personal import recorded_has_personal
from pmledger.events.sanction_acts import WarningIssued, WarningReduced, WarningRescinded
from pmledger.events.signed_event import Act, CaseEvent, PackRef
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.procedure import new_file
from pmledger.retention.schedule import RecordCategory

TRIGGER_ACTS: frozenset[type[Act]] = frozenset(
    {
        MeetingInvited,  # a meeting's purpose: the category of its records
        MeetingHeld,
        CycleOpened,  # end_of_cycle
        WarningIssued,  # warning_expiry
        WarningRescinded,
        WarningReduced,
        AppealLodged,  # decision_date of an appeal's records
        AppealAccepted,
        AppealHearingArranged,
        AppealHeard,
        AppealDecided,
        LegalHoldPlaced,  # decision_date of a hold's records, and the holds in force
        LegalHoldReleased,
        EmploymentEnded,  # end_of_employment, and case_closure when the case never closed
        CaseClosed,  # case_closure
    }
)
"""The acts whose facts (`CaseFile.apply_facts`) the disposal dates and the records'
categories read; the dates pass folds these and no others."""


@dataclass(frozen=True, slots=True)
class KeptRecord:
    """A record with personal content: what its category's disposal date is counted from."""

    version: int
    category: RecordCategory
    occurred_on: date
    act: Act


@dataclass(frozen=True, slots=True)
class DisposalFacts:
    """A case as its disposal is decided: its identity, the facts the triggers read, its
    records with personal content (in version order) and what its certificates dispose of."""

    case_id: UUID
    version: int
    opened: CaseOpened
    pack: PackRef
    file: CaseFile
    """The facts of `TRIGGER_ACTS` (from the dates pass, only those: not a file any rule or
    access decision may judge by)."""
    records: tuple[KeptRecord, ...]
    certified: dict[str, tuple[date, str]]
    """Category → (day, rule) of the first signed certificate that disposes of it."""


def disposed_by(acts: Sequence[Act]) -> dict[str, tuple[date, str]]:
    """Category → (day, rule) of the first of these certificates that disposes of it. The
    certificate is signed before any key is destroyed, so it is also the purge's intent: a
    key it names that still lives is destroyed by the next purge, on its day under its rule."""
    certified: dict[str, tuple[date, str]] = {}
    for act in acts:
        if isinstance(act, RecordsDisposed):
            for count in act.disposals:
                certified.setdefault(count.category, (act.as_of, count.rule))
    return certified


def facts_of(case: EmployeeCase) -> DisposalFacts:
    """The disposal facts of a case the procedure's fold has built."""
    file = case.file
    return DisposalFacts(
        case_id=case.id,
        version=case.version,
        opened=file.opened,
        pack=case.pack,
        file=file,
        records=tuple(
            KeptRecord(r.mark.version, case.records[r.mark.version].category, r.mark.on, r.act)
            for r in file.history
            if recorded_has_personal(r.act, r.mark.reason)
        ),
        certified=disposed_by([r.act for r in file.recorded("records_disposed")]),
    )


def dates_pass(events: Sequence[CaseEvent]) -> DisposalFacts:
    """The disposal facts of the case these events (all of it, in version order) record,
    without the procedure's fold: the chain is checked link by link as the fold checks it,
    each record's category found before its own facts are folded, as the fold finds it."""
    first = events[0]
    file = new_file(first)
    categories: dict[int, RecordCategory] = {}
    records: list[KeptRecord] = []
    certificates: list[Act] = []
    head = None
    for event in events:
        if head is not None:
            check_link(head, event)
        head = event.digest
        act, version = event.act, event.originator_version
        category = categories[version] = record_category(file, categories, act)
        if type(act) in TRIGGER_ACTS:
            file.apply_facts(act, Mark(event.occurred_on, version, event.deviation_reason))
        elif isinstance(act, RecordsDisposed):
            certificates.append(act)
        if recorded_has_personal(act, event.deviation_reason):
            records.append(KeptRecord(version, category, event.occurred_on, act))
    return DisposalFacts(
        case_id=first.originator_id,
        version=events[-1].originator_version,
        opened=file.opened,
        pack=first.pack,
        file=file,
        records=tuple(records),
        certified=disposed_by(certificates),
    )
