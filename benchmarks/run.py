"""Run the pmledger benchmarks: each against its baseline, in this process, in this run.

    python benchmarks/run.py [--quick] [--json OUT] [--backend sqlite|postgres|both]
                             [--only NAME ...] [--rounds N] [--no-memory] [--profile DIR]
    python benchmarks/run.py --list

Benchmarks are discovered from benchmarks/bench_*.py: each module lists `Benchmark` entries in
a module-level BENCHMARKS. Add a module (bench_projection.py, bench_export.py, …) and it is
picked up. Results are ratios to a baseline measured in the same run, so they mean the same on
a laptop and in CI; nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402 - the benchmark folder must be importable first
    DEFAULT_PG_DSN,
    Benchmark,
    Context,
    Result,
    Stores,
    machine_info,
    postgres_problem,
    render_table,
    result_json,
    temporary_workdir,
    write_json,
)
from rich.console import Console  # noqa: E402


def discover() -> list[Benchmark]:
    found: list[Benchmark] = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(path.stem)
        entries = getattr(module, "BENCHMARKS", None)
        if not isinstance(entries, list):
            raise SystemExit(f"{path.name} must define BENCHMARKS: list[Benchmark]")
        found.extend(entries)
    return found


def selected(benchmarks: list[Benchmark], patterns: list[str], quick: bool) -> list[Benchmark]:
    if not patterns:
        return [b for b in benchmarks if not (quick and b.diagnostic)]
    chosen = [
        b
        for b in benchmarks
        if any(fnmatch.fnmatch(b.name, p) or b.name.startswith(p) for p in patterns)
    ]
    if not chosen:
        names = ", ".join(b.name for b in benchmarks)
        raise SystemExit(f"no benchmark matches {patterns}; known: {names}")
    return chosen


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes (well under 2 min)")
    parser.add_argument("--json", type=Path, help="write results as JSON to this file")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres", "both"),
        default="both",
        help="storage backend(s); with 'both' PostgreSQL is skipped if no server answers",
    )
    parser.add_argument(
        "--only", action="append", default=[], help="benchmark name, prefix or glob (repeatable)"
    )
    parser.add_argument("--rounds", type=int, help="timed rounds per contender (default 3/5)")
    parser.add_argument("--no-memory", action="store_true", help="skip the extra tracemalloc pass")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="run the tracemalloc pass in a quick run too (quick runs skip it by default)",
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="also cProfile each benchmark into DIR"
    )
    parser.add_argument(
        "--pg-dsn",
        default=os.environ.get("PMLEDGER_BENCH_PG", DEFAULT_PG_DSN),
        help="PostgreSQL DSN (a fresh schema is created per trial and dropped after)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser.parse_args(argv)


def backends_to_run(choice: str, dsn: str, console: Console) -> tuple[list[str], list[str]]:
    wanted = ["sqlite", "postgres"] if choice == "both" else [choice]
    skipped: list[str] = []
    if "postgres" in wanted:
        problem = postgres_problem(dsn)
        if problem is not None:
            if choice == "postgres":
                raise SystemExit(f"no PostgreSQL server answers at {dsn}: {problem}")
            console.print(f"[yellow]skipping PostgreSQL: {problem}[/]")
            wanted.remove("postgres")
            skipped.append(f"postgres: {problem}")
    return wanted, skipped


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds the `finally`s, so PostgreSQL schemas are dropped


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    console = Console(width=None if sys.stdout.isatty() else 150)
    benchmarks = selected(discover(), args.only, args.quick)
    if args.list:
        for benchmark in benchmarks:
            console.print(f"[bold]{benchmark.name}[/]  {benchmark.description}")
        return 0
    backends, skipped = backends_to_run(args.backend, args.pg_dsn, console)
    rounds = args.rounds or (3 if args.quick else 5)
    machine = machine_info(args.pg_dsn if "postgres" in backends else None)
    started = time.perf_counter()
    results: list[Result] = []
    walls: list[dict[str, Any]] = []
    with temporary_workdir() as workdir:
        for backend in backends:
            with Stores(backend, Path(workdir), args.pg_dsn) as stores:
                ctx = Context(
                    quick=args.quick,
                    rounds=rounds,
                    stores=stores,
                    trace_memory=not args.no_memory and (args.memory or not args.quick),
                    profile_dir=args.profile,
                )
                for benchmark in benchmarks:
                    if backend in benchmark.backends:
                        began = time.perf_counter()
                        results.extend(benchmark.run(ctx))
                        walls.append(_wall(benchmark.name, backend, time.perf_counter() - began))
    elapsed = time.perf_counter() - started
    mode = "quick" if args.quick else "full"
    render_table(results, console, f"pmledger benchmarks ({mode}, {elapsed:.0f}s)")
    _print_walls(walls, console)
    payload: dict[str, Any] = {
        "command": " ".join(["python", "benchmarks/run.py", *(argv or sys.argv[1:])]),
        "mode": mode,
        "rounds": rounds,
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": machine,
        "load_average_after_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "skipped": skipped,
        "wall_seconds": walls,
        "results": [result_json(r) for r in results],
    }
    if args.json:
        write_json(args.json, payload)
        console.print(f"results written to {args.json}")
    _print_misses(results, console)
    return 0


def _wall(benchmark: str, backend: str, seconds: float) -> dict[str, Any]:
    """One benchmark's whole wall time on one backend: building its ledgers, every timed
    round, the memory pass and its own checks — what the suite's duration is made of (each
    Result's `seconds` covers only its `compare`)."""
    return {
        "benchmark": benchmark,
        "backend": backend,
        "seconds": round(seconds, 2),
        "load_average_1": round(os.getloadavg()[0], 2),
    }


def _print_walls(walls: list[dict[str, Any]], console: Console) -> None:
    parts = ", ".join(f"{w['benchmark']}/{w['backend']} {w['seconds']:.1f}s" for w in walls)
    total = sum(w["seconds"] for w in walls)
    console.print(f"wall time per benchmark (sum {total:.0f}s): {parts}")


def _print_misses(results: list[Result], console: Console) -> None:
    for result in results:
        for comparison in result.comparisons:
            if comparison.met is False:
                assert comparison.target is not None
                short = comparison.target - comparison.ratio
                console.print(
                    f"[red]target missed[/] {result.benchmark} on {result.backend}: "
                    f"{comparison.ratio:.2f} of {comparison.baseline} "
                    f"(target {comparison.target:.2f}, short by {short:.2f} = "
                    f"{short / comparison.target:.0%} of the target)"
                )


if __name__ == "__main__":
    sys.exit(main())
