"""The FastAPI router through the example app, on SQLite and PostgreSQL: typed acts in the
OpenAPI schema, JSON views, errors as HTTP statuses with fields, streamed export, and one
Ledger serving a thread pool of concurrent requests."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from examples.fastapi_app import create_app
from fastapi.testclient import TestClient
from tests.core.helpers import ALICE, HR, seeded

from pmledger import CASE_ACTS, Ledger, Role

CASE = f"/pm/cases/{ALICE.organisation}/{ALICE.employee_ref}"
AS_HEAD = {"X-Person": "ht-1", "X-Role": "headteacher"}
AS_HR = {"X-Person": "hr-1", "X-Role": "hr"}


@pytest.fixture
def ledger(backend: str) -> Iterator[Ledger]:
    with seeded(backend) as opened:
        yield opened


@pytest.fixture
def client(ledger: Ledger) -> Iterator[TestClient]:
    with TestClient(create_app(ledger)) as test_client:
        yield test_client


def _invite(n: int, version: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "act": {"kind": "meeting_invited", "meeting_id": f"m-{n}", "purpose": "first_formal",
                "scheduled_for": "2025-11-20"},
        "occurred_on": "2025-11-10",
    }  # fmt: skip
    if version is not None:
        body["expected_version"] = version
    return body


def test_the_openapi_schema_lists_every_act(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    act = schema["components"]["schemas"]["ActRequest"]["properties"]["act"]
    assert act["discriminator"]["propertyName"] == "kind"
    listed = set(act["discriminator"]["mapping"])
    assert listed == {a.model_fields["kind"].default for a in CASE_ACTS}
    assert "MeetingInvited" in schema["components"]["schemas"]
    paths = schema["paths"]
    for view in ("status", "deadlines", "warnings", "findings", "events", "export"):
        assert f"/pm/cases/{{organisation}}/{{employee_ref}}/{view}" in paths


def test_acts_views_and_export_as_json(client: TestClient) -> None:
    recorded = client.post(f"{CASE}/acts", json=_invite(2), headers=AS_HEAD)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["version"] == 5
    status = client.get(f"{CASE}/status", params={"as_of": "2025-11-12"}, headers=AS_HEAD)
    assert status.status_code == 200, status.text
    assert status.json()["version"] == 5
    assert status.json()["as_of"] == "2025-11-12"
    for view in ("deadlines", "warnings", "findings"):
        answered = client.get(f"{CASE}/{view}", params={"as_of": "2025-11-12"}, headers=AS_HEAD)
        assert answered.status_code == 200, answered.text
        assert isinstance(answered.json(), list)
    events = client.get(f"{CASE}/events", headers=AS_HR).json()
    assert [e["act"]["kind"] for e in events][-1] == "meeting_invited"
    bundle = client.get(f"{CASE}/export", params={"as_of": "2025-11-12"}, headers=AS_HR)
    assert bundle.status_code == 200, bundle.text
    assert bundle.headers["content-type"] == "application/zip"
    assert "E-001-bundle.zip" in bundle.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as bundle_zip:
        assert "manifest.json" in bundle_zip.namelist()


def test_errors_answer_with_their_status_and_fields(client: TestClient, ledger: Ledger) -> None:
    assert client.get(f"{CASE}/status").status_code == 401
    bad = _invite(2)
    bad["act"]["purpose"] = "tea"
    assert client.post(f"{CASE}/acts", json=bad).status_code == 401, "who asks comes first"
    answered = client.post(f"{CASE}/acts", json=bad, headers=AS_HEAD)
    assert answered.status_code == 422
    assert any(e["loc"][-1] == "purpose" for e in answered.json()["detail"])
    stranger = {"X-Person": "emp-9", "X-Role": "employee"}
    ledger.register_person("emp-9", (Role.EMPLOYEE,), by=HR)
    refused = client.get(f"{CASE}/status", headers=stranger)
    assert refused.status_code == 403
    assert refused.json()["detail"]["error"] == "AccessDenied"
    unknown = client.get("/pm/cases/trust/E-404/status", headers=AS_HR)
    assert unknown.status_code == 404
    stale = client.post(f"{CASE}/acts", json=_invite(3, version=2), headers=AS_HEAD)
    assert stale.status_code == 409
    assert stale.json()["detail"]["error"] == "ConcurrencyConflict"
    assert ledger.reader(HR).case(ALICE).version == 4, "nothing was stored"


def test_thirty_concurrent_status_reads_by_one_person(client: TestClient) -> None:
    def read(_: int) -> tuple[int, str | None]:
        answered = client.get(f"{CASE}/status", params={"as_of": "2025-10-20"}, headers=AS_HEAD)
        failed = answered.status_code != 200
        return answered.status_code, answered.json()["detail"]["error"] if failed else None

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = Counter(pool.map(read, range(30)))
    assert outcomes == Counter({(200, None): 30}), "every concurrent read succeeds"


def test_concurrent_writes_give_typed_conflicts_only(client: TestClient, ledger: Ledger) -> None:
    def write(n: int) -> tuple[int, str | None]:
        answered = client.post(f"{CASE}/acts", json=_invite(10 + n, version=4), headers=AS_HEAD)
        body = answered.json()
        return answered.status_code, body["detail"][
            "error"
        ] if answered.status_code >= 400 else None

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = Counter(pool.map(write, range(8)))
    assert outcomes == {(201, None): 1, (409, "ConcurrencyConflict"): 7}
    assert ledger.reader(HR).case(ALICE).version == 5


def test_export_redacts_on_a_ground_from_the_list_and_refuses_any_other(
    client: TestClient,
) -> None:
    """Issue 20: the exporter's redactions through the web API, as on the command line."""
    query = {"as_of": "2025-11-12", "redact": ["v3=legal_privilege"]}
    bundle = client.get(f"{CASE}/export", params=query, headers=AS_HR)
    assert bundle.status_code == 200, bundle.text
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as bundle_zip:
        listed = json.loads(bundle_zip.read("redactions.json"))["redactions"]
    assert [(r["version"], r["ground"]) for r in listed] == [(3, "legal_privilege")]
    query["redact"] = ["v3=commercial"]
    refused = client.get(f"{CASE}/export", params=query, headers=AS_HR)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"]["error"] == "InvalidInput"
    assert refused.json()["detail"]["fields"][0]["field"] == "redact.ground"
