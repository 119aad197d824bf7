"""The example web host (`examples/fastapi_app.py`) as uvicorn starts it: its lifespan opens
the ledger named by the environment, mounts the router, and freezes its start-up heap."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from examples import fastapi_app
from fastapi.testclient import TestClient
from tests.core.helpers import ALICE, seeded

from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = "web tests only"
STATUS = f"/pm/cases/{ALICE.organisation}/{ALICE.employee_ref}/status"
HR = {"X-Person": "hr-1", "X-Role": "hr"}


@pytest.fixture
def host_env(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seeded ledger and its encrypted keys, named in the environment the host reads."""
    keys = tmp_path / "keys"
    with seeded(backend, EncryptedFileKeyStore(keys, PASSPHRASE.encode())):
        pass
    monkeypatch.setenv("PMLEDGER_DB", backend)
    monkeypatch.setenv("PMLEDGER_KEYS", str(keys))
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)


@pytest.mark.usefixtures("host_env")
def test_the_host_freezes_its_heap_at_start_up() -> None:
    gc.unfreeze()  # whatever this test process froze before is not the host's doing
    assert gc.get_freeze_count() == 0
    try:
        with TestClient(fastapi_app.app) as client:
            frozen = gc.get_freeze_count()
            answer = client.get(STATUS, headers=HR)
    finally:
        gc.unfreeze()
    assert answer.status_code == 200, answer.text
    assert frozen > 10_000, "the imported modules' objects, not a handful"


@pytest.mark.usefixtures("host_env")
def test_a_restarted_host_serves_its_routes_once_and_none_after_its_ledger_closed() -> None:
    before = len(fastapi_app.app.router.routes)
    served = []
    try:
        for _ in range(2):  # a host restarted in the same process (a reload, a test run)
            with TestClient(fastapi_app.app) as client:
                served.append(len(fastapi_app.app.router.routes))
                assert client.get(STATUS, headers=HR).status_code == 200
            assert len(fastapi_app.app.router.routes) == before, "routes outlived their ledger"
    finally:
        gc.unfreeze()
    assert served[0] == served[1] > before
