"""The example web host freezes its start-up heap once its ledger is open (pmledger.start_up),
so a full garbage collection while it serves does not traverse the modules' objects."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from examples import fastapi_app
from fastapi.testclient import TestClient
from tests.core.helpers import ALICE, seeded

from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = "web tests only"


def test_the_host_freezes_its_heap_at_start_up(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = tmp_path / "keys"
    with seeded(backend, EncryptedFileKeyStore(keys, PASSPHRASE.encode())):
        pass
    monkeypatch.setenv("PMLEDGER_DB", backend)
    monkeypatch.setenv("PMLEDGER_KEYS", str(keys))
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    gc.unfreeze()  # whatever this test process froze before is not the host's doing
    assert gc.get_freeze_count() == 0
    try:
        with TestClient(fastapi_app.app) as client:
            frozen = gc.get_freeze_count()
            answer = client.get(
                f"/pm/cases/{ALICE.organisation}/{ALICE.employee_ref}/status",
                headers={"X-Person": "hr-1", "X-Role": "hr"},
            )
    finally:
        gc.unfreeze()
    assert answer.status_code == 200, answer.text
    assert frozen > 10_000, "the imported modules' objects, not a handful"
