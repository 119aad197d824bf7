"""Crashes: writers SIGKILLed at random points lose nothing that was acknowledged, leave no
half-written event, and a rerun finishes the work.

The kill points come from a seeded RNG; each test prints its schedule (shown on failure) as
(chain, run, kill delay in seconds, exit code), so a failing run can be replayed exactly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from tests.core.helpers import enrol, open_ledger
from tests.reliability.harness import (
    KILLED,
    acknowledged,
    append_plan,
    backend_name,
    check_appends,
    check_ledger,
    disposal_state,
    forkserver,
    keystore,
    purge_child,
    purge_ledger,
    run_child,
    tally,
)

SEED = 20251103
APPEND_KILLS = 80
"""SIGKILLs of the appender per backend."""
REFS_PER_CHAIN = 3
PER_CASE = 104
"""Events per case: each case crosses the snapshot written with its 100th event."""
PURGE_KILLS = 30
"""SIGKILLs of `pmledger retention purge` per backend."""
PURGE_CASES = 8
KILLS_PER_PURGE = 4


def _output(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else "(no output)"


def test_appends_killed_at_random_points_lose_nothing(backend: str, tmp_path: Path) -> None:
    name = backend_name(backend)
    rng = random.Random(f"{SEED}-append-{name}")
    keydir = tmp_path / "keys"
    with open_ledger(backend, keystore(keydir)) as ledger:
        enrol(ledger)
    ctx = forkserver()
    log = tmp_path / "acks.log"
    kills = runs = acks = chains = 0
    every_ref: list[str] = []
    while kills < APPEND_KILLS:
        refs = [f"C{chains}-{k}" for k in range(REFS_PER_CHAIN)]
        every_ref.extend(refs)
        args = (backend, str(keydir), str(log), refs, PER_CASE)
        finished = False
        while kills < APPEND_KILLS and not finished:
            delay = rng.uniform(0.0, 0.5)
            code = run_child(ctx, append_plan, args, kill_after=delay)
            runs += 1
            print(f"kill schedule: chain {chains} run {runs} after {delay:.3f}s -> {code}")
            assert code in (KILLED, 0), _output(Path(f"{log}.out"))
            kills += code == KILLED
            finished = code == 0
            acks = check_appends(check_ledger(backend), acknowledged(log), every_ref)
        # The rerun completes the chain, and running once more changes nothing.
        for _ in range(2):
            code = run_child(ctx, append_plan, args, kill_after=None)
            runs += 1
            assert code == 0, _output(Path(f"{log}.out"))
        check = check_ledger(backend)
        acks = check_appends(check, acknowledged(log), every_ref)
        for ref in refs:
            assert len(check.case(ref)) == PER_CASE, ref
        chains += 1
    # A kill between a commit and its log line leaves a write stored but never acknowledged:
    # allowed (the caller was never told), and the rerun must not store it a second time.
    assert acks <= len(every_ref) * PER_CASE
    tally(
        "crash-append",
        name,
        kills=kills,
        runs=runs,
        acknowledged=acks,
        stored=len(every_ref) * PER_CASE,
        lost=0,
    )


def test_purges_killed_at_random_points_end_like_one_clean_run(
    backend: str, fresh_target: Callable[[str], str], tmp_path: Path
) -> None:
    name = backend_name(backend)
    rng = random.Random(f"{SEED}-purge-{name}")
    ctx = forkserver()
    out = tmp_path / "purge.out"
    clean = fresh_target("clean")
    purge_ledger(clean, tmp_path / "clean-keys", PURGE_CASES)
    started = time.monotonic()
    assert run_child(ctx, purge_child, (clean, str(tmp_path / "clean-keys"), str(out)), None) == 0
    duration = time.monotonic() - started
    expected = disposal_state(clean)
    assert len(expected) == PURGE_CASES
    assert all(len(certificates) == 1 for certificates in expected.values()), expected

    kills = runs = chains = interrupted = 0
    while kills < PURGE_KILLS:
        target = fresh_target(f"c{chains}")
        keys = str(tmp_path / f"keys-{chains}")
        purge_ledger(target, Path(keys), PURGE_CASES)
        for _ in range(KILLS_PER_PURGE):
            if kills >= PURGE_KILLS:
                break
            delay = rng.uniform(0.0, 0.9 * duration)
            code = run_child(ctx, purge_child, (target, keys, str(out)), kill_after=delay)
            runs += 1
            print(f"kill schedule: chain {chains} run {runs} after {delay:.3f}s -> {code}")
            assert code in (KILLED, 0), _output(out)
            check = check_ledger(target)
            assert check.failure is None, check.failure
            disposal_state(target, finished=False)  # no key destroyed before its certificate
            kills += code == KILLED
            interrupted += bool(check.interrupted)
            if code == 0:
                break
        code = run_child(ctx, purge_child, (target, keys, str(out)), kill_after=None)
        runs += 1
        assert code == 0, _output(out)
        assert disposal_state(target) == expected
        check = check_ledger(target)
        assert check.failure is None, check.failure
        assert not check.interrupted, check.interrupted
        chains += 1
    tally(
        "crash-purge",
        name,
        kills=kills,
        runs=runs,
        ledgers=chains,
        interrupted=interrupted,
        lost=0,
    )


def test_a_line_torn_by_the_kill_is_no_ack_and_does_not_corrupt_the_next(tmp_path: Path) -> None:
    """SIGKILL can split the appender's log write at a page boundary; the rerun must not glue
    its first acknowledgement to the fragment (seen in CI as a line of seven words)."""
    target = str(tmp_path / "ledger.sqlite")
    keydir = tmp_path / "keys"
    with open_ledger(target, keystore(keydir)) as ledger:
        enrol(ledger)
    log = tmp_path / "acks.log"
    log.write_bytes(b"stored T-0 v1 0123")  # a write the kill cut short: never acknowledged
    refs = ["T-0"]
    args = (target, str(keydir), str(log), refs, 3)
    assert run_child(forkserver(), append_plan, args, kill_after=None) == 0, _output(
        Path(f"{log}.out")
    )
    assert check_appends(check_ledger(target), acknowledged(log), refs) == 3
