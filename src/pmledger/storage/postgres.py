"""The ledger on PostgreSQL: every table beside eventsourcing's, in the ledger's schema.

One module per backend, as eventsourcing's own `postgres.py`: the tracked tables' dialect,
the event recorder that also stores data keys, the read models, the checkpoint tables, the
data keys, the plain reads of the log, and the `Factory` that builds them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    StoredEvent,
    Tracking,
)
from eventsourcing.postgres import (
    ConnectionPool,
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresDatastore,
    PostgresFactory,
    PostgresTrackingRecorder,
)
from eventsourcing.utils import Environment, EnvType
from psycopg import Connection, Cursor
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow, dict_row, tuple_row
from psycopg.sql import SQL, Composed, Identifier

from pmledger.audit.stored_row import StoredLeaf, StoredRow
from pmledger.crypto.data_keys import DataKeys
from pmledger.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    ConnectionRefused,
    DatabaseMissing,
    StorageError,
    TLSFailed,
)
from pmledger.ids import KEYRING_ID
from pmledger.integrity.merkle import LEAF_PREFIX
from pmledger.storage.checkpoints import MerkleTables
from pmledger.storage.data_keys import NEW_DATA_KEYS, DataKeyTable, NewDataKeys, data_key_of
from pmledger.storage.documents import (
    NEW_DOCUMENTS,
    DocumentStore,
    DocumentTable,
    write_documents,
)
from pmledger.storage.factory import (
    CASE_TOPICS,
    PAGE,
    CasePage,
    LeafPages,
    LogReads,
    RowPages,
    StorageFactory,
    WriteReads,
)
from pmledger.storage.imports import NEW_IMPORT_MARK, ImportMarks, write_import_mark
from pmledger.storage.target import POOL_PARAMS
from pmledger.storage.tracked import TrackedTables
from pmledger.storage.views import CaseViews


class PostgresTables(PostgresTrackingRecorder, TrackedTables):
    """`TrackedTables` in the ledger's schema: quoted schema prefix, `%s` parameters."""

    datastore: PostgresDatastore

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(
            SQL(s.format(t=self._prefix(), blob="BYTEA")).format() for s in self.ddl
        )

    def _prefix(self) -> str:
        return f'"{self.datastore.schema}".'

    def _q(self, statement: str, **extra: str) -> str:
        return statement.format(t=self._prefix(), **extra).replace("?", "%s")

    def _tx(self, *, commit: bool) -> AbstractContextManager[Any]:
        return self.datastore.transaction(commit=commit)

    def _read(self) -> AbstractContextManager[Any]:
        return self.datastore.cursor()  # the pool's connections commit each statement

    def _track(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def _tracking_table(self) -> str:
        return f'{{t}}"{self.tracking_table_name}"'

    def _insert_rows(
        self,
        cursor: Any,
        table: str,
        types: tuple[str, ...],
        rows: Sequence[Sequence[Any]],
        conflict: str,
    ) -> None:
        """One statement whatever the number of rows, each column sent as an array:
        `executemany` sends a statement a row, and a VALUES list as long as the rows costs
        psycopg more to parse than the database to run (checkpoint profiles, issue 22).

        Binary columns go in binary (`%b`): as text each hash is hex-escaped into the array's
        literal and parsed back by the server, which made the checkpoint's inserts of nodes
        3-4 times slower (issue 22, helper h26ckp); the others stay text, which any value,
        NULL included, can be sent as."""
        if not rows:
            return
        arrays = ",".join("%b::bytea[]" if t == "blob" else f"%s::{t}[]" for t in types)
        cursor.execute(
            f"INSERT INTO {self._prefix()}{table} SELECT * FROM unnest({arrays}) {conflict}",
            [list(column) for column in zip(*rows, strict=True)],
        )

    def _pipelined(self, cursor: Any) -> AbstractContextManager[Any]:
        return cast(AbstractContextManager[Any], cursor.connection.pipeline())

    def _lock(self, cursor: Any) -> None:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            (f"{self.datastore.schema}.{self.tracking_table_name}.{self.application_name}",),
        )

    def _has_table(self, cursor: Any, table: str) -> bool:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL AS found", (self._prefix() + table,))
        return bool(cursor.fetchone()["found"])


class PostgresImportMarks(PostgresTables, ImportMarks):
    """Import marks in the ledger's PostgreSQL schema."""


