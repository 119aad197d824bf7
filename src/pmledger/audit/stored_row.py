"""A stored event as the database holds it, before anything is trusted or decoded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class StoredRow(NamedTuple):
    """A named tuple, not a frozen dataclass: `verify` makes one for every row it reads and
    for every row a checking process is sent (0.26 µs from a tuple, against 0.67 µs for a
    frozen dataclass's `__init__`), and it crosses to those processes as a plain tuple."""

    position: int
    aggregate_id: str
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True, slots=True)
class StoredLeaf:
    """A stored event as the log's Merkle tree and map of case heads take it: its leaf hash
    (`integrity.merkle.leaf_hash` of its state) in place of its bytes, for the checkpoint,
    which grows the tree over the log without reading its rows' bytes."""

    position: int
    aggregate_id: str
    version: int
    leaf: bytes
