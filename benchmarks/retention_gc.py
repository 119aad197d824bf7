"""What CPython's full (generation 2) garbage collections cost a retention plan and purge.

A full collection traverses every tracked object, and the modules a ledger imports hold about
65,000 of them (pydantic-core's validators traverse their whole schema trees), so one costs
≈ 70-110 ms on the 2-core machine. A first purge of 300 cases keeps each page's cases, rows
and certificates alive long enough to be promoted, and so sets one off in about half of the
runs: the purge's time then jumps by half. This runs the benchmark's workload
(`bench_retention._build`, 300 cases) in one process, five first purges and eight plans on
SQLite, timing each in CPU and counting full collections, then prints them and writes JSON.
Run it twice, with and without `--freeze` (`gc.freeze()` after the ledgers are built: the
objects then alive, the modules' above all, are never traversed again):

    PYTHONPATH=src python benchmarks/retention_gc.py [--freeze] out.json
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_retention as br
from workload import open_ledger

from pmledger.ledger.retention_jobs import plan, purge
from pmledger.retention import load_default


def main() -> None:
    freeze = "--freeze" in sys.argv
    out = sys.argv[-1]
    schedule = load_default()
    ledgers = [open_ledger(f"{tempfile.mkdtemp()}/ledger.sqlite") for _ in range(5)]
    for ledger in ledgers:
        br._build(ledger, 300)
    if freeze:
        gc.freeze()
    full = [0]

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full[0] += 1

    gc.callbacks.append(count)

    def timed(work: Callable[[], object]) -> tuple[float, int]:
        full[0] = 0
        cpu = time.process_time()
        work()
        return time.process_time() - cpu, full[0]

    runs = {
        "purge": [
            timed(functools.partial(purge, ledger, schedule, br.AS_OF, br.ADMIN))
            for ledger in ledgers
        ],
        "decode": [timed(lambda: br._decode(ledgers[0])) for _ in range(5)],
        "plan": [
            timed(lambda: list(plan(ledgers[0], schedule, br.AS_OF, br.ADMIN))) for _ in range(8)
        ],
    }
    Path(out).write_text(json.dumps({"freeze": freeze, "runs": runs}))
    for name, timings in runs.items():
        cells = ", ".join(f"{cpu * 1000:.0f} ms ({n} full)" for cpu, n in timings)
        print(f"{'frozen' if freeze else 'plain'} {name}: {cells}")


if __name__ == "__main__":
    main()
