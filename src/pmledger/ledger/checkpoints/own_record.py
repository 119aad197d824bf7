"""What the ledger's own checkpoint records say about the log, with no head from outside.

Growing the tree records the log position of every event it covers and the tree's size.
Someone who deletes a whole case together with every signed head covering it leaves those
records behind, so `verify` holds the log to them: an event the tree covered that is no
longer in the log is named by its position. That is as far as a ledger can check itself;
whoever also rewrites the tree's tables is caught only by heads kept outside the ledger
(`pmledger verify --heads DIR`), which is why a result without them says so.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import Failure, VerifyReport


class LogPositions:
    """The positions of the rows `verify` streams, kept as they pass (8 bytes an event)."""

    def __init__(self) -> None:
        self.seen = array("q")

    def see(self, rows: Iterable[StoredRow]) -> None:
        """Note the positions of these rows (a page of them, handed on by the caller)."""
        self.seen.extend(row.position for row in rows)

    def watch(self, rows: Iterable[StoredRow]) -> Iterator[StoredRow]:
        for row in rows:
            self.seen.append(row.position)
            yield row


def hold_to_own_record(
    report: VerifyReport,
    tree_size: int,
    checkpointed: Iterable[tuple[int, int]],
    seen: array[int],
) -> None:
    """Set the report's failure if the log lost an event the tree records having covered."""
    missing = _first_missing(checkpointed, seen)
    if missing is not None:
        reason = (
            f"the event at log position {missing} was checkpointed but is no longer in the "
            "log: events were removed after a checkpoint, with the signed heads covering them"
        )
    elif tree_size > len(seen):
        missing = tree_size
        reason = (
            f"{tree_size} events were checkpointed but the log holds only {len(seen)}: events "
            "were removed after a checkpoint"
        )
    else:
        return
    report.failure = Failure(
        position=missing,
        aggregate_id="",
        subject="the ledger's Merkle tree",
        version=tree_size,
        reason=reason,
    )


def _first_missing(checkpointed: Iterable[tuple[int, int]], seen: array[int]) -> int | None:
    """The first position of the runs `checkpointed` ((first, count), ascending) absent from
    `seen` (strictly ascending: log positions).

    A run is whole in `seen` if its first and last positions are `count - 1` places apart
    there: strictly ascending integers between them leave no room for a gap. So the check is
    a search a run, not a step an event (a step an event cost ≈ 3 µs of a verify's ≈ 25 µs an
    event, in the process that waits for it)."""
    for first, count in checkpointed:
        at = bisect_left(seen, first)
        last = at + count - 1
        if last < len(seen) and seen[at] == first and seen[last] == first + count - 1:
            continue
        for offset in range(count):  # the run has a gap: name its first missing position
            if at + offset >= len(seen) or seen[at + offset] != first + offset:
                return first + offset
    return None
