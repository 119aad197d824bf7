"""What a process hosting pmledger does once its start-up is done: freeze the heap it holds.

CPython's cyclic garbage collector now and then runs a full (generation 2) collection, which
traverses every tracked object in the process. After importing the ledger that is about
65,000 objects, pydantic-core's validators among them (each traverses its whole schema
tree), so one full collection costs 70-110 ms, and a long job such as a first retention purge
promotes enough objects to set one off in about half of its runs: its time jumps by half
(benchmarks/README.md, "Issue 22, retention purge", helper h25ret). `gc.freeze()` moves every
object alive at that moment to a permanent generation that collections no longer traverse;
objects frozen are still freed by reference counting; only a reference cycle among them is
never reclaimed. What start-up leaves alive is the modules, the app and its settings, which
live as long as the process anyway, and the little cyclic garbage importing leaves is not
worth a full collection of its own first (which would cost what freezing saves).

This is the host's decision, not the library's: freezing pins whatever the host process holds
at that moment, so the library never calls it from its own code. pmledger's own hosts do — the
CLI's `main` after its imports and the example web application after it opened its ledger —
and a host application embedding the library calls it (or not) where its own start-up ends.
The collector itself stays on.
"""

from __future__ import annotations

import gc


def freeze_start_up_heap() -> None:
    """Exclude every object alive now from the collector's full traversals (`gc.freeze`)."""
    gc.freeze()
