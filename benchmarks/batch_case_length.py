"""CPU per act of `record_batch` as one case grows: what an import of long histories costs.

`append.batched` opens new cases of 20 acts, so it never reaches a snapshot (every 100th
version). An import of an employee's years of records does, in every batch that takes the
case past one, and a snapshot's cost grows with the case (its state holds every recorded
act). Here one case is grown by batches of 99 `meeting_held` acts (each batch crosses a
snapshot version) and the CPU (`time.process_time`) of each batch is given per act, with the
case's length after it.

    python benchmarks/batch_case_length.py [--backend sqlite|postgres] [--batches 12]
        [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import Benchmark, Stores, machine_info
from workload import HEAD, HELD_ON, HR, OPENED_ON, employee_ref, enrol, held, open_ledger, opened

from pmledger.commands import RecordAct

PER_BATCH = 99


def grow(stores: Stores, batches: int) -> list[dict[str, Any]]:
    """One case, opened and then grown batch by batch: (length after, CPU µs per act)."""
    rows = []
    with stores.fresh("batch-case-length") as target:
        ledger = open_ledger(target)
        try:
            cast = enrol(ledger, 1)
            ref = employee_ref(0)
            person = cast.employee_for_case(0).person_id
            ledger.record_batch(
                [RecordAct(employee=ref, act=opened(0, person), occurred_on=OPENED_ON, actor=HR)]
            )
            length = 1
            for _ in range(batches):
                commands = [
                    RecordAct(employee=ref, act=held(length + k), occurred_on=HELD_ON, actor=HEAD)
                    for k in range(PER_BATCH)
                ]
                started = time.process_time()
                ledger.record_batch(commands)
                spent = time.process_time() - started
                length += PER_BATCH
                rows.append({"length": length, "cpu_us_per_act": round(spent * 1e6 / PER_BATCH)})
        finally:
            ledger.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--pg-dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--json", type=Path, help="where to write (default: print only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = grow(Stores(args.backend, Path(folder), args.pg_dsn), args.batches)
    for row in rows:
        print(f"{args.backend} case length {row['length']:5d}: {row['cpu_us_per_act']:6d} µs/act")
    if args.json:
        document = {"machine": machine_info(args.pg_dsn), "backend": args.backend, "rows": rows}
        args.json.write_text(json.dumps(document, indent=2) + "\n")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: run on its own (see the docstring)."""


if __name__ == "__main__":
    main()
