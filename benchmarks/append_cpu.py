"""CPU per act of `Ledger.record_batch` against eventsourcing's batched save, and the floor
under it: what signing, the canonical envelope and sealing cost on their own.

On a machine shared with other work, wall-clock ratios mostly measure the other work; CPU time
(`time.process_time`, this process only: SQLite runs in it, a PostgreSQL server does not) does
not. The batches have the shape of `append.batched` (5 cases of a case_opened and 19
meeting_held a call). Beside the two it times, per event and on their own:

* Ed25519 signing of the events' envelopes;
* the canonical envelope and payload bytes with their SHA-256 (`SignedEvent.sealed`);
* AES-GCM sealing of one personal field (the meeting's minutes).

Every signed write does at least these on top of storing the event, so
`save / (save + sign + envelope + seal)` is the best ratio `record_batch` could reach with
judging, validation, access checks and the case fold all free.

Beside the CPU accounts it gives the best wall time of one batch of each (`*_best_wall_*`).

    python benchmarks/append_cpu.py [--backend sqlite|postgres] [--batches 6] [--rounds 5]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_append import _batch_commands, _draft_cast
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from harness import Benchmark, Stores, machine_info
from workload import (
    MINUTES,
    CaseDraft,
    SteppingClock,
    employee,
    enrol,
    meetings_history,
    open_ledger,
    plain_app,
    plain_case,
    plain_record_held,
)

CASES = 5
PER_CASE = 20
PER_BATCH = CASES * PER_CASE


def _least(rounds: int, run: Callable[[], float]) -> float:
    return min(run() for _ in range(rounds))


BEST_WALL: dict[str, float] = {}
"""The shortest wall time of one batch seen, per side: on a busy machine the least disturbed
batch is the nearest to an idle one, and unlike CPU time it shows work done on a second core
(record_batch signs a large batch on two threads)."""


def _best_wall(side: str, seconds: float) -> None:
    BEST_WALL[side] = min(seconds, BEST_WALL.get(side, seconds))


def record_batch_cpu(stores: Stores, batches: int) -> float:
    """CPU seconds of `batches` record_batch calls on a fresh ledger."""
    with stores.fresh("append-cpu") as target:
        ledger = open_ledger(target)
        try:
            cast = enrol(ledger, CASES)
            calls = [_batch_commands(b, CASES, PER_CASE, cast) for b in range(batches)]
            started = time.process_time()
            for commands in calls:
                wall = time.perf_counter()
                ledger.record_batch(commands)
                _best_wall("record_batch", time.perf_counter() - wall)
            return time.process_time() - started
        finally:
            ledger.close()


def plain_save_cpu(stores: Stores, batches: int) -> float:
    """CPU seconds of eventsourcing's save(*aggregates) of the same events, unsigned."""
    with stores.fresh("append-cpu-plain") as target:
        app = plain_app(target)
        try:
            clock = SteppingClock()
            started = time.process_time()
            for batch in range(batches):
                wall = time.perf_counter()
                cases = []
                for c in range(CASES):
                    case = plain_case(batch * CASES + c, employee(c).person_id, clock)
                    for i in range(1, PER_CASE):
                        plain_record_held(case, i, clock)
                    cases.append(case)
                app.save(*cases)
                _best_wall("plain", time.perf_counter() - wall)
            return time.process_time() - started
        finally:
            app.close()


def floor_parts(events: int, rounds: int) -> dict[str, float]:
    """CPU µs per event of signing, the envelope and sealing one field, each on its own."""
    clock, cast = SteppingClock(), _draft_cast(CASES)
    drafts = [CaseDraft(n, cast, clock) for n in range(events // PER_CASE)]
    built = [event for draft in drafts for event in meetings_history(draft, PER_CASE)]

    fields = type(built[0]).model_fields

    def envelopes() -> float:
        fresh = [  # the same events, no envelope computed yet
            type(event).model_construct(**{name: getattr(event, name) for name in fields})
            for event in built
        ]
        started = time.process_time()
        for event in fresh:
            event.sealed()
        return time.process_time() - started

    messages = [event.sealed()[0].data for event in built]
    key = Ed25519PrivateKey.generate()

    def signing() -> float:
        started = time.process_time()
        for message in messages:
            key.sign(message)
        return time.process_time() - started

    cipher, text = AESGCM(AESGCM.generate_key(bit_length=256)), MINUTES.encode()
    aad = b"pmledger\x1fcase\x1fcapability"

    def sealing() -> float:
        started = time.process_time()
        for _ in built:
            cipher.encrypt(os.urandom(12), text, aad)
        return time.process_time() - started

    per = 1e6 / len(built)
    return {
        "sign_us": round(_least(rounds, signing) * per, 1),
        "envelope_us": round(_least(rounds, envelopes) * per, 1),
        "seal_one_field_us": round(_least(rounds, sealing) * per, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg-dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--json", type=Path, help="where to write (default results/…)")
    args = parser.parse_args()
    events = args.batches * CASES * PER_CASE
    with tempfile.TemporaryDirectory() as folder:
        stores = Stores(args.backend, Path(folder), args.pg_dsn)
        ours = _least(args.rounds, lambda: record_batch_cpu(stores, args.batches)) / events
        plain = _least(args.rounds, lambda: plain_save_cpu(stores, args.batches)) / events
    parts = floor_parts(events, args.rounds)
    floor = plain * 1e6 + sum(parts.values())
    row: dict[str, Any] = {
        "backend": args.backend,
        "events": events,
        "record_batch_us": round(ours * 1e6, 1),
        "plain_save_us": round(plain * 1e6, 1),
        "cpu_ratio": round(plain / ours, 3),
        "record_batch_best_wall_us": round(BEST_WALL["record_batch"] / PER_BATCH * 1e6, 1),
        "plain_save_best_wall_us": round(BEST_WALL["plain"] / PER_BATCH * 1e6, 1),
        "best_wall_ratio": round(BEST_WALL["plain"] / BEST_WALL["record_batch"], 3),
        **parts,
        "best_possible_ratio": round(plain * 1e6 / floor, 3),
    }
    print(json.dumps(row), flush=True)
    out = args.json or Path(__file__).parent / "results" / f"append-cpu-{args.backend}.json"
    out.write_text(json.dumps({"machine": machine_info(args.pg_dsn), **row}, indent=2) + "\n")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: CPU accounts, run on their own (see the docstring)."""


if __name__ == "__main__":
    main()
