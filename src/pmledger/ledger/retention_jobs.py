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
from uuid import UUID

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.errors import BatchRejected, ConcurrencyConflict, PmLedgerError, StorageError
from pmledger.events.actors import Actor
from pmledger.events.governance_acts import DisposalCount, RecordsDisposed
from pmledger.ledger.archive import StoredCase
from pmledger.ledger.facade import Ledger
from pmledger.ledger.reader import CaseReader
from pmledger.ledger.store import UNREADABLE_DATABASE
from pmledger.policies.registry import pack_for
from pmledger.projections.disposal import (
    DisposalItem,
    DisposalStatus,
    disposal_items,
    holds_in_force,
    rule_words,
)
from pmledger.projections.disposal_facts import DisposalFacts, facts_of
from pmledger.projections.people import people_named
from pmledger.retention.schedule import RecordCategory, RetentionSchedule

Progress = Callable[[int], None]


def plan(
    ledger: Ledger, schedule: RetentionSchedule, as_of: date, actor: Actor
) -> Iterator[DisposalItem]:
    """Every category of every case `actor` may dispose of, with its disposal status on
    `as_of`, a page of cases at a time."""
    reader = ledger.reader(actor, as_of)
    for page in reader.disposable("plan"):
        destroyed = reader.disposed_keys([stored.id for stored in page])
        for stored in page:
            yield from _items(stored.facts, schedule, as_of, destroyed)


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
    worked_out: dict[UUID, list[DisposalItem]] = {}
    """Each case's items as `folded` worked them out (no key destroyed), for `_purge_page`."""

    def folded(facts: DisposalFacts) -> bool:
        """Whether the purge needs the case folded through its procedure: to name the
        people of a case under a hold, or to judge the certificate it will sign (a category
        due that no certificate disposes of; a destroyed key changes no such status)."""
        items = worked_out[facts.case_id] = _items(facts, schedule, as_of, {})
        return bool(holds_in_force(facts.file, as_of)) or any(
            i.status is DisposalStatus.DUE and not i.certified for i in items
        )

    for page in reader.disposable("purge", folded=folded):
        for stored in page:
            if holds_in_force(stored.facts.file, as_of):
                case = stored.case()
                held_people |= people_named((r.actor, r.act) for r in case.file.history)
                held_people.add(case.opened.employee_person_id)
        _purge_page(ledger, reader, page, schedule, as_of, report, worked_out)
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


def _purge_page(
    ledger: Ledger,
    reader: CaseReader,
    page: list[StoredCase],
    schedule: RetentionSchedule,
    as_of: date,
    report: PurgeReport,
    worked_out: dict[UUID, list[DisposalItem]],
) -> None:
    """Purge a page of cases: every certificate the page needs in one transaction, then
    every key they name in another (two commits a page, not two a case). A batch that is
    refused, or that lost a race, is retried a case at a time (`_purge_case`), so one case's
    failure is that case's alone. `worked_out`: the cases' items with no key destroyed,
    taken as they are for a case none of whose keys is (a first purge's every case)."""
    destroyed = reader.disposed_keys([stored.id for stored in page])
    purged: list[tuple[StoredCase, list[DisposalItem], RecordAct | None]] = []
    """Each case to purge, its due categories no certificate disposes of yet, and the
    certificate that will."""
    for stored in page:
        report.cases += 1
        try:
            items = worked_out.pop(stored.id)
            if any((stored.id, i.category.value) in destroyed for i in items):
                items = _items(stored.facts, schedule, as_of, destroyed)
        except PmLedgerError as exc:
            report.failures.append((stored.facts.opened.employee_ref, str(exc)))
            continue
        report.held.extend(i for i in items if i.status is DisposalStatus.HELD)
        if any(i.status is DisposalStatus.HELD for i in items):
            continue
        due = [i for i in items if i.status is DisposalStatus.DUE]
        if report.dry_run:
            report.disposed.extend(due)
            continue
        uncertified = [i for i in due if not i.certified]
        certificate = _certificate(stored.facts, uncertified, as_of, reader.actor)
        purged.append((stored, uncertified, certificate))
    commands = [command for _, _, command in purged if command is not None]
    try:
        if commands:
            # The write path judges each certificate on its case folded through the
            # procedure: folded here, from the events the page read, for these cases only.
            loaded = [stored.case() for stored, _, command in purged if command]
            ledger._record_batch(commands, loaded=loaded)
    except PmLedgerError:
        for stored, _, _ in purged:
            try:
                _purge_case(ledger, reader, stored.case(), schedule, as_of, report)
            except PmLedgerError as exc:
                report.failures.append((stored.facts.opened.employee_ref, str(exc)))
        return
    report.certificates += len(commands)
    for _, uncertified, _ in purged:
        report.disposed.extend(uncertified)
    _destroy_certified(
        reader,
        [(stored.facts, _certified(stored.facts, command)) for stored, _, command in purged],
        destroyed,
        report,
    )


