"""A naive transcription of the map of case heads, written with hashlib alone.

It recurses over the whole depth-32 tree, answering an empty range with a hash it builds
itself, and shares no code with `pmledger.integrity.case_map`, so a shared misreading of the
format cannot make both agree. `log_map` builds the map a ledger's log should have from its
stored rows, ordinals in order of first appearance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from uuid import UUID

from pmledger.audit.stored_row import StoredRow

DEPTH = 32


def ref_leaf(aggregate_id: UUID, version: int, digest: bytes) -> bytes:
    return hashlib.sha256(
        b"\x02" + aggregate_id.bytes + version.to_bytes(8, "big") + digest
    ).digest()


def ref_node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x03" + left + right).digest()


def ref_empty(height: int) -> bytes:
    node = hashlib.sha256(b"\x02").digest()
    for _ in range(height):
        node = ref_node(node, node)
    return node


def ref_root(leaves: Mapping[int, bytes], height: int = DEPTH, start: int = 0) -> bytes:
    """The hash of the subtree of `height` whose first ordinal is `start`."""
    inside = {o: h for o, h in leaves.items() if start <= o < start + (1 << height)}
    if not inside:
        return ref_empty(height)
    if height == 0:
        return inside[start]
    half = 1 << (height - 1)
    return ref_node(ref_root(inside, height - 1, start), ref_root(inside, height - 1, start + half))


def ref_path(leaves: Mapping[int, bytes], ordinal: int) -> list[bytes]:
    return [ref_root(leaves, level, ((ordinal >> level) ^ 1) << level) for level in range(DEPTH)]


def log_map(rows: Iterable[StoredRow]) -> tuple[dict[str, int], dict[int, bytes]]:
    """(aggregate id -> ordinal, ordinal -> leaf) of the map over `rows`, in log order."""
    ordinals: dict[str, int] = {}
    leaves: dict[int, bytes] = {}
    for row in rows:
        ordinal = ordinals.setdefault(row.aggregate_id, len(ordinals))
        event_leaf = hashlib.sha256(b"\x00" + row.state).digest()
        leaves[ordinal] = ref_leaf(UUID(row.aggregate_id), row.version, event_leaf)
    return ordinals, leaves
