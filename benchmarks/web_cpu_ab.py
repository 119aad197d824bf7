"""The web-status benchmark's reads in CPU time, for telling the router's cost from the machine's.

`run.py --quick --only web-status` times wall-clock rates; with helpers sharing two cores the
same code gave 0.65, 0.75, 1.04 and 1.13 of the direct read in four runs. This does the same
reads (bench_web's ledger of 20 cases, 200 status reads a round as HR, each logged), the
router handed each request as an ASGI server would and `Ledger.status + to_json` directly,
alternated for `rounds` rounds, and reports the median ratio of their CPU time (every thread
of the process, so the router's hop to its thread pool is counted) beside the wall ratio.

    PYTHONPATH=<tree>/src python benchmarks/web_cpu_ab.py sqlite|postgres out.json [rounds]
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_web import direct, routed
from harness import scratch
from workload import enrol, open_cases, open_ledger

import pmledger
from pmledger import MemoryKeyStore

CASES, READS = 20, 200


def main() -> None:
    backend, out = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    with scratch(backend, "web-cpu-ab") as target:
        keystore = MemoryKeyStore()
        with open_ledger(target, keystore=keystore) as built:
            refs = open_cases(built, enrol(built, CASES), CASES)
        runs: dict[str, list[tuple[float, float]]] = {"direct": [], "router": []}
        with open_ledger(target, keystore=keystore) as ledger:
            contenders = {
                "direct": direct(ledger, refs, READS),
                "router": routed(ledger, refs, READS, "asgi"),
            }
            with contextlib.ExitStack() as stack:
                bodies = {k: stack.enter_context(c.prepare()) for k, c in contenders.items()}
                for body in bodies.values():
                    body()  # warm: imports, prepared statements, the thread pool

                def timed(work: Callable[[], object]) -> tuple[float, float]:
                    cpu, wall = time.process_time(), time.perf_counter()
                    work()
                    return time.process_time() - cpu, time.perf_counter() - wall

                for _ in range(rounds):
                    for name, body in bodies.items():
                        runs[name].append(timed(body))

    def ratio(which: int) -> float:
        return statistics.median(
            d[which] / r[which] for d, r in zip(runs["direct"], runs["router"], strict=True)
        )

    summary = {
        "tree": str(Path(pmledger.__file__).parents[2]),
        "backend": backend,
        "load_average": os.getloadavg(),
        "ratio_cpu": ratio(0),
        "ratio_wall": ratio(1),
        "ms_cpu_per_read": {
            k: 1000 * statistics.median(s[0] for s in v) / READS for k, v in runs.items()
        },
        "runs_cpu_wall": runs,
    }
    Path(out).write_text(json.dumps(summary, indent=1))
    print(
        f"{backend} {summary['tree']}: router/direct cpu {summary['ratio_cpu']:.3f} | wall "
        f"{summary['ratio_wall']:.3f} | cpu ms/read {summary['ms_cpu_per_read']} | load "
        f"{os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
