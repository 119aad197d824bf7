"""`Ledger`: the one object a host application holds.

Each command is: validate → load the case → check it → build the event → sign and store it
with an optimistic version check. Nothing is written unless every step succeeded, and a
concurrent writer's success surfaces as a typed ConcurrencyConflict, never a lost update.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from os import PathLike
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, cast
from uuid import UUID

from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from pydantic import ValidationError

from pmledger.aggregates.case_snapshot import CaseSnapshot
from pmledger.aggregates.employee_case import (
    EmployeeCase,
    check_coherent,
    new_case_event,
    project_case,
)
from pmledger.aggregates.keyring import KeyRecord, Keyring, project_keyring
from pmledger.audit.data_keys import DataKeyAudit
from pmledger.audit.verifier import Verifier, VerifyReport
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.crypto.content import Sealer
from pmledger.crypto.data_keys import DataKeys
from pmledger.errors import (
    AccessDenied,
    ActRefused,
    AuthorityNotRegistered,
    BatchRejected,
    ConcurrencyConflict,
    ContentDisposed,
    InvalidInput,
    KeyStoreError,
    PmLedgerError,
    StorageError,
    UnknownKey,
)
from pmledger.events.actors import Actor, Role
from pmledger.events.business_dates import outside_window
from pmledger.events.case_acts import CaseOpened
from pmledger.events.directory_acts import (
    DirectoryEntryDisposed,
    PersonDetailsRecorded,
    PersonLeft,
)
from pmledger.events.governance_acts import RecordsDisposed
from pmledger.events.keyring_acts import KeyRegistered, KeyRevoked, OrganisationNamed
from pmledger.events.personal import has_personal, rewrite_personal
from pmledger.events.record_acts import DeviationReasonGiven
from pmledger.events.signed_event import (
    CaseEvent,
    DirectoryChange,
    KeyringEvent,
    PackRef,
    SignedEvent,
)
from pmledger.ids import KEYRING_ID
from pmledger.integrity.envelope import GENESIS
from pmledger.integrity.keystore import KeyStore
from pmledger.integrity.signing import key_id_of, unb64, verify_signature
from pmledger.integrity.snapshot_seal import snapshot_message
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.archive import CaseArchive
from pmledger.ledger.attachments import DEFAULT_DOCUMENT_LIMIT, Attachment, PendingDocument
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.checkpoints.own_record import LogPositions, hold_to_own_record
from pmledger.ledger.checkpoints.tree import grow_and_sign
from pmledger.ledger.collector import collector_paused
from pmledger.ledger.directory import DirectoryArchive
from pmledger.ledger.documents import CaseDocuments, DocumentCheck, refs_of
from pmledger.ledger.parallel_verify import (
    AUTO_MIN_EVENTS,
    ShardJob,
    available_cores,
    can_fork,
    verify_sharded,
)
from pmledger.ledger.store import CaseStore, retry_ddl
from pmledger.ledger.views.check import ViewsCheck, check_views
from pmledger.ledger.views.updater import CaseFolds, Progress, catch_up
from pmledger.policies.access import Decision, Operation, decide_for
from pmledger.policies.judgement import Deadline, Finding
from pmledger.policies.procedure import judge_act
from pmledger.policies.registry import (
    current_pack,
    pack_digest,
    pack_for,
    pack_superseded,
    register_pack_file,
)
from pmledger.projections.case_status import case_status
from pmledger.projections.disposal import certified_disposals
from pmledger.retention.schedule import RecordCategory
from pmledger.storage.checkpoints import MerkleTables
from pmledger.storage.data_keys import NEW_DATA_KEYS, NewDataKeys
from pmledger.storage.documents import NEW_DOCUMENTS, DocumentStore
from pmledger.storage.imports import NEW_IMPORT_MARK, ImportMark
from pmledger.storage.target import parse_target
from pmledger.storage.views import CaseViews

if TYPE_CHECKING:
    from pmledger.ledger.reader import CaseReader
    from pmledger.letters.service import Letters

Clock = Callable[[], datetime]

logger = logging.getLogger(__name__)

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
class Verdict:
    """What `Ledger.record` would decide about an act, found without storing anything: the
    refusal it would raise (None when it would record the act), the findings it would record
    with it, and the deadlines the act would start."""

    refusal: PmLedgerError | None
    findings: tuple[Finding, ...] = ()
    deadlines: tuple[Deadline, ...] = ()

    @property
    def would_record(self) -> bool:
        return self.refusal is None


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
        documents: CaseDocuments | None = None,
    ) -> None:
        self._store = store
        self._keystore = keystore
        self._clock = clock
        self.calendars = calendars
        self._sealer = Sealer(data_keys)
        self._archive = CaseArchive(store, self._sealer, data_keys, calendars)
        self._directory = DirectoryArchive(store, self._sealer)
        self._documents = documents or CaseDocuments(
            documents_for(store), data_keys, DEFAULT_DOCUMENT_LIMIT
        )
        self._keyring: Keyring | None = None
        self._views: CaseViews | None = None
        self._folds: CaseFolds | None = None
        self._merkle: MerkleTables | None = None
        store.check_snapshots(self._snapshot_holds)

    def _snapshot_holds(self, snapshot: CaseSnapshot) -> bool:
        """A snapshot is loaded from only if a key valid when it was taken signed it, so what
        the case says (holds, warnings, stage) never rests on an edited cache."""
        key = self.keyring().keys.get(snapshot.key_id or "")
        if key is None or not key.valid_at(snapshot.timestamp) or snapshot.signature is None:
            return False
        message = snapshot_message(snapshot.model_dump(mode="json"))
        return verify_signature(key.public_key, unb64(snapshot.signature), message)

    @classmethod
    def open(
        cls,
        target: str | Path,
        *,
        keystore: KeyStore | None = None,
        clock: Clock = _utc_now,
        calendars: Calendars | None = None,
        document_limit: int = DEFAULT_DOCUMENT_LIMIT,
        packs: Iterable[str | PathLike[str]] = (),
        create: bool = False,
    ) -> Self:
        """Open the ledger at a SQLite path or PostgreSQL DSN.

        An address that holds no ledger is a LedgerNotFound naming it, and nothing is created
        there: a mistyped path must not become a new, empty ledger that verifies clean. Pass
        `create=True` to make a ledger where there is none (the tables of one that exists are
        brought up to date either way). `calendars` gives each school's term dates; without
        them school-day rules are reported as not computable rather than guessed.
        `document_limit` is the largest document (in bytes) an act may carry. `packs` are the
        school's own pack files (variants of shipped procedures), registered before anything
        is read, so its cases are judged, read and verified under them; a bad file is a
        `PackFileError` and nothing is opened. Registration is for the process (an event
        names its pack by id and version, which mean one content everywhere): a second ledger
        may name the same files again, never other content under the same id and version.
        """
        for pack_file in packs:
            register_pack_file(pack_file)
        parsed = parse_target(target)
        try:
            signer = keystore if keystore is not None else _NoSigner()
            store = retry_ddl(lambda: CaseStore(parsed, signer, create=create))
            data_keys = data_keys_for(store)
            documents = CaseDocuments(documents_for(store), data_keys, document_limit)
        except (PersistenceError, OSError, sqlite3.Error) as exc:
            # sqlite3's own errors escape eventsourcing when a damaged file is first opened.
            raise StorageError(f"cannot open ledger at {parsed.display}: {exc}") from exc
        return cls(store, keystore, clock, calendars or Calendars(), data_keys, documents)

    @property
    def address(self) -> str:
        """Where the ledger is stored, as it may be shown to people (a DSN's password hidden)."""
        return self._store.target.display

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

    def reader(self, actor: Actor, today: date | None = None) -> CaseReader:
        """The one way to read cases: as a person, access checked per procedure and every
        read (and every refusal) logged in the access log, dated `today` (the business date
        of the reads; the ledger's clock's date if not given)."""
        from pmledger.ledger.reader import CaseReader

        day = today if today is not None else self._clock().date()
        return CaseReader(self, self._archive, self._read_models, actor, day, self._directory)

    def letters(self, actor: Actor) -> Letters:
        """The procedures' letters and forms for `actor` to render from a case (a read of it)
        and record as sent (a write to it); see `pmledger.letters`."""
        from pmledger.letters.service import Letters

        return Letters(self, actor)

    def keyring(self) -> Keyring:
        """The keyring, fast-forwarded from the last copy this object saw."""
        known = self._keyring.version if self._keyring else 0
        new = cast(Iterator[KeyringEvent], self._store.events.get(KEYRING_ID, gt=known or None))
        return self._keyring_with(new)

    def _keyring_with(self, new: Iterable[KeyringEvent]) -> Keyring:
        """The keyring fast-forwarded with the events stored after the last copy seen."""
        self._keyring = project_keyring(self._keyring, new) or Keyring(id=KEYRING_ID)
        return self._keyring

    def _keys(self) -> KeyStore:
        if self._keystore is None:
            raise KeyStoreError("this ledger was opened without a key store; it can only be read")
        return self._keystore

    def bootstrap(
        self,
        person_id: str,
        roles: tuple[Role, ...] = (Role.ADMINISTRATOR,),
        *,
        organisation: str | None = None,
    ) -> str:
        """Register the first key, signed by itself: the ledger's root of trust. With
        `organisation`, the same write signs whose ledger it is (`Keyring.organisation`),
        so every later reader and `verify` sees the name under the root key's signature."""
        keyring = self.keyring()
        if keyring.keys:
            raise ActRefused("the keyring already has keys; register new keys with an admin key")
        naming = None
        if organisation is not None:
            try:
                naming = OrganisationNamed(organisation=organisation)
            except ValidationError as exc:
                raise InvalidInput.from_validation(exc, "organisation") from None
        key_id, public = self._keys().generate()
        now = self._clock()
        actor = Actor(person_id=person_id, role=roles[0])
        registration = self._registration(key_id, public, person_id, roles, now)
        first = self._keyring_event(1, GENESIS, actor, key_id, registration, now)
        if naming is None:
            self._save(first)
        else:
            self._save(first, self._keyring_event(2, first.digest, actor, key_id, naming, now))
        return key_id

    def register_person(
        self,
        person_id: str,
        roles: tuple[Role, ...],
        *,
        by: Actor,
        schools: tuple[str, ...] = (),
        authority_level: Literal[1, 2] | None = None,
        name: str | None = None,
        job_title: str | None = None,
        salutation: str | None = None,
        address: tuple[str, ...] = (),
    ) -> str:
        """Generate a key for a person in this ledger's key store and register its public half.

        `schools` are where the person works (a Headteacher sees their own school's cases);
        leave it empty for trust-wide roles such as HR or the DPO. `authority_level` is their
        level under the Improving Performance Policy (004 §6): acts may claim it, never more.
        With `name` and
        `job_title` their directory entry is recorded in the same transaction as the key
        (see `update_person`): personal data, sealed, and shredded by the purge.
        """
        key_id, public = self._keys().generate()
        details = None
        if name is not None or job_title is not None:
            details = self._details(person_id, name, job_title, salutation, address)
        return self.register_public_key(
            person_id,
            roles,
            public,
            by=by,
            key_id=key_id,
            schools=schools,
            authority_level=authority_level,
            details=details,
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
        authority_level: Literal[1, 2] | None = None,
        details: PersonDetailsRecorded | None = None,
    ) -> str:
        keyring = self.keyring()
        key_id = key_id or key_id_of(public_key)
        if key_id in keyring.keys:
            raise ActRefused(f"key {key_id} is already registered")
        now = self._clock()
        signer = self._key_manager(keyring, by, now)
        change = self._registration(
            key_id, public_key, person_id, roles, now, schools, authority_level
        )
        prev = keyring.head if keyring.version else GENESIS
        registered = self._keyring_event(keyring.version + 1, prev, by, signer.key_id, change, now)
        if details is None:
            self._save(registered)
        else:
            self._save_directory(person_id, details, by, signer.key_id, now, registered)
        return key_id

    # the directory: people as people ---------------------------------------------------

    def update_person(
        self,
        person_id: str,
        *,
        by: Actor,
        name: str | None = None,
        job_title: str | None = None,
        salutation: str | None = None,
        address: tuple[str, ...] | None = None,
    ) -> None:
        """Record a person's name, job title, salutation or address in the directory (what is
        not given is kept from their entry); by HR or an administrator. Letters, cast lists
        and bundles show people by these, to readers who may read a case naming them."""
        now = self._clock()
        signer = self._directory_keeper(by, now, person_id)
        current = self._directory.details(person_id)
        details = self._details(
            person_id,
            name if name is not None else current.name,
            job_title if job_title is not None else current.job_title,
            salutation if salutation is not None else current.salutation,
            address if address is not None else current.address,
        )
        self._save_directory(person_id, details, by, signer.key_id, now)

    def person_left(self, person_id: str, left_on: date, *, by: Actor) -> None:
        """Record the day a person's employment or engagement ended: their directory entry's
        retention runs from it (category `directory`, trigger end_of_employment)."""
        now = self._clock()
        signer = self._directory_keeper(by, now, person_id)
        if self._directory.load(person_id) is None:
            raise InvalidInput(
                f"{person_id} has no directory entry; record their details with update_person first"
            )
        change = PersonLeft(person_id=person_id, left_on=left_on)
        self._save_directory(person_id, change, by, signer.key_id, now)

    def _details(
        self,
        person_id: str,
        name: str | None,
        job_title: str | None,
        salutation: str | None,
        address: tuple[str, ...],
    ) -> PersonDetailsRecorded:
        if name is None or job_title is None:
            raise InvalidInput(f"a directory entry for {person_id} needs both name= and job_title=")
        try:
            return PersonDetailsRecorded(
                person_id=person_id,
                name=name,
                job_title=job_title,
                salutation=salutation,
                address=address,
            )
        except ValidationError as exc:
            raise InvalidInput.from_validation(exc, "directory entry") from None

    def _directory_keeper(self, by: Actor, now: datetime, person_id: str) -> KeyRecord:
        """HR and administrators keep the directory; anyone else is refused, on the log."""
        key = self.signing_key(by, now)
        if by.role not in (Role.HR, Role.ADMINISTRATOR):
            decision = Decision(
                False,
                f"{by.person_id} as {by.role.value} may not change directory entries "
                "(hr or administrator)",
            )
            self.reader(by, now.date())._refused(None, Operation.MANAGE_DIRECTORY, decision)
            raise AccessDenied(f"the directory entry of {person_id}: {decision.reason}")
        return key

    def _save_directory(
        self,
        person_id: str,
        change: DirectoryChange,
        by: Actor,
        key_id: str,
        now: datetime,
        *before: SignedEvent,
    ) -> None:
        with self._sealer.new_keys() as new_keys:
            event = self._directory.event(person_id, change, by, key_id, now)
            self._save(
                *before,
                event,
                new_data_keys=[(c, cat, key) for (c, cat), key in new_keys.items()],
            )

    def dispose_person(self, person_id: str, as_of: date, rule: str, *, by: Actor) -> bool:
        """Shred a person's directory entry and sign the certificate (the DPO or an
        administrator; the retention purge calls this when the `directory` rule is due).
        Idempotent: a rerun finishes what a crash left and changes nothing after that.
        True if this call destroyed the key or signed the certificate."""
        now = self._clock()
        key = self.signing_key(by, now)
        if by.role not in (Role.DPO, Role.ADMINISTRATOR):
            decision = Decision(
                False,
                f"{by.person_id} as {by.role.value} may not dispose of directory "
                "entries (dpo or administrator)",
            )
            self.reader(by, as_of)._refused(None, Operation.DISPOSE, decision)
            raise AccessDenied(f"the directory entry of {person_id}: {decision.reason}")
        entry = self._directory.load(person_id)
        if entry is None:
            raise InvalidInput(f"{person_id} has no directory entry to dispose of")
        # The certificate is signed before the key goes, so no instant holds a destroyed key
        # without it; a rerun destroys what an earlier run certified, on its day and rule.
        certificate = entry.disposed
        signed = certificate is None
        if certificate is None:
            certificate = DirectoryEntryDisposed(person_id=person_id, as_of=as_of, rule=rule[:300])
            self._save_directory(person_id, certificate, by, key.key_id, now)
        destroyed = self._directory.destroy_key(person_id, certificate.as_of, certificate.rule)
        if destroyed:
            self._sealer.keys.scrub()
        return signed or destroyed

    def rotate_key(
        self,
        person_id: str,
        *,
        by: Actor,
        reason: str = "scheduled rotation",
        roles: tuple[Role, ...] | None = None,
        schools: tuple[str, ...] | None = None,
        authority_level: Literal[1, 2] | None = None,
    ) -> str:
        """Give a person a new key and revoke the old one in one atomic write. With `roles`,
        `schools` or `authority_level` the new key carries those instead of the old key's: a
        change of role or of authority (004 §6) is a new key, so what the person could do
        before the change stays provable."""
        keyring = self.keyring()
        now = self._clock()
        old = keyring.signing_key_for(person_id, now)
        if old is None:
            raise UnknownKey(f"{person_id} has no valid key to rotate; register one instead")
        signer = self._key_manager(keyring, by, now)
        key_id, public = self._keys().generate()
        registered = self._registration(
            key_id,
            public,
            person_id,
            old.roles if roles is None else roles,
            now,
            old.schools if schools is None else schools,
            old.authority_level if authority_level is None else authority_level,
        )
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
        try:
            change = KeyRevoked(revoked_key_id=key_id, revoked_at=at or now, reason=reason)
        except ValidationError as exc:
            raise InvalidInput.from_validation(exc, "key revocation") from None
        self._save_keyring(keyring, by, signer.key_id, change, now)

    def _registration(
        self,
        key_id: str,
        public: bytes,
        person_id: str,
        roles: tuple[Role, ...],
        now: datetime,
        schools: tuple[str, ...] = (),
        authority_level: int | None = None,
    ) -> KeyRegistered:
        try:
            return KeyRegistered.model_validate(
                {
                    "registered_key_id": key_id,
                    "person_id": person_id,
                    "roles": roles,
                    "public_key": public.hex(),
                    "valid_from": now,
                    "schools": schools,
                    "authority_level": authority_level,
                }
            )
        except ValidationError as exc:
            raise InvalidInput.from_validation(exc, "key registration") from None

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
        change: KeyRegistered | KeyRevoked | OrganisationNamed,
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
        over_claim = self._over_claim(actor, when, keyring)
        if over_claim is not None:  # refused on the access log like any other refusal
            refusal = Decision(False, str(over_claim))
            self.reader(actor, when.date())._log(None, Operation.RECORD, refusal)  # raises it
            raise over_claim
        if not self._keys().has(key.key_id):
            raise UnknownKey(
                f"the private key {key.key_id} of {actor.person_id} is not in this key store"
            )
        return key

    def _over_claim(
        self, actor: Actor, when: datetime, keyring: Keyring | None = None
    ) -> AuthorityNotRegistered | None:
        """The refusal of an authority level (004 §6) above the one the actor's key valid
        `when` registers, or None: authority is registered, never taken from the claim."""
        claimed = actor.authority_level
        if claimed is None:
            return None
        key = (keyring or self.keyring()).signing_key_for(actor.person_id, when)
        held = key.authority_level if key is not None else None
        if held is not None and claimed <= held:
            return None
        return AuthorityNotRegistered(
            f"{actor.person_id} claims authority level {claimed}, but their key is "
            f"registered with {f'level {held}' if held else 'no authority level'}; act at "
            "that level, or have HR register a key with the level the school gave them"
        )

    # cases ------------------------------------------------------------------------------

    def execute(self, command: RecordAct | dict[str, Any]) -> Receipt:
        """Record one act. Accepts a RecordAct or its plain-dict form (as read from JSON)."""
        if not isinstance(command, RecordAct):
            try:
                command = RecordAct.model_validate(command)
            except ValidationError as exc:
                raise InvalidInput.from_validation(exc, "command") from None
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
        documents: Sequence[Attachment] = (),
    ) -> Receipt:
        """Judge and record one act on an employee's case, storing the `documents` whose
        digests it names (`act.attachments`, a letter's `document`) in the same transaction."""
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
            raise InvalidInput.from_validation(exc, "act") from None
        try:
            return self.record_batch([command], documents=documents)[0]
        except BatchRejected as rejected:
            raise rejected.cause from None

    def check(self, command: RecordAct | dict[str, Any]) -> Verdict:
        """What `execute(command)` would decide, storing no record: so a back office can warn
        its user before they save. The act is judged exactly as `record` judges it (same
        access guard, same pack), and like every look at a case the check is put on the
        access log, allowed or refused: what it answers (findings, deadlines, the case's
        version) is read from the case."""
        if not isinstance(command, RecordAct):
            try:
                command = RecordAct.model_validate(command)
            except ValidationError as exc:
                return Verdict(InvalidInput.from_validation(exc, "command"))
        now = self._clock()
        try:
            with self._sealer.new_keys():
                working: dict[UUID, EmployeeCase | None] = {}
                writers = _Writers(self, self.keyring(), now)
                event, receipt = self._prepare(command, working, writers)
        except PmLedgerError as exc:
            return Verdict(exc)
        after = working[command.employee.case_id]
        assert after is not None, "an act always leaves a case"
        checked = Decision(True, f"checked {command.act.kind}; nothing recorded")
        self.reader(command.actor, command.occurred_on)._log(after, Operation.RECORD, checked)
        started = current_pack(after.opened.pack_id).deadlines(
            after.file, self.calendars.for_case(after.opened), command.occurred_on
        )
        version = event.originator_version
        return Verdict(
            None, receipt.findings, tuple(d for d in started if d.anchor_version == version)
        )

    def record_batch(
        self,
        commands: Sequence[RecordAct],
        *,
        documents: Sequence[Attachment] = (),
        import_mark: ImportMark | None = None,
    ) -> list[Receipt]:
        """Judge every act in order, then store them all in one transaction — or none.

        Each act is judged against the case as the earlier acts of the batch leave it, exactly
        as if they had been recorded one by one. The first act that fails stops the batch with
        BatchRejected naming its index; nothing of the batch is stored. `documents` are the
        bytes of the documents the acts name, stored (sealed, chunk by chunk) with them.
        `import_mark` is how far an import file got with this batch, stored in the same
        transaction (see `ledger.import_jsonl`).
        """
        return self._record_batch(commands, documents=documents, import_mark=import_mark)

    def _record_batch(
        self,
        commands: Sequence[RecordAct],
        *,
        documents: Sequence[Attachment] = (),
        import_mark: ImportMark | None = None,
        loaded: Iterable[EmployeeCase] = (),
    ) -> list[Receipt]:
        """`record_batch`, judging against `loaded` cases the caller has just read from the
        store (the purge's page) instead of reading each again. They are handed over: the
        batch folds its acts onto them, so the caller reads a case again before any other
        use (the purge does, on any refusal). Private, since the cases are trusted as read:
        each command's expected_version is checked against its case as usual, and a case
        that moved on since is refused by the save's version check, as in any race, so a
        stale case stores nothing. Handed-over cases are not kept for the next load
        (`CaseArchive.keep`): a purge's certified cases are seldom written again, and
        keeping each cost a deep copy (≈ 4 % of a first purge, issue 22)."""
        now = self._clock()
        working: dict[UUID, EmployeeCase | None] = dict.fromkeys(self._new_cases(commands))
        handed_over = {case.id: case for case in loaded}
        working.update(handed_over)
        prepared: list[tuple[CaseEvent, Receipt]] = []
        pending: list[PendingDocument] = []
        snapshots: list[CaseSnapshot] = []
        with self._sealer.new_keys() as new_keys:
            writers = _Writers(self, self._read_for_write(commands, working), now)
            if len(commands) > 1 and any(_seals(c) for c in commands):
                # one read of every case's keys, not one per case (none for a batch that
                # seals nothing, such as a purge's page of certificates)
                self._sealer.read_cases({str(c.employee.case_id) for c in commands})
            for index, command in enumerate(commands):
                try:
                    event, receipt = self._prepare(command, working, writers, documents, pending)
                except PmLedgerError as exc:
                    raise BatchRejected(index, exc) from None
                prepared.append((event, receipt))
                if event.originator_version % SNAPSHOT_INTERVAL == 0:
                    snapshots.extend(self._take_snapshot(event, now, working[event.originator_id]))
            _all_named(documents, pending, [command.act for command in commands])
            if prepared:
                try:
                    stored = self._save(
                        *(event for event, _ in prepared),
                        new_data_keys=[(c, cat, key) for (c, cat), key in new_keys.items()],
                        new_documents=pending,
                        import_mark=import_mark,
                    )
                except ConcurrencyConflict as exc:
                    raise BatchRejected(0, exc) from None
                self._archive.keep(
                    (case for id_, case in working.items() if case and id_ not in handed_over),
                    stored,
                )
        for snapshot in snapshots:
            self._put_snapshot(snapshot)
        return [receipt for _, receipt in prepared]

    def _read_for_write(
        self, commands: Sequence[RecordAct], working: dict[UUID, EmployeeCase | None]
    ) -> Keyring:
        """The keyring, brought up to date. For one act on a case this ledger has just
        stored (the usual record), read at once with the case's rows from the first kept
        version on and its data keys (`LogReads.for_write`: one round trip on a server where
        there were three): the case, loaded from those rows, goes in `working`, its keys to
        the sealer as read for this write. Inside the sealer's `new_keys()` block."""
        case_id = commands[0].employee.case_id if len(commands) == 1 else None
        first = None
        if case_id is not None and case_id not in working:
            first = self._archive.kept_from(case_id)
        if case_id is None or first is None:
            return self.keyring()
        known = self._keyring.version if self._keyring else 0
        reads = self._store.for_write(self._sealer.keys, case_id, first, known)
        keyring = self._keyring_with(
            cast(KeyringEvent, self._store.mapper.to_domain_event(row)) for row in reads.keyring
        )
        self._sealer.read_with([str(case_id)], reads.keys)
        working[case_id] = self._archive.load(case_id, rows=reads.case)
        return keyring

    def _new_cases(self, commands: Sequence[RecordAct]) -> set[UUID]:
        """The cases the batch opens that the log does not hold, found in one query: they
        start from nothing, with no load each (two reads on a server). A case is a candidate
        only if the batch's first act on it opens it; any other first act needs the case
        loaded. A concurrent writer opening one of them first makes the batch's version 1 a
        conflict when it is stored, as after a load."""
        first_opens: dict[UUID, bool] = {}
        for command in commands:
            first_opens.setdefault(command.employee.case_id, isinstance(command.act, CaseOpened))
        candidates = [str(case_id) for case_id, opens in first_opens.items() if opens]
        if not candidates:
            return set()
        held = self._store.continued(dict.fromkeys(candidates, 0))
        return {UUID(case_id) for case_id in candidates if case_id not in held}

    def _take_snapshot(
        self, event: CaseEvent, now: datetime, case: EmployeeCase | None
    ) -> list[CaseSnapshot]:
        """A snapshot of `case` just as `event` left it, taken while the batch is prepared and
        stored once the batch is (`_put_snapshot`): a case the batch takes past a snapshot
        version is not read back from the store and folded again to reach that version (for
        a case of 1,000 events that reload was most of an import's time). A snapshot is only
        a cache, so a failure to take one is logged, and the batch goes on without it."""
        assert case is not None, "an act always leaves a case"
        assert case.version == event.originator_version, "taken as the event left the case"
        try:
            return [self._store.signed_snapshot(case, now, event.key_id)]
        except Exception:
            logger.warning(
                "no snapshot of case %s at version %s (loading folds more events until the "
                "next snapshot)",
                event.originator_id,
                event.originator_version,
                exc_info=True,
            )
            return []

    def _put_snapshot(self, snapshot: CaseSnapshot) -> None:
        """Store a snapshot of the batch's. The acts are already committed, so a failure here
        (a concurrent writer's snapshot, a dropped connection) is logged, never reported to
        the caller as if the acts were not stored."""
        try:
            self._store.put_snapshot(snapshot)
        except Exception:
            logger.warning(
                "no snapshot of case %s at version %s (the acts are stored; loading folds more "
                "events until the next snapshot)",
                snapshot.originator_id,
                snapshot.originator_version,
                exc_info=True,
            )

    def _prepare(
        self,
        command: RecordAct,
        working: dict[UUID, EmployeeCase | None],
        writers: _Writers,
        documents: Sequence[Attachment] = (),
        pending: list[PendingDocument] | None = None,
    ) -> tuple[CaseEvent, Receipt]:
        employee = command.employee
        now = writers.now
        wrong_date = outside_window(command.act, command.occurred_on, now.date())
        if wrong_date is not None:
            raise InvalidInput(wrong_date)
        if employee.case_id not in working:
            working[employee.case_id] = self._archive.load(employee.case_id)
        case = working[employee.case_id]
        if case is not None:
            self._check_writer(command, case, writers)
        elif not isinstance(command.act, CaseOpened):
            reader = self.reader(command.actor, command.occurred_on)
            raise reader._no_case(employee, Operation.RECORD)
        expected = command.expected_version
        if expected is not None and (case.version if case else 0) != expected:
            raise ConcurrencyConflict(
                f"{employee} is at version {case.version if case else 0}, not "
                f"{expected}: reload the case and decide again"
            )
        check_coherent(case, command.act, command.actor, str(employee))
        if isinstance(command.act, DeviationReasonGiven):
            self._check_finding_named(employee, command.act, command.occurred_on)
        key = writers.signing_key(command.actor)
        category = case.category_of(command.act) if case else RecordCategory.APPRAISAL
        case_key = str(employee.case_id)
        certified = certified_disposals(case.file) if case else {}

        def seal(text: str) -> str:
            if category.value in certified:
                raise ContentDisposed(
                    f"the {category.value} content of {employee} is certified as disposed "
                    f"(on {certified[category.value][0]}); nothing new can join it"
                )
            return self._sealer.seal(case_key, category, text)

        if pending is not None:
            already = {(d.case_id, d.category, d.ref.sha256) for d in pending}
            pending.extend(
                self._documents.pending(
                    case_key,
                    category,
                    command.act,
                    documents,
                    lambda: self._sealer.key_for(case_key, category),
                    already,
                )
            )
        opened = (
            case.opened if case else self.calendars.settle_nation(cast(CaseOpened, command.act))
        )
        act = rewrite_personal(opened if case is None else command.act, seal)
        reason = command.deviation_reason
        current = current_pack(opened.pack_id)
        event = new_case_event(
            case,
            case_id=employee.case_id,
            act=act,
            occurred_on=command.occurred_on,
            actor=command.actor,
            key_id=key.key_id,
            pack=PackRef(id=current.id, version=current.version, digest=current.digest or None),
            deviation_reason=seal(reason) if reason else None,
            recorded_at=now,
        )
        judged, stage = judge_act(
            case.file if case else None, event, self.calendars.for_case(opened)
        )
        findings = [  # the caller gave the reason: their receipt quotes it, not its seal
            f.model_copy(update={"deviation_reason": reason}) if f.deviation_reason else f
            for f in judged
        ]
        if case is None:
            after = project_case(None, [event])
            assert after is not None, "an event always leaves a case"
            self._check_writer(command, after, writers)
        else:  # the event links to the case's head (made from it): folded at the stage judged
            case.apply(event, stage)
            after = case
        working[employee.case_id] = after
        receipt = Receipt(
            employee.case_id, event.originator_version, event.digest, now, tuple(findings)
        )
        return event, receipt

    def _check_finding_named(
        self, employee: EmployeeRef, act: DeviationReasonGiven, on: date
    ) -> None:
        """A reason given later must name a finding the case's compliance view lists on the
        day it is given (issue 17 §2): anything else answers nothing, so it cannot be. The
        stored record is read, so a finding of an act earlier in the same batch is not yet
        there to be named."""
        status = case_status(self._archive.events(employee), self.calendars.for_case, on)
        known = sorted({name for f in status.compliance for name in f.names})
        if act.finding_id not in known:
            raise ActRefused(
                f"{employee} has no finding {act.finding_id} on {on}; a reason is given for a "
                "finding its compliance view lists (`pmledger case status`, each finding's id "
                f"is rule@version): {', '.join(known) or 'it has none'}"
            )

    def _save(
        self,
        *events: SignedEvent,
        new_data_keys: NewDataKeys = (),
        new_documents: Sequence[PendingDocument] = (),
        import_mark: ImportMark | None = None,
    ) -> list[StoredEvent]:
        """Store events, the data keys made to seal their content, the documents they name
        and how far an import got with them, in one transaction; the rows stored."""
        try:
            recordings = self._store.save(
                *events,
                **{
                    NEW_DATA_KEYS: new_data_keys,
                    NEW_DOCUMENTS: new_documents,
                    NEW_IMPORT_MARK: import_mark,
                },
            )
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
        return [recording.notification for recording in recordings]

    def _check_writer(self, command: RecordAct, case: EmployeeCase, writers: _Writers) -> None:
        """The writer must be related to the case as its procedure's access table says (a
        new case: to the case it opens), through keys valid `now`, when the act is recorded;
        a disposal certificate needs the right to dispose.
        Checked before anything about the case is judged or reported back (its version, its
        procedure's findings), and a refusal is put on the access log like any other."""
        operation = (
            Operation.DISPOSE if isinstance(command.act, RecordsDisposed) else Operation.RECORD
        )
        actor = command.actor
        access = pack_for(case.pack).access
        held = writers.held(actor.person_id)
        decision = decide_for(access, actor, case.file, held, operation, command.act.kind)
        over_claim = writers.over_claim(actor)
        if not decision.allowed or over_claim is not None:
            # logged (an authority above the registered level as AuthorityNotRegistered)
            self.reader(actor, command.occurred_on)._refused(case, operation, decision)
            raise AccessDenied(
                f"{command.act.kind} on {command.employee} refused: {decision.reason}"
            )

    # stored read models -------------------------------------------------------------------

    def _read_models(self) -> CaseViews:
        """The stored read models in this ledger's own database (created on first use); read
        through a `CaseReader`, which shows each person only their cases."""
        if self._views is None:
            self._views = retry_ddl(self._store.storage.case_views)
        return self._views

    def update_views(self, on_progress: Progress | None = None) -> int:
        """Apply every event recorded since the views were last brought up to date."""
        views = self._read_models()
        if self._folds is None:
            self._folds = CaseFolds(self._store, views, self.calendars.for_case)
        return catch_up(
            self._store, views, self.calendars, folds=self._folds, on_progress=on_progress
        )

    def import_marks(self) -> dict[str, ImportMark]:
        """How far each import file begun on this ledger got (by the SHA-256 of the lines
        stored): what a rerun of `pmledger import` continues from."""
        return retry_ddl(lambda: self._store.storage.imports(self._store.recorder)).marks()

    def log_end(self) -> int:
        """The last position of the log (0 when empty): an operator's count for progress, no
        case content."""
        return self._store.recorder.max_notification_id() or 0

    def views_position(self) -> int:
        """How far into the log the stored read models have been brought."""
        return self._read_models().position()

    def check_views(self) -> ViewsCheck:
        """Hold the stored read models to the fold of the events up to the position they
        claim (see `ledger.views.check`): the first difference named by case, key and column,
        never by value, so it hands out no case content and names no reader (an operator's
        check, like `rebuild_views`, which is the repair)."""
        return check_views(self._store, self._read_models(), self.calendars.for_case)

    def rebuild_views(self, on_progress: Progress | None = None) -> int:
        """Forget the read models and build them again from the whole log."""
        self._read_models().clear()
        if self._folds is not None:
            self._folds.forget()
        return self.update_views(on_progress)

    def _merkle_tables(self) -> MerkleTables:
        """The Merkle tree and the map of case heads: hashes and positions, yet the map says
        which cases exist, so only checkpoints, verify and a bundle's proofs read it."""
        if self._merkle is None:
            self._merkle = retry_ddl(self._store.storage.merkle_tables)
        return self._merkle

    def checkpoint(self, actor: Actor) -> SignedTreeHead:
        """Grow the Merkle tree and the map of case heads to the end of the log and sign
        both roots in one head.

        The work is proportional to the events since the last checkpoint. Publish the head
        (print it, email it, give it to the employee): it is what later proves that nothing
        before it was changed, even by whoever holds this database.
        """
        now = self._clock()
        key = self.signing_key(actor, now)

        def sign(size: int, root: bytes, cases_root: bytes) -> SignedTreeHead:
            return SignedTreeHead(
                size=size,
                root=root.hex(),
                cases_root=cases_root.hex(),
                at=now,
                key_id=key.key_id,
                actor=actor,
            ).sign(self._keys())

        return grow_and_sign(self._store, self._merkle_tables(), sign)

    def verify(
        self,
        extra_heads: Sequence[SignedTreeHead] = (),
        *,
        documents: bool = True,
        jobs: int | None = None,
    ) -> VerifyReport:
        """Re-check every signature, chain link, key validity and checkpoint in the ledger,
        every snapshot's signature, the data-key table against the sealed content and the
        signed disposal certificates (a certified category whose key lives is reported in
        `interrupted`: a purge to rerun, not tampering), and (unless `documents=False`) every
        stored document against its digest.

        `extra_heads` are heads kept outside the ledger (published, emailed, printed): a log
        that was cut back or rewritten together with its stored heads still fails them.
        Without them the report says so (`caveat`), and the log is still held to what the
        ledger's own Merkle tree records as checkpointed (`checkpoints.own_record`): a case
        deleted together with every stored head covering it is found that far.
        A document whose category was disposed is counted, not opened: its key is gone.

        `jobs` is how many processes check the log, its cases shared out among them (the
        report, and the first bad event named, are the same as one process's): by default
        one per core this process may use, or one for a log of under a few thousand events.
        The processes are forked: a host whose other threads hold locks while it verifies (a
        web server's pool) should pass `jobs=1`. An in-memory ledger, or a system that cannot
        fork, is checked in this process.
        """
        durable = self._store.storage.durable
        stored = self._merkle_tables().heads() if durable else []
        heads = [*stored, *extra_heads]
        keys = self._sealer.keys
        check = DocumentCheck()
        positions = LogPositions()
        shards = self._verify_jobs(jobs)
        if shards > 1:
            target = self._store.target
            job = ShardJob(
                reopen=lambda: retry_ddl(lambda: CaseStore(target, _NoSigner())),
                shards=shards,
                seals=self._store.all_snapshot_seals(),
                data_keys=keys.every(),
                pack_digest=pack_digest,
                pack_superseded=pack_superseded,
                documents=documents,
            )
            report = verify_sharded(self._store, job, heads, check, positions)
        else:
            verifier = Verifier(
                lookup_state=self._store.state_at,
                heads=heads,
                snapshot_seals=self._store.all_snapshot_seals(),
                pack_digest=pack_digest,
                pack_superseded=pack_superseded,
                data_keys=DataKeyAudit(keys.every(), keys.get),
                defer_signatures=True,
            )
            with collector_paused():
                rows = positions.watch(self._store.rows())
                report = verifier.run(check.watch(rows) if documents else rows)
        report.outside_heads = len(extra_heads)
        if report.ok and durable:
            tables = self._merkle_tables()
            hold_to_own_record(report, tables.size(), tables.leaf_runs(), positions.seen)
        if documents and report.ok:
            check.run(self._documents)
            report.documents, report.documents_disposed = check.checked, check.disposed
            report.document_problem = check.problem
        return report

    def _verify_jobs(self, jobs: int | None) -> int:
        """How many processes check the log: one where forking cannot help (an in-memory
        ledger, no fork) or a small log does not repay it, else one per core unless asked."""
        if jobs is not None and jobs < 1:
            raise InvalidInput(f"jobs must be 1 or more, not {jobs}")
        if not (self._store.storage.durable and can_fork()):
            return 1
        if jobs is None:
            small = self._store.last_position() < AUTO_MIN_EVENTS
            return 1 if small else available_cores()
        return jobs


