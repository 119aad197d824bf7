"""RFC 9162 Merkle trees behind the ledger's checkpoints.

A signed tree head commits to every entry recorded so far with one 32-byte root, so that
altering, reordering or dropping an earlier entry is detectable by anyone who kept an
earlier head. Hashing, proof shapes and verification follow RFC 9162 section 2.1 to the
letter, so that proofs can be checked by any Certificate Transparency verifier and not only
by this library. Signing is deliberately left to the caller: everything here is pure
hashing, which is what lets it be tested exhaustively against the RFC's definitions.

Trees are addressed by leaf ranges. Every range a proof needs starts at a multiple of a
power of two at least as large as the range, so it splits (by the binary digits of its
length) into a few complete subtrees. Complete subtrees never change once their last leaf
is appended, which is what lets `MerkleLog` persist them once and answer questions about
any past tree size from O(log n) stored hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from pmledger.errors import StorageError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

LEAF_PREFIX = b"\x00"
"""What a leaf's bytes are hashed after (a database that hashes leaves itself uses it)."""
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """The 0x00 prefix stops a leaf from being passed off as an interior node."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of a whole list; for logs too large to hold in memory use `MerkleLog`."""
    frontier: list[bytes] = []
    for size, leaf in enumerate(leaf_hashes):
        _absorb(frontier, size, leaf)
    return _fold(frontier)


@dataclass(frozen=True, slots=True)
class TreeHead:
    """What a checkpoint signs.

    A root means nothing without the size it covers: proof verification binds a leaf to a
    root, not to a size, so the size must come from the same signed head as the root.
    """

    size: int
    root: bytes

    def __post_init__(self) -> None:
        if self.size < 0:
            raise ValueError(f"tree size must not be negative, got {self.size}")
        if not _is_hash(self.root):
            raise ValueError(f"root must be {HASH_SIZE} bytes")


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """RFC 9162 PATH(index, leaf_hashes), for trees small enough to hold as a list."""
    if not 0 <= index < len(leaf_hashes):
        raise ValueError(f"leaf index {index} is outside a tree of size {len(leaf_hashes)}")
    return [root_of(leaf_hashes[a:b]) for a, b in _inclusion_ranges(index, len(leaf_hashes))]


def consistency_proof(leaf_hashes: Sequence[bytes], size1: int) -> list[bytes]:
    """RFC 9162 PROOF(size1, leaf_hashes), for trees small enough to hold as a list.

    Sizes 0 and len(leaf_hashes) give the empty proof, which is what `verify_consistency`
    expects for them.
    """
    if not 0 <= size1 <= len(leaf_hashes):
        raise ValueError(f"size {size1} is outside 0..{len(leaf_hashes)}")
    return [root_of(leaf_hashes[a:b]) for a, b in _consistency_ranges(size1, len(leaf_hashes))]


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2.

    Proofs arrive from outside (bundles, auditors), so anything malformed is a failed
    proof rather than an exception. Passing does not prove `tree_size`: trees of different
    sizes can share a path, so take the size from the signed head that supplied `root`.
    """
    if not (
        _is_hash(leaf_hash)
        and _is_hash(root)
        and _is_proof(proof)
        and _is_count(index)
        and _is_count(tree_size)
        and index < tree_size
    ):
        return False
    fn, sn = index, tree_size - 1
    r = leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2, which covers 0 < size1 < size2.

    The RFC leaves the two trivial cases to the caller; as in Sigsum, a head is consistent
    with itself and the empty tree with everything, each with an empty proof. For size 0,
    `root1` must still be the empty-tree hash, the only root an empty tree can have.
    """
    if not (
        _is_hash(root1)
        and _is_hash(root2)
        and _is_proof(proof)
        and _is_count(size1)
        and _is_count(size2)
        and size1 <= size2
    ):
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof and root1 == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


@dataclass(frozen=True, slots=True)
class NodeId:
    """A complete subtree: level L, index i covers leaves [i * 2**L, (i + 1) * 2**L).

    Level 0 holds the leaf hashes themselves.
    """

    level: int
    index: int


@dataclass(frozen=True, slots=True)
class NodeRun:
    """Consecutive subtrees of one level: `hashes[k]` is the node (level, start + k)."""

    level: int
    start: int
    hashes: list[bytes]


class NodeRuns(Mapping[NodeId, bytes]):
    """The nodes one `MerkleLog.extend` completed, as a run per level from the leaves up.

    A mapping, as a `NodeStore` takes them, made without a `NodeId` per node: a store that
    packs consecutive nodes into one row (`storage.checkpoints`) reads `runs` directly, which
    is what keeps a checkpoint's cost in hashing rather than in Python objects.
    """

    def __init__(self, runs: list[NodeRun]) -> None:
        self.runs = runs
        self._levels = {run.level: run for run in runs}

    def __getitem__(self, node: NodeId) -> bytes:
        run = self._levels.get(node.level)
        if run is None or not 0 <= node.index - run.start < len(run.hashes):
            raise KeyError(node)
        return run.hashes[node.index - run.start]

    def __iter__(self) -> Iterator[NodeId]:
        for run in self.runs:
            for index in range(run.start, run.start + len(run.hashes)):
                yield NodeId(run.level, index)

    def __len__(self) -> int:
        return sum(len(run.hashes) for run in self.runs)


