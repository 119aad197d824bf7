"""The `pmledger` command freezes its start-up heap (pmledger.start_up): a full garbage
collection in a long command (a purge, a verify) does not traverse the modules' objects."""

from __future__ import annotations

import subprocess
import sys

from tests.core.helpers import seeded

RUN_AND_COUNT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count(), file=sys.stderr))
from pmledger.cli.main import main
sys.argv = ["pmledger", *sys.argv[1:]]
main()
"""


def test_a_command_runs_on_a_frozen_start_up_heap(backend: str) -> None:
    with seeded(backend):
        pass
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_COUNT, "verify", "--db", backend, "--json"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    frozen = int(done.stderr.split("frozen ")[-1])
    assert frozen > 10_000, "the imported modules' objects, not a handful"
