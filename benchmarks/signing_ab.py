"""Large writes signed on two threads or in line (`BatchSigner`), batch by batch alternately
on one ledger in one process, so both sides meet the same load.

`record_batch` of `--cases` new cases x 20 acts a batch (`append.batched`'s shape: 5 cases,
100 acts; an import chunk: 50 cases, 1,000 acts). Odd batches sign in line
(`PARALLEL_SIGNING_FROM` set out of reach), even ones on two threads. Per side: the least and
median wall time and the median CPU time (both threads) per act.

    python benchmarks/signing_ab.py [--backend sqlite|postgres] [--batches 80] [--cases 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench_append import _batch_commands
from harness import Benchmark, Stores, machine_info
from workload import enrol, open_ledger

from pmledger.integrity import signing

PER_CASE = 20
IN_LINE = 10**9


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--batches", type=int, default=80)
    parser.add_argument("--cases", type=int, default=5)
    parser.add_argument("--pg-dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--json", type=Path, help="where to write (default: print only)")
    args = parser.parse_args()
    acts = args.cases * PER_CASE
    walls: dict[str, list[float]] = {"in_line": [], "two_threads": []}
    cpus: dict[str, list[float]] = {"in_line": [], "two_threads": []}
    parallel_from = signing.PARALLEL_SIGNING_FROM
    with tempfile.TemporaryDirectory() as folder:
        stores = Stores(args.backend, Path(folder), args.pg_dsn)
        with stores.fresh("signing-ab") as target:
            ledger = open_ledger(target)
            try:
                cast = enrol(ledger, args.cases)
                for n in range(args.batches):
                    commands = _batch_commands(n, args.cases, PER_CASE, cast)
                    side = "two_threads" if n % 2 else "in_line"
                    signing.PARALLEL_SIGNING_FROM = parallel_from if n % 2 else IN_LINE
                    wall, cpu = time.perf_counter(), time.process_time()
                    ledger.record_batch(commands)
                    walls[side].append((time.perf_counter() - wall) / acts * 1e6)
                    cpus[side].append((time.process_time() - cpu) / acts * 1e6)
            finally:
                signing.PARALLEL_SIGNING_FROM = parallel_from
                ledger.close()
    row: dict[str, object] = {"backend": args.backend, "acts_per_batch": acts}
    for side, seen in walls.items():
        row[side] = {
            "batches": len(seen),
            "wall_least_us": round(min(seen), 1),
            "wall_median_us": round(statistics.median(seen), 1),
            "cpu_median_us": round(statistics.median(cpus[side]), 1),
        }
    print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine_info(args.pg_dsn), **row}, indent=2))


BENCHMARKS: list[Benchmark] = []
"""None for run.py: an A/B of one setting, run on its own."""


if __name__ == "__main__":
    main()