class PostgresDataKeyTable(PostgresTables, DataKeyTable):
    """Data keys in the ledger's PostgreSQL schema."""

    def _shredding(self, cursor: Any) -> None:
        pass  # an UPDATE never overwrites in place here: `_scrub` removes the old version

    def _scrub(self) -> None:
        """VACUUM the key table: the UPDATE that destroyed a key left the row version holding
        it in the table's pages, dead but readable from the files, until vacuumed. Only the
        pages changed since the last VACUUM are visited, so this costs a page or two."""
        table = SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier("pml_data_key"))
        with self.datastore.get_connection() as conn:  # autocommit: VACUUM needs no transaction
            conn.execute(SQL("VACUUM {}").format(table))


class PostgresCaseViews(PostgresTables, CaseViews):
    """Case read models in the ledger's PostgreSQL schema."""


class PostgresMerkleTables(PostgresTables, MerkleTables):
    """The Merkle tables in the ledger's PostgreSQL schema."""


class PostgresCaseRecorder(PostgresApplicationRecorder):
    """The event recorder on PostgreSQL, storing new data keys as `SQLiteCaseRecorder` does.

    The keys go in after the events (on their own cursor, which leaves the events' cursor to
    return their notification ids), under eventsourcing's lock on the events table, so two
    writers never wait on each other's uncommitted key: a key stored first by another writer
    is a unique violation the pipeline reports as an IntegrityError (a conflict), where a key
    insert that had waited on the other transaction aborted the pipeline instead.

    The events go in as four column arrays in binary, not as eventsourcing's array of its
    composite type: psycopg dumps a composite array in Python, quoting every field as text,
    which for a batch of 100 signed rows (≈ 1.2 KB each) cost ≈ 50 µs of client CPU a row,
    as much as the rest of the save; the arrays cost ≈ 4 µs (issue 22). The same rows in the
    same order, under the same table lock and notification, returning the same ids.
    """

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._insert_columns = SQL(
            "INSERT INTO {}.{} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::uuid[], %b::integer[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(Identifier(datastore.schema), Identifier(self.events_table_name))

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """Documents go in before the events: an error raised here (a document that is not
        the one its act names) rolls the transaction back, where eventsourcing commits the
        transaction before re-raising an error from inserting the events."""

        def execute(statement: str, values: Sequence[Any]) -> None:
            curs.execute(statement.replace("?", "%s"), values)

        prefix = f'"{self.datastore.schema}".'
        write_documents(execute, prefix, kwargs.get(NEW_DOCUMENTS, ()))
        write_import_mark(execute, prefix, kwargs.get(NEW_IMPORT_MARK))

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        """eventsourcing's insert (lock, notify, insert returning the notification ids) with
        the rows as column arrays; then the batch's new data keys."""
        self._lock_table(curs)
        self._notify_channel(curs)
        curs.execute(
            self._insert_columns,
            (
                [e.originator_id for e in stored_events],
                [e.originator_version for e in stored_events],
                [e.topic for e in stored_events],
                [e.state for e in stored_events],
            ),
        )
        new_keys: NewDataKeys = kwargs.get(NEW_DATA_KEYS, ())
        if new_keys:
            insert = SQL("INSERT INTO {}.pml_data_key VALUES (%s,%s,%s,NULL,NULL)").format(
                Identifier(self.datastore.schema)
            )
            with curs.connection.cursor() as keys_cursor:
                keys_cursor.executemany(insert, new_keys)


class PostgresDocumentTable(PostgresTables, DocumentTable):
    """Documents, sealed chunk by chunk, in the ledger's PostgreSQL schema."""


def case_page_query(schema: str, table: str) -> Composed:
    """The next page of case rows after an (id, version) key, up to a log position. The id
    comes back as text under another name: named `originator_id`, the ORDER BY would mean the
    text column, which no index holds, and every page would sort the whole log (a
    million-event rebuild took 253 s, not 31)."""
    return SQL(
        "SELECT notification_id, originator_id::text AS case_id, originator_version, topic, "
        "state FROM {}.{} WHERE (originator_id, originator_version) > (%s::uuid, %s) "
        f"AND notification_id <= %s AND topic LIKE '{CASE_TOPICS}%%' "
        "ORDER BY originator_id, originator_version LIMIT %s"
    ).format(Identifier(schema), Identifier(table))


class PostgresLog(LogReads):
    """Plain, prepared queries that yield the case id as text and each row as a tuple,
    instead of eventsourcing's notifications (a dict and a UUID per row)."""

    reads_ahead = True

    def __init__(self, events: PostgresAggregateRecorder, snapshots: AggregateRecorder | None):
        self._events = events
        self._snapshots = snapshots

    def _table(self, recorder: PostgresAggregateRecorder) -> tuple[Identifier, Identifier]:
        return Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)

    def for_write(
        self,
        events: AggregateRecorder,
        keys: DataKeys,
        case_id: UUID,
        case_from: int,
        keyring_after: int,
    ) -> WriteReads:
        """The three reads in one pipeline: one round trip to the server, not three."""
        assert isinstance(events, PostgresAggregateRecorder)
        schema, table = self._table(events)
        rows = SQL(
            "SELECT originator_id, originator_version, topic, state FROM {}.{} "
            "WHERE originator_id=%s AND originator_version>=%s ORDER BY originator_version"
        ).format(schema, table)
        key_rows = SQL(
            "SELECT case_id, category, key, destroyed_on, rule FROM {}.pml_data_key "
            "WHERE case_id=%s"
        ).format(schema)
        with events.datastore.get_connection() as conn:
            with conn.pipeline():
                case = conn.cursor(row_factory=tuple_row)
                case.execute(rows, (case_id, case_from), prepare=True)
                ring = conn.cursor(row_factory=tuple_row)
                ring.execute(rows, (KEYRING_ID, keyring_after + 1), prepare=True)
                found = conn.cursor(row_factory=dict_row)
                found.execute(key_rows, (str(case_id),), prepare=True)
            return WriteReads(
                [StoredEvent(r[0], r[1], r[2], bytes(r[3])) for r in case.fetchall()],
                [StoredEvent(r[0], r[1], r[2], bytes(r[3])) for r in ring.fetchall()],
                {(r["case_id"], r["category"]): data_key_of(r) for r in found.fetchall()},
            )

    def row_pages(self) -> RowPages:
        recorder = self._events
        select = SQL(
            "SELECT notification_id, originator_id::text, originator_version, topic, state "
            "FROM {}.{} WHERE notification_id>=%s"
        ).format(*self._table(recorder))
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

    def leaf_pages(self) -> LeafPages:
        """The server hashes each row (`integrity.merkle.leaf_hash`, with the same prefix,
        sent as a parameter): 32 bytes travel a row instead of the row's bytes."""
        recorder = self._events
        select = SQL(
            "SELECT notification_id, originator_id::text, originator_version, "
            "sha256(%s::bytea || state) FROM {}.{} WHERE notification_id>=%s "
            "ORDER BY notification_id LIMIT %s"
        ).format(*self._table(recorder))

        def page(position: int, limit: int) -> list[StoredLeaf]:
            with (
                recorder.datastore.get_connection() as conn,
                conn.cursor(row_factory=tuple_row) as curs,
            ):
                curs.execute(select, (LEAF_PREFIX, position, limit), prepare=True)
                return [StoredLeaf(r[0], r[1], r[2], r[3]) for r in curs.fetchall()]

        return page

    def case_pages(self, until: int, size: int) -> CasePage:
        recorder = self._events
        select = case_page_query(recorder.datastore.schema, recorder.events_table_name)

        def page(after: StoredRow | None) -> list[StoredRow]:
            key = (str(UUID(int=0)), 0) if after is None else (after.aggregate_id, after.version)
            with (
                recorder.datastore.get_connection() as conn,
                conn.cursor(row_factory=tuple_row) as curs,
            ):
                curs.execute(select, (*key, until, size), prepare=True)
                return [StoredRow(r[0], r[1], r[2], r[3], r[4]) for r in curs.fetchall()]

        return page

    def events_of(self, ids: list[str]) -> list[StoredRow]:
        recorder = self._events
        select = SQL(
            "SELECT notification_id, originator_id::text AS case_id, originator_version, topic, "
            "state FROM {}.{} WHERE originator_id = ANY(%s::uuid[]) "
            "ORDER BY originator_id, originator_version"
        ).format(*self._table(recorder))
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(select, (ids,), prepare=True)
            return [StoredRow(r[0], r[1], r[2], r[3], r[4]) for r in curs.fetchall()]

    def snapshot_rows(self) -> list[tuple[UUID, int, bytes]]:
        recorder = self._snapshots
        if not isinstance(recorder, PostgresAggregateRecorder):
            return []
        query = SQL("SELECT originator_id, originator_version, state FROM {}.{}").format(
            *self._table(recorder)
        )
        with recorder.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(query)
            return [
                (r["originator_id"], r["originator_version"], bytes(r["state"]))
                for r in curs.fetchall()
            ]

    def events_until(self, position: int) -> int:
        recorder = self._events
        query = SQL("SELECT COUNT(*) FROM {}.{} WHERE notification_id<=%s").format(
            *self._table(recorder)
        )
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(query, (position,))
            row = curs.fetchone()
            return int(row[0]) if row else 0

    def continued(self, ids: list[str], nexts: list[int]) -> set[str]:
        recorder = self._events
        query = SQL(
            "SELECT e.originator_id::text FROM unnest(%s::uuid[], %s::bigint[]) "
            "AS n(id, v) JOIN {}.{} e ON e.originator_id = n.id "
            "AND e.originator_version = n.v"
        ).format(*self._table(recorder))
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(query, (ids, nexts))
            return {r[0] for r in curs.fetchall()}


