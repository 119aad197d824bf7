"""The map of case heads against a naive reference written with hashlib alone
(`map_reference`). The literal vectors pin the format: a change to it breaks every head
already signed and must be deliberate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.checkpoints.map_reference import ref_empty, ref_leaf, ref_node, ref_path, ref_root

from pmledger.integrity.case_map import (
    EMPTY_MAP_ROOT,
    MAP_DEPTH,
    CaseHead,
    CaseMap,
    changed_nodes,
    map_path,
    verify_map_path,
)
from pmledger.integrity.merkle import InMemoryNodeStore, NodeId

# --- vectors -----------------------------------------------------------------------------

A = UUID("00000000-0000-4000-8000-000000000001")
B = UUID("00000000-0000-4000-8000-000000000002")
HEAD_A = CaseHead(A, 3, bytes(range(32)))
HEAD_B = CaseHead(B, 1, b"\xff" * 32)


def test_vectors_match_hashlib_and_the_pinned_values() -> None:
    assert MAP_DEPTH == 32
    assert ref_empty(32) == EMPTY_MAP_ROOT
    assert EMPTY_MAP_ROOT.hex() == (
        "07af06313e520ab97843e594c38033b9c43590be10549d2789ee82c9f96c0090"
    )
    assert HEAD_A.leaf() == ref_leaf(A, 3, bytes(range(32)))
    assert HEAD_A.leaf().hex() == (
        "e0faeb7078168cf2156cd4ef4fef74ed1a08d395ca2cbfe6044f715d5750c4c5"
    )
    assert HEAD_B.leaf().hex() == (
        "a509a5bf18e2c8d83b681308a2e343840d037417d2c64a32a915e1dfbf046bae"
    )
    case_map = CaseMap()
    case_map.see(str(A), 3, bytes(range(32)))
    case_map.see(str(B), 1, b"\xff" * 32)
    root = case_map.root()
    assert root == ref_root({0: HEAD_A.leaf(), 1: HEAD_B.leaf()})
    assert root.hex() == "9575104d25639acb457946bc3200868c776f7211d3f4ebb3fbb2e3dbac2993fe"


def test_map_hashes_cannot_pose_as_log_hashes() -> None:
    """RFC 9162 prefixes leaves with 0x00 and nodes with 0x01; the map uses 0x02 and 0x03."""
    left, right = HEAD_A.leaf(), HEAD_B.leaf()
    assert ref_node(left, right) != hashlib.sha256(b"\x01" + left + right).digest()
    assert hashlib.sha256(b"\x02").digest() != hashlib.sha256(b"\x00").digest()


def test_a_later_event_replaces_the_entry_at_the_same_ordinal() -> None:
    case_map = CaseMap()
    case_map.see(str(A), 1, b"\x01" * 32)
    case_map.see(str(B), 1, b"\xff" * 32)
    first = case_map.root()
    case_map.see(str(A), 3, bytes(range(32)))
    assert case_map.root() == ref_root({0: HEAD_A.leaf(), 1: HEAD_B.leaf()}) != first


@pytest.mark.parametrize(
    "head",
    [CaseHead(A, 0, b"\x00" * 32), CaseHead(A, 2**63, b"\x00" * 32), CaseHead(A, 1, b"short")],
)
def test_an_entry_the_format_cannot_hold_is_refused(head: CaseHead) -> None:
    with pytest.raises(ValueError, match=r"version|digest"):
        head.leaf()
    assert not verify_map_path(head, 0, [EMPTY_MAP_ROOT] * MAP_DEPTH, EMPTY_MAP_ROOT)


def test_malformed_proofs_fail_rather_than_raise() -> None:
    root = ref_root({0: HEAD_A.leaf()})
    path = ref_path({0: HEAD_A.leaf()}, 0)
    assert verify_map_path(HEAD_A, 0, path, root)
    assert not verify_map_path(HEAD_A, 0, path[:-1], root)
    assert not verify_map_path(HEAD_A, 0, [*path[:-1], b"x"], root)
    assert not verify_map_path(HEAD_A, -1, path, root)
    assert not verify_map_path(HEAD_A, 1 << MAP_DEPTH, path, root)
    with pytest.raises(ValueError, match="outside"):
        changed_nodes({1 << MAP_DEPTH: HEAD_A.leaf()}, lambda ids: {})


# --- properties ---------------------------------------------------------------------------

digests = st.binary(min_size=32, max_size=32)
heads = st.builds(CaseHead, st.uuids(), st.integers(1, 2**63 - 1), digests)
ordinals = st.one_of(st.integers(0, 40), st.integers(0, 2**32 - 1))
maps = st.dictionaries(ordinals, heads, min_size=1, max_size=12)


def _stored(leaves: Mapping[int, bytes], batches: int) -> InMemoryNodeStore:
    """The map as a database keeps it: built by `changed_nodes` in several batches."""
    store = InMemoryNodeStore()
    items = list(leaves.items())
    for n in range(batches):
        batch = dict(items[n::batches])
        if batch:
            store.put_many(changed_nodes(batch, store.get_many))
    return store


@settings(max_examples=60, deadline=None)
@given(entries=maps, batches=st.integers(1, 4))
def test_every_entry_proves_against_the_reference_root(
    entries: dict[int, CaseHead], batches: int
) -> None:
    leaves = {o: h.leaf() for o, h in entries.items()}
    root = ref_root(leaves)
    store = _stored(leaves, batches)
    assert store.get_many([NodeId(MAP_DEPTH, 0)])[NodeId(MAP_DEPTH, 0)] == root
    for ordinal, head in entries.items():
        path = map_path(ordinal, store.get_many)
        assert path == ref_path(leaves, ordinal)
        assert verify_map_path(head, ordinal, path, root)


@settings(max_examples=60, deadline=None)
@given(entries=maps, data=st.data())
def test_a_changed_byte_version_or_ordinal_fails(
    entries: dict[int, CaseHead], data: st.DataObject
) -> None:
    leaves = {o: h.leaf() for o, h in entries.items()}
    root = ref_root(leaves)
    ordinal = data.draw(st.sampled_from(sorted(entries)), label="entry")
    head = entries[ordinal]
    path = ref_path(leaves, ordinal)
    at = data.draw(st.integers(0, 31), label="byte")
    bit = 1 << data.draw(st.integers(0, 7), label="bit")
    digest = bytearray(head.digest)
    digest[at] ^= bit
    assert not verify_map_path(
        CaseHead(head.aggregate_id, head.version, bytes(digest)), ordinal, path, root
    )
    other = data.draw(
        st.integers(1, 2**63 - 1).filter(lambda v: v != head.version), label="version"
    )
    assert not verify_map_path(CaseHead(head.aggregate_id, other, head.digest), ordinal, path, root)
    moved = data.draw(st.integers(0, 2**32 - 1).filter(lambda o: o != ordinal), label="ordinal")
    assert not verify_map_path(head, moved, path, root)
    uid = bytearray(head.aggregate_id.bytes)
    uid[at % 16] ^= bit
    assert not verify_map_path(
        CaseHead(UUID(bytes=bytes(uid)), head.version, head.digest), ordinal, path, root
    )
    level = data.draw(st.integers(0, MAP_DEPTH - 1), label="level")
    bent = bytearray(path[level])
    bent[at] ^= bit
    assert not verify_map_path(
        head, ordinal, [*path[:level], bytes(bent), *path[level + 1 :]], root
    )


@settings(max_examples=40, deadline=None)
@given(
    events=st.lists(st.tuples(st.integers(0, 6), digests), min_size=1, max_size=30),
    checks=st.sets(st.integers(0, 29)),
)
def test_the_streaming_map_matches_the_reference_at_every_size(
    events: list[tuple[int, bytes]], checks: set[int]
) -> None:
    """`CaseMap` as `verify` feeds it: ordinals by first appearance, roots asked at any time."""
    ids = [UUID(int=n + 1) for n in range(7)]
    case_map = CaseMap()
    ordinal: dict[UUID, int] = {}
    versions: dict[UUID, int] = {}
    leaves: dict[int, bytes] = {}
    for n, (who, digest) in enumerate(events):
        uid = ids[who]
        ordinal.setdefault(uid, len(ordinal))
        versions[uid] = versions.get(uid, 0) + 1
        case_map.see(str(uid), versions[uid], digest)
        leaves[ordinal[uid]] = ref_leaf(uid, versions[uid], digest)
        if n in checks:
            assert case_map.root() == ref_root(leaves)
    assert case_map.root() == ref_root(leaves)
