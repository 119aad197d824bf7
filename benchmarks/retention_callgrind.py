"""Instructions (callgrind) of a retention plan, a bare decode and a first purge, for A/B runs.

On the 2-core machine shared by helpers (load 5-12) CPU times of the same code move by a
third between runs; instruction counts do not. This builds the benchmark's workload
(`bench_retention._build`, 300 cases) in one process under callgrind with collection off,
freezes the heap as a host does after start-up, and runs each measured call under a C
function no code path of the ledger calls, so callgrind collects only inside it and
`callgrind_annotate --inclusive=yes` names its count: the bare decode under
`functools.reduce`, the plan under `operator.call`, the first purge (every case certified)
under `itertools.starmap`. A second purge (nothing due) runs uncounted.

    PYTHONPATH=<tree>/src valgrind --tool=callgrind --callgrind-out-file=out \\
        --collect-atstart=no --toggle-collect=functools_reduce \\
        --toggle-collect=_operator_call --toggle-collect=starmap_next \\
        python benchmarks/retention_callgrind.py <tree> sqlite|postgres
    callgrind_annotate --inclusive=yes out | grep -E 'reduce|_operator_call|starmap_next'

Instructions leave out what the kernel does (SQLite's reads and fsyncs, PostgreSQL's server)
and what cache misses cost, so they rank code changes; the ratios the issue sets are wall
times (`run.py`), which also pay those.
"""

from __future__ import annotations

import functools
import gc
import itertools
import operator
import sys
from pathlib import Path

from harness import scratch


def main() -> None:
    root, backend = Path(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, str(root / "benchmarks"))
    import bench_retention as br  # the tree under test's benchmark
    from workload import open_ledger

    from pmledger.ledger.retention_jobs import plan, purge
    from pmledger.retention import load_default

    schedule = load_default()
    with scratch(backend, "retention-callgrind") as target:
        ledger = open_ledger(target)
        br._build(ledger, 300)
        gc.collect()
        gc.freeze()
        list(plan(ledger, schedule, br.AS_OF, br.ADMIN))  # first-use caches, uncounted
        br._decode(ledger)
        functools.reduce(lambda _, __: br._decode(ledger), [0, 0])  # one call: the decode
        operator.call(lambda: list(plan(ledger, schedule, br.AS_OF, br.ADMIN)))
        list(itertools.starmap(lambda: purge(ledger, schedule, br.AS_OF, br.ADMIN), [()]))
        purge(ledger, schedule, br.AS_OF, br.ADMIN)  # nothing due: uncounted
        ledger.close()


if __name__ == "__main__":
    main()
