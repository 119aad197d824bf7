"""A purge meeting a full disk or a lost database connection: at every instant the ledger holds
either nothing destroyed or a signed certificate the rerun completes. The purge exits 0, or 3
saying "rerun"; `verify` then finds no tampering (at most an interrupted purge), and the rerun
ends in the same state as one clean run.

The full disk is real: the SQLite ledger is copied onto a small tmpfs mounted for the test and
filled to a seeded number of free bytes. The lost connection is real too: the purge's own
PostgreSQL backends (found by their application name) are terminated with
pg_terminate_backend at a seeded moment.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from tests.conftest import PG_ADMIN_DSN
from tests.reliability.harness import (
    check_ledger,
    disposal_state,
    forkserver,
    purge_child,
    purge_child_as,
    purge_ledger,
    run_child,
    tally,
)

SEED = 20251118
CASES = 8
DISK_RUNS = 12
TERMINATIONS = 10
PARTIAL = 3


def _after_fault(target: str, code: int, output: str) -> bool:
    """What must hold after a purge met a fault; True if it stopped part-way (exit 3).
    A disk too full for the database to open at all stops it before it starts (exit 2)."""
    assert code in (0, PARTIAL) or (code == 2 and "cannot open ledger" in output), output
    if code == PARTIAL:
        assert "rerun" in output, output
    disposal_state(target, finished=False)  # no key destroyed before its certificate
    check = check_ledger(target)
    assert check.failure is None, check.failure
    return code == PARTIAL


def _clean_state(target: str, keys: Path, out: Path) -> object:
    purge_ledger(target, keys, CASES)
    assert run_child(forkserver(), purge_child, (target, str(keys), str(out)), None) == 0
    return disposal_state(target)


def test_a_purge_on_a_full_disk_destroys_nothing_uncertified(
    small_disk: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    out = tmp_path / "purge.out"
    expected = _clean_state(str(tmp_path / "clean.sqlite"), tmp_path / "clean-keys", out)
    pristine = tmp_path / "pristine.sqlite"
    keys = tmp_path / "keys"
    purge_ledger(str(pristine), keys, CASES)
    stopped = 0
    for run in range(DISK_RUNS):
        for leftover in small_disk.iterdir():
            leftover.unlink()
        target = small_disk / "ledger.sqlite"
        shutil.copy(pristine, target)
        filler = small_disk / "filler"
        free = rng.randrange(0, 240_000)
        stat = os.statvfs(small_disk)
        filler.write_bytes(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free))
        code = run_child(forkserver(), purge_child, (str(target), str(keys), str(out)), None)
        output = out.read_text(errors="replace")
        print(f"disk run {run}: {free} bytes free -> exit {code}")
        filler.unlink()
        stopped += _after_fault(str(target), code, output)
        assert run_child(forkserver(), purge_child, (str(target), str(keys), str(out)), None) == 0
        assert disposal_state(str(target)) == expected
        assert not check_ledger(str(target)).interrupted
    assert stopped > 0, "no run met the full disk: make the disk smaller"
    tally("disk-full-purge", "sqlite", runs=DISK_RUNS, stopped=stopped, lost=0)


@pytest.mark.postgres
def test_a_purge_that_loses_its_connection_destroys_nothing_uncertified(
    fresh_target: Callable[[str], str], tmp_path: Path, backend: str
) -> None:
    if not backend.startswith("postgresql://"):
        pytest.skip("terminating a database backend is a PostgreSQL test")
    rng = random.Random(SEED)
    out = tmp_path / "purge.out"
    started = time.monotonic()
    expected = _clean_state(fresh_target("clean"), tmp_path / "clean-keys", out)
    duration = time.monotonic() - started
    ctx = forkserver()
    stopped = terminated = 0
    for run in range(TERMINATIONS):
        target = fresh_target(f"t{run}")
        keys = tmp_path / f"keys-{run}"
        purge_ledger(target, keys, CASES)
        name = f"pmledger-purge-{os.getpid()}-{run}"
        child = ctx.Process(  # type: ignore[attr-defined]
            target=purge_child_as, args=(target, str(keys), str(out), name)
        )
        child.start()
        time.sleep(rng.uniform(0.0, 0.5 * duration))
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            killed = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s",
                (name,),
            ).fetchone()
        terminated += int(killed[0]) if killed else 0
        child.join(120)
        assert child.exitcode is not None, "the purge hung after losing its connection"
        output = out.read_text(errors="replace")
        print(f"run {run}: terminated {killed} -> exit {child.exitcode}")
        stopped += _after_fault(target, child.exitcode, output)
        assert run_child(ctx, purge_child, (target, str(keys), str(out)), None) == 0
        assert disposal_state(target) == expected
        assert not check_ledger(target).interrupted
    assert terminated > 0, "no backend was terminated: the purge finished too early"
    tally(
        "connection-lost-purge",
        "postgres",
        runs=TERMINATIONS,
        terminated=terminated,
        stopped=stopped,
        lost=0,
    )