class Datastore(PostgresDatastore):
    """eventsourcing's datastore on a pool that connects with the whole libpq conninfo the
    DSN gave (eventsourcing's own passes on only dbname, host, port, user and password, so
    `sslmode=require` connected in plaintext), and closes connections left idle."""

    def __init__(
        self,
        conninfo: str,
        *,
        schema: str,
        pool_size: int,
        max_overflow: int,
        pool_timeout: float,
        max_idle: float,
        lock_timeout: int,
        idle_in_transaction_session_timeout: float,
    ) -> None:
        super().__init__(
            dbname="",
            host="",
            port="",
            user="",
            password="",
            connect_timeout=pool_timeout,
            idle_in_transaction_session_timeout=idle_in_transaction_session_timeout,
            lock_timeout=lock_timeout,
            schema=schema,
        )
        self.conninfo = conninfo
        self.pool = ConnectionPool(
            conninfo=conninfo,
            connection_class=Connection[DictRow],
            kwargs={"row_factory": dict_row},
            min_size=pool_size,
            max_size=max(1, pool_size + max_overflow),
            open=False,
            configure=self.after_connect_func(),
            timeout=pool_timeout,
            max_idle=max_idle,
            name="pmledger",
        )


_FAILURES: tuple[tuple[type[ConnectionFailed], tuple[str, ...], str], ...] = (
    (
        TLSFailed,
        ("ssl", "tls", "certificate", "no encryption"),
        "check sslmode and sslrootcert in the DSN against the server's TLS set-up",
    ),
    (DatabaseMissing, ("database",), "check the database name in the DSN, or create it"),
    (
        AuthenticationFailed,
        ("authentication", "password", "role", "pg_hba.conf"),
        "check the user and password (or the server's pg_hba.conf)",
    ),
    (
        ConnectionRefused,
        ("refused", "timeout", "could not translate", "no such file", "could not connect"),
        "check the host and port (or socket folder) in the DSN and that the server is up",
    ),
)
"""What libpq's message says, in order of precedence (a server that allows only TLS refuses
a plain connection with 'no pg_hba.conf entry ... no encryption')."""