class NodeStore(Protocol):
    """Where `MerkleLog` keeps the hashes of complete subtrees.

    Only complete subtrees are stored, and a complete subtree's hash never changes, so
    values can be cached, replicated and rewritten freely. The store does not know the
    tree size: its owner records that (normally with the signed tree head) and passes it
    to `MerkleLog`, which never reads a node covering leaves at or beyond that size.

    Reads: opening a log fetches its O(log n) frontier; `root_at` and each proof fetch
    O(log n) nodes. Each of these is a single `get_many` call, so a database store can
    answer it with one query. Appending and `root()` read nothing.

    Writes: each `extend` makes a single `put_many` call holding the new leaves and every
    subtree they complete, O(k + log n) entries for k leaves.
    """

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        """Return the stored hash of each id it holds; leave missing ids out."""
        ...

    def put_many(self, nodes: NodeRuns) -> None:
        """Insert or replace every entry (`nodes.runs` gives them a level at a time, as
        consecutive runs, for a store that packs them).

        Replace, not reject: a node within the recorded size is rewritten with the value
        it already has, so that is a no-op, while a node covering leaves beyond it can only
        be a leftover of a batch whose size was never recorded (a failed transaction, a
        crash) and must give way to the leaves appended in its place. For the same reason
        a partial write before an exception is harmless, so atomicity is not required.
        """
        ...


class InMemoryNodeStore:
    """A `NodeStore` for tests and for trees that need not outlive the process."""

    def __init__(self) -> None:
        self._nodes: dict[NodeId, bytes] = {}

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        return {i: self._nodes[i] for i in ids if i in self._nodes}

    def put_many(self, nodes: NodeRuns) -> None:
        self._nodes.update(nodes)


class RunningRoot:
    """The root of a growing tree kept from its frontier alone: O(log n) memory, no store.

    What a streaming verifier needs: it sees each leaf once and must compare the root at
    every signed size it passes.
    """

    def __init__(self) -> None:
        self._frontier: list[bytes] = []
        self.size = 0

    def append(self, leaf_hash: bytes) -> None:
        """`_absorb` without the list of completed subtrees (only the frontier is kept):
        `verify` appends every event of the log."""
        frontier, size, node = self._frontier, self.size, leaf_hash
        while size & 1:
            node = node_hash(frontier.pop(), node)
            size >>= 1
        frontier.append(node)
        self.size += 1

    def root(self) -> bytes:
        return _fold(self._frontier)


