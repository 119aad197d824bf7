"""The retention plan and the purge job a data protection officer schedules.

The purge reconciles rather than replays: for every category that is due and not held it makes
sure a signed RecordsDisposed certificate is in the case, and then that every key a certificate
names is destroyed. The certificate comes first, so at no instant is a key destroyed without
its certificate; a purge stopped between the two left a signed intent the next run completes
(`verify` reports it as an interrupted purge, not as tampering). Both steps are idempotent, so
a purge killed at any point, rerun, or run twice at once ends in the same state as one clean
run; a certificate that lost a race to another purge is simply found already there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.commands import EmployeeRef
from pmledger.errors import ConcurrencyConflict, PmLedgerError, StorageError
from pmledger.events.actors import Actor
from pmledger.events.governance_acts import DisposalCount, RecordsDisposed
from pmledger.ledger.facade import Ledger
from pmledger.ledger.reader import CaseReader
from pmledger.ledger.store import UNREADABLE_DATABASE
from pmledger.policies.registry import pack_for
from pmledger.projections.disposal import (
    DisposalItem,
    DisposalStatus,
    certified_disposals,
    disposal_items,
    rule_words,
)
from pmledger.projections.people import people_named
from pmledger.retention.schedule import RecordCategory, RetentionSchedule

Progress = Callable[[int], None]


def plan(
    ledger: Ledger, schedule: RetentionSchedule, as_of: date, actor: Actor
) -> Iterator[DisposalItem]:
    """Every category of every case `actor` may dispose of, with its disposal status on
    `as_of`, one case at a time."""
    reader = ledger.reader(actor, as_of)
    for case in reader.disposable("plan"):
        yield from _items(reader, case, schedule, as_of)


@dataclass
class PurgeReport:
    as_of: date
    dry_run: bool
    cases: int = 0
    disposed: list[DisposalItem] = field(default_factory=list)
    held: list[DisposalItem] = field(default_factory=list)
    keys_destroyed: int = 0
    certificates: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    people_disposed: list[str] = field(default_factory=list)
    """Person ids whose directory entries were shredded (or, in a dry run, are due)."""
    people_held: list[str] = field(default_factory=list)
    """Person ids whose entries are due but named in a case under a legal hold in force."""

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "cases": self.cases,
            "categories_disposed": len(self.disposed),
            "keys_destroyed": self.keys_destroyed,
            "certificates": self.certificates,
            "held": [
                {"employee": i.employee_ref, "category": i.category.value, "holds": i.held_by}
                for i in self.held
            ],
            "disposed": [
                {
                    "employee": i.employee_ref,
                    "category": i.category.value,
                    "records": i.records,
                    "rule": i.rule,
                }
                for i in self.disposed
            ],
            "failures": [{"employee": e, "error": m} for e, m in self.failures],
            "directory_entries_disposed": self.people_disposed,
            "directory_entries_held": self.people_held,
        }


def purge(
    ledger: Ledger,
    schedule: RetentionSchedule,
    as_of: date,
    actor: Actor,
    *,
    dry_run: bool = False,
    on_progress: Progress | None = None,
) -> PurgeReport:
    report = PurgeReport(as_of=as_of, dry_run=dry_run)
    reader = ledger.reader(actor, as_of)
    held_people: set[str] = set()
    for case in reader.disposable("purge"):
        report.cases += 1
        if any(
            placed.on <= as_of and (released is None or released.on > as_of)
            for placed, released in case.file.holds.values()
        ):
            held_people |= people_named((r.actor, r.act) for r in case.file.history)
            held_people.add(case.opened.employee_person_id)
        try:
            _purge_case(ledger, reader, case, schedule, as_of, report)
        except PmLedgerError as exc:
            report.failures.append((case.opened.employee_ref, str(exc)))
        if on_progress is not None:
            on_progress(report.cases)
    _purge_directory(ledger, reader, schedule, as_of, report, held_people)
    return report


def _purge_directory(
    ledger: Ledger,
    reader: CaseReader,
    schedule: RetentionSchedule,
    as_of: date,
    report: PurgeReport,
    held_people: set[str],
) -> None:
    """Directory entries are kept per person, not per case: one is due when the directory
    rule's period since the day the person left has run, unless a case naming them is under a
    legal hold in force; an entry whose person has not left is kept."""
    rule = schedule.rule(RecordCategory.DIRECTORY)
    words = rule_words(rule)
    for person_id, left_on, disposed in reader.directory_entries():
        if left_on is None or rule.due_date(left_on) > as_of:
            continue
        if person_id in held_people:
            report.people_held.append(person_id)
            continue
        if report.dry_run:
            if not disposed:
                report.people_disposed.append(person_id)
            continue
        try:
            if ledger.dispose_person(person_id, as_of, words, by=reader.actor):
                report.people_disposed.append(person_id)
        except PmLedgerError as exc:
            report.failures.append((f"directory entry of {person_id}", str(exc)))


def _purge_case(
    ledger: Ledger,
    reader: CaseReader,
    case: EmployeeCase,
    schedule: RetentionSchedule,
    as_of: date,
    report: PurgeReport,
) -> None:
    employee = EmployeeRef(
        organisation=case.opened.organisation, employee_ref=case.opened.employee_ref
    )
    for attempt in range(3):
        if attempt:
            case = reader.reload(case)
        items = _items(reader, case, schedule, as_of)
        if attempt == 0:
            report.held.extend(i for i in items if i.status is DisposalStatus.HELD)
        if any(i.status is DisposalStatus.HELD for i in items):
            return
        due = [i for i in items if i.status is DisposalStatus.DUE]
        if report.dry_run:
            report.disposed.extend(due)
            return
        uncertified = [i for i in due if not i.certified]
        if uncertified:
            # The certificate is signed and stored before any key goes: whatever stops the
            # purge after this (a crash, a full disk, a lost connection), the ledger holds the
            # signed intent, and the next run destroys what it names.
            certificate = RecordsDisposed(
                as_of=as_of,
                disposals=tuple(
                    DisposalCount(category=i.category.value, rule=i.rule, records=i.records)
                    for i in uncertified
                ),
            )
            try:
                ledger.record(
                    employee,
                    certificate,
                    occurred_on=as_of,
                    actor=reader.actor,
                    expected_version=case.version,
                )
            except ConcurrencyConflict:
                continue
            report.certificates += 1
            report.disposed.extend(uncertified)
            case = reader.reload(case)
        for category, (day, rule) in certified_disposals(case.file).items():
            if reader.disposed_on(case, category) is None and _destroy(
                reader, case, category, day, rule
            ):
                report.keys_destroyed += 1
        return
    raise ConcurrencyConflict(f"{employee} kept changing while it was being purged; rerun")


def _destroy(reader: CaseReader, case: EmployeeCase, category: str, day: date, rule: str) -> bool:
    """Destroy a certified key; a database that fails meanwhile is a typed StorageError (the
    certificate is already signed, so a rerun finishes the job)."""
    try:
        return reader.destroy_key(case.id, category, day, rule)
    except UNREADABLE_DATABASE as exc:
        raise StorageError(
            f"destroying the {category} key of {case.opened.employee_ref} failed "
            f"({type(exc).__name__}: {exc}); its certificate is signed: rerun the purge"
        ) from None


def _items(
    reader: CaseReader, case: EmployeeCase, schedule: RetentionSchedule, as_of: date
) -> list[DisposalItem]:
    return disposal_items(
        case,
        schedule,
        pack_for(case.pack).warning_months,
        as_of,
        lambda category: reader.disposed_on(case, category),
    )
