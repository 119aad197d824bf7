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
from collections.abc import Iterable, Iterator

from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import Failure, VerifyReport


class LogPositions:
    """The positions of the rows `verify` streams, kept as they pass (8 bytes an event)."""

    def __init__(self) -> None:
        self.seen = array("q")

    def watch(self, rows: Iterable[StoredRow]) -> Iterator[StoredRow]:
        for row in rows:
            self.seen.append(row.position)
            yield row


def hold_to_own_record(
    report: VerifyReport, tree_size: int, checkpointed: Iterable[int], seen: array[int]
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


def _first_missing(checkpointed: Iterable[int], seen: array[int]) -> int | None:
    """The first position in `checkpointed` (ascending) absent from `seen` (ascending)."""
    at = 0
    for position in checkpointed:
        while at < len(seen) and seen[at] < position:
            at += 1
        if at == len(seen) or seen[at] != position:
            return position
    return None
