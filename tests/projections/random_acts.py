"""Random acts on a case, drawn by hypothesis, for the fold properties: what the procedure
refuses is skipped, everything else is recorded by the head or a level-2 manager, with or
without a reason."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from hypothesis import strategies as st
from tests.policies.script import HEAD, LEVEL_2
from tests.policies.test_stage_machines import _acts

from pmledger.errors import PmLedgerError
from pmledger.events.actors import Actor
from pmledger.events.signed_event import Act


class Recorder(Protocol):
    def act(self, on: date, act: Act, *, by: Actor, reason: str | None = ...) -> object: ...


def record_random_acts(
    data: st.DataObject, script: Recorder, start: date, *, most: int, longest_gap: int
) -> date:
    """Up to `most` acts, each 0 to `longest_gap` days after the one before; the last date."""
    on = start
    for _ in range(data.draw(st.integers(1, most))):
        on += timedelta(days=data.draw(st.integers(0, longest_gap)))
        act = data.draw(st.sampled_from(_acts(on)))()
        try:
            script.act(
                on,
                act,
                by=data.draw(st.sampled_from([HEAD, LEVEL_2])),
                reason=data.draw(st.sampled_from([None, "recorded exceptional reason"])),
            )
        except PmLedgerError:
            continue
    return on
