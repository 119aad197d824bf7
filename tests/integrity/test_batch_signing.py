"""A large write is signed on two threads before it is stored (`BatchSigner`): the stored
signatures are exactly those one thread makes (Ed25519 is deterministic), the ledger
verifies, and a key that cannot sign stops the write with the error signing in line gave."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import orjson
import pytest
from tests.core.helpers import ALICE, HEAD, HR, enrol, invite, open_ledger, opened

from pmledger.commands import RecordAct
from pmledger.errors import KeyStoreError
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.integrity.signing import PARALLEL_SIGNING_FROM, BatchSigner, b64
from pmledger.ledger.facade import Ledger


class _WatchedKeys(MemoryKeyStore):
    """A key store that notes which thread made each signature."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[str] = []
        self.offline = False

    def sign(self, key_id: str, message: bytes) -> bytes:
        if self.offline:
            raise KeyStoreError("the key service does not answer")
        self.threads.append(threading.current_thread().name)
        return super().sign(key_id, message)


def _batch(size: int) -> list[RecordAct]:
    first = RecordAct(employee=ALICE, act=opened(), occurred_on=date(2025, 9, 1), actor=HR)
    return [first] + [
        RecordAct(employee=ALICE, act=invite(n), occurred_on=date(2025, 10, 1), actor=HEAD)
        for n in range(1, size)
    ]


def test_a_large_batch_is_signed_on_two_threads_exactly_as_one_thread_signs_it(
    backend: str,
) -> None:
    keys = _WatchedKeys()
    size = PARALLEL_SIGNING_FROM + 8
    with open_ledger(backend, keys) as ledger:
        enrol(ledger)
        keys.threads.clear()
        ledger.record_batch(_batch(size))
        signed_by = set(keys.threads)
        rows = [row for row in ledger._store.rows() if row.topic.startswith("pmledger.case/")]
        assert ledger.verify().ok
    assert len(rows) == size
    for row in rows:
        stored = orjson.loads(row.state)
        envelope = orjson.dumps(stored["env"], option=orjson.OPT_SORT_KEYS)
        assert stored["sig"] == b64(MemoryKeyStore.sign(keys, stored["env"]["key"], envelope))
    if (os.cpu_count() or 1) > 1:
        assert any(name.startswith("pmledger-sign") for name in signed_by), signed_by
        assert threading.current_thread().name in signed_by


def test_a_single_record_is_signed_in_line(backend: str) -> None:
    keys = _WatchedKeys()
    with open_ledger(backend, keys) as ledger:
        enrol(ledger)
        keys.threads.clear()
        ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
    assert set(keys.threads) == {threading.current_thread().name}


def test_the_first_request_that_cannot_be_signed_is_the_error_and_nothing_is_kept() -> None:
    keys = MemoryKeyStore()
    key_id, _ = keys.generate()
    signer = BatchSigner(keys)
    requests = [(key_id, b"m%d" % n) for n in range(PARALLEL_SIGNING_FROM + 8)]
    requests[5] = ("ed25519:unknown-early", b"early")
    requests[-3] = ("ed25519:unknown-late", b"late")
    with pytest.raises(KeyStoreError, match="unknown-early"), signer.signing(requests):
        pytest.fail("the block is not entered")
    with signer.signing(requests[6:-3]):
        assert signer.sign(key_id, b"m7") == keys.sign(key_id, b"m7")
    with pytest.raises(KeyStoreError, match="unknown-late"):
        signer.sign("ed25519:unknown-late", b"late")


def test_the_ledger_stores_nothing_when_the_batch_cannot_be_signed(tmp_path: Path) -> None:
    keys = _WatchedKeys()
    target = str(tmp_path / "l.sqlite")
    with open_ledger(target, keys) as ledger:
        enrol(ledger)
        keys.offline = True  # held keys that cannot sign now (a key service that is down)
        with pytest.raises(KeyStoreError, match="does not answer"):
            ledger.record_batch(_batch(PARALLEL_SIGNING_FROM + 8))
    with Ledger.open(target) as reopened:
        assert not [r for r in reopened._store.rows() if r.topic.startswith("pmledger.case/")]
