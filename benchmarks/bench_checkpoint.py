"""Checkpoints: the first Merkle tree (and map of case heads) over a large log, then one after
1,000 more events.

The baseline hashes the same stored rows with hashlib (the leaf hashes alone), which is the
least any tree over them must do. Proof sizes and times are reported alongside: inclusion,
consistency, and the map entries a bundle carries.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import time
from collections.abc import Iterator
from uuid import UUID

from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import (
    HR,
    CaseDraft,
    Cast,
    SteppingClock,
    cases_ledger,
    mixed_history,
    save_in_batches,
)

from pmledger.audit.stored_row import StoredRow
from pmledger.integrity.case_map import CaseHead, verify_map_path
from pmledger.integrity.merkle import leaf_hash, verify_consistency, verify_inclusion
from pmledger.ledger.checkpoints.tree import case_heads_at, open_log
from pmledger.ledger.facade import Ledger


def _append(
    ledger: Ledger, cast: Cast, clock: SteppingClock, first: int, cases: int, per_case: int
) -> int:
    """Store cases in batches of about 2,000 events, never holding the whole log in memory,
    drafted on the ledger's clock (`cases_ledger`), so they are signed with valid keys."""
    return save_in_batches(
        ledger,
        (
            event
            for case_no in range(first, first + cases)
            for event in mixed_history(CaseDraft(case_no, cast, clock), per_case)
        ),
    )


def _hash_rows(ledger: Ledger, start: int) -> int:
    count = 0
    for row in ledger._store.rows(start=start):
        hashlib.sha256(b"\x00" + row.state).digest()
        count += 1
    return count


def run_checkpoint(ctx: Context) -> list[Result]:
    cases = ctx.size(quick=400, full=20_000)  # quick: 10,000 events (was 20,000: the suite
    # must fit in two minutes; the first checkpoint still hashes every row of the log)
    per_case = 50 if not ctx.quick else 25
    ctx.log(f"{cases:,} cases x {per_case} events (built once per backend per run) …")
    with cases_ledger(ctx.stores, cases, per_case) as (ledger, built, clock):
        cast = built.cast
        total = ledger._store.recorder.max_notification_id() or 0

        @contextlib.contextmanager
        def first_checkpoint() -> Iterator[Body]:
            def body() -> int:
                return ledger.checkpoint(HR).size

            yield body

        @contextlib.contextmanager
        def hash_all() -> Iterator[Body]:
            yield lambda: _hash_rows(ledger, 1)

        results = [
            ctx.compare(
                "checkpoint-first",
                Contender(f"Ledger.checkpoint() over {total:,} events", first_checkpoint),
                [Baseline(Contender("sha256 of every stored row", hash_all))],
                params={"events": total},
                notes=["peak memory is traced on a second call, which finds nothing new to add"],
                rounds=1,
            )
        ]
        first = ledger._merkle_tables().heads()[-1]
        next_case = [cases]

        @contextlib.contextmanager
        def next_checkpoint() -> Iterator[Body]:
            before = ledger._merkle_tables().size()
            _append(ledger, cast, clock, next_case[0], 1000 // per_case, per_case)
            next_case[0] += 1000 // per_case
            yield lambda: ledger.checkpoint(HR).size - before

        @contextlib.contextmanager
        def hash_new() -> Iterator[Body]:
            # The newest 1,000 rows, which the round before appended: their bytes are what
            # any round's new rows are (the same histories), so no more need appending here.
            start = (ledger._store.recorder.max_notification_id() or 0) - 999
            yield lambda: _hash_rows(ledger, start)

        results.append(
            ctx.compare(
                "checkpoint-next",
                Contender("Ledger.checkpoint() after 1,000 more events", next_checkpoint),
                [Baseline(Contender("sha256 of the 1,000 new rows", hash_new))],
                params={"ledger_events": total, "new_events": 1000},
                unit="events/s",
            )
        )
        last = ledger._merkle_tables().heads()[-1]
        log = open_log(ledger._merkle_tables())
        rows = list(itertools.islice(ledger._store.rows(start=1), 0, None, max(1, total // 200)))
        started = time.perf_counter()
        sizes = []
        for row in rows:
            index = ledger._merkle_tables().leaf_index(row.position)
            assert index is not None
            proof = log.inclusion_proof(index, last.size)
            sizes.append(len(proof))
            assert verify_inclusion(
                leaf_hash(row.state), index, last.size, proof, bytes.fromhex(last.root)
            )
        per_proof = (time.perf_counter() - started) / len(rows)
        started = time.perf_counter()
        consistency = log.consistency_proof(first.size, last.size)
        assert verify_consistency(
            first.size, last.size, bytes.fromhex(first.root), bytes.fromhex(last.root), consistency
        )
        results[-1].notes.append(
            f"inclusion proofs: {max(sizes)} hashes ({max(sizes) * 32} bytes) at most, "
            f"{per_proof * 1000:.2f} ms each incl. verification; consistency proof "
            f"{first.size:,}→{last.size:,}: {len(consistency)} hashes, "
            f"{(time.perf_counter() - started) * 1000:.2f} ms"
        )
        results[-1].notes.append(_map_proofs(ledger, rows, last.size, last.cases_root))
    return results


def _map_proofs(ledger: Ledger, rows: list[StoredRow], size: int, root: str | None) -> str:
    """Prove and verify the map entries of the sampled rows' aggregates, one at a time as an
    export does (one per bundle stream)."""
    assert root is not None
    aggregates = list(dict.fromkeys(row.aggregate_id for row in rows))
    started = time.perf_counter()
    hashes = 0
    for aggregate_id in aggregates:
        found = case_heads_at(ledger._merkle_tables(), [aggregate_id], size)
        assert found is not None
        entry, path = found[aggregate_id].entry, found[aggregate_id].path
        head = CaseHead(UUID(aggregate_id), entry.version, entry.digest)
        assert verify_map_path(head, entry.ordinal, path, bytes.fromhex(root))
        hashes = len(path)
    per_proof = (time.perf_counter() - started) / len(aggregates)
    return (
        f"map of case heads: each entry's proof {hashes} hashes ({hashes * 32} bytes), "
        f"{per_proof * 1000:.2f} ms each incl. its reads and verification "
        f"({len(aggregates)} aggregates)"
    )


BENCHMARKS = [
    Benchmark(
        "checkpoint",
        "Merkle checkpoint over the whole log, then after 1,000 more events, vs leaf hashing",
        run_checkpoint,
    ),
]
