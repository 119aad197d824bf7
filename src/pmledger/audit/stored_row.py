"""A stored event as the database holds it, before anything is trusted or decoded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoredRow:
    position: int
    aggregate_id: str
    version: int
    topic: str
    state: bytes


@dataclass(frozen=True, slots=True)
class StoredLeaf:
    """A stored event as the log's Merkle tree and map of case heads take it: its leaf hash
    (`integrity.merkle.leaf_hash` of its state) in place of its bytes, for a pass that only
    holds the log to its signed heads (a sharded verify's, which hands the rows themselves to
    the processes checking them)."""

    position: int
    aggregate_id: str
    version: int
    leaf: bytes
