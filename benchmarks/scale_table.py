"""The scale table of issue 22: how each everyday cost grows with the ledger.

For each size, a ledger of EMPLOYEES cases x EVENTS signed events each (built in batches, as
`workload.build_ledger` does, with a checkpoint over it), then, on that one ledger:

* status read p50 / p99: `reader(HR).status` + `to_json` of cases picked at random (seeded), as
  HR, each read decided and written to the signed access log;
* deadlines report: `reader.deadlines_due_by` over every case (the read models brought up to
  date first, untimed: that catch-up is the rebuild, measured by `bench_projections`);
* checkpoint after 1,000 new events (recorded through `record_batch` after the first
  checkpoint);
* purge: `retention purge` as the administrator on a date when nothing is due (it reads and
  judges every case: its work is the ledger's cases).

Absolute seconds on this machine, not ratios: the point is the growth from row to row. Run

    python benchmarks/scale_table.py --backend sqlite --employees 1000 --employees 10000

and it prints each row and writes JSON to benchmarks/results/scale-table-BACKEND.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from harness import Benchmark, Stores, machine_info
from workload import HEAD, HELD_ON, HR, START, SteppingClock, build_ledger, employee_ref, held

from pmledger import RecordAct, to_json
from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import purge
from pmledger.retention import load_default

AS_OF = date(2025, 12, 1)
ADMIN = Actor(person_id=HR.person_id, role=Role.ADMINISTRATOR)
NEW_EVENTS = 1_000


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def measure(target: str, employees: int, events: int, reads: int) -> dict[str, Any]:
    keys = MemoryKeyStore()
    started = time.perf_counter()
    built = build_ledger(
        target, cases=employees, events_per_case=events, checkpoint=True, keystore=keys
    )
    row: dict[str, Any] = {
        "employees": employees,
        "events": built.events,
        "build_s": round(time.perf_counter() - started, 1),
    }
    clock = SteppingClock()
    clock.now = START + timedelta(minutes=2 * built.events + 10_000)
    ledger = Ledger.open(target, keystore=keys, clock=clock)
    try:
        picks = random.Random(7).choices(range(employees), k=reads)
        latencies = []
        reader = ledger.reader(HR, AS_OF)
        for n in picks:
            t = time.perf_counter()
            to_json(reader.status(employee_ref(n), AS_OF))
            latencies.append(time.perf_counter() - t)
        row["status"] = _percentiles(latencies)

        t = time.perf_counter()
        ledger.update_views()
        row["views_catch_up_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        due = ledger.reader(HR, AS_OF).deadlines_due_by(AS_OF + timedelta(days=30), AS_OF)
        row["deadlines_report_s"] = round(time.perf_counter() - t, 3)
        row["deadlines_rows"] = len(due)

        commands = [
            RecordAct(
                employee=employee_ref(i % employees),
                act=held(1_000 + i),
                occurred_on=HELD_ON,
                actor=HEAD,
            )
            for i in range(NEW_EVENTS)
        ]
        for start in range(0, len(commands), 250):
            ledger.record_batch(commands[start : start + 250])
        t = time.perf_counter()
        ledger.checkpoint(HR)
        row["checkpoint_after_1000_s"] = round(time.perf_counter() - t, 3)

        t = time.perf_counter()
        report = purge(ledger, load_default(), AS_OF, ADMIN)
        row["purge_s"] = round(time.perf_counter() - t, 1)
        row["purge_failures"] = len(report.failures)
    finally:
        ledger.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--employees", type=int, action="append", required=True)
    parser.add_argument("--events", type=int, default=50, help="events per case")
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--pg-dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--json", type=Path, help="where to write (default results/scale-table-BACKEND.json)"
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        stores = Stores(args.backend, Path(folder), args.pg_dsn)
        for employees in args.employees:
            with stores.fresh(f"scale-{employees}") as target:
                row = measure(target, employees, args.events, args.reads)
            print(json.dumps(row), flush=True)
            rows.append(row)
    out = args.json or Path(__file__).parent / "results" / f"scale-table-{args.backend}.json"
    out.write_text(
        json.dumps(
            {"machine": machine_info(args.pg_dsn), "backend": args.backend, "rows": rows}, indent=2
        )
        + "\n"
    )


BENCHMARKS: list[Benchmark] = []
"""None for run.py: absolute costs at several sizes, run on its own (see the docstring)."""


if __name__ == "__main__":
    main()
