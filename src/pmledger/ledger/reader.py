"""A person reading the ledger: every query checked against the case's procedure and logged.

Back-office code reads cases through `Ledger.reader(actor, today)`, the Ledger's one query
surface (its store and raw rows are private): the reader opens personal content only where the
pack's access table allows, logs the read (or the refusal) in the signed access log, and lists
only the cases the person is related to. Disposal (the retention plan and purge) is read the
same way, as the person who runs it, and so is an export, whose stored rows come from the
logged `disclosure`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import verify_case
from pmledger.commands import EmployeeRef
from pmledger.errors import AccessDenied, PmLedgerError, UnknownEmployee
from pmledger.events.actors import Actor, Role
from pmledger.events.signed_event import AccessEntry, AccessEvent, CaseEvent
from pmledger.ids import KEYRING_ID
from pmledger.ledger import access_log
from pmledger.ledger.archive import CaseArchive, CaseSummary, StoredCase
from pmledger.ledger.directory import DirectoryArchive
from pmledger.ledger.subject_access import DirectoryDisposal, HeldCase, SubjectAccessHeld
from pmledger.policies.access import (
    DECIDED_BY_OPENING,
    Decision,
    Operation,
    decide,
    decide_for,
)
from pmledger.policies.registry import pack_for
from pmledger.projections.anonymised import CountCell, anonymised_counts
from pmledger.projections.case_status import CaseStatus
from pmledger.projections.disposal_facts import DisposalFacts
from pmledger.projections.people import NO_PEOPLE, People, PersonDetails, people_named
from pmledger.storage.views import CaseViews

if TYPE_CHECKING:
    from pmledger.ledger.facade import Ledger

AGGREGATE_ROLES = frozenset(
    {Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.HEADTEACHER, Role.HR, Role.DPO}
)
ORGANISATION_WIDE_ROLES = frozenset({Role.HR, Role.DPO, Role.ADMINISTRATOR})
"""Roles related to every case whatever it holds: only they may learn whether a case exists."""

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Disclosure:
    """How much of one case's content an exporter may see, decided once for the whole bundle.

    An export is a way of reading, never a wider right: each record is opened only as far as
    the exporter may read it (the whole case, or statements only for moderation), and every
    other record's personal content is redacted with the reason the policy gives.
    """

    whole_case: Decision
    statements: Decision
    opener: Callable[[CaseEvent], CaseEvent]
    people: People = NO_PEOPLE
    """Names and job titles of the people the case names, if the exporter may read the case
    (else every person shows as their id)."""
    document: Callable[[str], Iterator[bytes]] | None = None
    """The case's documents by digest, chunk by chunk (None: the exporter may read none);
    the export reads only those of records it does not withhold."""
    rows: tuple[StoredRow, ...] = ()
    """The case's and the keyring's events exactly as stored, with their log positions (a
    bundle proves each by its position in the Merkle tree), in log order."""
    state_at: Callable[[str, int], bytes | None] = lambda aggregate_id, version: None
    """The stored state of a version of the case (None for any other aggregate): what the
    verifier looks up when an acknowledgement names a record it has passed."""

    def withheld(self, event: CaseEvent) -> str | None:
        """Why this record's personal content is withheld from the exporter, or None."""
        if self.whole_case.allowed:
            return None
        if event.kind == "statement_recorded" and self.statements.allowed:
            return None
        return self.whole_case.reason

    def opened(self, event: CaseEvent) -> CaseEvent:
        """The record with its personal content opened, if it is not withheld."""
        reason = self.withheld(event)
        if reason is not None:
            raise AccessDenied(f"record {event.originator_version} is withheld: {reason}")
        return self.opener(event)


def _none(facts: DisposalFacts) -> bool:
    """No case folded through its procedure as it is read (the plan's walk)."""
    return False