def _purge_case(
    ledger: Ledger,
    reader: CaseReader,
    case: EmployeeCase,
    schedule: RetentionSchedule,
    as_of: date,
    report: PurgeReport,
) -> None:
    """One case's purge, retried on a concurrent change: what a refused page falls back to."""
    employee = EmployeeRef(
        organisation=case.opened.organisation, employee_ref=case.opened.employee_ref
    )
    for _ in range(3):
        case = reader.reload(case)
        facts = facts_of(case)
        destroyed = reader.disposed_keys([case.id])
        items = _items(facts, schedule, as_of, destroyed)
        if any(i.status is DisposalStatus.HELD for i in items):
            report.held.extend(i for i in items if i.status is DisposalStatus.HELD)
            return
        uncertified = [i for i in items if i.status is DisposalStatus.DUE and not i.certified]
        certificate = _certificate(facts, uncertified, as_of, reader.actor)
        if certificate is not None:
            # The certificate is signed and stored before any key goes: whatever stops the
            # purge after this (a crash, a full disk, a lost connection), the ledger holds the
            # signed intent, and the next run destroys what it names.
            try:
                ledger._record_batch([certificate], loaded=[case])
            except BatchRejected as rejected:
                if isinstance(rejected.cause, ConcurrencyConflict):
                    continue
                raise rejected.cause from None
            report.certificates += 1
            report.disposed.extend(uncertified)
        _destroy_certified(reader, [(facts, _certified(facts, certificate))], destroyed, report)
        return
    raise ConcurrencyConflict(f"{employee} kept changing while it was being purged; rerun")


def _certificate(
    case: DisposalFacts, uncertified: list[DisposalItem], as_of: date, actor: Actor
) -> RecordAct | None:
    """The signed certificate disposing of `uncertified`, on the case as it was read (None
    when every due category already has one)."""
    if not uncertified:
        return None
    return RecordAct(
        employee=EmployeeRef(
            organisation=case.opened.organisation, employee_ref=case.opened.employee_ref
        ),
        act=RecordsDisposed(
            as_of=as_of,
            disposals=tuple(
                DisposalCount(category=i.category.value, rule=i.rule, records=i.records)
                for i in uncertified
            ),
        ),
        occurred_on=as_of,
        actor=actor,
        expected_version=case.version,
    )


def _certified(case: DisposalFacts, recorded: RecordAct | None) -> dict[str, tuple[date, str]]:
    """Category → (day, rule) the case's certificates dispose of, with the one just
    `recorded` (stored at the version read, so nothing came between) counted as stored."""
    certified = dict(case.certified)
    if recorded is not None:
        assert isinstance(recorded.act, RecordsDisposed)
        for count in recorded.act.disposals:
            certified.setdefault(count.category, (recorded.act.as_of, count.rule))
    return certified


def _destroy_certified(
    reader: CaseReader,
    cases: list[tuple[DisposalFacts, dict[str, tuple[date, str]]]],
    destroyed: dict[tuple[UUID, str], date],
    report: PurgeReport,
) -> None:
    """Destroy every certified key not yet destroyed, in one transaction; a database that
    fails meanwhile is a typed StorageError for each case (the certificates are already
    signed, so a rerun finishes the job)."""
    disposals = [
        (case.case_id, category, day, rule)
        for case, certified in cases
        for category, (day, rule) in certified.items()
        if (case.case_id, category) not in destroyed
    ]
    if not disposals:
        return
    try:
        report.keys_destroyed += len(reader.destroy_keys(disposals))
    except UNREADABLE_DATABASE as exc:
        for case, _ in cases:
            report.failures.append(
                (
                    case.opened.employee_ref,
                    str(
                        StorageError(
                            f"destroying the keys of {case.opened.employee_ref} failed "
                            f"({type(exc).__name__}: {exc}); its certificate is signed: "
                            "rerun the purge"
                        )
                    ),
                )
            )


def _items(
    facts: DisposalFacts,
    schedule: RetentionSchedule,
    as_of: date,
    destroyed: dict[tuple[UUID, str], date],
) -> list[DisposalItem]:
    return disposal_items(
        facts,
        schedule,
        pack_for(facts.pack).warning_months,
        as_of,
        lambda category: destroyed.get((facts.case_id, category)),
    )
