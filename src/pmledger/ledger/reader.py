"""A person reading the ledger: every query checked against the case's procedure and logged.

Back-office code reads cases through `Ledger.reader(actor)`, never around it: the reader opens
personal content only where the pack's access table allows, logs the read (or the refusal)
in the signed access log, and lists only the cases the person is related to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.commands import EmployeeRef
from pmledger.errors import AccessDenied, InvalidInput, UnknownEmployee
from pmledger.events.actors import Actor, Role
from pmledger.events.signed_event import AccessEntry, AccessEvent, CaseEvent
from pmledger.ledger import access_log
from pmledger.ledger.facade import CaseSummary, Ledger
from pmledger.policies.access import Decision, Operation, decide, relationships
from pmledger.policies.registry import pack_for
from pmledger.projections.anonymised import CountCell, anonymised_counts
from pmledger.projections.case_status import CaseStatus

AGGREGATE_ROLES = frozenset(
    {Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.HEADTEACHER, Role.HR, Role.DPO}
)
ORGANISATION_WIDE_ROLES = frozenset({Role.HR, Role.DPO, Role.ADMINISTRATOR})
"""Roles related to every case whatever it holds: only they may learn whether a case exists."""


@dataclass(frozen=True)
class Disclosure:
    """How much of one case's content an exporter may see, decided once for the whole bundle.

    An export is a way of reading, never a wider right: each record is opened only as far as
    the exporter may read it (the whole case, or statements only for moderation), and every
    other record's personal content is redacted with the reason the policy gives.
    """

    whole_case: Decision
    statements: Decision

    def withheld(self, event: CaseEvent) -> str | None:
        """Why this record's personal content is withheld from the exporter, or None."""
        if self.whole_case.allowed:
            return None
        if event.kind == "statement_recorded" and self.statements.allowed:
            return None
        return self.whole_case.reason


