"""Connections as libpq means them: every libpq parameter in the DSN is honoured (TLS,
Unix sockets, application_name), the pool is sized and closes idle connections as the DSN
says, and a connection that cannot be made is a typed error saying why.

Run against a throwaway cluster with TLS made at test time (the shared `tls_cluster` fixture,
see `pg_cluster`). Before, `sslmode=require` connected in plaintext and every failure read
"couldn't get a connection after 5.00 sec".
"""

from __future__ import annotations

import time

import psycopg
import pytest
from tests.storage.pg_cluster import PASSWORD, Cluster

from pmledger.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    ConnectionRefused,
    DatabaseMissing,
    LedgerNotFound,
    StorageError,
    TLSFailed,
)
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger


def _session(ledger: Ledger, query: str) -> object:
    """A value about the ledger's own pooled connection, as the server sees it."""
    datastore = ledger._store.recorder.datastore  # type: ignore[attr-defined]
    with datastore.get_connection() as conn:
        row = conn.execute(query).fetchone()
    return next(iter(row.values()))


def test_sslmode_require_connects_encrypted(tls_cluster: Cluster) -> None:
    with Ledger.open(
        tls_cluster.dsn(sslmode="require", schema="tls"), keystore=MemoryKeyStore(), create=True
    ) as ledger:
        ledger.bootstrap("admin-1")
        assert _session(ledger, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    with Ledger.open(tls_cluster.dsn(sslmode="disable", schema="tls")) as ledger:
        assert not _session(ledger, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        assert len(ledger.keyring().keys) == 1


def test_verify_full_checks_the_server_against_the_root_given(tls_cluster: Cluster) -> None:
    wrong = tls_cluster.dsn(sslmode="verify-full", sslrootcert=str(tls_cluster.wrong_root))
    with pytest.raises(TLSFailed, match="certificate"):
        Ledger.open(wrong, create=True)
    right = tls_cluster.dsn(
        sslmode="verify-full", sslrootcert=str(tls_cluster.root_cert), schema="vf"
    )
    with Ledger.open(right, create=True) as ledger:
        assert _session(ledger, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")


def test_a_user_the_server_allows_only_over_tls_gets_the_tls_error(tls_cluster: Cluster) -> None:
    with pytest.raises(TLSFailed, match="no encryption"):
        Ledger.open(tls_cluster.dsn(user="alice", password=PASSWORD, sslmode="disable"))


def test_each_failure_says_which(tls_cluster: Cluster) -> None:
    with pytest.raises(DatabaseMissing, match='"nosuchdb" does not exist'):
        Ledger.open(tls_cluster.dsn(database="nosuchdb"), create=True)
    with pytest.raises(AuthenticationFailed, match="password authentication failed"):
        Ledger.open(tls_cluster.dsn(user="alice", password="wrong", sslmode="require"), create=True)
    closed = tls_cluster.dsn().replace(f":{tls_cluster.port}/", ":1/")
    with pytest.raises(ConnectionRefused, match="refused"):
        Ledger.open(closed, create=True)
    with pytest.raises(StorageError, match="sslmode"):
        Ledger.open(tls_cluster.dsn(sslmode="sometimes"))
    assert issubclass(DatabaseMissing, LedgerNotFound), "a missing database holds no ledger"


def test_a_connection_lost_at_its_first_query_is_not_a_failure_to_connect(
    tls_cluster: Cluster,
) -> None:
    """The server drops the connection as the first query runs (as when an administrator
    terminates the backend, or the server restarts): it was not a failure to connect, whose
    advice would have the operator check a DSN that worked, but the "cannot open ledger" a
    connection lost later gives, saying nothing was touched and to run the command again.
    The drop is made certain, not raced: a `to_regclass` ahead of pg_catalog on the search
    path (set in the DSN) terminates its own backend. Before, this read "cannot connect to
    database ledger ...", a bare ConnectionFailed with no advice."""
    with psycopg.connect(tls_cluster.dsn(), autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS dropper")
        conn.execute(
            "CREATE OR REPLACE FUNCTION dropper.to_regclass(text) RETURNS regclass "
            "LANGUAGE sql AS $$ SELECT pg_terminate_backend(pg_backend_pid()); "
            "SELECT NULL::regclass $$"
        )
    with pytest.raises(StorageError, match="cannot open ledger") as lost:
        Ledger.open(tls_cluster.dsn(schema="dropper", options="-csearch_path=dropper,pg_catalog"))
    assert not isinstance(lost.value, ConnectionFailed), lost.value
    assert "connection was lost" in str(lost.value)
    assert "nothing was read or written" in str(lost.value)
    assert "run the command again" in str(lost.value)


def test_a_unix_socket_and_application_name_reach_libpq(tls_cluster: Cluster) -> None:
    dsn = (
        f"postgresql:///ledger?host={tls_cluster.sockets}&port={tls_cluster.port}&user=postgres"
        "&application_name=pmledger-sockets&schema=sock"
    )
    with Ledger.open(dsn, keystore=MemoryKeyStore(), create=True) as ledger:
        assert _session(ledger, "SELECT inet_server_addr() IS NULL AS local")
        assert _session(ledger, "SELECT current_setting('application_name')") == (
            "pmledger-sockets"
        )


def test_a_space_in_a_dsn_value_reaches_libpq_as_a_space(tls_cluster: Cluster) -> None:
    """`options=-c search_path=...` is how libpq sets a session parameter; the DSN's query is
    re-encoded for libpq once pmledger's own parameters are taken out, and a space must stay
    a space there (it reached libpq as "+", which the server refused)."""
    dsn = tls_cluster.dsn(
        schema="spaced", application_name="pm%20ledger", options="-c%20statement_timeout%3D4321"
    )
    with Ledger.open(dsn, keystore=MemoryKeyStore(), create=True) as ledger:
        assert _session(ledger, "SELECT current_setting('application_name')") == "pm ledger"
        assert _session(ledger, "SELECT current_setting('statement_timeout')") == "4321ms"


def _connections(tls_cluster: Cluster, name: str) -> int:
    with psycopg.connect(tls_cluster.dsn(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchone()
    return int(row[0]) if row else 0


def test_the_pool_is_sized_by_the_dsn_and_closes_idle_connections(tls_cluster: Cluster) -> None:
    """pool_size=0: no connection is kept while idle; max_idle=1: one opened for a read is
    closed a second or so after it was last used."""
    dsn = tls_cluster.dsn(
        schema="pool", application_name="pmledger-pool", pool_size="0", max_idle="1"
    )
    with Ledger.open(dsn, keystore=MemoryKeyStore(), create=True) as ledger:
        ledger.bootstrap("admin-1")
        assert len(ledger.keyring().keys) == 1
        deadline = time.monotonic() + 15
        while _connections(tls_cluster, "pmledger-pool") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _connections(tls_cluster, "pmledger-pool") == 0
        assert ledger._store.last_position() == 1, "and it connects again when asked"
    with pytest.raises(StorageError, match="pool_size"):
        Ledger.open(tls_cluster.dsn(pool_size="many"))
