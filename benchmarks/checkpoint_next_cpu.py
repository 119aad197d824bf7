"""Checkpoint after 1,000 new events against SHA-256 of those rows, in wall and CPU time.

    PYTHONPATH=<src to test> python benchmarks/checkpoint_next_cpu.py sqlite|postgres ROUNDS LABEL

The suite's `checkpoint-next` times three rounds of about 10 ms each in wall time, which on a
shared machine is mostly the load; this takes the medians of ROUNDS checkpoints in CPU time
(`time.process_time`) as well, for A/B runs of two source trees alternated (issue 22, helper
h26ckp). The ledger is the suite's (`workload.cases_ledger`, quick size) and it is verified
at the end. Prints one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_checkpoint import _append, _hash_rows
from harness import DEFAULT_PG_DSN, Stores
from workload import HR, cases_ledger

import pmledger


def main(backend: str, rounds: int, label: str) -> dict[str, object]:
    ours_wall, ours_cpu, base_wall, base_cpu = [], [], [], []
    with (
        tempfile.TemporaryDirectory() as workdir,
        Stores(backend, Path(workdir), DEFAULT_PG_DSN) as stores,
        cases_ledger(stores, 400, 25) as (ledger, built, clock),
    ):
        ledger.checkpoint(HR)
        next_case = 400
        for _ in range(rounds):
            _append(ledger, built.cast, clock, next_case, 40, 25)
            next_case += 40
            wall, cpu = time.perf_counter(), time.process_time()
            ledger.checkpoint(HR)
            ours_wall.append(time.perf_counter() - wall)
            ours_cpu.append(time.process_time() - cpu)
            start = ledger._store.last_position() - 999
            wall, cpu = time.perf_counter(), time.process_time()
            _hash_rows(ledger, start)
            base_wall.append(time.perf_counter() - wall)
            base_cpu.append(time.process_time() - cpu)
        failure = ledger.verify().failure
        assert failure is None, failure

    def ms(samples: list[float]) -> float:
        return round(statistics.median(samples) * 1000, 3)

    def ratio(base: list[float], ours: list[float]) -> float:
        return round(statistics.median(b / o for b, o in zip(base, ours, strict=True)), 3)

    return {
        "label": label,
        "backend": backend,
        "rounds": rounds,
        "src": pmledger.__file__,
        "ours_wall_ms": ms(ours_wall),
        "ours_cpu_ms": ms(ours_cpu),
        "base_wall_ms": ms(base_wall),
        "base_cpu_ms": ms(base_cpu),
        "ratio_wall": ratio(base_wall, ours_wall),
        "ratio_cpu": ratio(base_cpu, ours_cpu),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), sys.argv[3])))
