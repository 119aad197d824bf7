"""The example FastAPI app over PostgreSQL reached only through TLS, as a school's hosted
database is: the router records and reads through a ledger opened with `sslmode=require`, and
with `verify-full` against the server's root certificate, and every connection the app's
pool holds is encrypted (the server's own `pg_stat_ssl` says so). A `verify-full` DSN naming
the wrong root certificate opens nothing, so no app is served over an unchecked server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from examples.fastapi_app import create_app
from fastapi.testclient import TestClient
from tests.core.helpers import ALICE, seeded
from tests.storage.pg_cluster import Cluster

from pmledger import Ledger
from pmledger.errors import TLSFailed

CASE = f"/pm/cases/{ALICE.organisation}/{ALICE.employee_ref}"
AS_HEAD = {"X-Person": "ht-1", "X-Role": "headteacher"}
AS_HR = {"X-Person": "hr-1", "X-Role": "hr"}
INVITE = {
    "act": {"kind": "meeting_invited", "meeting_id": "m-2", "purpose": "first_formal",
            "scheduled_for": "2025-11-20"},
    "occurred_on": "2025-11-10",
}  # fmt: skip


@contextmanager
def _app_over(dsn: str) -> Iterator[TestClient]:
    with seeded(dsn) as ledger, TestClient(create_app(ledger)) as client:
        yield client


def _encrypted(cluster: Cluster, application: str) -> list[bool]:
    """Whether each connection the app holds is encrypted, as the server sees them."""
    with psycopg.connect(cluster.dsn(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
            "WHERE a.application_name = %s",
            (application,),
        ).fetchall()
    return [bool(row[0]) for row in rows]


def _records_and_reads(client: TestClient) -> None:
    recorded = client.post(f"{CASE}/acts", json=INVITE, headers=AS_HEAD)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["version"] == 5
    status = client.get(f"{CASE}/status", params={"as_of": "2025-11-12"}, headers=AS_HEAD)
    assert status.status_code == 200, status.text
    assert status.json()["version"] == 5
    events = client.get(f"{CASE}/events", headers=AS_HR)
    assert [e["act"]["kind"] for e in events.json()][-1] == "meeting_invited"


@pytest.mark.postgres
@pytest.mark.parametrize("sslmode", ["require", "verify-full"])
def test_the_app_records_and_reads_over_tls(tls_cluster: Cluster, sslmode: str) -> None:
    application = f"pmledger-web-{uuid.uuid4().hex[:8]}"
    params = {"sslmode": sslmode, "schema": f"web_{uuid.uuid4().hex[:8]}"}
    if sslmode == "verify-full":
        params["sslrootcert"] = str(tls_cluster.root_cert)
    with _app_over(tls_cluster.dsn(application_name=application, **params)) as client:
        _records_and_reads(client)
        seen = _encrypted(tls_cluster, application)
        assert seen, "the app's pool holds connections to the server"
        assert all(seen), f"every connection of the app is encrypted: {seen}"


@pytest.mark.postgres
def test_verify_full_with_the_wrong_root_serves_nothing(tls_cluster: Cluster) -> None:
    wrong = tls_cluster.dsn(
        sslmode="verify-full", sslrootcert=str(tls_cluster.wrong_root), schema="web_wrong"
    )
    with pytest.raises(TLSFailed, match="certificate"):
        Ledger.open(wrong, create=True)
