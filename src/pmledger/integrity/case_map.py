"""A Merkle map of aggregate heads: for every aggregate in the log (each case, the keyring,
each access log) its newest version and the leaf hash of that event, at one size of the log.

Why: an RFC 9162 tree head proves that the events a bundle holds stand unchanged in the log,
not that they are all of the case's events. Someone holding the keys could leave a case's
newest events out of a bundle and rewrite the rest to match. A head that also signs this map's
root says which event was each case's newest at that size, so a bundle that stops early fails.

Shape: a binary tree of fixed depth `MAP_DEPTH` over ordinals, the order in which aggregates
first appear in the log. A fixed depth gives every proof the same shape and lets every subtree
that holds no entry hash to a precomputed constant (`EMPTY_HASHES`), so only non-empty nodes
are ever stored, and changing one entry rehashes exactly `MAP_DEPTH` nodes: keeping the map
current costs O(new events x depth), whatever the size of the log or the number of cases.

Hashing: a leaf is SHA-256(0x02 || aggregate id (16 bytes) || version (8 bytes, big-endian)
|| leaf hash of the event (32 bytes)); an interior node is SHA-256(0x03 || left || right); an
empty leaf is SHA-256(0x02) alone, which no entry can hash to because every entry is 56 bytes.
The prefixes differ from RFC 9162's 0x00 and 0x01, so no map node can pose as a log node or
the other way round. Everything here is pure hashing; storage and signing are the callers'.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from pmledger.integrity.merkle import HASH_SIZE, NodeId

MAP_DEPTH = 32
"""Room for 2**32 aggregates; a proof is always this many sibling hashes."""

_LEAF_PREFIX = b"\x02"
_NODE_PREFIX = b"\x03"
_MAX_VERSION = 2**63 - 1


def map_node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _empty_hashes() -> tuple[bytes, ...]:
    hashes = [hashlib.sha256(_LEAF_PREFIX).digest()]
    for _ in range(MAP_DEPTH):
        hashes.append(map_node_hash(hashes[-1], hashes[-1]))
    return tuple(hashes)


EMPTY_HASHES = _empty_hashes()
"""EMPTY_HASHES[level]: the hash of a subtree of that height holding no entry."""
EMPTY_MAP_ROOT = EMPTY_HASHES[MAP_DEPTH]

NodeReader = Callable[[Collection[NodeId]], Mapping[NodeId, bytes]]
"""Returns the stored hash of each node it holds; a node it leaves out holds no entry."""


@dataclass(frozen=True, slots=True)
class CaseHead:
    """One map entry: the newest event of an aggregate among the log's first entries."""

    aggregate_id: UUID
    version: int
    digest: bytes
    """The RFC 9162 leaf hash of that event's stored bytes, as in the log's own tree."""

    def leaf(self) -> bytes:
        if not 1 <= self.version <= _MAX_VERSION:
            raise ValueError(f"version {self.version} is outside 1..2**63-1")
        if len(self.digest) != HASH_SIZE:
            raise ValueError(f"digest must be {HASH_SIZE} bytes")
        return hashlib.sha256(
            _LEAF_PREFIX + self.aggregate_id.bytes + self.version.to_bytes(8, "big") + self.digest
        ).digest()


def path_ids(ordinal: int) -> list[NodeId]:
    """The siblings on the way from `ordinal`'s leaf to the root, leaf level first."""
    _check_ordinal(ordinal)
    return [NodeId(level, (ordinal >> level) ^ 1) for level in range(MAP_DEPTH)]


def map_path(ordinal: int, read: NodeReader) -> list[bytes]:
    """The proof for the entry at `ordinal`: its `MAP_DEPTH` siblings, leaf level first."""
    ids = path_ids(ordinal)
    found = read(ids)
    return [found.get(node, EMPTY_HASHES[node.level]) for node in ids]


def root_from_path(leaf: bytes, ordinal: int, path: Sequence[bytes]) -> bytes:
    _check_ordinal(ordinal)
    if len(path) != MAP_DEPTH:
        raise ValueError(f"a map path has {MAP_DEPTH} hashes, not {len(path)}")
    node = leaf
    for level, sibling in enumerate(path):
        if ordinal >> level & 1:
            node = map_node_hash(sibling, node)
        else:
            node = map_node_hash(node, sibling)
    return node


