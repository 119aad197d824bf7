"""The eventsourcing application that stores cases and the keyring in one log.

One log (one notification sequence) for cases and keys is what lets `verify` trust a key
exactly from the point where its registration was recorded.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import (
    AggregateRecorder,
    EventStore,
    InfrastructureFactory,
    IntegrityError,
    InternalError,
    Mapper,
    PersistenceError,
    ProgrammingError,
    Recording,
)
from eventsourcing.utils import Environment, EnvType

from pmledger.aggregates.case_snapshot import CaseSnapshot
from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.audit.stored_row import StoredLeaf, StoredRow
from pmledger.crypto.data_keys import DataKeys
from pmledger.errors import LedgerNotFound, StorageError
from pmledger.events.signed_event import SignedEvent
from pmledger.integrity.signing import Signer
from pmledger.integrity.snapshot_seal import SnapshotSeal, read_seal
from pmledger.ledger.mapper import SigningMapper, SnapshotMapper
from pmledger.storage.factory import PAGE, LogReads, StorageFactory, WriteReads
from pmledger.storage.target import Target

logger = logging.getLogger(__name__)

CASE_CACHE_SIZE = 256
"""Cases kept loaded per store (least recently used first out). A cached case is brought up
to date from the log on every load (eventsourcing's fast-forward), so another writer's acts
are seen as before; only the replay of events already folded is saved. A case the ledger has
just stored is kept beside it (`CaseArchive.keep`, as many cases) until its next load checks
the stored rows against it."""
DDL_ATTEMPTS = 8
UNREADABLE_DATABASE = (PersistenceError, sqlite3.Error)
"""What a damaged or unreachable database raises (sqlite3's own errors escape eventsourcing
when a new connection meets a damaged file)."""

T = TypeVar("T")


def retry_ddl(create: Callable[[], T]) -> T:
    """Run table creation again when a concurrent process was creating the same tables.

    PostgreSQL reports concurrent CREATE ... IF NOT EXISTS on the catalogue as an error
    ('tuple concurrently updated'); two schedulers opening one ledger at once must both succeed.
    """
    for attempt in range(DDL_ATTEMPTS):
        try:
            return create()
        except (InternalError, IntegrityError, ProgrammingError):
            if attempt == DDL_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1) + random.random() * 0.05)
    raise AssertionError("unreachable")


class CaseStore(Application[UUID]):
    """The eventsourcing application; its factory is the backend the target named (see
    `pmledger.storage`), which also builds the ledger's own tables."""

    name = "pmledger"

    def __init__(self, target: Target, signer: Signer, *, create: bool = False) -> None:
        self._signer = signer
        self.target = target
        self._create = create
        env = {
            "AGGREGATE_CACHE_MAXSIZE": str(CASE_CACHE_SIZE),
            **target.env,
            "IS_SNAPSHOTTING_ENABLED": "y",
        }
        super().__init__(env=env)
        self._log: LogReads | None = None

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        return Environment(name, dict(env or {}))

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        """The backend's factory, refusing an address that holds no ledger unless one is
        being created: asked before any recorder is built, so nothing is made there."""
        factory = super().construct_factory(env)
        if not isinstance(factory, StorageFactory):
            raise StorageError(f"{self.target.display} does not name a pmledger backend")
        holds = factory.holds_ledger()  # also the first connection, whose errors say why
        if self._create and not holds:
            factory.make_room()
        elif not holds:
            factory.close()
            raise LedgerNotFound(
                f"no ledger at {self.target.display}; nothing was created there. Check the "
                "path or DSN, or start a new ledger with `pmledger init --db ... --org ... "
                "--admin PERSON` (Ledger.open(..., create=True) from Python)"
            )
        return factory

    def save(self, *events: SignedEvent, **kwargs: Any) -> list[Recording[UUID]]:  # type: ignore[override]
        """Store signed events (never aggregates: the ledger builds its events itself) in one
        transaction, `kwargs` going to the recorder (`storage.*.NEW_*`).

        eventsourcing's own `save` asks of every object whether it is a domain event through
        a runtime-checkable protocol, ≈ 15 µs an event on CPython 3.11: a tenth of an import's
        time. The steps after it are eventsourcing's own, unchanged."""
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        processing.events.extend(events)
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)
        return recordings

    def construct_mapper(self) -> Mapper[UUID]:
        return SigningMapper(self._signer)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        recorder = self.factory.aggregate_recorder(purpose="snapshots")
        return CheckedSnapshots(mapper=SnapshotMapper(), recorder=recorder)

    def check_snapshots(self, holds: Callable[[CaseSnapshot], bool]) -> None:
        """Load cases only from snapshots `holds` accepts (the Ledger checks the signature
        against its keyring); until this is called no snapshot is used."""
        assert isinstance(self.snapshots, CheckedSnapshots)
        self.snapshots.holds = holds

    @property
    def storage(self) -> StorageFactory:
        """The backend: builds the read models, checkpoint tables and data keys."""
        factory = self.factory
        assert isinstance(factory, StorageFactory), "construct_factory checked it"
        return factory

    @property
    def log_reads(self) -> LogReads:
        """Plain reads of the log and snapshots on this backend."""
        if self._log is None:
            snapshots = self.snapshots.recorder if self.snapshots is not None else None
            self._log = self.storage.log_reads(self.recorder, snapshots)
        return self._log

    def for_write(
        self, keys: DataKeys, case_id: UUID, case_from: int, keyring_after: int
    ) -> WriteReads:
        """What recording one act on a case reads, at once (`LogReads.for_write`)."""
        try:
            return self.log_reads.for_write(self.recorder, keys, case_id, case_from, keyring_after)
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None

    def signed_snapshot(self, case: EmployeeCase, when: datetime, key_id: str) -> CaseSnapshot:
        """The case as it stands, signed (`CaseSnapshot.take`); stored by `put_snapshot`."""
        return CaseSnapshot.take(case, when, key_id, self._signer)

    def put_snapshot(self, snapshot: CaseSnapshot) -> None:
        assert self.snapshots is not None
        self.snapshots.put([snapshot])

    def all_snapshot_seals(self) -> dict[tuple[str, int], SnapshotSeal | None]:
        """(case id, version) → seal of every stored snapshot, in one query, for `verify` to
        hold against the chain as it streams; None for a snapshot too damaged to name one."""
        try:
            rows = self.log_reads.snapshot_rows()
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None
        return {
            (str(aggregate_id), version): read_seal(state) for aggregate_id, version, state in rows
        }

    def rows(self, *, start: int = 1, topics: tuple[str, ...] = ()) -> Iterator[StoredRow]:
        """Every stored event in log order, a page at a time (never the whole log at once)."""
        for page in self.row_pages(start, PAGE, topics):
            yield from page

    def row_pages(
        self, start: int, size: int = PAGE, topics: tuple[str, ...] = ()
    ) -> Generator[list[StoredRow], None, None]:
        """Pages of up to `size` stored rows from log position `start` on (of `topics`, if
        any), ending with the first page that comes back short."""
        page_of = self.log_reads.row_pages()

        def read(after: StoredRow | None) -> list[StoredRow]:
            position = start if after is None else after.position + 1
            try:
                return page_of(position, topics, size)
            except UNREADABLE_DATABASE as exc:
                raise _unreadable(self.target.display, position, exc) from None

        return self._paged(read, size)

    def leaf_page(self, start: int, limit: int) -> list[StoredLeaf]:
        """Up to `limit` stored rows' leaves from log position `start` on, in one read (no
        reading ahead): for the checkpoint, which commits each page before asking for the next
        and needs only the leaf hash of a row's bytes (PostgreSQL hashes them itself)."""
        try:
            return self.log_reads.leaf_pages()(start, limit)
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, start, exc) from None

    def _paged(
        self, read: Callable[[T | None], list[T]], size: int
    ) -> Generator[list[T], None, None]:
        """The pages `read` gives, each asked for with the last row of the page before (None
        for the first), ending with the first page that comes back short. An empty page is
        the end, never yielded: every page has a first and a last row (an empty log, or one
        of whole pages, reads an empty page last).

        On a server (`LogReads.reads_ahead`) the next page is asked for while the caller
        works through this one (one page ahead, in one helper thread), so the server's time
        is not added to the reader's: `verify` spends it checking signatures, the read models
        folding. The first page is read in the caller's thread, so a reader that finds one
        page (the read models brought up after a record) starts no thread.
        """
        page = read(None)
        if not (self.log_reads.reads_ahead and len(page) == size):
            while page:
                yield page
                if len(page) < size:
                    return
                page = read(page[-1])
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmledger-rows") as pool:
            ahead: Future[list[T]] | None = None
            try:
                while True:
                    if len(page) == size:
                        ahead = pool.submit(read, page[-1])
                    yield page
                    if ahead is None:
                        return
                    page, ahead = ahead.result(), None
                    if not page:
                        return
            finally:
                if ahead is not None:  # the reader stopped early: drop the page asked for
                    ahead.cancel()

    def last_position(self) -> int:
        """The log position of the newest stored event (0 for an empty log)."""
        try:
            return self.recorder.max_notification_id() or 0
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None

    def events_until(self, position: int) -> int:
        """How many events the log holds up to `position` (positions may skip numbers)."""
        try:
            return self.log_reads.events_until(position)
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, position, exc) from None

    def case_pages(self, until: int, size: int = PAGE) -> Generator[list[StoredRow], None, None]:
        """Every case event up to log position `until`, case by case (each case's events in
        version order), `size` rows a page, ending with the first page that comes back short.

        One keyed range read per page on the (id, version) key, which both databases walk in
        order: a reader that folds whole cases holds one case at a time, however the cases'
        events interleave in the log. SQLite and PostgreSQL only (the in-memory store keeps
        no such key, and has no stored read models to build).
        """
        page_of = self.log_reads.case_pages(until, size)

        def read(after: StoredRow | None) -> list[StoredRow]:
            try:
                return page_of(after)
            except UNREADABLE_DATABASE as exc:
                raise _unreadable(self.target.display, 0, exc) from None

        return self._paged(read, size)

    def events_of(self, ids: list[str]) -> list[StoredRow]:
        """Every stored event of the aggregates `ids` (ids as text), in (id, version) order,
        in one query: a page of cases read at once, however their events interleave."""
        if not ids:
            return []
        try:
            return self.log_reads.events_of(ids)
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None

    def continued(self, versions: dict[str, int]) -> set[str]:
        """Which of these aggregates the log holds an event of after the given version: one
        query of point lookups on the (id, version) key, whatever the size of the log (a read
        model asks, for the cases it is about to let go of, whether the log goes on with them)."""
        if not versions:
            return set()
        ids = list(versions)
        try:
            return self.log_reads.continued(ids, [versions[i] + 1 for i in ids])
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None

    def state_at(self, aggregate_id: str, version: int) -> bytes | None:
        found = self.case_rows(aggregate_id, version - 1, version)
        return found[0][1] if found else None

    def case_rows(self, aggregate_id: str, after: int, until: int) -> list[tuple[str, bytes]]:
        """(topic, state) of one aggregate's events after version `after`, up to `until`."""
        try:
            found = self.recorder.select_events(UUID(aggregate_id), gt=after, lte=until)
        except UNREADABLE_DATABASE as exc:
            raise StorageError(
                f"cannot read versions {after + 1}-{until} of {aggregate_id} from "
                f"{self.target.display}: {exc}"
            ) from None
        return [(stored.topic, stored.state) for stored in found]


class CheckedSnapshots(EventStore[UUID]):
    """The snapshot store, yielding only snapshots whose signature holds: a case loaded past an
    edited snapshot is folded from its signed events instead (and `verify` names the edit)."""

    def __init__(self, mapper: Mapper[UUID], recorder: AggregateRecorder) -> None:
        super().__init__(mapper=mapper, recorder=recorder)
        self.holds: Callable[[CaseSnapshot], bool] = lambda _: False

    def get(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for snapshot in super().get(*args, **kwargs):
            if isinstance(snapshot, CaseSnapshot) and self.holds(snapshot):
                yield snapshot
            else:
                logger.warning(
                    "ignored the snapshot of %s at version %s: its signature does not hold "
                    "(run `pmledger verify`); the case is folded from its signed events",
                    getattr(snapshot, "originator_id", "?"),
                    getattr(snapshot, "originator_version", "?"),
                )


def _unreadable(where: str, position: int, exc: Exception) -> StorageError:
    return StorageError(
        f"cannot read the ledger at {where} from log position {position}: the database is "
        f"damaged or unreachable ({type(exc).__name__}: {exc})"
    )
