"""Retention plan and purge against a bare decode, in CPU time, for A/B runs on a busy machine.

`run.py --quick --only retention` measures wall-clock rates, which at a load average of 6-10
(helpers sharing two cores) swing 2-3x between rounds of the same code. This measures, in one
process on the benchmark's own ledger (300 cases, 1,200 events, `bench_retention._build`), the
CPU time of the best of 12 plans and of a bare decode, and of the first purge (every case
certified) and a second (nothing due) on each of three fresh ledgers, with the heap frozen
once they are built (as `harness.time_body` freezes it, and the CLI after start-up). Run it
with the tree under test first on the path:

    PYTHONPATH=<tree>/src python benchmarks/retention_cpu_ab.py <tree> sqlite|postgres out.json
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import DEFAULT_PG_DSN, Stores


def main() -> None:
    root, backend, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    sys.path.insert(0, str(root / "benchmarks"))
    import bench_retention as br  # the tree under test's benchmark
    from workload import open_ledger

    from pmledger.ledger.retention_jobs import plan, purge
    from pmledger.retention import load_default

    schedule = load_default()

    def timed(work: Callable[[], object]) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        work()
        return time.process_time() - cpu, time.perf_counter() - wall

    runs: dict[str, list[tuple[float, float]]] = {
        k: [] for k in ("plan", "decode", "purge", "purge_decode", "purge_again")
    }
    with tempfile.TemporaryDirectory() as workdir, contextlib.ExitStack() as scratch:
        stores = Stores(backend, Path(workdir), DEFAULT_PG_DSN)
        ledgers = []
        for _ in range(3):
            ledgers.append(open_ledger(scratch.enter_context(stores.fresh("retention-cpu-ab"))))
            br._build(ledgers[-1], 300)
        gc.collect()
        gc.freeze()  # as the harness does before each timed body (a host's start-up freeze)
        first = ledgers[0]
        for _ in range(12):
            runs["decode"].append(timed(lambda: br._decode(first)))
            runs["plan"].append(timed(lambda: list(plan(first, schedule, br.AS_OF, br.ADMIN))))
        for ledger in ledgers:
            runs["purge_decode"].append(timed(lambda: br._decode(ledger)))  # noqa: B023
            runs["purge"].append(timed(lambda: purge(ledger, schedule, br.AS_OF, br.ADMIN)))  # noqa: B023
            runs["purge_again"].append(timed(lambda: purge(ledger, schedule, br.AS_OF, br.ADMIN)))  # noqa: B023
            ledger.close()
    Path(out).write_text(json.dumps(runs))

    def ratio(baseline: str, ours: str, which: int) -> float:
        return min(r[which] for r in runs[baseline]) / min(r[which] for r in runs[ours])

    print(
        f"{backend} {root}: plan {ratio('decode', 'plan', 0):.2f} cpu "
        f"{ratio('decode', 'plan', 1):.2f} wall | purge {ratio('purge_decode', 'purge', 0):.2f} "
        f"cpu {ratio('purge_decode', 'purge', 1):.2f} wall | purge, nothing due "
        f"{ratio('purge_decode', 'purge_again', 0):.2f} cpu "
        f"{ratio('purge_decode', 'purge_again', 1):.2f} wall"
    )


if __name__ == "__main__":
    main()
