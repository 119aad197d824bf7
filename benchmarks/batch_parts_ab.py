"""The per-act parts of `record_batch` that issue 22's third pass changed, old code against new,
interleaved in one process (so both meet the same load): the personal-content rewrite, the
date-window walk and a read of an event's cached envelope.

The old modules are loaded from another checkout's `src` (e.g. `git archive main | tar -x -C
/tmp/old`); they depend only on pydantic and on modules this pass did not change. Acts: the
100 of `append.batched` (5 cases opened, 19 meetings held each). Least of 7 repeats, per act.

    python benchmarks/batch_parts_ab.py --old-src /tmp/old/src [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import timeit
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType

from bench_append import _draft_cast
from harness import Benchmark
from workload import CaseDraft, SteppingClock, meetings_history

from pmledger.events import business_dates, personal


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-src", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    old_personal = _load("old_personal", args.old_src / "pmledger/events/personal.py")
    old_dates = _load("old_dates", args.old_src / "pmledger/events/business_dates.py")
    clock, cast = SteppingClock(), _draft_cast(5)
    events = [e for n in range(5) for e in meetings_history(CaseDraft(n, cast, clock), 20)]
    acts = [event.act for event in events]
    today = date(2026, 1, 1)

    def seal(text: str) -> str:
        return "sealed:v1:capability:" + text

    def per_act(run: Callable[[], object]) -> float:
        return min(timeit.repeat(run, number=3, repeat=7)) / 3 / len(acts) * 1e6

    event = events[3]
    event.sealed()
    parts: dict[str, Callable[[], object]] = {
        "rewrite_personal, old": lambda: [old_personal.rewrite_personal(a, seal) for a in acts],
        "rewrite_personal, new": lambda: [personal.rewrite_personal(a, seal) for a in acts],
        "outside_window, old": lambda: [old_dates.outside_window(a, today, today) for a in acts],
        "outside_window, new": lambda: [
            business_dates.outside_window(a, today, today) for a in acts
        ],
        "one read of the cached envelope as an attribute (old)": lambda: [
            event._envelope for _ in acts
        ],
        "one read of the cached envelope by sealed() (new)": lambda: [event.sealed() for _ in acts],
    }
    seen: dict[str, list[float]] = {name: [] for name in parts}
    for _ in range(args.rounds):
        for name, run in parts.items():
            seen[name].append(per_act(run))
    for name, values in seen.items():
        rounds = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name}: {min(values):.1f} µs per act (rounds: {rounds})")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: an A/B against another checkout, run on its own."""


if __name__ == "__main__":
    main()