class MerkleLog:
    """An append-only RFC 9162 tree of any size, backed by a `NodeStore`.

    Only the frontier (one complete subtree per set bit of the size, which together span
    the whole tree) is held in memory, so appending and the current root never read the
    store, and memory stays O(log n) however long the log grows. Not thread-safe: appends
    must be serialised anyway, because leaf order is part of what is signed.
    """

    def __init__(self, store: NodeStore, size: int = 0) -> None:
        """Open a log whose first `size` leaves are already in `store`."""
        if size < 0:
            raise ValueError(f"tree size must not be negative, got {size}")
        self._store = store
        self._size = size
        frontier = _complete_subtrees(0, size)
        found = self._fetch(frontier)
        self._frontier = [found[node] for node in frontier]

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf_hash: bytes) -> int:
        """Add one leaf and return its index."""
        return self.extend([leaf_hash]).start

    def extend(self, leaf_hashes: Iterable[bytes]) -> range:
        """Add leaves in order and return their indices.

        All new nodes go to the store in one `put_many`; if anything fails before that
        returns, the log is left exactly as it was.

        The tree is built a level at a time, each level's new nodes hashed in one pass over
        the level below (the same hashes `_absorb` makes a leaf at a time, and as many): a
        checkpoint appends thousands of leaves at once, and per-leaf bookkeeping was a third
        of its time (benchmarks/README.md, "Issue 22, checkpoint storage").
        """
        nodes = list(leaf_hashes)
        if not all(map(_is_hash, nodes)):
            raise ValueError(f"leaf hashes must be {HASH_SIZE} bytes; see leaf_hash()")
        size, end = self._size, self._size + len(nodes)
        # The frontier holds one subtree per set bit of the size, largest first.
        pending = dict(zip(_set_bits(size), self._frontier, strict=True))
        runs: list[NodeRun] = []
        level, start = 0, size
        while nodes:
            runs.append(NodeRun(level, start, nodes))
            if start & 1:  # the level's first new node closes the frontier's subtree
                nodes = [pending[level], *nodes]
            # An odd last node has no sibling yet: it stays in the frontier, not a parent.
            pairs = zip(nodes[::2], nodes[1::2], strict=False)
            nodes = [node_hash(left, right) for left, right in pairs]
            level, start = level + 1, start >> 1
        frontier = [
            _newest(runs, bit, end) if end >> bit != size >> bit else pending[bit]
            for bit in _set_bits(end)
        ]
        if runs:
            self._store.put_many(NodeRuns(runs))
        self._frontier, self._size = frontier, end
        return range(size, end)

    def root(self) -> bytes:
        return _fold(self._frontier)

    def head(self) -> TreeHead:
        return TreeHead(self._size, self.root())

    def root_at(self, size: int) -> bytes:
        """The root the log had when it held `size` leaves, e.g. to re-check an old head."""
        self._check_size(size)
        if size == self._size:
            return self.root()
        return self._range_hashes([(0, size)])[0]

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[0:size]); the size is explicit because a proof is only useful
        against the particular signed head it will be checked with.
        """
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf index {index} is outside a tree of size {size}")
        return self._range_hashes(_inclusion_ranges(index, size))

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """PROOF(size1, D[0:size2]), empty when size1 is 0 or size2."""
        self._check_size(size2)
        if not 0 <= size1 <= size2:
            raise ValueError(f"size {size1} is outside 0..{size2}")
        return self._range_hashes(_consistency_ranges(size1, size2))

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise ValueError(f"size {size} is outside this log's 0..{self._size}")

    def _range_hashes(self, ranges: Sequence[tuple[int, int]]) -> list[bytes]:
        pieces = [_complete_subtrees(start, end) for start, end in ranges]
        found = self._fetch([node for piece in pieces for node in piece])
        return [_fold([found[node] for node in piece]) for piece in pieces]

    def _fetch(self, ids: Sequence[NodeId]) -> Mapping[NodeId, bytes]:
        if not ids:
            return {}
        found = self._store.get_many(ids)
        missing = [node for node in ids if node not in found]
        if missing:
            raise StorageError(
                f"the node store lacks {len(missing)} node(s) of a tree of size {self._size}, "
                f"e.g. {missing[0]}: the tree's stored nodes were removed outside pmledger; "
                "run `pmledger verify`, and restore the ledger from a backup"
            )
        return found


def _set_bits(size: int) -> list[int]:
    """The levels of the complete subtrees a tree of `size` leaves splits into, largest
    first (the order of `MerkleLog`'s frontier)."""
    return [bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]


def _newest(runs: Sequence[NodeRun], level: int, end: int) -> bytes:
    """The last complete subtree of `level` in a tree of `end` leaves, from the runs just
    made (it is new whenever that level gained a node)."""
    run = runs[level]
    return run.hashes[(end >> level) - 1 - run.start]


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_count(value: object) -> bool:
    return isinstance(value, int) and value >= 0


def _is_proof(value: object) -> bool:
    return isinstance(value, Sequence) and all(_is_hash(p) for p in value)


def _absorb(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """Append `leaf` to the tree of `size` leaves whose frontier is `frontier`.

    Returns the subtrees the leaf completes, by level starting with the leaf itself: each
    set low bit of `size` is a pending subtree of that level that the leaf now closes.
    """
    completed = [leaf]
    level = 0
    while size >> level & 1:
        completed.append(node_hash(frontier.pop(), completed[-1]))
        level += 1
    frontier.append(completed[-1])
    return completed


def _fold(subtrees: Sequence[bytes]) -> bytes:
    """MTH of a range from its complete subtrees, largest (leftmost) first.

    RFC 9162 splits a range at the largest power of two below its length, which is exactly
    its leading complete subtree, so the hash nests to the right.
    """
    if not subtrees:
        return EMPTY_ROOT
    result = subtrees[-1]
    for left in reversed(subtrees[:-1]):
        result = node_hash(left, result)
    return result


def _complete_subtrees(start: int, end: int) -> list[NodeId]:
    """Split [start, end) into complete subtrees, largest first.

    Requires `start` to be a multiple of the largest power of two not above the length,
    which holds for every range RFC 9162's recursion produces.
    """
    nodes: list[NodeId] = []
    while start < end:
        level = (end - start).bit_length() - 1
        nodes.append(NodeId(level, start >> level))
        start += 1 << level
    return nodes


def _split(length: int) -> int:
    """The largest power of two below `length` (>= 2): where RFC 9162 splits a range."""
    return 1 << ((length - 1).bit_length() - 1)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PATH(index, D[0:size]), in proof order."""
    ranges = []
    start, end = 0, size
    while end - start > 1:
        mid = start + _split(end - start)
        if index < mid:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
    ranges.reverse()
    return ranges


def _consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PROOF(size1, D[0:size2]), in proof order.

    Follows SUBPROOF. Its flag b stays true exactly while the current range starts at
    leaf 0; if the recursion ends there, the range is the old tree itself, whose root the
    verifier already holds, so no hash is sent for it.
    """
    if size1 in (0, size2):
        return []
    ranges = []
    start, end = 0, size2
    while size1 != end:
        mid = start + _split(end - start)
        if size1 <= mid:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
    if start != 0:
        ranges.append((start, end))
    ranges.reverse()
    return ranges
