"""Peak RSS of the everyday whole-ledger commands at a million events, each in a fresh process
(issue 22: < 300 MB, flat in the ledger's size).

Builds (once; kept in --folder so a rerun measures the same ledger) a SQLite ledger of
`--cases` cases x `--events` signed events, checkpointed, its cast's keys on disk
(`workload.build_ledger`), then runs each command as a user would, under
`nice -n 19 /usr/bin/time -v` (the machine is shared): its peak RSS is the largest single
process's, and the summed RSS of the command's processes is sampled beside it:

* `pmledger verify` (sharded over the cores, the default);
* `pmledger projections rebuild`;
* `pmledger retention purge` on a date when nothing is due (it reads and judges every case);
* `pmledger export` of one case.

Run `python benchmarks/memory_million.py --folder /tmp/l1m`; JSON goes to
benchmarks/results/memory-million.json (or --json).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from harness import Benchmark, machine_info
from workload import HR, build_ledger

from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = "memory benchmark only"
PURGE_ON = "2026-01-01"
"""Nothing is due: the built cases are open, so the purge reads and judges every one."""


def build(folder: Path, cases: int, events: int) -> Path:
    target = folder / "ledger.sqlite"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    keystore = EncryptedFileKeyStore(folder / "keys", PASSPHRASE.encode())
    started = time.perf_counter()
    built = build_ledger(
        str(target), cases=cases, events_per_case=events, checkpoint=True, keystore=keystore
    )
    print(json.dumps({"built": built.events, "s": round(time.perf_counter() - started)}))
    return target


def commands(folder: Path, target: Path) -> dict[str, list[str]]:
    db = ["--db", str(target)]
    admin = ["--actor", f"{HR.person_id}:administrator", "--keys", str(folder / "keys")]
    return {
        "verify": ["verify", *db, "--json"],
        "projections rebuild": ["projections", "rebuild", *db],
        "retention purge": ["retention", "purge", *db, "--as-of", PURGE_ON, *admin],
        "export one case": [
            "export",
            "E-000007",
            *db,
            "--actor",
            f"{HR.person_id}:hr",
            "--keys",
            str(folder / "keys"),
            "--out",
            str(folder / "bundle"),
            "--json",
        ],
    }


def _tree_rss_kib(root: int) -> int:
    """Resident KiB of `root` and every process under it, summed (pages shared after a fork
    count once per process: an upper bound), read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    return sum(rss.get(pid, 0) for pid in tree)


class _TreeSampler(threading.Thread):
    """The largest summed RSS of a process tree, sampled every half second: `time -v` gives
    the largest single process, which for a sharded verify is not what the machine holds."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.peak = max(self.peak, _tree_rss_kib(self.root))


def measure(name: str, args: list[str]) -> dict[str, Any]:
    command = ["nice", "-n", "19", "/usr/bin/time", "-v", sys.executable, "-m", "pmledger"]
    env = {**os.environ, "PMLEDGER_KEY_PASSPHRASE": PASSPHRASE}
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with subprocess.Popen(
        command + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        sampler = _TreeSampler(process.pid)
        sampler.start()
        stdout, stderr = process.communicate()
        sampler.done.set()
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    wall = time.perf_counter() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = sum(
        float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    )
    return {
        "command": name,
        "argv": ["pmledger", *args],
        "exit": done.returncode,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mib": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "tree_peak_rss_mib": round(sampler.peak / 1024, 1),
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "stdout_tail": done.stdout[-300:],
        "stderr_tail": done.stderr.split("\tCommand being timed")[0][-300:],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, required=True, help="where the ledger is kept")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=50, help="events per case")
    parser.add_argument("--only", action="append", help="command name(s) to run")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--json", type=Path, help="default results/memory-million.json")
    args = parser.parse_args()
    target = build(args.folder, args.cases, args.events)
    if args.build_only:
        return
    rows = []
    for name, argv in commands(args.folder, target).items():
        if args.only and name not in args.only:
            continue
        row = measure(name, argv)
        print(json.dumps(row), flush=True)
        rows.append(row)
    out = args.json or Path(__file__).parent / "results" / "memory-million.json"
    out.write_text(json.dumps({"machine": machine_info(None), "rows": rows}, indent=2) + "\n")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: fresh processes on a ledger built once, run on its own."""


if __name__ == "__main__":
    main()
