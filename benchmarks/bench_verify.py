"""Ledger.verify over a whole ledger vs raw Ed25519 verification of the same signatures.

The ledger is built once per backend (untimed, in large signed batches), then every round
opens a fresh read-only Ledger on it and verifies everything. The baseline verifies exactly
the signatures stored in that ledger, over exactly the envelope bytes they sign, with
pre-loaded public keys: the cryptographic floor that verify cannot beat.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import BuiltLedger, build_ledger

from pmledger.integrity.signing import unb64
from pmledger.ledger.facade import Ledger

VERIFY_TARGET = 0.8
"""verify should run at ≥ 0.8 of raw Ed25519 verification throughput."""

EVENTS_PER_CASE = 25


def ledger_verify(built: BuiltLedger) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        ledger = Ledger.open(built.target)
        try:

            def body() -> int:
                report = ledger.verify()
                if not report.ok or report.events != built.events:
                    raise AssertionError(f"verify did not pass the whole ledger: {report}")
                return report.events

            yield body
        finally:
            ledger.close()

    return Contender("Ledger.verify()", prepare)


def raw_verify(built: BuiltLedger) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        ledger = Ledger.open(built.target)
        try:
            publics = {
                key_id: Ed25519PublicKey.from_public_bytes(record.public_key)
                for key_id, record in ledger.keyring().keys.items()
            }
            checks: list[tuple[Ed25519PublicKey, bytes, bytes]] = []
            for row in ledger._store.rows():
                doc = orjson.loads(row.state)
                envelope = orjson.dumps(doc["env"], option=orjson.OPT_SORT_KEYS)
                checks.append((publics[doc["env"]["key"]], unb64(doc["sig"]), envelope))
        finally:
            ledger.close()

        def body() -> int:
            for public, signature, message in checks:
                public.verify(signature, message)
            return len(checks)

        yield body

    return Contender("raw Ed25519 verify (same signatures)", prepare)


def run_verify(ctx: Context) -> list[Result]:
    events = ctx.size(quick=5_000, full=100_000)
    cases = events // EVENTS_PER_CASE
    with ctx.stores.fresh("verify") as target:
        ctx.log(f"building a ledger of {cases * EVENTS_PER_CASE:,} case events …")
        built = build_ledger(target, cases=cases, events_per_case=EVENTS_PER_CASE)
        result = ctx.compare(
            "verify",
            ledger_verify(built),
            [Baseline(raw_verify(built), VERIFY_TARGET)],
            params={
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