class CaseReader:
    def __init__(
        self,
        ledger: Ledger,
        archive: CaseArchive,
        views: Callable[[], CaseViews],
        actor: Actor,
        today: date,
        directory: DirectoryArchive,
    ) -> None:
        """`today` dates the access-log entries (the business date of the reads)."""
        self._ledger = ledger
        self.actor = actor
        self.today = today
        self._archive = archive
        self._views = views
        self._directory = directory
        self._disposable: set[UUID] = set()
        """Cases `disposable` found this person may dispose of, in this reader's run."""

    @property
    def ledger(self) -> Ledger:
        """The ledger read: its own methods guard themselves, so handing it on grants nothing."""
        return self._ledger

    def _roles_and_schools(self) -> tuple[frozenset[Role], frozenset[str]]:
        """The roles and schools the person's keys carry at this moment (the ledger's clock):
        read afresh for every decision, so a key revoked while a reader is held counts for
        nothing from then on."""
        return self._ledger.keyring().person(self.actor.person_id, self._ledger.now())

    def _holds_role(self, roles: frozenset[Role]) -> bool:
        held, _ = self._roles_and_schools()
        return self.actor.role in held and self.actor.role in roles

    def _decision(
        self,
        case: EmployeeCase,
        operation: Operation,
        person: tuple[frozenset[Role], frozenset[str]] | None = None,
    ) -> Decision:
        """`person`: the roles and schools held now, when the caller already read them (a
        walk over every case reads them once)."""
        access = pack_for(case.pack).access
        held = person if person is not None else self._roles_and_schools()
        return decide_for(access, self.actor, case.file, held, operation)

    def _sees_every_case(self) -> bool:
        return self._holds_role(ORGANISATION_WIDE_ROLES)

    def _no_case(self, employee: object, operation: Operation) -> PmLedgerError:
        """The error for a case that does not exist: UnknownEmployee for those who may learn
        that (HR, the DPO, administrators), for anyone else the refusal an existing case
        would give them, logged like it."""
        if self._sees_every_case():
            hint = "; open it with a case_opened act first" if operation is Operation.RECORD else ""
            return UnknownEmployee(f"no case is open for {employee}{hint}")
        return self._no_relationship(employee, operation)

    def _no_relationship(self, employee: object, operation: Operation) -> AccessDenied:
        """The refusal someone unrelated gets, worded exactly as for a case that exists, so a
        refusal never tells them whether the employee has a case at all; logged."""
        decision = decide({}, frozenset(), operation, self.actor)
        self._log(None, operation, decision)
        return AccessDenied(f"{operation.value} of {employee} refused: {decision.reason}")

    def find_employee(
        self, employee_ref: str, organisation: str | None, operation: Operation
    ) -> EmployeeRef:
        """Resolve a staff reference as this person. Only HR, the DPO and administrators learn
        that a reference is unknown or which organisations use it; anyone else is resolved
        among the cases they may act on, and refused alike whether or not others exist. A
        resolution says that a case exists, so it is logged as a read, as a refusal is."""
        if organisation is not None:  # nothing looked up: the reference as given
            return EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        if self._sees_every_case():
            found = self._archive.find_employee(employee_ref)
            if found is None:
                raise UnknownEmployee(f"no case for employee reference {employee_ref!r}")
        else:
            held = self._roles_and_schools()
            found = self._archive.find_employee(
                employee_ref,
                lambda c: self._decision(self._archive.case(c.employee), operation, held).allowed,
            )
            if found is None:
                raise self._no_relationship(f"employee {employee_ref}", operation)
        case = self._archive.load(found.case_id)
        self._log(case, operation, Decision(True, f"resolved employee {employee_ref}"))
        return found

    def _check(self, employee: EmployeeRef, operation: Operation) -> EmployeeCase:
        case = self._archive.load(employee.case_id)
        if case is None:
            raise self._no_case(employee, operation)
        decision = self._decision(case, operation)
        self._log(case, operation, decision)
        if not decision.allowed:
            raise AccessDenied(f"{operation.value} of {employee} refused: {decision.reason}")
        return case

    def _log(self, case: EmployeeCase | None, operation: Operation, decision: Decision) -> None:
        """Put the decision on the access log. A claim of authority above the level the
        person's key registers refuses what would otherwise be allowed: that refusal is
        logged in its place and raised as AuthorityNotRegistered."""
        now = self._ledger.now()
        over_claim = self._ledger._over_claim(self.actor, now)
        signer = self._signer(over_claim is not None)
        if not decision.allowed:
            over_claim = None  # refused already, for the reason the decision gives
        elif over_claim is not None:
            decision = Decision(False, str(over_claim))
        key = self._ledger.signing_key(signer, now)
        entry = AccessEntry(
            case_id=case.id if case else None,
            operation=operation.value,
            allowed=decision.allowed,
            reason=decision.reason[:2000],
            on=self.today,
        )
        access_log.append(self._ledger._store, signer, key.key_id, entry, now)
        if over_claim is not None:
            raise over_claim

    def _signer(self, over_claim: bool) -> Actor:
        """Who signs the entry: the actor, or — when they claim a role they were never given,
        or authority above their registered level — the same person in a role they hold and
        without the claim, so the attempt is still on record, signed by their own key."""
        roles, _ = self._roles_and_schools()
        actor = self.actor
        if over_claim:
            actor = actor.model_copy(update={"authority_level": None})
        if actor.role in roles or not roles:
            return actor
        held = sorted(roles, key=lambda r: r.value)[0]
        return actor.model_copy(update={"role": held, "authority_level": None})

    def _refused(self, case: EmployeeCase | None, operation: Operation, decision: Decision) -> None:
        """Put a refused command on the access log: refusals are logged whatever they were
        (`case` None: a command outside any case, e.g. on the directory)."""
        self._log(case, operation, decision)

    # one case ---------------------------------------------------------------------------

    def case(self, employee: EmployeeRef, version: int | None = None) -> EmployeeCase:
        """The case aggregate (personal content sealed in it): needs the right to read it."""
        case = self._check(employee, Operation.READ_CASE)
        return case if version is None else self._archive.case(employee, version)

    def status(self, employee: EmployeeRef, as_of: date) -> CaseStatus:
        self._check(employee, Operation.READ_STATUS)
        return self._archive.status(employee, as_of)

    def verified_status(self, employee: EmployeeRef, as_of: date) -> tuple[CaseStatus, str | None]:
        """The status, and why the case's chain and signatures (with the keyring's) do not
        verify, if they do not: one checked and logged read, so a host can refuse to show a
        case that was tampered with without reading raw rows itself."""
        status = self.status(employee, as_of)
        recorder = self._ledger._store.recorder

        def rows(aggregate_id: UUID) -> list[StoredRow]:
            return [
                StoredRow(0, str(e.originator_id), e.originator_version, e.topic, e.state)
                for e in recorder.select_events(aggregate_id)
            ]

        failure = verify_case(rows(KEYRING_ID), rows(employee.case_id)).failure
        if failure is None:
            return status, None
        return status, f"{failure.subject} version {failure.version}: {failure.reason}"

    def records(self, employee: EmployeeRef) -> list[CaseEvent]:
        """Every record with its personal content opened: needs the right to read the case."""
        self._check(employee, Operation.READ_CASE)
        return [self._archive.opened(event) for event in self._archive.events(employee)]

    def document(self, employee: EmployeeRef, sha256: str) -> Iterator[bytes]:
        """A document the case's records name, chunk by chunk: needs the right to read the
        case, as the records do (DocumentUnavailable once its category was disposed)."""
        self._check(employee, Operation.READ_CASE)
        return self._ledger._documents.read(str(employee.case_id), sha256)

    def statements(self, employee: EmployeeRef) -> list[CaseEvent]:
        """Statements only, opened, for moderation."""
        self._check(employee, Operation.READ_STATEMENTS)
        return [
            self._archive.opened(event)
            for event in self._archive.events(employee)
            if event.kind == "statement_recorded"
        ]

    def disclosure(self, employee: EmployeeRef) -> Disclosure:
        """The right to export the case (logged; refused with AccessDenied), how much of its
        content the bundle may show this person, and the case's stored rows with their log
        positions: the export reads the ledger through this one logged call."""
        case = self._check(employee, Operation.EXPORT)
        whole_case = self._decision(case, Operation.READ_CASE)
        store = self._ledger._store
        case_id = str(case.id)

        def state_at(aggregate_id: str, version: int) -> bytes | None:
            return store.state_at(aggregate_id, version) if aggregate_id == case_id else None

        wanted = {case_id, str(KEYRING_ID)}
        return Disclosure(
            whole_case=whole_case,
            statements=self._decision(case, Operation.READ_STATEMENTS),
            opener=self._archive.opened,
            people=self._people_of(case) if whole_case.allowed else NO_PEOPLE,
            document=partial(self._ledger._documents.read, case_id),
            rows=tuple(row for row in store.rows() if row.aggregate_id in wanted),
            state_at=state_at,
        )

    def subject_access(self, person_id: str) -> SubjectAccessHeld:
        """Everything held about `person_id` (UK GDPR Art. 15): their cases' records and
        documents opened, every access-log entry about them, their directory
        entry. The DPO alone (`Operation.SUBJECT_ACCESS`), checked on each case and logged;
        refused as a whole if any of the person's cases refuses it, so an answer is never
        silently partial."""
        if not self._holds_role(frozenset({Role.DPO})):
            decision = Decision(
                False,
                f"{self.actor.person_id} as {self.actor.role.value} may not answer a subject "
                "access request (the data protection officer)",
            )
            self._log(None, Operation.SUBJECT_ACCESS, decision)
            raise AccessDenied(decision.reason)
        held = self._roles_and_schools()
        cases: list[HeldCase] = []
        for summary in self._archive.summaries():
            case = self._archive.case(summary.employee)
            if case.opened.employee_person_id != person_id:
                continue
            decision = self._decision(case, Operation.SUBJECT_ACCESS, held)
            self._log(case, Operation.SUBJECT_ACCESS, decision)
            if not decision.allowed:
                raise AccessDenied(
                    f"subject access to {summary.employee} refused: {decision.reason}"
                )
            records = [self._archive.opened(e) for e in self._archive.events(summary.employee)]
            reader = partial(self._ledger._documents.read, str(summary.case_id))
            cases.append(
                HeldCase(summary.employee, summary.school, summary.pack_id, records, reader)
            )
        entry = self._directory.load(person_id)
        if not cases and entry is None:
            self._log(None, Operation.SUBJECT_ACCESS, Decision(True, f"nothing on {person_id}"))
            raise UnknownEmployee(f"the ledger holds no case and no directory entry of {person_id}")
        self._log(None, Operation.SUBJECT_ACCESS, Decision(True, f"directory of {person_id}"))
        case_ids = {c.employee.case_id for c in cases}
        entries = [
            e
            for e in access_log.entries(self._ledger._store, date.min, date.max)
            if e.entry.case_id in case_ids or e.actor.person_id == person_id
        ]
        disposal = None
        if entry is not None and entry.disposed is not None:
            disposal = DirectoryDisposal(entry.disposed.as_of, entry.disposed.rule)
        others = [pid for pid in self._directory.person_ids() if pid != person_id]
        return SubjectAccessHeld(
            person_id=person_id,
            details=self._directory.details(person_id),
            cases=cases,
            access_entries=entries,
            directory_disposal=disposal,
            others=self._directory.people(others),
        )

    # people -----------------------------------------------------------------------------

    def people(self, employee: EmployeeRef) -> People:
        """Names, job titles and addresses of everyone the case names (its employee, everyone
        who signed a record, every chair, monitor, attendee…): needs the right to read the
        case, as the records naming them do."""
        return self._people_of(self._check(employee, Operation.READ_CASE))

    def _people_of(self, case: EmployeeCase) -> People:
        named = people_named((r.actor, r.act) for r in case.file.history)
        named.add(case.opened.employee_person_id)
        return self._directory.people(named)

    def person(self, person_id: str) -> PersonDetails:
        """One directory entry, outside any case: for HR, administrators and the DPO, and for
        the person themselves (logged; anyone else is refused)."""
        allowed = self._holds_role(ORGANISATION_WIDE_ROLES) or (self.actor.person_id == person_id)
        decision = Decision(
            allowed,
            f"{self.actor.person_id} as {self.actor.role.value} "
            + ("reads" if allowed else "may not read")
            + f" the directory entry of {person_id}",
        )
        self._log(None, Operation.READ_DIRECTORY, decision)
        if not allowed:
            raise AccessDenied(
                f"{decision.reason}: directory entries outside a case are for HR, "
                "administrators, the DPO and the person themselves"
            )
        return self._directory.details(person_id)

    def directory_entries(self) -> Iterator[tuple[str, date | None, bool]]:
        """(person id, day they left, already disposed) of every entry, for the retention
        purge: only someone who may dispose of records (the DPO, an administrator)."""
        allowed = self._holds_role(frozenset({Role.DPO, Role.ADMINISTRATOR}))
        decision = Decision(
            allowed, f"directory retention by {self.actor.person_id} as {self.actor.role.value}"
        )
        self._log(None, Operation.DISPOSE, decision)
        if not allowed:
            raise AccessDenied(f"{decision.reason}: only the DPO or an administrator")
        for person_id in self._directory.person_ids():
            entry = self._directory.load(person_id)
            assert entry is not None
            yield person_id, entry.left_on, entry.disposed is not None

    # many cases -------------------------------------------------------------------------

    def _judged(self, operation: Operation) -> Iterator[tuple[CaseSummary, EmployeeCase, bool]]:
        """Every case, one at a time, with whether this person may do `operation` on it."""
        held = self._roles_and_schools()
        for summary in self._archive.summaries():
            case = self._archive.case(summary.employee)
            yield summary, case, self._decision(case, operation, held).allowed

    def cases(self) -> list[CaseSummary]:
        """The cases this person may see the status of (listing itself is logged once)."""
        visible = [summary for summary, _, ok in self._judged(Operation.READ_STATUS) if ok]
        self._log(None, Operation.READ_STATUS, Decision(True, f"listed {len(visible)} cases"))
        return visible

    def statuses(self, as_of: date) -> Iterator[CaseStatus]:
        """The status on `as_of` of every case this person may see, one case at a time."""
        for summary in self.cases():
            yield self.status(summary.employee, as_of)

    def require_every_case(self, report: str) -> None:
        """Counts across cases are shown only to someone who may be counted every case
        (`Operation.READ_COUNTS`: those who may see its status, and the DPO, who may count a
        support-staff case without reading it): a count over cases they may not see would reveal
        those cases (one warning at a school of one capability case names it). Anyone else is
        refused, and pointed at the anonymised counts, which suppress small numbers."""
        hidden = sum(1 for _, _, ok in self._judged(Operation.READ_COUNTS) if not ok)
        decision = Decision(
            hidden == 0,
            f"{self.actor.person_id} as {self.actor.role.value} "
            + ("may count every case" if hidden == 0 else f"may not count {hidden} of them"),
        )
        self._log(None, Operation.READ_AGGREGATES, decision)
        if not decision.allowed:
            raise AccessDenied(
                f"{report} counts every case, and {decision.reason}; "
                "use `pmledger report governors` for anonymised counts"
            )

    def anonymised_counts(self) -> list[CountCell]:
        """Counts by procedure, stage and latest outcome, small numbers suppressed (governors)."""
        allowed = self._holds_role(AGGREGATE_ROLES)
        decision = Decision(allowed, f"{self.actor.person_id} as {self.actor.role.value}")
        self._log(None, Operation.READ_AGGREGATES, decision)
        if not allowed:
            raise AccessDenied("anonymised counts are for governors, Headteachers, HR and the DPO")
        return anonymised_counts(
            self._archive.case(summary.employee).file for summary in self._archive.summaries()
        )

    def access_log(self, since: date, until: date) -> Iterator[AccessEvent]:
        """The access log, for the data protection officer only."""
        allowed = self._holds_role(frozenset({Role.DPO}))
        decision = Decision(allowed, f"{self.actor.person_id} as {self.actor.role.value}")
        self._log(None, Operation.READ_ACCESS_LOG, decision)
        if not allowed:
            raise AccessDenied("only the data protection officer may read the access log")
        return access_log.entries(self._ledger._store, since, until)

    # stored read models -----------------------------------------------------------------

    def _own_rows(self, rows: Rows) -> Rows:
        """The rows of the cases this person may see the status of. Only the cases the rows
        name are judged (logged as one listing, like `cases`): a report costs its rows,
        not a load of every case in the ledger (37 s for 1,000 cases before)."""
        held = self._roles_and_schools()
        visible: set[tuple[str, str]] = set()
        for named in {(row["organisation"], row["employee_ref"]) for row in rows}:
            employee = EmployeeRef(organisation=named[0], employee_ref=named[1])
            case = self._archive.load(employee.case_id)
            if case is not None and self._decision(case, Operation.READ_STATUS, held).allowed:
                visible.add(named)
        self._log(None, Operation.READ_STATUS, Decision(True, f"listed {len(visible)} cases"))
        return [row for row in rows if (row["organisation"], row["employee_ref"]) in visible]

    def live_warnings(self, as_of: date) -> Rows:
        """Warnings live on `as_of` in the cases this person may see."""
        return self._own_rows(self._views().live_warnings(as_of))

    def deadlines_due_by(self, horizon: date, as_of: date) -> Rows:
        """Open deadlines up to `horizon` in the cases this person may see."""
        return self._own_rows(self._views().deadlines_due_by(horizon, as_of))

    def awaiting_acknowledgement(self) -> Rows:
        return self._own_rows(self._views().awaiting_acknowledgement())

    def cases_by_stage(self, report: str = "cases by stage") -> Rows:
        self.require_every_case(report)
        return self._views().cases_by_stage()

    def findings_by_procedure(self, report: str = "findings by procedure") -> Rows:
        self.require_every_case(report)
        return self._views().findings_by_procedure()

    # disposal ---------------------------------------------------------------------------

    def disposable(
        self, purpose: str, page: int = 100, folded: Callable[[DisposalFacts], bool] = _none
    ) -> Iterator[list[StoredCase]]:
        """Every case this person may dispose of, for the retention plan or purge, `page`
        cases at a time (a page's keys are read, and destroyed, in one round trip); the run
        is logged once, and refused outright if they may dispose of none. The destroyed keys'
        leftovers are scrubbed after the caller is done with the last page. `folded`: which
        cases to fold through their procedure as they are read (`CaseArchive.every_case`)."""
        allowed = refused = 0
        cases: list[StoredCase] = []
        held = self._roles_and_schools()
        for stored in self._archive.every_case(folded=folded):
            if self._may_dispose_of(stored, held):
                allowed += 1
                self._disposable.add(stored.id)
                cases.append(stored)
                if len(cases) == page:
                    yield cases
                    cases = []
            else:
                refused += 1
        if cases:
            yield cases
        self._archive.scrub_keys()  # this run's destructions (or an interrupted run's)
        decision = Decision(
            allowed > 0 or refused == 0,
            f"retention {purpose} by {self.actor.person_id} as {self.actor.role.value}: "
            f"{allowed} cases, {refused} not theirs to dispose of",
        )
        self._log(None, Operation.DISPOSE, decision)
        if not decision.allowed:
            raise AccessDenied(decision.reason)

    def _may_dispose_of(
        self, stored: StoredCase, person: tuple[frozenset[Role], frozenset[str]]
    ) -> bool:
        """Whether this person may dispose of the case: decided on the dates pass's file
        where the decision reads only the case's opening (`DECIDED_BY_OPENING`), else on
        the case its procedure folds."""
        if self.actor.role in DECIDED_BY_OPENING:
            access, file = pack_for(stored.facts.pack).access, stored.facts.file
        else:
            case = stored.case()
            access, file = pack_for(case.pack).access, case.file
        return decide_for(access, self.actor, file, person, Operation.DISPOSE).allowed

    def _may_dispose(self, case_id: UUID) -> EmployeeCase | None:
        """Refuse (logged) unless this person may dispose of the case. A case this reader's
        retention run (`disposable`) already yielded was decided there, and that run is
        logged, so it is not decided again (None: not loaded), since a purge asks this for
        every category of every case; any other case is decided and logged here, allowed or
        refused, and returned as now stored."""
        if case_id in self._disposable:
            return None
        case = self._archive.load(case_id)
        if case is None:
            raise self._no_case(f"case {case_id}", Operation.DISPOSE)
        decision = self._decision(case, Operation.DISPOSE)
        self._log(case, Operation.DISPOSE, decision)
        if not decision.allowed:
            raise AccessDenied(f"dispose of case {case_id} refused: {decision.reason}")
        return case

    def reload(self, case: EmployeeCase) -> EmployeeCase:
        """The case as it is now stored (a purge rereads a case that changed under it), if
        this person may dispose of it."""
        found = self._may_dispose(case.id) or self._archive.load(case.id)
        assert found is not None, "cases are never deleted"
        return found

    def disposed_keys(self, case_ids: Sequence[UUID]) -> dict[tuple[UUID, str], date]:
        """When each destroyed data key of these cases was destroyed (a live key is absent),
        in one read, for someone who may dispose of every one of them."""
        for case_id in case_ids:
            self._may_dispose(case_id)
        return self._archive.destroyed_keys(case_ids)

    def destroy_keys(
        self, disposals: Sequence[tuple[UUID, str, date, str]]
    ) -> set[tuple[UUID, str]]:
        """Destroy (case id, category, day, rule) data keys of cases this person may dispose
        of, in one transaction (the signed certificates recorded first are what put the
        destructions on record); the (case id, category) this call destroyed."""
        named = dict.fromkeys(case_id for case_id, *_ in disposals)
        decided = [self._may_dispose(case_id) for case_id in named]  # a refusal raises
        destroyed = self._archive.destroy_keys(
            [(str(case_id), category, on, rule) for case_id, category, on, rule in disposals]
        )
        if destroyed and any(case is not None for case in decided):  # a run scrubs at its end
            self._archive.scrub_keys()
        return {(UUID(case_id), category) for case_id, category in destroyed}