def verify_map_path(head: CaseHead, ordinal: int, path: Sequence[bytes], root: bytes) -> bool:
    """Does `head` sit at `ordinal` in the map whose root is `root`?

    Proofs arrive from outside (bundles), so anything malformed is a failed proof rather
    than an exception.
    """
    if not (
        isinstance(ordinal, int)
        and 0 <= ordinal < 1 << MAP_DEPTH
        and isinstance(root, bytes)
        and len(path) == MAP_DEPTH
        and all(isinstance(p, bytes) and len(p) == HASH_SIZE for p in path)
    ):
        return False
    try:
        leaf = head.leaf()
    except ValueError:
        return False
    return root_from_path(leaf, ordinal, path) == root


def changed_nodes(leaves: Mapping[int, bytes], read: NodeReader) -> dict[NodeId, bytes]:
    """Set the leaves at the given ordinals; return every node that changes, root included.

    `read` is asked once, for the siblings that do not change, so a database can answer in
    one round of queries; the result is at most `len(leaves) * (MAP_DEPTH + 1)` nodes.
    """
    for ordinal in leaves:
        _check_ordinal(ordinal)
    dirty = set(leaves)
    wanted: list[NodeId] = []
    for level in range(MAP_DEPTH):
        wanted.extend(NodeId(level, i ^ 1) for i in dirty if i ^ 1 not in dirty)
        dirty = {i >> 1 for i in dirty}
    siblings = read(wanted) if wanted else {}
    changed = {NodeId(0, ordinal): leaf for ordinal, leaf in leaves.items()}
    level_nodes = dict(leaves)
    for level in range(MAP_DEPTH):
        parents: dict[int, bytes] = {}
        for index in {i >> 1 for i in level_nodes}:
            left, right = (
                level_nodes.get(child) or siblings.get(NodeId(level, child)) or EMPTY_HASHES[level]
                for child in (2 * index, 2 * index + 1)
            )
            parents[index] = map_node_hash(left, right)
        changed.update((NodeId(level + 1, i), h) for i, h in parents.items())
        level_nodes = parents
    return changed


class CaseMap:
    """The whole map in memory, kept from the log as it streams past: what `pmledger verify`
    rebuilds to hold every signed head's cases root to the log.

    `see` is O(1) per event; the changed paths are rehashed only when a root is asked for, so
    a run that compares one root per signed head pays O(aggregates changed x depth) per head.
    Memory is O(aggregates): the entries, and about two stored nodes per aggregate.
    """

    def __init__(self) -> None:
        self._ordinals: dict[str, int] = {}
        self._dirty: dict[int, tuple[str, int, bytes]] = {}
        self._levels: list[dict[int, bytes]] = [{} for _ in range(MAP_DEPTH + 1)]

    def see(self, aggregate_id: str, version: int, digest: bytes) -> None:
        """Record the next event of the log: its aggregate's entry now names it."""
        ordinal = self._ordinals.setdefault(aggregate_id, len(self._ordinals))
        self._dirty[ordinal] = (aggregate_id, version, digest)

    def root(self) -> bytes:
        self._flush()
        return self._levels[MAP_DEPTH].get(0, EMPTY_MAP_ROOT)

    def _flush(self) -> None:
        if not self._dirty:
            return
        leaves = {
            ordinal: CaseHead(UUID(aggregate_id), version, digest).leaf()
            for ordinal, (aggregate_id, version, digest) in self._dirty.items()
        }
        for node, value in changed_nodes(leaves, self._read).items():
            self._levels[node.level][node.index] = value
        self._dirty.clear()

    def _read(self, ids: Iterable[NodeId]) -> dict[NodeId, bytes]:
        found: dict[NodeId, bytes] = {}
        for node in ids:
            value = self._levels[node.level].get(node.index)
            if value is not None:
                found[node] = value
        return found


def _check_ordinal(ordinal: int) -> None:
    if not 0 <= ordinal < 1 << MAP_DEPTH:
        raise ValueError(f"ordinal {ordinal} is outside the map's 0..2**{MAP_DEPTH}-1")
