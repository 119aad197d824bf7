"""MerkleLog's contract with its NodeStore: what it costs, and what survives a restart.

Correctness of the hashes and proofs themselves is checked against the RFC reference in
test_merkle.py; here `root_of`, already checked there, stands in for the expected roots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping

import pytest

from pmledger.errors import StorageError
from pmledger.integrity import merkle
from pmledger.integrity.merkle import (
    InMemoryNodeStore,
    MerkleLog,
    NodeId,
    NodeStore,
    inclusion_proof,
    root_of,
    verify_consistency,
    verify_inclusion,
)

# 2**17 - 1 leaves: the worst case for an append, which completes a subtree at every level.
BIG = 2**17 - 1
LOG2_BIG = 17


def leaves(start: int, stop: int) -> list[bytes]:
    return [hashlib.sha256(i.to_bytes(8, "big")).digest() for i in range(start, stop)]


class CountingStore:
    """Counts calls and nodes, to pin down how much a log asks of a database."""

    def __init__(self, inner: NodeStore) -> None:
        self.inner = inner
        self.reset()

    def reset(self) -> None:
        self.get_calls = self.put_calls = self.nodes_read = self.nodes_written = 0

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        self.get_calls += 1
        self.nodes_read += len(ids)
        return self.inner.get_many(ids)

    def put_many(self, nodes: Mapping[NodeId, bytes]) -> None:
        self.put_calls += 1
        self.nodes_written += len(nodes)
        self.inner.put_many(nodes)

    @property
    def operations(self) -> int:
        return self.nodes_read + self.nodes_written


class FailingStore(InMemoryNodeStore):
    """Loses its connection in the middle of a write, after storing part of the batch."""

    def put_many(self, nodes: Mapping[NodeId, bytes]) -> None:
        super().put_many(dict(list(nodes.items())[: len(nodes) // 2]))
        raise ConnectionError("database went away")


@pytest.fixture(scope="module")
def big_leaves() -> list[bytes]:
    return leaves(0, BIG)


@pytest.fixture(scope="module")
def big_store(big_leaves: list[bytes]) -> InMemoryNodeStore:
    """Shared by several tests, which append beyond BIG but always reopen at BIG: the
    leftovers are what a rolled-back batch leaves behind, and must not matter."""
    store = InMemoryNodeStore()
    MerkleLog(store).extend(big_leaves)
    return store


@pytest.fixture
def count_hashes(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    calls = 0
    real = merkle.node_hash

    def counting(left: bytes, right: bytes) -> bytes:
        nonlocal calls
        calls += 1
        return real(left, right)

    monkeypatch.setattr(merkle, "node_hash", counting)
    return lambda: calls


def test_append_to_a_large_tree_touches_o_log_n_nodes(
    big_leaves: list[bytes], big_store: InMemoryNodeStore, count_hashes: Callable[[], int]
) -> None:
    store = CountingStore(big_store)
    log = MerkleLog(store, BIG)
    assert (store.get_calls, store.nodes_read) == (1, LOG2_BIG)  # the frontier, one query

    store.reset()
    before = count_hashes()
    new_leaf = hashlib.sha256(b"new").digest()
    assert log.append(new_leaf) == BIG
    assert store.nodes_read == 0
    assert store.put_calls == 1
    assert store.nodes_written == LOG2_BIG + 1  # the leaf and one subtree per level
    assert count_hashes() - before == LOG2_BIG
    assert store.operations < 100

    store.reset()
    assert log.root() == root_of([*big_leaves, new_leaf])
    assert store.operations == 0


def test_extend_costs_o_k_plus_log_n(
    big_store: InMemoryNodeStore, count_hashes: Callable[[], int]
) -> None:
    store = CountingStore(big_store)
    log = MerkleLog(store, BIG)
    store.reset()
    before = count_hashes()
    k = 1000
    assert log.extend(leaves(BIG, BIG + k)) == range(BIG, BIG + k)
    assert store.put_calls == 1
    assert store.nodes_read == 0
    assert store.nodes_written <= 2 * k + LOG2_BIG
    assert count_hashes() - before <= k + LOG2_BIG


def test_history_of_a_large_tree_reads_o_log_n_nodes(
    big_leaves: list[bytes], big_store: InMemoryNodeStore
) -> None:
    store = CountingStore(big_store)
    log = MerkleLog(store, BIG)
    queries: dict[str, Callable[[], object]] = {
        "old root": lambda: log.root_at(100_000),
        "old inclusion": lambda: log.inclusion_proof(76_543, 100_000),
        "old consistency": lambda: log.consistency_proof(65_537, 100_000),
        "inclusion": lambda: log.inclusion_proof(BIG - 1, BIG),
        "consistency": lambda: log.consistency_proof(12_345, BIG),
    }
    for name, query in queries.items():
        store.reset()
        query()
        assert store.get_calls == 1, name
        assert store.nodes_read <= 2 * LOG2_BIG, name

    old_root = root_of(big_leaves[:100_000])
    assert log.root_at(100_000) == old_root
    proof = log.inclusion_proof(76_543, 100_000)
    assert verify_inclusion(big_leaves[76_543], 76_543, 100_000, proof, old_root)
    proof = log.consistency_proof(65_537, 100_000)
    assert verify_consistency(65_537, 100_000, log.root_at(65_537), old_root, proof)


def test_reopened_log_carries_on_where_it_left_off() -> None:
    store = InMemoryNodeStore()
    first = MerkleLog(store)
    first.extend(leaves(0, 37))

    reopened = MerkleLog(store, 37)
    assert reopened.head() == first.head()
    reopened.extend(leaves(37, 90))
    everything = leaves(0, 90)
    assert reopened.root() == root_of(everything)
    assert [reopened.root_at(n) for n in range(91)] == [root_of(everything[:n]) for n in range(91)]
    assert reopened.inclusion_proof(5, 60) == inclusion_proof(everything[:60], 5)


def test_unrecorded_nodes_beyond_the_size_are_overwritten() -> None:
    """A batch whose size never got recorded (e.g. the transaction around it rolled back)
    leaves nodes behind; reopening at the recorded size and appending other leaves must
    replace them, as the NodeStore protocol requires of put_many."""
    store = InMemoryNodeStore()
    MerkleLog(store).extend(leaves(0, 50))
    reopened = MerkleLog(store, 20)
    reopened.extend(leaves(1000, 1030))
    expected = leaves(0, 20) + leaves(1000, 1030)
    assert reopened.root() == root_of(expected)
    assert MerkleLog(store, 50).root() == root_of(expected)
    assert reopened.inclusion_proof(25, 50) == inclusion_proof(expected, 25)


def test_failed_write_leaves_the_log_unchanged() -> None:
    store = FailingStore()
    log = MerkleLog(store)
    with pytest.raises(ConnectionError):
        log.extend(leaves(0, 10))
    assert (log.size, log.root()) == (0, root_of([]))

    good = leaves(0, 4)
    log = MerkleLog(InMemoryNodeStore())
    log.extend(good)
    with pytest.raises(ValueError, match="32 bytes"):
        log.extend([*leaves(4, 6), b"not a hash"])
    assert (log.size, log.root()) == (4, root_of(good))


def test_empty_log() -> None:
    store = CountingStore(InMemoryNodeStore())
    log = MerkleLog(store)
    assert (log.size, log.root(), log.root_at(0)) == (0, root_of([]), root_of([]))
    assert log.consistency_proof(0, 0) == []
    assert log.extend([]) == range(0, 0)
    assert store.operations == store.get_calls == store.put_calls == 0


def test_opening_a_store_that_lacks_the_tree_fails_loudly() -> None:
    store = InMemoryNodeStore()
    MerkleLog(store).extend(leaves(0, 5))
    with pytest.raises(StorageError, match="size 6"):
        MerkleLog(store, 6)
    with pytest.raises(ValueError, match="negative"):
        MerkleLog(store, -1)


def test_out_of_range_requests_are_rejected() -> None:
    log = MerkleLog(InMemoryNodeStore())
    log.extend(leaves(0, 8))
    for bad_size in (-1, 9):
        with pytest.raises(ValueError, match="outside"):
            log.root_at(bad_size)
        with pytest.raises(ValueError, match="outside"):
            log.inclusion_proof(0, bad_size)
        with pytest.raises(ValueError, match="outside"):
            log.consistency_proof(0, bad_size)
    for bad_index in (-1, 5):
        with pytest.raises(ValueError, match="outside"):
            log.inclusion_proof(bad_index, 5)
    for bad_size1 in (-1, 6):
        with pytest.raises(ValueError, match="outside"):
            log.consistency_proof(bad_size1, 5)
