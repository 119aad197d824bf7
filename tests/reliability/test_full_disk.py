"""A full disk is a typed error saying so, for reads (which write the access log) and writes
alike, and loses nothing: once space is freed the ledger reads, records and verifies.

The disk is real: the SQLite ledger lives on a small tmpfs mounted for the test and filled up
with a file, as a full server disk would be.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.core.helpers import ALICE, HEAD, HR, invite, seeded
from tests.reliability.harness import tally

from pmledger.errors import StorageError
from pmledger.integrity.keystore import MemoryKeyStore

ATTEMPTS = 3000


def _fill(disk: Path) -> Path:
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)
    return filler


def _until_refused(call: Callable[[int], object]) -> tuple[int, StorageError]:
    """How many calls succeeded before the first StorageError, and that error; any other
    exception fails the test."""
    for n in range(ATTEMPTS):
        try:
            call(n)
        except StorageError as exc:
            return n, exc
    raise AssertionError(f"{ATTEMPTS} calls succeeded on a full disk")


def test_reads_and_writes_on_a_full_disk_are_typed_errors_and_lose_nothing(
    small_disk: Path,
) -> None:
    db = str(small_disk / "ledger.sqlite")
    keys = MemoryKeyStore()
    with seeded(db, keys) as ledger:
        filler = _fill(small_disk)
        _, refused = _until_refused(lambda _: ledger.reader(HR).status(ALICE, date(2025, 11, 3)))
        assert "full" in str(refused), refused
        assert "nothing recorded was lost" in str(refused)
        recorded, refused = _until_refused(
            lambda n: ledger.record(
                ALICE, invite(10 + n), occurred_on=date(2025, 10, 2), actor=HEAD
            )
        )
        assert "full" in str(refused), refused
        filler.unlink()
        assert ledger.reader(HR).status(ALICE, date(2025, 11, 3)).version == 4 + recorded
        ledger.record(ALICE, invite(9), occurred_on=date(2025, 10, 3), actor=HEAD)
        report = ledger.verify()
        assert report.ok, report.failure
    tally("full-disk", "sqlite", refused=2, stored_before=recorded)
