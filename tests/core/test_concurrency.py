"""Two processes writing to one case: one wins each race, the other gets a typed conflict."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from tests.core.concurrent_writer import PASSPHRASE, race
from tests.core.helpers import ALICE, HR, seeded

from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

ROUNDS = 8


def test_two_processes_racing_on_one_case_lose_nothing(backend: str, tmp_path: Path) -> None:
    keydir = tmp_path / "keys"
    seeded(backend, EncryptedFileKeyStore(keydir, PASSPHRASE)).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    workers = [
        ctx.Process(
            target=race, args=(backend, str(keydir), f"w{i + 1}", ROUNDS, barrier, str(log))
        )
        for i, log in enumerate(logs)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
        assert worker.exitcode == 0

    outcomes = [line for log in logs for line in log.read_text().splitlines()]
    stored = sorted(line.split()[1] for line in outcomes if line.startswith("stored"))
    conflicts = [line for line in outcomes if line.startswith("conflict")]
    assert len(stored) == ROUNDS, "exactly one writer wins each round"
    assert len(conflicts) == ROUNDS, "the other gets a ConcurrencyConflict"

    with Ledger.open(backend, keystore=EncryptedFileKeyStore(keydir, PASSPHRASE)) as reader:
        case_meetings = sorted(
            e.act.meeting_id  # type: ignore[union-attr]
            for e in reader.reader(HR).records(ALICE)
            if e.kind == "meeting_held" and e.originator_version > 4
        )
        assert case_meetings == stored, "every acknowledged write is present, none twice"
        assert reader.reader(HR).case(ALICE).version == 4 + ROUNDS
        assert reader.verify().ok
