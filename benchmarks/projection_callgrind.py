"""Rebuild of the read models against a bare decode, in instructions (callgrind): a count the
other work on a shared machine does not move.

At a load average of 5-7 on two cores even the CPU time of one rebuild varied from 0.39 to
0.55 of a decode between rounds of the same code (caches and the other core's work). This
builds the projection benchmark's workload (`build_cases`, 400 cases of 25 events) once at
full speed, then for each tree given runs, under `valgrind --tool=callgrind` with
instrumentation started only after a warm-up rebuild, a bare decode of every stored event
and `Ledger.rebuild_views()`, twice each, and counts each one's instructions (of this
process only: on PostgreSQL the server's are not counted). A tiny C helper, compiled here
with the valgrind headers, issues callgrind's client requests.

    python benchmarks/projection_callgrind.py sqlite|postgres out.json TREE [TREE ...]
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HELPER = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""
HERE = Path(__file__).resolve().parent
OPS = ("decode", "rebuild", "decode", "rebuild")


def measure(target: str, built_json: str, helper: str) -> None:
    """Runs under callgrind, with the tree under test first on the path."""
    sys.path.insert(0, str(HERE))
    from bench_projections import decode_rows
    from workload import SteppingClock, open_ledger

    from pmledger import MemoryKeyStore

    cg = ctypes.CDLL(helper)
    clock_at = datetime.fromisoformat(json.loads(built_json)["clock_at"])
    with open_ledger(target, SteppingClock(clock_at), MemoryKeyStore()) as ledger:
        ledger.rebuild_views()
        cg.cg_start()
        for op in OPS:
            work = ledger.rebuild_views if op == "rebuild" else (lambda: decode_rows(ledger))
            cg.cg_zero()
            work()
            cg.cg_dump(op.encode())


def main() -> None:
    if sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    backend, out, trees = sys.argv[1], sys.argv[2], sys.argv[3:]
    sys.path.insert(0, str(HERE))
    from harness import DEFAULT_PG_DSN, Stores
    from workload import build_cases

    work = Path(tempfile.mkdtemp(prefix="projection-callgrind-"))
    source = work / "helper.c"
    source.write_text(HELPER)
    helper = work / "helper.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", helper, source], check=True)
    with Stores(backend, work, DEFAULT_PG_DSN).fresh("projection-callgrind") as target:
        built = build_cases(target, 400, 25)
        built_json = json.dumps({"clock_at": built.clock_at.isoformat()})
        results: dict[str, dict[str, list[int]]] = {}
        for tree in trees:
            prefix = work / f"cg-{len(results)}"
            env = {**os.environ, "PYTHONPATH": f"{tree}/src"}
            subprocess.run(
                [
                    "valgrind", "--tool=callgrind", "--instr-atstart=no",
                    f"--callgrind-out-file={prefix}.%p", sys.executable, __file__, "--measure",
                    target, built_json, str(helper),
                ],
                check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            counts: dict[str, list[int]] = {}
            for dump in sorted(work.glob(f"{prefix.name}.*.*"), key=lambda p: int(p.suffix[1:])):
                text = dump.read_text(errors="replace")
                name = re.search(r"^desc: Trigger: Client Request: (\w+)", text, re.M)
                total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
                if name and total:
                    counts.setdefault(name.group(1), []).append(int(total.group(1)))
            ratio = min(counts["decode"]) / min(counts["rebuild"])
            results[tree] = counts
            print(f"{backend} {tree}: decode/rebuild instructions {ratio:.3f} {counts}", flush=True)
    Path(out).write_text(json.dumps({"backend": backend, "instructions": results}, indent=1))


if __name__ == "__main__":
    main()
