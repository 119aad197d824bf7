"""Rebuild of the read models against a bare decode, in CPU time, for A/B runs on a busy machine.

`run.py --quick --only 'projection*'` times wall-clock rates, which with helpers sharing two
cores swing by a third between rounds of the same code (0.29 to 0.43 in one run on
PostgreSQL). This times, in one process on the benchmark's own workload (`build_cases`, 400
cases of 25 events), the CPU of `Ledger.rebuild_views()` and of a bare decode of every stored
event, alternated for `rounds` rounds. On PostgreSQL it also counts the CPU of the server
processes serving this process's connections (from /proc, found by their client ports), since
what the server does for a rebuild is part of its cost. Run it with the tree under test first
on the path:

    PYTHONPATH=<tree>/src python benchmarks/projection_cpu_ab.py sqlite|postgres out.json [rounds]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from bench_projections import decode_rows
from harness import DEFAULT_PG_DSN, scratch
from workload import SteppingClock, build_cases, open_ledger

import pmledger

TICK = os.sysconf("SC_CLK_TCK")


def _own_ports() -> set[int]:
    """Local TCP ports of this process's sockets (its connections to the server)."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            link = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    ports = set()
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[9] in inodes:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _server_cpu(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def main() -> None:
    backend, out = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    with scratch(backend, "projection-cpu-ab") as target:
        built = build_cases(target, 400, 25)
        watcher = (
            psycopg.connect(DEFAULT_PG_DSN, autocommit=True) if backend == "postgres" else None
        )

        def backends() -> set[int]:
            if watcher is None:
                return set()
            ports = list(_own_ports())
            rows = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE client_port = ANY(%s) AND pid <> "
                "pg_backend_pid()",
                (ports,),
            ).fetchall()
            return {r[0] for r in rows}

        runs: dict[str, list[tuple[float, float, float]]] = {"decode": [], "rebuild": []}
        with open_ledger(target, SteppingClock(built.clock_at), built.keystore) as ledger:
            ledger.rebuild_views()  # warm: connections opened, packs loaded

            def timed(work: Callable[[], object]) -> tuple[float, float, float]:
                pids = backends()
                server, cpu, wall = _server_cpu(pids), time.process_time(), time.perf_counter()
                work()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                return cpu, _server_cpu(pids | backends()) - server, wall

            for _ in range(rounds):
                runs["decode"].append(timed(lambda: decode_rows(ledger)))
                runs["rebuild"].append(timed(ledger.rebuild_views))
        if watcher is not None:
            watcher.close()

    def ratio(pick: Callable[[tuple[float, float, float]], float]) -> float:
        return statistics.median(
            pick(d) / pick(r) for d, r in zip(runs["decode"], runs["rebuild"], strict=True)
        )

    summary = {
        "tree": str(Path(pmledger.__file__).parents[2]),
        "backend": backend,
        "load_average": os.getloadavg(),
        "ratio_client_cpu": ratio(lambda s: s[0]),
        "ratio_client_and_server_cpu": ratio(lambda s: s[0] + s[1]),
        "ratio_wall": ratio(lambda s: s[2]),
        "runs_cpu_server_wall": runs,
    }
    Path(out).write_text(json.dumps(summary, indent=1))
    print(
        f"{backend} {summary['tree']}: rebuild/decode client cpu {summary['ratio_client_cpu']:.3f}"
        f" | client+server cpu {summary['ratio_client_and_server_cpu']:.3f}"
        f" | wall {summary['ratio_wall']:.3f} | rebuild cpu "
        f"{statistics.median(r[0] for r in runs['rebuild']):.3f}s server "
        f"{statistics.median(r[1] for r in runs['rebuild']):.3f}s | decode cpu "
        f"{statistics.median(r[0] for r in runs['decode']):.3f}s server "
        f"{statistics.median(r[1] for r in runs['decode']):.3f}s | load {os.getloadavg()}"
    )


if __name__ == "__main__":
    main()