def _where(conninfo: str) -> str:
    """Database, host, port and user of a conninfo: never its password."""
    params = conninfo_to_dict(conninfo)
    return (
        f"database {params.get('dbname', '(default)')} on {params.get('host', '(default host)')}"
        f":{params.get('port', 5432)} as {params.get('user', '(default user)')}"
    )


def connection_failed(conninfo: str, exc: psycopg.OperationalError) -> ConnectionFailed:
    """The typed error for a connection libpq could not make, naming where it went."""
    where = _where(conninfo)
    message = " ".join(str(exc).split())
    detail = message.lower().split(" failed: ", 1)[-1]
    for error, words, advice in _FAILURES:
        if any(word in detail for word in words):
            return error(f"cannot connect to {where}: {message}; {advice}")
    return ConnectionFailed(f"cannot connect to {where}: {message}")


def connection_lost(conninfo: str, exc: psycopg.OperationalError) -> StorageError:
    """The error for a connection made and then lost before the ledger was read (the server
    restarted, or an administrator terminated the backend): not a `ConnectionFailed`, whose
    advice (check the DSN, the password, TLS) would send the operator to fix what worked, but
    the same "cannot open ledger" a connection lost a moment later, in the pool, gives."""
    message = " ".join(str(exc).split())
    return StorageError(
        f"cannot open ledger in {_where(conninfo)}: the connection was lost before anything "
        f"was read ({message}); nothing was read or written — check that the server is up, "
        "then run the command again"
    )