class CaseReader:
    def __init__(self, ledger: Ledger, actor: Actor, today: date) -> None:
        """`today` dates the access-log entries (the business date of the reads)."""
        self.ledger = ledger
        self.actor = actor
        self.today = today

    def decision(self, case: EmployeeCase, operation: Operation) -> Decision:
        roles, schools = self.ledger.keyring().person(self.actor.person_id)
        related = relationships(self.actor, case.file, roles, schools)
        return decide(pack_for(case.pack).access, related, operation, self.actor)

    def _sees_every_case(self) -> bool:
        roles, _ = self.ledger.keyring().person(self.actor.person_id)
        return self.actor.role in roles and self.actor.role in ORGANISATION_WIDE_ROLES

    def _no_relationship(self, employee: object, operation: Operation) -> AccessDenied:
        """The refusal someone unrelated gets, worded exactly as for a case that exists, so a
        refusal never tells them whether the employee has a case at all."""
        decision = decide({}, frozenset(), operation, self.actor)
        self._log(None, operation, decision)
        return AccessDenied(f"{operation.value} of {employee} refused: {decision.reason}")

    def find_employee(
        self, employee_ref: str, organisation: str | None, operation: Operation
    ) -> EmployeeRef:
        """Resolve a staff reference as this person. Only HR, the DPO and administrators learn
        that a reference is unknown or which organisations use it; anyone else is resolved
        among the cases they may act on, and refused alike whether or not others exist."""
        if organisation is not None:
            return EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        if self._sees_every_case():
            return self.ledger.find_employee(employee_ref)
        candidates = (
            EmployeeRef(organisation=c.organisation, employee_ref=employee_ref)
            for c in self.ledger.list_cases()
            if c.employee_ref == employee_ref
        )
        mine = [e for e in candidates if self.decision(self.ledger.case(e), operation).allowed]
        if not mine:
            raise self._no_relationship(f"employee {employee_ref}", operation)
        if len(mine) > 1:
            orgs = ", ".join(sorted(e.organisation for e in mine))
            raise InvalidInput(f"{employee_ref!r} names your cases in {orgs}; name one with --org")
        return mine[0]

    def _check(self, employee: EmployeeRef, operation: Operation) -> EmployeeCase:
        try:
            case = self.ledger.case(employee)
        except UnknownEmployee:
            if self._sees_every_case():
                raise
            raise self._no_relationship(employee, operation) from None
        decision = self.decision(case, operation)
        self._log(case, operation, decision)
        if not decision.allowed:
            raise AccessDenied(f"{operation.value} of {employee} refused: {decision.reason}")
        return case

    def _log(self, case: EmployeeCase | None, operation: Operation, decision: Decision) -> None:
        now = self.ledger.now()
        signer = self._signer()
        key = self.ledger.signing_key(signer, now)
        entry = AccessEntry(
            case_id=case.id if case else None,
            operation=operation.value,
            allowed=decision.allowed,
            reason=decision.reason[:2000],
            on=self.today,
        )
        access_log.append(self.ledger.store, signer, key.key_id, entry, now)

    def _signer(self) -> Actor:
        """Who signs the entry: the actor, or — when they claim a role they were never given —
        the same person in a role they hold, so the attempt is still on record."""
        roles, _ = self.ledger.keyring().person(self.actor.person_id)
        if self.actor.role in roles or not roles:
            return self.actor
        held = sorted(roles, key=lambda r: r.value)[0]
        return self.actor.model_copy(update={"role": held, "authority_level": None})

    def status(self, employee: EmployeeRef, as_of: date) -> CaseStatus:
        self._check(employee, Operation.READ_STATUS)
        return self.ledger.status(employee, as_of)

    def records(self, employee: EmployeeRef) -> list[CaseEvent]:
        """Every record with its personal content opened: needs the right to read the case."""
        self._check(employee, Operation.READ_CASE)
        return [self.ledger.readable(event) for event in self.ledger.case_events(employee)]

    def statements(self, employee: EmployeeRef) -> list[CaseEvent]:
        """Statements only, opened, for moderation."""
        self._check(employee, Operation.READ_STATEMENTS)
        return [
            self.ledger.readable(event)
            for event in self.ledger.case_events(employee)
            if event.kind == "statement_recorded"
        ]

    def disclosure(self, employee: EmployeeRef) -> Disclosure:
        """The right to export the case (logged; refused with AccessDenied), and how much of
        its content the bundle may show this person."""
        case = self._check(employee, Operation.EXPORT)
        return Disclosure(
            whole_case=self.decision(case, Operation.READ_CASE),
            statements=self.decision(case, Operation.READ_STATEMENTS),
        )

    def cases(self) -> list[CaseSummary]:
        """The cases this person may see the status of (listing itself is logged once)."""
        visible = []
        for summary in self.ledger.list_cases():
            employee = EmployeeRef(
                organisation=summary.organisation, employee_ref=summary.employee_ref
            )
            if self.decision(self.ledger.case(employee), Operation.READ_STATUS).allowed:
                visible.append(summary)
        self._log(None, Operation.READ_STATUS, Decision(True, f"listed {len(visible)} cases"))
        return visible

    def require_every_case(self, report: str) -> None:
        """Counts across cases are shown only to someone who may see the status of every case
        counted: a count over cases they may not see would reveal those cases (one warning at
        a school of one capability case names it). Anyone else is refused, and pointed at the
        anonymised counts, which suppress small numbers."""
        cases = list(self.ledger.list_cases())
        hidden = len(cases) - len(self.cases())
        decision = Decision(
            hidden == 0,
            f"{self.actor.person_id} as {self.actor.role.value} "
            + ("may see every case counted" if hidden == 0 else f"may not see {hidden} of them"),
        )
        self._log(None, Operation.READ_AGGREGATES, decision)
        if not decision.allowed:
            raise AccessDenied(
                f"{report} counts every case, and {decision.reason}; "
                "use `pmledger report governors` for anonymised counts"
            )

    def anonymised_counts(self) -> list[CountCell]:
        """Counts by procedure, stage and latest outcome, small numbers suppressed (governors)."""
        roles, _ = self.ledger.keyring().person(self.actor.person_id)
        allowed = self.actor.role in roles and self.actor.role in AGGREGATE_ROLES
        decision = Decision(allowed, f"{self.actor.person_id} as {self.actor.role.value}")
        self._log(None, Operation.READ_AGGREGATES, decision)
        if not allowed:
            raise AccessDenied("anonymised counts are for governors, Headteachers, HR and the DPO")
        return anonymised_counts(
            self.ledger.case(
                EmployeeRef(organisation=summary.organisation, employee_ref=summary.employee_ref)
            ).file
            for summary in self.ledger.list_cases()
        )

    def access_log(self, since: date, until: date) -> Iterator[AccessEvent]:
        """The access log, for the data protection officer only."""
        roles, _ = self.ledger.keyring().person(self.actor.person_id)
        allowed = self.actor.role.value == "dpo" and self.actor.role in roles
        decision = Decision(allowed, f"{self.actor.person_id} as {self.actor.role.value}")
        self._log(None, Operation.READ_ACCESS_LOG, decision)
        if not allowed:
            raise AccessDenied("only the data protection officer may read the access log")
        return access_log.entries(self.ledger.store, since, until)
