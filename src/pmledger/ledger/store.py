"""The eventsourcing application that stores cases and the keyring in one log.

One log (one notification sequence) for cases and keys is what lets `verify` trust a key
exactly from the point where its registration was recorded.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

import orjson
from eventsourcing.application import Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    EventStore,
    IntegrityError,
    InternalError,
    Mapper,
    PersistenceError,
    ProgrammingError,
)
from eventsourcing.popo import POPOAggregateRecorder
from eventsourcing.postgres import PostgresAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder
from eventsourcing.utils import Environment, EnvType, get_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from pmledger.aggregates.case_snapshot import CaseSnapshot
from pmledger.aggregates.employee_case import EmployeeCase
from pmledger.audit.stored_row import StoredRow
from pmledger.errors import StorageError
from pmledger.integrity.signing import Signer
from pmledger.ledger.mapper import SigningMapper, SnapshotMapper
from pmledger.storage.data_keys import (
    MemoryCaseRecorder,
    PostgresCaseRecorder,
    SQLiteCaseRecorder,
)
from pmledger.storage.target import Target

PAGE = 1000
CASE_CACHE_SIZE = 256
"""Cases kept loaded per store (least recently used first out). A cached case is brought up
to date from the log on every load (eventsourcing's fast-forward), so another writer's acts
are seen as before; only the replay of events already folded is saved."""
DDL_ATTEMPTS = 8
UNREADABLE_DATABASE = (PersistenceError, sqlite3.Error)
"""What a damaged or unreachable database raises (sqlite3's own errors escape eventsourcing
when a new connection meets a damaged file)."""

T = TypeVar("T")
CASE_TOPICS = "pmledger.case/"
"""What every case event's topic starts with (keyring and access events are not cases)."""
CasePage = Callable[[StoredRow | None], list[StoredRow]]
"""Reads a page of case rows in (id, version) order after the given row (None: the first)."""


def sqlite_case_page_query(table: str) -> str:
    """The next page of case rows after an (id, version) key, up to a log position: a range
    on the primary key, walked in key order (no sort of the log for each page)."""
    return (
        "SELECT rowid, originator_id, originator_version, topic, state "
        f"FROM {table} WHERE (originator_id, originator_version) > "
        f"(?, ?) AND rowid <= ? AND topic LIKE '{CASE_TOPICS}%' "
        "ORDER BY originator_id, originator_version LIMIT ?"
    )


def postgres_case_page_query(schema: str, table: str) -> Composed:
    """`sqlite_case_page_query` on PostgreSQL. The id comes back as text under another name:
    named `originator_id`, the ORDER BY would mean the text column, which no index holds,
    and every page would sort the whole log (a million-event rebuild took 253 s, not 31)."""
    return SQL(
        "SELECT notification_id, originator_id::text AS case_id, originator_version, topic, "
        "state FROM {}.{} WHERE (originator_id, originator_version) > (%s::uuid, %s) "
        f"AND notification_id <= %s AND topic LIKE '{CASE_TOPICS}%%' "
        "ORDER BY originator_id, originator_version LIMIT %s"
    ).format(Identifier(schema), Identifier(table))


class RowPages(Protocol):
    """Reads up to `limit` stored rows from log position `position` on (of `topics`, if any)."""

    def __call__(
        self, position: int, topics: tuple[str, ...], limit: int = PAGE
    ) -> list[StoredRow]: ...


_RECORDERS: dict[str, type[ApplicationRecorder]] = {
    "sqlite": SQLiteCaseRecorder,
    "postgres": PostgresCaseRecorder,
}
"""Event recorders by target kind, configured through eventsourcing's recorder topic."""


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
    name = "pmledger"

    def __init__(self, target: Target, signer: Signer) -> None:
        self._signer = signer
        self.target = target
        recorder = _RECORDERS.get(target.kind)
        env = {
            "AGGREGATE_CACHE_MAXSIZE": str(CASE_CACHE_SIZE),
            **target.env,
            "IS_SNAPSHOTTING_ENABLED": "y",
        }
        if recorder is not None:
            env["APPLICATION_RECORDER_TOPIC"] = get_topic(recorder)
        super().__init__(env=env)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        return Environment(name, dict(env or {}))

    def construct_recorder(self) -> ApplicationRecorder:
        """Event recorders that also store new data keys (eventsourcing's in-memory factory
        ignores a configured recorder class, so that one is built here)."""
        if self.target.kind == "memory":
            return MemoryCaseRecorder()
        return super().construct_recorder()

    def construct_mapper(self) -> Mapper[UUID]:
        return SigningMapper(self._signer)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        recorder = self.factory.aggregate_recorder(purpose="snapshots")
        return EventStore(mapper=SnapshotMapper(), recorder=recorder)

    def snapshot(self, case: EmployeeCase, when: datetime) -> None:
        assert self.snapshots is not None
        self.snapshots.put([CaseSnapshot.take(case, when)])

    def all_snapshot_heads(self) -> dict[tuple[str, int], str | None]:
        """(case id, version) → head of every stored snapshot, in one query, for `verify` to
        hold against the chain as it streams; None for a snapshot too damaged to name one."""
        heads: dict[tuple[str, int], str | None] = {}
        for aggregate_id, version, state in self._snapshot_rows():
            try:
                head = orjson.loads(state)["state"]["head"]
            except (ValueError, KeyError, TypeError):
                head = None
            heads[(str(aggregate_id), version)] = head if isinstance(head, str) else None
        return heads

    def _snapshot_rows(self) -> list[tuple[UUID, int, bytes]]:
        recorder = self.snapshots.recorder if self.snapshots is not None else None
        try:
            if isinstance(recorder, SQLiteAggregateRecorder):
                with recorder.datastore.transaction(commit=False) as c:
                    c.execute(
                        "SELECT originator_id, originator_version, state "
                        f"FROM {recorder.events_table_name}"
                    )
                    return [(UUID(r[0]), r[1], bytes(r[2])) for r in c.fetchall()]
            if isinstance(recorder, PostgresAggregateRecorder):
                query = SQL("SELECT originator_id, originator_version, state FROM {}.{}").format(
                    Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
                )
                with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
                    curs.execute(query)
                    return [
                        (r["originator_id"], r["originator_version"], bytes(r["state"]))
                        for r in curs.fetchall()
                    ]
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None
        if isinstance(recorder, POPOAggregateRecorder):
            return [
                (UUID(str(s.originator_id)), s.originator_version, s.state)
                for s in recorder._stored_events
            ]
        return []

    def rows(self, *, start: int = 1, topics: tuple[str, ...] = ()) -> Iterator[StoredRow]:
        """Every stored event in log order, a page at a time (never the whole log at once)."""
        for page in self.row_pages(start, PAGE, topics):
            yield from page

    def row_pages(
        self, start: int, size: int = PAGE, topics: tuple[str, ...] = ()
    ) -> Generator[list[StoredRow], None, None]:
        """Pages of up to `size` stored rows from log position `start` on (of `topics`, if
        any), ending with the first page that comes back short."""
        page_of = self._row_pages()

        def read(after: StoredRow | None) -> list[StoredRow]:
            position = start if after is None else after.position + 1
            try:
                return page_of(position, topics, size)
            except UNREADABLE_DATABASE as exc:
                raise _unreadable(self.target.display, position, exc) from None

        return self._paged(read, size)

    def _paged(
        self, read: Callable[[StoredRow | None], list[StoredRow]], size: int
    ) -> Generator[list[StoredRow], None, None]:
        """The pages `read` gives, each asked for with the last row of the page before (None
        for the first), ending with the first page that comes back short.

        On PostgreSQL the next page is asked for while the caller works through this one
        (one page ahead, in one helper thread), so the server's time is not added to the
        reader's: `verify` spends it checking signatures, the read models folding. The first
        page is read in the caller's thread, so a reader that finds one page (the read models
        brought up after a record) starts no thread.
        """
        page = read(None)
        if not (isinstance(self.recorder, PostgresAggregateRecorder) and len(page) == size):
            while True:
                yield page
                if len(page) < size:
                    return
                page = read(page[-1])
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmledger-rows") as pool:
            ahead: Future[list[StoredRow]] | None = None
            try:
                while True:
                    if len(page) == size:
                        ahead = pool.submit(read, page[-1])
                    yield page
                    if ahead is None:
                        return
                    page, ahead = ahead.result(), None
            finally:
                if ahead is not None:  # the reader stopped early: drop the page asked for
                    ahead.cancel()

    def _row_pages(self) -> RowPages:
        """How to read one page of rows. On SQLite and PostgreSQL: one plain query that yields
        the case id as text and each row as a tuple, instead of eventsourcing's notifications
        (a dict and a UUID per row, turned back into a string here): `verify` and every
        streaming reader pay this per event."""
        recorder = self.recorder
        if isinstance(recorder, SQLiteAggregateRecorder):
            return self._sqlite_page(recorder)
        if isinstance(recorder, PostgresAggregateRecorder):
            return self._postgres_page(recorder)

        def notifications(
            position: int, topics: tuple[str, ...], limit: int = PAGE
        ) -> list[StoredRow]:
            page = self.recorder.select_notifications(start=position, limit=limit, topics=topics)
            return [
                StoredRow(n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
                for n in page
            ]

        return notifications

    @staticmethod
    def _sqlite_page(
        recorder: SQLiteAggregateRecorder,
    ) -> RowPages:
        select = (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {recorder.events_table_name} WHERE rowid>=? "
        )

        ids: dict[str, str] = {}
        """Stored id (UUID hex) → its canonical text, once per case rather than once per row."""

        def text_id(stored: str) -> str:
            text = ids.get(stored)
            if text is None:
                text = ids[stored] = str(UUID(stored))
            return text

        def page(position: int, topics: tuple[str, ...], limit: int = PAGE) -> list[StoredRow]:
            where = f"AND topic IN ({','.join('?' * len(topics))}) " if topics else ""
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(f"{select}{where}ORDER BY rowid LIMIT ?", (position, *topics, limit))
                return [StoredRow(r[0], text_id(r[1]), r[2], r[3], r[4]) for r in c.fetchall()]

        return page

    @staticmethod
    def _postgres_page(
        recorder: PostgresAggregateRecorder,
    ) -> RowPages:
        select = SQL(
            "SELECT notification_id, originator_id::text, originator_version, topic, state "
            "FROM {}.{} WHERE notification_id>=%s"
        ).format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        order = SQL(" ORDER BY notification_id LIMIT %s")
        with_topics = select + SQL(" AND topic = ANY(%s)") + order
        without_topics = select + order

        def page(position: int, topics: tuple[str, ...], limit: int = PAGE) -> list[StoredRow]:
            with (
                recorder.datastore.get_connection() as conn,
                conn.cursor(row_factory=tuple_row) as curs,
            ):
                if topics:
                    curs.execute(with_topics, (position, list(topics), limit), prepare=True)
                else:
                    curs.execute(without_topics, (position, limit), prepare=True)
                return [StoredRow(r[0], r[1], r[2], r[3], r[4]) for r in curs.fetchall()]

        return page

    def last_position(self) -> int:
        """The log position of the newest stored event (0 for an empty log)."""
        try:
            return self.recorder.max_notification_id() or 0
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None

    def events_until(self, position: int) -> int:
        """How many events the log holds up to `position` (positions may skip numbers)."""
        recorder = self.recorder
        try:
            if isinstance(recorder, SQLiteAggregateRecorder):
                with recorder.datastore.transaction(commit=False) as c:
                    c.execute(
                        f"SELECT COUNT(*) FROM {recorder.events_table_name} WHERE rowid<=?",
                        (position,),
                    )
                    return int(c.fetchone()[0])
            if isinstance(recorder, PostgresAggregateRecorder):
                query = SQL("SELECT COUNT(*) FROM {}.{} WHERE notification_id<=%s").format(
                    Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
                )
                with (
                    recorder.datastore.get_connection() as conn,
                    conn.cursor(row_factory=tuple_row) as curs,
                ):
                    curs.execute(query, (position,))
                    row = curs.fetchone()
                    return int(row[0]) if row else 0
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, position, exc) from None
        return sum(1 for row in self.rows() if row.position <= position)

    def case_pages(self, until: int, size: int = PAGE) -> Generator[list[StoredRow], None, None]:
        """Every case event up to log position `until`, case by case (each case's events in
        version order), `size` rows a page, ending with the first page that comes back short.

        One keyed range read per page on the (id, version) key, which both databases walk in
        order: a reader that folds whole cases holds one case at a time, however the cases'
        events interleave in the log. SQLite and PostgreSQL only (the in-memory store keeps
        no such key, and has no stored read models to build).
        """
        recorder = self.recorder
        if isinstance(recorder, SQLiteAggregateRecorder):
            page_of = self._sqlite_case_page(recorder, until, size)
        elif isinstance(recorder, PostgresAggregateRecorder):
            page_of = self._postgres_case_page(recorder, until, size)
        else:
            raise StorageError(f"{self.target.display} cannot be read case by case")

        def read(after: StoredRow | None) -> list[StoredRow]:
            try:
                return page_of(after)
            except UNREADABLE_DATABASE as exc:
                raise _unreadable(self.target.display, 0, exc) from None

        return self._paged(read, size)

    @staticmethod
    def _sqlite_case_page(recorder: SQLiteAggregateRecorder, until: int, size: int) -> CasePage:
        select = sqlite_case_page_query(recorder.events_table_name)

        def page(after: StoredRow | None) -> list[StoredRow]:
            key = ("", 0) if after is None else (UUID(after.aggregate_id).hex, after.version)
            with recorder.datastore.transaction(commit=False) as c:
                c.execute(select, (*key, until, size))
                found = c.fetchall()
            rows: list[StoredRow] = []
            stored, text = "", ""
            for r in found:
                if r[1] != stored:
                    stored, text = r[1], str(UUID(r[1]))
                rows.append(StoredRow(r[0], text, r[2], r[3], r[4]))
            return rows

        return page

    @staticmethod
    def _postgres_case_page(recorder: PostgresAggregateRecorder, until: int, size: int) -> CasePage:
        select = postgres_case_page_query(recorder.datastore.schema, recorder.events_table_name)

        def page(after: StoredRow | None) -> list[StoredRow]:
            key = (str(UUID(int=0)), 0) if after is None else (after.aggregate_id, after.version)
            with (
                recorder.datastore.get_connection() as conn,
                conn.cursor(row_factory=tuple_row) as curs,
            ):
                curs.execute(select, (*key, until, size), prepare=True)
                return [StoredRow(r[0], r[1], r[2], r[3], r[4]) for r in curs.fetchall()]

        return page

    def continued(self, versions: dict[str, int]) -> set[str]:
        """Which of these aggregates the log holds an event of after the given version: one
        query of point lookups on the (id, version) key, whatever the size of the log (a read
        model asks, for the cases it is about to let go of, whether the log goes on with them)."""
        if not versions:
            return set()
        recorder = self.recorder
        ids = list(versions)
        nexts = [versions[i] + 1 for i in ids]
        try:
            if isinstance(recorder, SQLiteAggregateRecorder):
                pairs = ",".join("(?,?)" for _ in ids)
                with recorder.datastore.transaction(commit=False) as c:
                    c.execute(  # a join, which SQLite plans as lookups (not `IN (VALUES…)`)
                        f"WITH n(id, v) AS (VALUES {pairs}) SELECT e.originator_id FROM n "
                        f"JOIN {recorder.events_table_name} e "
                        "ON e.originator_id = n.id AND e.originator_version = n.v",
                        [v for i, n in zip(ids, nexts, strict=True) for v in (UUID(i).hex, n)],
                    )
                    return {str(UUID(r[0])) for r in c.fetchall()}
            if isinstance(recorder, PostgresAggregateRecorder):
                query = SQL(
                    "SELECT e.originator_id::text FROM unnest(%s::uuid[], %s::bigint[]) "
                    "AS n(id, v) JOIN {}.{} e ON e.originator_id = n.id "
                    "AND e.originator_version = n.v"
                ).format(
                    Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
                )
                with (
                    recorder.datastore.get_connection() as conn,
                    conn.cursor(row_factory=tuple_row) as curs,
                ):
                    curs.execute(query, (ids, nexts))
                    return {r[0] for r in curs.fetchall()}
        except UNREADABLE_DATABASE as exc:
            raise _unreadable(self.target.display, 0, exc) from None
        return {i for i, n in zip(ids, nexts, strict=True) if self.case_rows(i, n - 1, n)}

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


def _unreadable(where: str, position: int, exc: Exception) -> StorageError:
    return StorageError(
        f"cannot read the ledger at {where} from log position {position}: the database is "
        f"damaged or unreachable ({type(exc).__name__}: {exc})"
    )
