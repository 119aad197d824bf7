"""A writer process for the concurrency tests: it logs every outcome it saw."""

from __future__ import annotations

from datetime import UTC, date, datetime
from multiprocessing.synchronize import Barrier
from pathlib import Path

from tests.core.helpers import ALICE, HEAD, HR, SteppingClock, held, open_ledger

from pmledger.errors import ConcurrencyConflict
from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = b"test passphrase"


def race(target: str, keydir: str, name: str, rounds: int, barrier: Barrier, log: str) -> None:
    """Each round: load the case, wait for the rival, then write conditionally on that load."""
    later = SteppingClock(datetime(2025, 11, 3, 9, 0, tzinfo=UTC))
    keys = EncryptedFileKeyStore(Path(keydir), PASSPHRASE)
    with open_ledger(target, keys, later) as ledger:
        lines = []
        for n in range(rounds):
            seen = ledger.reader(HR).case(ALICE).version
            barrier.wait(timeout=60)
            meeting = 1000 * (1 + int(name[-1])) + n
            try:
                receipt = ledger.record(
                    ALICE,
                    held(meeting),
                    occurred_on=date(2025, 11, 3),
                    actor=HEAD,
                    expected_version=seen,
                )
                lines.append(f"stored m-{meeting} v{receipt.version}")
            except ConcurrencyConflict:
                lines.append(f"conflict m-{meeting}")
            barrier.wait(timeout=60)
        Path(log).write_text("\n".join(lines) + "\n")
