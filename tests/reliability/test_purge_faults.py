"""A purge meeting a full disk or a lost database connection: at every instant the ledger holds
either nothing destroyed or a signed certificate the rerun completes. The purge exits 0, or 3
saying "rerun"; `verify` then finds no tampering (at most an interrupted purge), and the rerun
ends in the same state as one clean run.

The full disk is real: the SQLite ledger is copied onto a small tmpfs mounted for the test and
filled to a seeded number of free bytes. The lost connection is real too: the purge's own
PostgreSQL backends (found by their application name) are terminated with
pg_terminate_backend at a seeded moment inside the purge's own run — counted from its first
connection, over the time a clean purge of the same ledger held one (`_purge_window`; a run
the kill missed shortens it to its own), since a purge is now quicker than building its ledger
and than starting its process, and a moment drawn over those missed it (the kill came after
the purge had ended).
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
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
POLL = 0.005
"""Seconds between looks for the purge's first connection: small beside its window (≈ 0.5 s)."""


def _after_fault(target: str, code: int, output: str) -> bool:
    """What must hold after a purge met a fault; True if it stopped part-way (exit 3).
    A disk too full for the database to open at all, or a connection lost while the ledger
    was being opened, stops it before it starts (exit 2, "cannot open ledger")."""
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


def _backends(conn: psycopg.Connection[tuple[int]], name: str, *, terminate: bool) -> int:
    """How many backends carry `name` (terminating them if asked)."""
    query = (
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s"
        if terminate
        else "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
    )
    row = conn.execute(query, (name,)).fetchone()
    return int(row[0]) if row else 0


def _start_purge(ctx: BaseContext, target: str, keys: Path, out: Path, name: str) -> BaseProcess:
    """Start the purge with its connections named `name`; return once the first is open (or
    the child has ended without one), so a moment counted from here falls in its own run and
    not in its process's start-up."""
    child: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
        target=purge_child_as, args=(target, str(keys), str(out), name)
    )
    child.start()
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        while child.exitcode is None and not _backends(conn, name, terminate=False):
            time.sleep(POLL)
    return child


def _purge_window(ctx: BaseContext, target: str, keys: Path, out: Path, name: str) -> float:
    """Purge `target` cleanly; return the seconds from its first connection to its end."""
    child = _start_purge(ctx, target, keys, out, name)
    connected = time.monotonic()
    child.join(120)
    assert child.exitcode == 0, out.read_text(errors="replace")
    return time.monotonic() - connected


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
    ctx = forkserver()
    clean, clean_keys = fresh_target("clean"), tmp_path / "clean-keys"
    purge_ledger(clean, clean_keys, CASES)
    window = _purge_window(ctx, clean, clean_keys, out, f"pmledger-purge-{os.getpid()}-clean")
    expected = disposal_state(clean)
    stopped = terminated = 0
    for run in range(TERMINATIONS):
        target = fresh_target(f"t{run}")
        keys = tmp_path / f"keys-{run}"
        purge_ledger(target, keys, CASES)
        name = f"pmledger-purge-{os.getpid()}-{run}"
        child = _start_purge(ctx, target, keys, out, name)
        connected = time.monotonic()
        time.sleep(rng.uniform(0.0, window))
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            killed = _backends(conn, name, terminate=True)
        terminated += killed
        child.join(120)
        assert child.exitcode is not None, "the purge hung after losing its connection"
        if not killed:  # it ended first: its run is a clean purge's, the next aims within it
            window = min(window, time.monotonic() - connected)
        output = out.read_text(errors="replace")
        print(f"run {run}: terminated {killed} -> exit {child.exitcode} (window {window:.3f})")
        stopped += _after_fault(target, child.exitcode, output)
        assert run_child(ctx, purge_child, (target, str(keys), str(out)), None) == 0
        assert disposal_state(target) == expected
        assert not check_ledger(target).interrupted
    assert terminated > 0, "no backend was terminated: the purge finished too early"
    assert stopped > 0, "no purge was stopped part-way by the lost connection"
    tally(
        "connection-lost-purge",
        "postgres",
        runs=TERMINATIONS,
        terminated=terminated,
        stopped=stopped,
        lost=0,
    )
