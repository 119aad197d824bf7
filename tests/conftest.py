"""Storage backends for tests: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL tests skip only when no server answers at 127.0.0.1:5432; with
PMLEDGER_REQUIRE_POSTGRES=1 (set by .ci/run) a missing server is a failure instead.
Each PostgreSQL test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests.storage.pg_cluster import Cluster, start_cluster, stop_cluster

PG_ADMIN_DSN = os.environ.get("PMLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_answers() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN_DSN, connect_timeout=3, autocommit=True):
            return None
    except psycopg.OperationalError as exc:
        return str(exc)


_PG_PROBLEM = _postgres_answers()


def require_postgres() -> None:
    if _PG_PROBLEM is None:
        return
    if os.environ.get("PMLEDGER_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (PMLEDGER_REQUIRE_POSTGRES=1) but: {_PG_PROBLEM}")
    pytest.skip(f"no PostgreSQL server answers at {PG_ADMIN_DSN}: {_PG_PROBLEM}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty ledger address on each storage backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.sqlite")
        return
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_ADMIN_DSN}?schema={schema}"
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def tls_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster with TLS (a self-signed certificate made now), started
    once per test process and shared by the connection tests and the web tests; each test
    uses its own schema in it."""
    folder = Path(tempfile.mkdtemp(prefix="pmledger-pg-"))
    stop: list[str] = []
    try:
        made, stop = start_cluster(folder)
        yield made
    finally:
        if stop:
            stop_cluster(stop)
        shutil.rmtree(folder, ignore_errors=True)