class Factory(PostgresFactory, StorageFactory):
    """eventsourcing's PostgreSQL factory, building pmledger's recorder and tables as well,
    on a datastore made from the conninfo `target` built (`POSTGRES_CONNINFO`)."""

    POSTGRES_CONNINFO = "POSTGRES_CONNINFO"
    POSTGRES_POOL_TIMEOUT = "POSTGRES_POOL_TIMEOUT"
    POSTGRES_MAX_IDLE = "POSTGRES_MAX_IDLE"

    application_recorder_class = PostgresCaseRecorder
    datastore: Datastore

    def __init__(self, env: Environment | EnvType | None) -> None:
        # eventsourcing's own __init__ wants dbname, host, port, user and password apart
        # (and passes nothing else on); the conninfo replaces them all.
        InfrastructureFactory.__init__(self, env)
        setting = self.env.get
        default = {name: value for name, (_, _, value) in POOL_PARAMS.items()}
        self.datastore = Datastore(
            setting(self.POSTGRES_CONNINFO) or "",
            schema=setting(self.POSTGRES_SCHEMA) or "",
            pool_size=int(setting(self.POSTGRES_POOL_SIZE) or default["pool_size"]),
            max_overflow=int(setting(self.POSTGRES_MAX_OVERFLOW) or default["max_overflow"]),
            pool_timeout=float(setting(self.POSTGRES_POOL_TIMEOUT) or default["pool_timeout"]),
            max_idle=float(setting(self.POSTGRES_MAX_IDLE) or default["max_idle"]),
            lock_timeout=int(setting(self.POSTGRES_LOCK_TIMEOUT) or 0),
            idle_in_transaction_session_timeout=float(
                setting(self.POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT) or 5
            ),
        )

    def holds_ledger(self) -> bool:
        """One connection of its own, before the pool: the pool would only say it could not
        get a connection in time, where libpq says why (which `connection_failed` types). A
        connection made and then lost at its first query is `connection_lost`: typed apart,
        since seen as a failure to connect it told the operator to check a DSN that worked."""
        table = f'"{self.datastore.schema}"."{self.env.name.lower()}_events"'
        try:
            conn = psycopg.connect(self.datastore.conninfo, autocommit=True)
        except psycopg.OperationalError as exc:
            raise connection_failed(self.datastore.conninfo, exc) from None
        with conn:
            try:
                row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
            except psycopg.OperationalError as exc:
                raise connection_lost(self.datastore.conninfo, exc) from None
        return bool(row and row[0])

    def make_room(self) -> None:
        if self.datastore.schema != "public":
            with self.datastore.get_connection() as conn:
                conn.execute(
                    SQL("CREATE SCHEMA IF NOT EXISTS {}").format(Identifier(self.datastore.schema))
                )

    def case_views(self) -> CaseViews:
        tables = self.tracking_recorder(PostgresCaseViews)
        assert isinstance(tables, CaseViews)
        return tables

    def merkle_tables(self) -> MerkleTables:
        tables = self.tracking_recorder(PostgresMerkleTables)
        assert isinstance(tables, MerkleTables)
        tables.adopt_old_layout()
        return tables

    def documents(self, recorder: ApplicationRecorder) -> DocumentStore:
        tables = self.tracking_recorder(PostgresDocumentTable)
        assert isinstance(tables, DocumentTable)
        return tables

    def imports(self, recorder: ApplicationRecorder) -> ImportMarks:
        tables = self.tracking_recorder(PostgresImportMarks)
        assert isinstance(tables, ImportMarks)
        return tables

    def data_keys(self, recorder: ApplicationRecorder) -> DataKeys:
        tables = self.tracking_recorder(PostgresDataKeyTable)
        assert isinstance(tables, DataKeyTable)
        return tables

    def log_reads(
        self, events: ApplicationRecorder, snapshots: AggregateRecorder | None
    ) -> LogReads:
        assert isinstance(events, PostgresAggregateRecorder)
        return PostgresLog(events, snapshots)
