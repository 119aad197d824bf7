"""Ledger.verify over a whole ledger vs raw Ed25519 verification of the same signatures.

The ledger is built once per backend (untimed, in large signed batches) and checkpointed, then
every round opens a fresh read-only Ledger on it and verifies everything, on a process per
core (`verify`'s default). The target baseline verifies exactly the signatures stored in
that ledger, over exactly the envelope bytes they sign, with pre-loaded public keys, on a
process per core too (forked in the timed body, as verify's are): the cryptographic floor
of the machine. The same on one core, and verify on one process, are shown beside it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import BuiltLedger, build_ledger

from pmledger.integrity.signing import unb64
from pmledger.ledger.facade import Ledger
from pmledger.ledger.parallel_verify import available_cores

VERIFY_TARGET = 0.8
"""verify should run at ≥ 0.8 of raw Ed25519 verification throughput."""

EVENTS_PER_CASE = 25


def ledger_verify(built: BuiltLedger, jobs: int | None = None) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        ledger = Ledger.open(built.target)
        try:

            def body() -> int:
                report = ledger.verify(jobs=jobs)
                if not report.ok or report.events != built.events or report.checkpoints != 1:
                    raise AssertionError(f"verify did not pass the whole ledger: {report}")
                return report.events

            yield body
        finally:
            ledger.close()

    label = "Ledger.verify()" if jobs is None else f"Ledger.verify(jobs={jobs})"
    return Contender(label, prepare)


Checks = list[tuple[Ed25519PublicKey, bytes, bytes]]
"""Each stored signature with its public key and the envelope bytes it signs."""


def _verify_slice(checks: Checks, part: int, parts: int) -> None:
    for public, signature, message in checks[part::parts]:
        public.verify(signature, message)


def raw_verify(built: BuiltLedger, checks: Checks, processes: int = 1) -> Contender:
    """`checks`: filled at the first round, then shared by every round and contender (they
    are the same each time; reading them was untimed anyway, 0.2-0.4 s a round)."""

    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        if not checks:
            checks.extend(stored_checks(built.target))

        def body() -> int:
            if processes == 1:
                _verify_slice(checks, 0, 1)
                return len(checks)
            context = multiprocessing.get_context("fork")
            workers = [
                context.Process(target=_verify_slice, args=(checks, part, processes))
                for part in range(processes)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
                if worker.exitcode != 0:
                    raise AssertionError("a raw verify process failed")
            return len(checks)

        yield body

    where = "one core" if processes == 1 else f"a process per core ({processes})"
    return Contender(f"raw Ed25519 verify (same signatures, {where})", prepare)


def stored_checks(target: str) -> Checks:
    """(public key, signature, canonical envelope) of every stored row: what raw Ed25519
    verification checks, read once (also by `verify_cpu.py`)."""
    with Ledger.open(target) as ledger:
        publics = {
            key_id: Ed25519PublicKey.from_public_bytes(record.public_key)
            for key_id, record in ledger.keyring().keys.items()
        }
        checks = []
        for row in ledger._store.rows():
            doc = orjson.loads(row.state)
            envelope = orjson.dumps(doc["env"], option=orjson.OPT_SORT_KEYS)
            checks.append((publics[doc["env"]["key"]], unb64(doc["sig"]), envelope))
    return checks


def run_verify(ctx: Context) -> list[Result]:
    events = ctx.size(quick=5_000, full=100_000)
    cases = events // EVENTS_PER_CASE
    with ctx.stores.fresh("verify") as target:
        ctx.log(f"building a ledger of {cases * EVENTS_PER_CASE:,} case events …")
        built = build_ledger(target, cases=cases, events_per_case=EVENTS_PER_CASE, checkpoint=True)
        cores = available_cores()
        checks: Checks = []
        result = ctx.compare(
            "verify",
            ledger_verify(built),
            [
                Baseline(raw_verify(built, checks, cores), VERIFY_TARGET),
                # raw on one core and verify on one process: what sharding gains (full runs
                # only, so the quick suite stays under two minutes)
                *([] if ctx.quick else [Baseline(raw_verify(built, checks, 1))]),
                *([] if ctx.quick else [Baseline(ledger_verify(built, jobs=1))]),
            ],
            params={
                "cores": cores,
                "events": built.events,
                "cases": built.cases,
                "keys": built.keys,
                "events_per_case": EVENTS_PER_CASE,
                "mix": "case_opened, then cycles of meeting_invited, meeting_held, "
                "record_acknowledged (1 in 3 events is an acknowledgement)",
            },
            notes=["peak memory is tracemalloc's peak during one whole verify"],
            rounds=min(ctx.rounds, 3),
        )
    return [result]


BENCHMARKS = [
    Benchmark(
        "verify",
        "Ledger.verify() over a ledger of N events vs raw Ed25519 verification of its signatures",
        run_verify,
    ),
]