def _seals(command: RecordAct) -> bool:
    """Whether recording `command` may seal anything under its case's keys: personal text
    in its act, a deviation reason, or documents its act names."""
    return bool(command.deviation_reason or command.act.attachments or has_personal(command.act))


class _Writers:
    """What one write asks of the keyring about the people acting in it, asked once a person:
    every act of a batch is recorded at the same time (`now`) against the same keyring, so an
    actor's roles and schools, signing key and any over-claimed authority are the same for
    each of their acts. Only answers are kept: a refusal stops the write where it is raised."""

    def __init__(self, ledger: Ledger, keyring: Keyring, now: datetime) -> None:
        self._ledger = ledger
        self.keyring = keyring
        self.now = now
        self._keys: dict[Actor, KeyRecord] = {}
        self._held: dict[str, tuple[frozenset[Role], frozenset[str]]] = {}
        self._over_claims: dict[Actor, AuthorityNotRegistered | None] = {}

    def signing_key(self, actor: Actor) -> KeyRecord:
        """`Ledger.signing_key` of the actor now."""
        key = self._keys.get(actor)
        if key is None:
            key = self._keys[actor] = self._ledger.signing_key(actor, self.now, self.keyring)
        return key

    def held(self, person_id: str) -> tuple[frozenset[Role], frozenset[str]]:
        """The roles and schools the person's keys give them now (`Keyring.person`)."""
        held = self._held.get(person_id)
        if held is None:
            held = self._held[person_id] = self.keyring.person(person_id, self.now)
        return held

    def over_claim(self, actor: Actor) -> AuthorityNotRegistered | None:
        """`Ledger._over_claim` of the actor now."""
        if actor not in self._over_claims:
            self._over_claims[actor] = self._ledger._over_claim(actor, self.now, self.keyring)
        return self._over_claims[actor]


def data_keys_for(store: CaseStore) -> DataKeys:
    """Data keys live in the ledger's own database, in their own table: whoever holds the
    database holds them, which is why the database is protected like the records."""
    return retry_ddl(lambda: store.storage.data_keys(store.recorder))


def documents_for(store: CaseStore) -> DocumentStore:
    """Documents live in the ledger's own database beside the events naming them."""
    return retry_ddl(lambda: store.storage.documents(store.recorder))


def _all_named(
    documents: Sequence[Attachment], pending: Sequence[PendingDocument], acts: list[Any]
) -> None:
    """Every document given must be one an act names: a stray file is a mistake to report,
    not something to keep unnamed."""
    used = {id(d.attachment) for d in pending}
    named = {ref.file_name for act in acts for ref in refs_of(act)}
    for attachment in documents:
        if id(attachment) not in used and attachment.file_name not in named:
            raise InvalidInput(
                f"{attachment.file_name} was given but no act names it: add its ref "
                "(Attachment.ref()) to the act's attachments"
            )
