"""Concurrency: several processes write to one shared case and to their own cases at once.

Every write is either stored or refused with ConcurrencyConflict: the ledger holds exactly
the writes the writers were told were stored (same version, same digest), none twice, and
none that they were told had been refused.
"""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path

from tests.core.helpers import HR, enrol, open_ledger, opened
from tests.reliability.harness import (
    Outcome,
    backend_name,
    check_ledger,
    employee,
    keystore,
    outcomes,
    tally,
    writer,
)

WRITERS = 4
ROUNDS = 10
"""Barrier-synchronised conditional writes on the shared case: one winner per round."""
FREE = 30
"""Unsynchronised writes per writer, alternating between its own case and the shared one."""
SHARED = "S-1"


def test_writers_on_shared_and_own_cases_lose_and_duplicate_nothing(
    backend: str, tmp_path: Path
) -> None:
    keydir = tmp_path / "keys"
    owns = [f"O-{n}" for n in range(WRITERS)]
    with open_ledger(backend, keystore(keydir)) as ledger:
        enrol(ledger)
        for ref in [SHARED, *owns]:
            who = employee(ref)
            ledger.record(who, opened(who), occurred_on=date(2025, 9, 1), actor=HR)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WRITERS)
    logs = [tmp_path / f"w{n}.log" for n in range(WRITERS)]
    workers = [
        ctx.Process(
            target=writer,
            args=(backend, str(keydir), f"w{n}", SHARED, owns[n], ROUNDS, FREE, barrier, str(log)),
        )
        for n, log in enumerate(logs)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0, "a writer met something other than stored or a conflict"

    seen: list[Outcome] = [o for log in logs for o in outcomes(log)]
    assert len(seen) == WRITERS * (ROUNDS + FREE), "every attempt has exactly one outcome"
    for n in range(ROUNDS):
        winners = [o for o in seen if o.meeting_id.endswith(f"-r{n}") and o.stored]
        assert len(winners) == 1, f"round {n}: exactly one conditional write wins"

    check = check_ledger(backend)
    assert check.failure is None, check.failure
    for ref in [SHARED, *owns]:
        stored = check.case(ref)
        told = [o for o in seen if o.ref == ref and o.stored]
        refused = {o.meeting_id for o in seen if o.ref == ref and not o.stored}
        assert len({o.version for o in told}) == len(told), f"{ref}: a version reported twice"
        assert set(stored) == {1} | {o.version for o in told}, f"{ref}: lost or extra writes"
        for o in told:
            assert (stored[o.version].meeting_id, stored[o.version].digest) == (
                o.meeting_id,
                o.digest,
            )
        meetings = [s.meeting_id for v, s in stored.items() if v > 1]
        assert len(meetings) == len(set(meetings)), f"{ref}: a write stored twice"
        assert not refused & set(meetings), f"{ref}: a refused write was stored"
    for ref in owns:
        assert len(check.case(ref)) == 1 + FREE // 2, "a writer alone on its case always wins"

    conflicts = sum(not o.stored for o in seen)
    assert conflicts >= ROUNDS * (WRITERS - 1), "the synchronised rounds did race"
    tally(
        "concurrency",
        backend_name(backend),
        writers=WRITERS,
        attempts=len(seen),
        stored=len(seen) - conflicts,
        conflicts=conflicts,
        lost=0,
        duplicated=0,
    )
