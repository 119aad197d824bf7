"""`Ledger`: the one object a host application holds.

Each command is: validate → load the case → check it → build the event → sign and store it
with an optimistic version check. Nothing is written unless every step succeeded, and a
concurrent writer's success surfaces as a typed ConcurrencyConflict, never a lost update.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, PersistenceError
from pydantic import ValidationError

from pmledger.aggregates.employee_case import (
    EmployeeCase,
    check_coherent,
    new_case_event,
    project_case,
)
from pmledger.aggregates.keyring import KeyRecord, Keyring, project_keyring
from pmledger.audit.verifier import Verifier, VerifyReport
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.crypto.content import Sealer
from pmledger.crypto.data_keys import DataKeys
from pmledger.errors import (
    ActRefused,
    BatchRejected,
    ConcurrencyConflict,
    InvalidInput,
    KeyStoreError,
    PmLedgerError,
    StorageError,
    UnknownEmployee,
    UnknownKey,
)
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened
from pmledger.events.keyring_acts import KeyRegistered, KeyRevoked
from pmledger.events.personal import rewrite_personal
from pmledger.events.signed_event import CaseEvent, KeyringEvent, PackRef
from pmledger.ids import KEYRING_ID
from pmledger.integrity.envelope import GENESIS
from pmledger.integrity.keystore import KeyStore
from pmledger.integrity.signing import key_id_of
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.checkpoints.tables import (
    MerkleTables,
    PostgresMerkleTables,
    SQLiteMerkleTables,
)
from pmledger.ledger.checkpoints.tree import grow, open_log
from pmledger.ledger.content.key_table import (
    NEW_DATA_KEYS,
    DataKeyTable,
    MemoryCaseRecorder,
    NewDataKeys,
    PostgresDataKeyTable,
    SQLiteDataKeyTable,
)
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore, retry_ddl
from pmledger.ledger.target import parse_target
from pmledger.ledger.views.tables import CaseViews, PostgresCaseViews, SQLiteCaseViews
from pmledger.ledger.views.updater import Progress, catch_up
from pmledger.policies.judgement import Finding
from pmledger.policies.procedure import judge_act
from pmledger.policies.registry import current_pack
from pmledger.projections.case_status import CaseStatus, case_status
from pmledger.retention.schedule import RecordCategory

if TYPE_CHECKING:
    from pmledger.ledger.reader import CaseReader

Clock = Callable[[], datetime]

logger = logging.getLogger(__name__)

CASE_OPENED_TOPIC = "pmledger.case/case_opened/v1"
SNAPSHOT_INTERVAL = 100
"""Every 100th event of a case leaves a snapshot, so loading a long case folds < 100 events."""


@dataclass(frozen=True)
class Receipt:
    """What the caller keeps: where the act landed, the digest the employee may countersign,
    and what the procedure found wrong with it (recorded all the same)."""

    case_id: UUID
    version: int
    digest: str
    recorded_at: datetime
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class CaseSummary:
    case_id: UUID
    organisation: str
    employee_ref: str
    school: str
    pack_id: str


class _NoSigner:
    def sign(self, key_id: str, message: bytes) -> bytes:
        raise KeyStoreError("this ledger was opened without a key store; it can only be read")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Ledger:
    def __init__(
        self,
        store: CaseStore,
        keystore: KeyStore | None,
        clock: Clock,
        calendars: Calendars,
        data_keys: DataKeys,
    ) -> None:
        self._store = store
        self._keystore = keystore
        self._clock = clock
        self.calendars = calendars
        self.data_keys = data_keys
        self.sealer = Sealer(data_keys)
        self._keyring: Keyring | None = None
        self._views: CaseViews | None = None
        self._merkle: MerkleTables | None = None

    @classmethod
    def open(
        cls,
        target: str | Path,
        *,
        keystore: KeyStore | None = None,
        clock: Clock = _utc_now,
        calendars: Calendars | None = None,
    ) -> Self:
        """Open (creating tables if needed) a ledger on a SQLite path or PostgreSQL DSN.

        `calendars` gives each school's term dates; without them school-day rules are
        reported as not computable rather than guessed.
        """
        parsed = parse_target(target)
        try:
            signer = keystore if keystore is not None else _NoSigner()
            store = retry_ddl(lambda: CaseStore(parsed, signer))
            data_keys = _data_keys(store)
        except (PersistenceError, OSError, sqlite3.Error) as exc:
            # sqlite3's own errors escape eventsourcing when a damaged file is first opened.
            raise StorageError(f"cannot open ledger at {parsed.display}: {exc}") from exc
        return cls(store, keystore, clock, calendars or Calendars(), data_keys)

    @property
    def store(self) -> CaseStore:
        return self._store

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # keys -------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The ledger's clock (recorded times): injectable, so tests never depend on today."""
        return self._clock()

    def reader(self, actor: Actor, today: date) -> CaseReader:
        """Read cases as a person: access checked per procedure and every read logged."""
        from pmledger.ledger.reader import CaseReader

        return CaseReader(self, actor, today)

    def keyring(self) -> Keyring:
        """The keyring, fast-forwarded from the last copy this object saw."""
        known = self._keyring.version if self._keyring else 0
        new = cast(Iterator[KeyringEvent], self._store.events.get(KEYRING_ID, gt=known or None))
        self._keyring = project_keyring(self._keyring, new) or Keyring(id=KEYRING_ID)
        return self._keyring

    def _keys(self) -> KeyStore:
        if self._keystore is None:
            raise KeyStoreError("this ledger was opened without a key store; it can only be read")
        return self._keystore

    def bootstrap(self, person_id: str, roles: tuple[Role, ...] = (Role.ADMINISTRATOR,)) -> str:
        """Register the first key, signed by itself: the ledger's root of trust."""
        keyring = self.keyring()
        if keyring.keys:
            raise ActRefused("the keyring already has keys; register new keys with an admin key")
        key_id, public = self._keys().generate()
        now = self._clock()
        actor = Actor(person_id=person_id, role=roles[0])
        registration = self._registration(key_id, public, person_id, roles, now)
        self._save_keyring(keyring, actor, key_id, registration, now)
        return key_id

    def register_person(
        self,
        person_id: str,
        roles: tuple[Role, ...],
        *,
        by: Actor,
        schools: tuple[str, ...] = (),
    ) -> str:
        """Generate a key for a person in this ledger's key store and register its public half.

        `schools` are where the person works (a Headteacher sees their own school's cases);
        leave it empty for trust-wide roles such as HR or the DPO.
        """
        key_id, public = self._keys().generate()
        return self.register_public_key(
            person_id, roles, public, by=by, key_id=key_id, schools=schools
        )

    def register_public_key(
        self,
        person_id: str,
        roles: tuple[Role, ...],
        public_key: bytes,
        *,
        by: Actor,
        key_id: str | None = None,
        schools: tuple[str, ...] = (),
    ) -> str:
        keyring = self.keyring()
        key_id = key_id or key_id_of(public_key)
        if key_id in keyring.keys:
            raise ActRefused(f"key {key_id} is already registered")
        now = self._clock()
        signer = self._key_manager(keyring, by, now)
        change = self._registration(key_id, public_key, person_id, roles, now, schools)
        self._save_keyring(keyring, by, signer.key_id, change, now)
        return key_id

    def rotate_key(self, person_id: str, *, by: Actor, reason: str = "scheduled rotation") -> str:
        """Give a person a new key and revoke the old one in one atomic write."""
        keyring = self.keyring()
        now = self._clock()
        old = keyring.signing_key_for(person_id, now)
        if old is None:
            raise UnknownKey(f"{person_id} has no valid key to rotate; register one instead")
        signer = self._key_manager(keyring, by, now)
        key_id, public = self._keys().generate()
        registered = self._registration(key_id, public, person_id, old.roles, now, old.schools)
        revoked = KeyRevoked(
            revoked_key_id=old.key_id, revoked_at=now, reason=reason, rotated_to=key_id
        )
        first = self._keyring_event(
            keyring.version + 1, keyring.head, by, signer.key_id, registered, now
        )
        second = self._keyring_event(
            keyring.version + 2, first.digest, by, signer.key_id, revoked, now
        )
        self._save(first, second)
        return key_id

    def revoke_key(
        self, key_id: str, *, reason: str, by: Actor, at: datetime | None = None
    ) -> None:
        keyring = self.keyring()
        if key_id not in keyring.keys:
            raise UnknownKey(f"key {key_id} is not registered in this ledger")
        now = self._clock()
        signer = self._key_manager(keyring, by, now)
        change = KeyRevoked(revoked_key_id=key_id, revoked_at=at or now, reason=reason)
        self._save_keyring(keyring, by, signer.key_id, change, now)

    def _registration(
        self,
        key_id: str,
        public: bytes,
        person_id: str,
        roles: tuple[Role, ...],
        now: datetime,
        schools: tuple[str, ...] = (),
    ) -> KeyRegistered:
        try:
            return KeyRegistered(
                registered_key_id=key_id,
                person_id=person_id,
                roles=roles,
                public_key=public.hex(),
                valid_from=now,
                schools=schools,
            )
        except ValidationError as exc:
            raise InvalidInput(_explain(exc, "key registration")) from None

    def _key_manager(self, keyring: Keyring, by: Actor, now: datetime) -> KeyRecord:
        key = self.signing_key(by, now, keyring)
        if not {Role.ADMINISTRATOR, Role.HR} & set(key.roles):
            raise ActRefused(f"{by.person_id} may not change the keyring (administrator or hr)")
        return key

    def _keyring_event(
        self,
        version: int,
        prev: str,
        actor: Actor,
        key_id: str,
        change: KeyRegistered | KeyRevoked,
        now: datetime,
    ) -> KeyringEvent:
        return KeyringEvent(
            originator_id=KEYRING_ID,
            originator_version=version,
            timestamp=now,
            prev=prev,
            key_id=key_id,
            actor=actor,
            change=change,
        )

    def _save_keyring(
        self,
        keyring: Keyring,
        actor: Actor,
        key_id: str,
        change: KeyRegistered | KeyRevoked,
        now: datetime,
    ) -> None:
        prev = keyring.head if keyring.version else GENESIS
        self._save(self._keyring_event(keyring.version + 1, prev, actor, key_id, change, now))

    def signing_key(
        self, actor: Actor, when: datetime, keyring: Keyring | None = None
    ) -> KeyRecord:
        """The actor's valid key, which must also be unlockable from this ledger's key store."""
        key = (keyring or self.keyring()).signing_key_for(actor.person_id, when)
        if key is None:
            raise UnknownKey(
                f"{actor.person_id} has no valid signing key at {when.isoformat()}; "
                "register one with Ledger.register_person before they act"
            )
        if actor.role not in key.roles:
            raise ActRefused(
                f"{actor.person_id}'s key is registered for {', '.join(key.roles)}, "
                f"not for acting as {actor.role}"
            )
        if not self._keys().has(key.key_id):
            raise UnknownKey(
                f"the private key {key.key_id} of {actor.person_id} is not in this key store"
            )
        return key

    # cases ------------------------------------------------------------------------------

    def execute(self, command: RecordAct | dict[str, Any]) -> Receipt:
        """Record one act. Accepts a RecordAct or its plain-dict form (as read from JSON)."""
        if not isinstance(command, RecordAct):
            try:
                command = RecordAct.model_validate(command)
            except ValidationError as exc:
                raise InvalidInput(_explain(exc, "command")) from None
        return self.record(
            command.employee,
            command.act,
            occurred_on=command.occurred_on,
            actor=command.actor,
            deviation_reason=command.deviation_reason,
            expected_version=command.expected_version,
        )

    def record(
        self,
        employee: EmployeeRef,
        act: Any,
        *,
        occurred_on: date,
        actor: Actor,
        deviation_reason: str | None = None,
        expected_version: int | None = None,
    ) -> Receipt:
        """Judge and record one act on an employee's case."""
        if not isinstance(employee, EmployeeRef) or not isinstance(actor, Actor):
            raise InvalidInput("employee must be an EmployeeRef and actor an Actor")
        try:
            command = RecordAct(
                employee=employee,
                act=act,
                occurred_on=occurred_on,
                actor=actor,
                deviation_reason=deviation_reason,
                expected_version=expected_version,
            )
        except ValidationError as exc:
            raise InvalidInput(_explain(exc, "act")) from None
        try:
            return self.record_batch([command])[0]
        except BatchRejected as rejected:
            raise rejected.cause from None

    def record_batch(self, commands: Sequence[RecordAct]) -> list[Receipt]:
        """Judge every act in order, then store them all in one transaction — or none.

        Each act is judged against the case as the earlier acts of the batch leave it, exactly
        as if they had been recorded one by one. The first act that fails stops the batch with
        BatchRejected naming its index; nothing of the batch is stored.
        """
        now = self._clock()
        keyring = self.keyring()
        working: dict[UUID, EmployeeCase | None] = {}
        prepared: list[tuple[CaseEvent, Receipt]] = []
        with self.sealer.new_keys() as new_keys:
            for index, command in enumerate(commands):
                try:
                    prepared.append(self._prepare(command, working, keyring, now))
                except PmLedgerError as exc:
                    raise BatchRejected(index, exc) from None
            if prepared:
                try:
                    self._save(
                        *(event for event, _ in prepared),
                        new_data_keys=[(c, cat, key) for (c, cat), key in new_keys.items()],
                    )
                except ConcurrencyConflict as exc:
                    raise BatchRejected(0, exc) from None
        for event, _ in prepared:
            if event.originator_version % SNAPSHOT_INTERVAL == 0:
                self._snapshot(event, now)
        return [receipt for _, receipt in prepared]

    def _snapshot(self, event: CaseEvent, now: datetime) -> None:
        """Snapshot the case at a stored event. A snapshot is only a cache and the acts are
        already committed, so a failure here (a concurrent writer's snapshot, a dropped
        connection) is logged, never reported to the caller as if the acts were not stored."""
        try:
            snapshot = self._load(event.originator_id, event.originator_version)
            assert snapshot is not None
            self._store.snapshot(snapshot, now)
        except Exception:
            logger.warning(
                "no snapshot of case %s at version %s (the acts are stored; loading folds more "
                "events until the next snapshot)",
                event.originator_id,
                event.originator_version,
                exc_info=True,
            )

    def _prepare(
        self,
        command: RecordAct,
        working: dict[UUID, EmployeeCase | None],
        keyring: Keyring,
        now: datetime,
    ) -> tuple[CaseEvent, Receipt]:
        employee = command.employee
        if employee.case_id not in working:
            working[employee.case_id] = self._load(employee.case_id)
        case = working[employee.case_id]
        expected = command.expected_version
        if expected is not None and (case.version if case else 0) != expected:
            raise ConcurrencyConflict(
                f"{employee} is at version {case.version if case else 0}, not "
                f"{expected}: reload the case and decide again"
            )
        check_coherent(case, command.act, command.actor, str(employee))
        key = self.signing_key(command.actor, now, keyring)
        category = case.category_of(command.act) if case else RecordCategory.APPRAISAL
        case_key = str(employee.case_id)
        act = rewrite_personal(command.act, lambda text: self.sealer.seal(case_key, category, text))
        opened = case.opened if case else cast(CaseOpened, command.act)
        current = current_pack(opened.pack_id)
        event = new_case_event(
            case,
            case_id=employee.case_id,
            act=act,
            occurred_on=command.occurred_on,
            actor=command.actor,
            key_id=key.key_id,
            pack=PackRef(id=current.id, version=current.version),
            deviation_reason=command.deviation_reason,
            recorded_at=now,
        )
        findings = judge_act(case.file if case else None, event, self.calendars.for_case(opened))
        working[employee.case_id] = project_case(case, [event])
        receipt = Receipt(
            employee.case_id, event.originator_version, event.digest, now, tuple(findings)
        )
        return event, receipt

    def _save(self, *events: CaseEvent | KeyringEvent, new_data_keys: NewDataKeys = ()) -> None:
        """Store events, and the data keys made to seal their content, in one transaction."""
        try:
            self._store.save(*events, **{NEW_DATA_KEYS: new_data_keys})
        except IntegrityError:
            first = events[0]
            raise ConcurrencyConflict(
                f"another writer recorded version {first.originator_version} of "
                f"{first.originator_id} (or a data key of that case) first; nothing of this act "
                "was stored — reload and retry"
            ) from None
        except (PersistenceError, sqlite3.Error) as exc:
            raise StorageError(
                f"storing the act failed ({type(exc).__name__}: {exc}); the write was rolled "
                "back unless the database failed while committing — reload the case and check "
                "before retrying"
            ) from None

    def _load(self, case_id: UUID, version: int | None = None) -> EmployeeCase | None:
        try:
            return self._store.repository.get(case_id, version=version, projector_func=project_case)
        except AggregateNotFoundError:
            return None

    def case(self, employee: EmployeeRef, *, version: int | None = None) -> EmployeeCase:
        found = self._load(employee.case_id, version)
        if found is None:
            raise UnknownEmployee(f"no case is open for {employee}")
        return found

    def case_events(self, employee: EmployeeRef) -> Iterator[CaseEvent]:
        if self._load(employee.case_id, version=1) is None:
            raise UnknownEmployee(f"no case is open for {employee}")
        return cast(Iterator[CaseEvent], self._store.events.get(employee.case_id))

    def readable(self, event: CaseEvent) -> CaseEvent:
        """The event with its personal content opened (or marked disposed), same digest."""
        event.sealed()
        case_key = str(event.originator_id)
        opened = rewrite_personal(event.act, lambda token: self.sealer.open(case_key, token))
        return event.model_copy(update={"act": opened})

    def list_cases(self) -> Iterator[CaseSummary]:
        """Every case in the order it was opened, streamed from the log."""
        for row in self._store.rows(topics=(CASE_OPENED_TOPIC,)):
            event = cast(CaseEvent, decode_event(row.topic, row.state))
            opened = cast(CaseOpened, event.act)
            yield CaseSummary(
                case_id=event.originator_id,
                organisation=opened.organisation,
                employee_ref=opened.employee_ref,
                school=opened.school,
                pack_id=opened.pack_id,
            )

    def status(self, employee: EmployeeRef, as_of: date) -> CaseStatus:
        """Stage, warnings, deadlines, findings, pay and signatures of a case on `as_of`."""
        return case_status(self.case_events(employee), self.calendars.for_case, as_of)

    def statuses(self, as_of: date) -> Iterator[CaseStatus]:
        """Every case's status on `as_of`, one case in memory at a time."""
        for summary in self.list_cases():
            employee = EmployeeRef(
                organisation=summary.organisation, employee_ref=summary.employee_ref
            )
            yield self.status(employee, as_of)

    def find_employee(self, employee_ref: str, organisation: str | None = None) -> EmployeeRef:
        """Resolve a staff reference; the organisation may be left out when it is unambiguous."""
        if organisation is not None:
            return EmployeeRef(organisation=organisation, employee_ref=employee_ref)
        found = [c for c in self.list_cases() if c.employee_ref == employee_ref]
        if not found:
            raise UnknownEmployee(f"no case for employee reference {employee_ref!r}")
        if len(found) > 1:
            orgs = ", ".join(sorted(c.organisation for c in found))
            raise InvalidInput(
                f"{employee_ref!r} exists in several organisations ({orgs}); name one"
            )
        return EmployeeRef(organisation=found[0].organisation, employee_ref=employee_ref)

    def views(self) -> CaseViews:
        """The stored read models in this ledger's own database (created on first use)."""
        if self._views is None:
            classes: dict[str, type[SQLiteCaseViews | PostgresCaseViews]] = {
                "sqlite": SQLiteCaseViews,
                "postgres": PostgresCaseViews,
            }
            view_class = classes.get(self._store.target.kind)
            if view_class is None:
                raise StorageError(
                    "stored read models need SQLite or PostgreSQL; use Ledger.status for the "
                    "in-memory ledger"
                )
            views = retry_ddl(lambda: self._store.factory.tracking_recorder(view_class))
            assert isinstance(views, CaseViews)
            self._views = views
        return self._views

    def update_views(self, on_progress: Progress | None = None) -> int:
        """Apply every event recorded since the views were last brought up to date."""
        return catch_up(self._store, self.views(), self.calendars, on_progress=on_progress)

    def rebuild_views(self, on_progress: Progress | None = None) -> int:
        """Forget the read models and build them again from the whole log."""
        self.views().clear()
        return self.update_views(on_progress)

    def merkle(self) -> MerkleTables:
        if self._merkle is None:
            classes: dict[str, type[SQLiteMerkleTables | PostgresMerkleTables]] = {
                "sqlite": SQLiteMerkleTables,
                "postgres": PostgresMerkleTables,
            }
            table_class = classes.get(self._store.target.kind)
            if table_class is None:
                raise StorageError("checkpoints need SQLite or PostgreSQL")
            tables = retry_ddl(lambda: self._store.factory.tracking_recorder(table_class))
            assert isinstance(tables, MerkleTables)
            self._merkle = tables
        return self._merkle

    def checkpoint(self, actor: Actor) -> SignedTreeHead:
        """Grow the Merkle tree to the end of the log and sign its head.

        The work is proportional to the events since the last checkpoint. Publish the head
        (print it, email it, give it to the employee): it is what later proves that nothing
        before it was changed, even by whoever holds this database.
        """
        tables = self.merkle()
        grow(self._store, tables)
        head = open_log(tables).head()
        now = self._clock()
        key = self.signing_key(actor, now)
        signed = SignedTreeHead(
            size=head.size, root=head.root.hex(), at=now, key_id=key.key_id, actor=actor
        ).sign(self._keys())
        tables.add_head(signed)
        return signed

    def verify(self, extra_heads: Sequence[SignedTreeHead] = ()) -> VerifyReport:
        """Re-check every signature, chain link, key validity and checkpoint in the ledger.

        `extra_heads` are heads kept outside the ledger (published, emailed, printed): a log
        that was cut back or rewritten together with its stored heads still fails them.
        """
        heads = (
            [*self.merkle().heads(), *extra_heads]
            if self._store.target.kind != "memory"
            else [*extra_heads]
        )
        verifier = Verifier(
            lookup_state=self._store.state_at,
            heads=heads,
            snapshot_heads=self._store.all_snapshot_heads(),
        )
        return verifier.run(self._store.rows())


def _data_keys(store: CaseStore) -> DataKeys:
    """Data keys live in the ledger's own database, in their own table."""
    tables: dict[str, type[SQLiteDataKeyTable | PostgresDataKeyTable]] = {
        "sqlite": SQLiteDataKeyTable,
        "postgres": PostgresDataKeyTable,
    }
    table = tables.get(store.target.kind)
    if table is None:
        assert isinstance(store.recorder, MemoryCaseRecorder)
        return store.recorder.data_keys
    keys = retry_ddl(lambda: store.factory.tracking_recorder(table))
    assert isinstance(keys, DataKeyTable)
    return keys


def _explain(exc: ValidationError, what: str) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or what
        problems.append(f"{where}: {error['msg']}")
    return f"invalid {what} — " + "; ".join(problems[:10])
