"""Pausing CPython's cyclic garbage collector for the ledger's long streaming passes.

Catching the read models up and verifying the log allocate many small objects per event and
keep per-case state alive for the whole pass (fold states, chain heads), so the collector ran
hundreds of times per pass, each time walking everything still held: 205-280 ms of a
0.9-1.1 s rebuild of the quick benchmark's 10,052 events, and rounds of `verify` that ran
up to a fifth slower than their neighbours. Neither pass makes reference cycles (a collection
after either, with the collector off, finds no garbage, which tests hold), so reference
counting frees everything on time.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_pauses = threading.Lock()
"""Held while a pass runs with the collector paused."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the collector for the block; restored as it was when the block ends. One pause
    at a time if several threads run passes at once (the first to start restores it)."""
    if not _pauses.acquire(blocking=False):
        yield
        return
    try:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if was_enabled:
                gc.enable()
    finally:
        _pauses.release()
