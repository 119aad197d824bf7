"""Holding every signed head's cases root to the case heads the log really has.

A head signs, besides the log's root, the root of a map naming each aggregate's newest event
at the head's size (`integrity.case_map`). Someone holding the keys could sign a head over a
false map, one that makes a case end early, and give bundles that stop there; the log's root
alone would not show it. `pmledger verify` therefore rebuilds the map from the log as it
streams and compares its root at every head's size. Memory is O(aggregates), never O(events).
"""

from __future__ import annotations

from pmledger.integrity.case_map import CaseMap
from pmledger.integrity.tree_head import SignedTreeHead


class CaseHeads:
    """Fed every row in log order, with the leaf hash the log's tree gives it."""

    def __init__(self) -> None:
        self._map = CaseMap()

    def see(self, aggregate_id: str, version: int, leaf: bytes) -> None:
        self._map.see(aggregate_id, version, leaf)

    def mismatch(self, head: SignedTreeHead) -> str | None:
        """Why `head`, reached by the stream at its size, misstates the case heads; None when
        it states them truly, or makes no statement (signed before heads carried a map)."""
        if head.cases_root is None or self._map.root().hex() == head.cases_root:
            return None
        return (
            f"the newest event of each case among the first {head.size} events is not what "
            f"the checkpoint signed at {head.at.isoformat()} says (its cases root differs): "
            "it was signed over a false map of case heads, or an event before it was changed"
        )
