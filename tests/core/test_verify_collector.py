"""`verify` runs with the cyclic collector paused, on the grounds that it makes no reference
cycles: whatever it allocated, reference counting has freed by the time it returns."""

from __future__ import annotations

import gc

from tests.core.helpers import seeded


def test_a_verify_leaves_no_reference_cycles_for_the_paused_collector(backend: str) -> None:
    with seeded(backend) as ledger:
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            assert ledger.verify().ok
            assert gc.collect() == 0
        finally:
            if was_enabled:
                gc.enable()


def test_verify_gives_the_collector_back_as_it_found_it(backend: str) -> None:
    with seeded(backend) as ledger:
        assert gc.isenabled()
        assert ledger.verify().ok
        assert gc.isenabled()
        gc.disable()
        try:
            assert ledger.verify().ok
            assert not gc.isenabled()
        finally:
            gc.enable()
