"""CPU per event of `verify`, on one process and sharded, against raw Ed25519 verification.

On a machine shared with other work, wall-clock ratios of a multi-process run mostly measure
the other work (both sides wait for cores). CPU time does not: this counts the CPU seconds of
this process and of its children (`getrusage`) per verified event, for `Ledger.verify(jobs=1)`,
`Ledger.verify(jobs=N)` and a raw `Ed25519PublicKey.verify` loop over the same signatures and
envelopes. With every core busy on the work alone (an idle machine), the wall ratio of sharded
verify to raw verification on a process per core is at best raw CPU / sharded CPU, which is
what it prints as the achievable ratio.

    python benchmarks/verify_cpu.py --events 20000 [--backend sqlite|postgres] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
from pathlib import Path
from typing import Any

from bench_verify import stored_checks
from harness import Benchmark, Stores, machine_info
from workload import build_ledger

from pmledger.ledger.facade import Ledger
from pmledger.ledger.parallel_verify import available_cores


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(target: str, jobs: int, repeats: int) -> dict[str, Any]:
    checks = stored_checks(target)
    with Ledger.open(target) as ledger:
        events = len(checks)
        samples: dict[str, list[float]] = {"raw": [], "one process": [], f"jobs={jobs}": []}
        for _ in range(repeats):
            start = _cpu()
            for public, signature, message in checks:
                public.verify(signature, message)
            samples["raw"].append(_cpu() - start)
            for label, n in (("one process", 1), (f"jobs={jobs}", jobs)):
                start = _cpu()
                report = ledger.verify(jobs=n)
                samples[label].append(_cpu() - start)
                if not report.ok or report.events != events:
                    raise AssertionError(f"verify did not pass the whole ledger: {report}")
    per_event = {k: round(min(v) / events * 1e6, 1) for k, v in samples.items()}
    return {
        "events": events,
        "cpu_us_per_event (best of repeats)": per_event,
        "achievable ratio, one process": round(per_event["raw"] / per_event["one process"], 3),
        f"achievable ratio, jobs={jobs}": round(per_event["raw"] / per_event[f"jobs={jobs}"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=available_cores())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pg-dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        stores = Stores(args.backend, Path(folder), args.pg_dsn)
        with stores.fresh("verify-cpu") as target:
            build_ledger(target, cases=args.events // 25, events_per_case=25, checkpoint=True)
            result = measure(target, args.jobs, args.repeats)
    result = {"backend": args.backend, **result, "machine": machine_info(args.pg_dsn)}
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, indent=2))
    out = Path(__file__).parent / "results" / f"verify-cpu-{args.backend}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: a CPU-time account, run on its own (see the docstring)."""


if __name__ == "__main__":
    main()
