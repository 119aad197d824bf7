"""`pmledger import` of a large file in a fresh process: wall time, acts/s and peak RSS
(`/usr/bin/time -v`), to show memory flat in the file's size (issue 22).

For each size, a new SQLite ledger whose cast has keys on disk, a JSON Lines file of that
many acts (cases opened, each followed by 1-2-1 meetings held), then

    /usr/bin/time -v python -m pmledger import FILE --db LEDGER --keys KEYS

Run `python benchmarks/import_scale.py --acts 10000 --acts 100000`; JSON goes to
benchmarks/results/import-scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import Benchmark, machine_info
from workload import HEAD, HELD_ON, HR, OPENED_ON, SteppingClock, employee_ref, enrol, held, opened

from pmledger import RecordAct
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

PASSPHRASE = "import scale benchmark only"
PER_CASE = 10
"""Acts per case in the file: an opening and nine meetings held."""


def write_file(path: Path, acts: int, employees: int) -> None:
    with path.open("w") as out:
        for n in range(acts // PER_CASE):
            ref = employee_ref(n)
            person = f"emp-{n % employees}"
            lines = [
                RecordAct(employee=ref, act=opened(n, person), occurred_on=OPENED_ON, actor=HR)
            ]
            lines += [
                RecordAct(employee=ref, act=held(i), occurred_on=HELD_ON, actor=HEAD)
                for i in range(1, PER_CASE)
            ]
            for command in lines:
                out.write(command.model_dump_json() + "\n")


def measure(folder: Path, acts: int) -> dict[str, Any]:
    keys = folder / f"keys-{acts}"
    target = str(folder / f"ledger-{acts}.sqlite")
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(target, keystore=keystore, clock=SteppingClock(), create=True) as ledger:
        enrol(ledger, 50)
    file = folder / f"history-{acts}.jsonl"
    write_file(file, acts, 50)
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "pmledger", "import", str(file)]
    command += ["--db", target, "--keys", str(keys), "--json"]
    env = {**os.environ, "PMLEDGER_KEY_PASSPHRASE": PASSPHRASE}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = sum(
        float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    )
    summary = json.loads(done.stdout)
    return {
        "acts": acts,
        "imported": summary["acts"],
        "wall_s": round(wall, 1),
        "acts_per_s": round(summary["acts"] / wall),
        "cpu_s": round(cpu, 1),
        "cpu_us_per_act": round(cpu / summary["acts"] * 1e6),
        "peak_rss_mib": round(int(rss.group(1)) / 1024, 1) if rss else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--acts", type=int, action="append", required=True)
    parser.add_argument(
        "--json", type=Path, help="where to write (default results/import-scale.json)"
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for acts in args.acts:
            row = measure(Path(folder), acts)
            print(json.dumps(row), flush=True)
            rows.append(row)
    out = args.json or Path(__file__).parent / "results" / "import-scale.json"
    out.write_text(json.dumps({"machine": machine_info(None), "rows": rows}, indent=2) + "\n")


BENCHMARKS: list[Benchmark] = []
"""None for run.py: fresh processes at several file sizes, run on its own."""


if __name__ == "__main__":
    main()
