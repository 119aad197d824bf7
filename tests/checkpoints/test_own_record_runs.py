"""The log is held to the tree's own record a run of positions at a time: the first position
named missing is the one a step through every checkpointed position names."""

from __future__ import annotations

from array import array

from hypothesis import given
from hypothesis import strategies as st

from pmledger.ledger.checkpoints.own_record import _first_missing


def _stepwise(checkpointed: list[int], seen: array[int]) -> int | None:
    """The definition: the first checkpointed position (ascending) not in `seen`."""
    present = set(seen)
    return next((position for position in checkpointed if position not in present), None)


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for position in positions:
        if runs and runs[-1][0] + runs[-1][1] == position:
            runs[-1][1] += 1
        else:
            runs.append([position, 1])
    return [(first, count) for first, count in runs]


@given(
    st.sets(st.integers(1, 120), max_size=60),
    st.sets(st.integers(1, 120), max_size=80),
)
def test_a_run_at_a_time_names_the_first_missing_position(
    checkpointed: set[int], log: set[int]
) -> None:
    positions = sorted(checkpointed)
    seen = array("q", sorted(log))
    assert _first_missing(_runs(positions), seen) == _stepwise(positions, seen)
