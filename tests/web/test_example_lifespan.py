"""The example host's lifespan: its routes live as long as the ledger they serve."""

from __future__ import annotations

from pathlib import Path

import pytest
from examples import fastapi_app
from fastapi.testclient import TestClient
from tests.core.helpers import ALICE, seeded

from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = "web tests only"
STATUS = f"/pm/cases/{ALICE.organisation}/{ALICE.employee_ref}/status"
HR = {"X-Person": "hr-1", "X-Role": "hr"}


def test_a_restarted_host_serves_its_routes_once_and_none_after_its_ledger_closed(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "keys"
    with seeded(backend, EncryptedFileKeyStore(keys, PASSPHRASE.encode())):
        pass
    monkeypatch.setenv("PMLEDGER_DB", backend)
    monkeypatch.setenv("PMLEDGER_KEYS", str(keys))
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    before = len(fastapi_app.app.router.routes)
    served = []
    for _ in range(2):  # a host restarted in the same process (a reload, a test run)
        with TestClient(fastapi_app.app) as client:
            served.append(len(fastapi_app.app.router.routes))
            assert client.get(STATUS, headers=HR).status_code == 200
        assert len(fastapi_app.app.router.routes) == before, "routes outlived their ledger"
    assert served[0] == served[1] > before
