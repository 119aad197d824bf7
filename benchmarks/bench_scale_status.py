"""Status reads on a ledger of many employees: p50 and p99 latency, directly and through the
FastAPI router, on SQLite (issue 21: "p99 latency of status reads on a ledger of 20,000
employees").

Not a same-run ratio but a latency distribution: every read is a real `Ledger.status` (access
decided and written to the signed access log) of a case picked at random (seeded), after the
ledger holds `--employees` opened cases. Run:

    .venv/bin/python benchmarks/bench_scale_status.py --employees 20000 --reads 500

and it prints the table and writes JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench_web import AS_OF, RouterClient
from harness import Benchmark
from workload import HR, OPENED_ON, employee_ref, enrol, open_ledger, opened

from pmledger import RecordAct, to_json

BATCH = 500


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--reads", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ledger = open_ledger(str(Path(folder) / "scale.sqlite"))
        cast = enrol(ledger, 50)
        started = time.perf_counter()
        refs = []
        for first in range(0, args.employees, BATCH):
            commands = []
            for n in range(first, min(first + BATCH, args.employees)):
                ref = employee_ref(n)
                person = cast.employee_for_case(n).person_id
                commands.append(
                    RecordAct(employee=ref, act=opened(n, person), occurred_on=OPENED_ON, actor=HR)
                )
                refs.append(ref)
            ledger.record_batch(commands)
        loaded = time.perf_counter() - started
        picks = random.Random(7).choices(refs, k=args.reads)
        direct = []
        for ref in picks:
            t = time.perf_counter()
            to_json(ledger.reader(HR).status(ref, AS_OF))
            direct.append(time.perf_counter() - t)

        routed = []
        with contextlib.closing(RouterClient(ledger)) as router:
            for ref in picks:
                t = time.perf_counter()
                router.run(router.status(ref))
                routed.append(time.perf_counter() - t)
        ledger.close()
    result = {
        "benchmark": "scale-status",
        "backend": "sqlite",
        "employees": args.employees,
        "reads": args.reads,
        "load_seconds": round(loaded, 1),
        "direct": _percentiles(direct),
        "router": _percentiles(routed),
    }
    print(json.dumps(result, indent=2))
    out = Path(__file__).parent / "results" / f"scale-status-{args.employees}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: a latency distribution at scale, run on its own (see the docstring)."""


if __name__ == "__main__":
    main()
