"""Growing the Merkle tree and the map of case heads to the end of the log, one page per
transaction, and reading the map's proofs at the size of a signed head: at the map's current
size from the current map, at any earlier head's size from the map's kept history."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.audit.stored_row import StoredLeaf
from pmledger.errors import StorageError
from pmledger.integrity.case_map import (
    EMPTY_HASHES,
    MAP_DEPTH,
    CaseHead,
    changed_nodes,
    map_path,
    path_ids,
)
from pmledger.integrity.merkle import MerkleLog, NodeId, NodeRun, NodeRuns
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.store import CaseStore
from pmledger.storage.checkpoints import Growth, MapEntry, MapPage, MerkleTables


class _PageNodes:
    """The stored tree, and the nodes appending one page completed, to be committed with the
    page (`MerkleTables.append`) rather than on their own."""

    def __init__(self, tables: MerkleTables) -> None:
        self.tables = tables
        self.written: list[NodeRun] = []

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        return self.tables.get_many(ids)

    def put_many(self, nodes: NodeRuns) -> None:
        self.written = nodes.runs


HeadSigner = Callable[[int, bytes, bytes], SignedTreeHead]
"""Signs a head over a tree size, the tree's root and the map's root at that size."""


def grow_and_sign(
    store: CaseStore, tables: MerkleTables, sign: HeadSigner, page_size: int = 5000
) -> SignedTreeHead:
    """Append every stored event not yet in the tree and the map, then store and return a
    head signed over where both stand, at one instant: as the page that reached the end of
    the log left them when it committed.

    The work is proportional to the new events (times the map's depth), never to the log.
    A ledger whose tree was grown before the map existed first replays the events the tree
    already holds into the map alone: once, in pages, like any other growth.

    The head commits with the page that reaches the end of the log, so a checkpoint of up
    to a page of new events is one commit, not two (SQLite's commit was about a fifth of a
    checkpoint after 1,000 events); with nothing new, or a log that ended on a full page,
    it is stored on its own."""
    grown, head = _grow(store, tables, page_size, sign)
    if head is None:
        root = open_log(tables, grown.tree_size).root()
        head = sign(grown.tree_size, root, grown.cases_root)
        tables.add_head(head)
    return head


def _grow(
    store: CaseStore, tables: MerkleTables, page_size: int, sign: HeadSigner
) -> tuple[Growth, SignedTreeHead | None]:
    while True:
        state = tables.growth()
        behind = state.tree_size - state.map_size
        limit = min(page_size, behind) if behind > 0 else page_size
        page = store.leaf_page(state.position + 1, limit)
        if not page:
            if behind > 0:
                raise StorageError(
                    f"the Merkle tree covers {state.tree_size} events but the log now holds "
                    f"only {state.map_size}: events were removed after a checkpoint; run "
                    "`pmledger verify`"
                )
            return state, None
        leaves = [row.leaf for row in page]
        case_map = _map_page(tables, state, page)
        try:
            if behind > 0:
                tables.append_map(case_map)
                continue
            nodes = _PageNodes(tables)
            log = MerkleLog(nodes, state.tree_size)
            indices = log.extend(leaves)
            ends = len(page) < limit
            cases_root = case_map.nodes[NodeId(MAP_DEPTH, 0)]
            head = sign(log.size, log.root(), cases_root) if ends else None
            tables.append(
                nodes.written,
                [row.position for row in page],
                indices,
                Tracking(tables.application_name, page[-1].position),
                case_map,
                head,
            )
        except IntegrityError:
            _check_raced(tables, state)
            continue
        if ends:
            return Growth(
                tree_size=indices.stop,
                map_size=case_map.size,
                position=case_map.position,
                aggregates=case_map.aggregates,
                cases_root=cases_root,
            ), head


def _check_raced(tables: MerkleTables, before: Growth) -> None:
    """A page refused at commit is retried because another writer grew the tree first; if
    nothing moved, no retry can pass (a tracking row set past the tables, or to text in
    SQLite's INTEGER column), so the tables were changed, and that is said instead."""
    if tables.growth() != before:
        return
    tracked = tables.position()  # names text stored there as damage
    raise StorageError(
        "a page of the log could not be added to the Merkle tree though no other writer "
        f"grew it (its tracking row stands at log position {tracked}, its tables at "
        f"{before.position}): the tree's tables were changed outside pmledger; {tables.repair}"
    )


def _map_page(tables: MerkleTables, state: Growth, page: Sequence[StoredLeaf]) -> MapPage:
    """The map's share of a page: each aggregate's newest event in it, and the changed nodes.

    New aggregates take the next ordinals in the order they first appear in the log, which is
    what `CaseMap` does as `verify` streams, so both build the same map.
    """
    newest = {row.aggregate_id: row for row in page}
    known = tables.map_entries(list(newest))
    aggregates = state.aggregates
    entries: list[MapEntry] = []
    leaves_at: dict[int, bytes] = {}
    for aggregate_id, row in newest.items():
        entry = known.get(aggregate_id)
        if entry is None:
            ordinal, aggregates = aggregates, aggregates + 1
        else:
            ordinal = entry.ordinal
        entries.append(MapEntry(aggregate_id, ordinal, row.version, row.leaf))
        leaves_at[ordinal] = CaseHead(UUID(aggregate_id), row.version, row.leaf).leaf()
    return MapPage(
        entries=entries,
        nodes=changed_nodes(leaves_at, tables.map_nodes),
        before=state.map_size,
        size=state.map_size + len(page),
        position=page[-1].position,
        aggregates=aggregates,
    )


def open_log(tables: MerkleTables, size: int | None = None) -> MerkleLog:
    """The tree as far as it has been grown, or as it was at `size` (a signed head's), for
    roots and proofs at any past size."""
    return MerkleLog(_PageNodes(tables), tables.size() if size is None else size)


@dataclass(frozen=True, slots=True)
class CaseHeadProof:
    """An aggregate's map entry at a head's size, with its path to the head's cases root."""

    entry: MapEntry
    path: list[bytes]


def case_heads_at(
    tables: MerkleTables, aggregate_ids: Collection[str], size: int
) -> dict[str, CaseHeadProof] | None:
    """The map entries and proofs of `aggregate_ids` as the map stood at `size`, or None when
    the map is no longer (or not yet) at that size.

    The entries are the current map's, so this answers only while the map is at `size`; at
    an earlier size the entries come from the log, and `map_paths_at` gives their paths. The
    map's size goes up with every commit, so reading it before
    and after the entries and nodes, and finding it unchanged, shows that they all come from
    the map at that size: no transaction isolation is needed on either backend.
    """
    if not _map_at(tables, size):
        return None
    proofs = {
        aggregate_id: CaseHeadProof(entry, map_path(entry.ordinal, tables.map_nodes))
        for aggregate_id, entry in tables.map_entries(aggregate_ids).items()
    }
    return proofs if _map_at(tables, size) else None


def _map_at(tables: MerkleTables, size: int) -> bool:
    state = tables.growth()
    return state.map_size == state.tree_size == size


def map_paths_at(
    tables: MerkleTables, ordinals: Collection[int], size: int
) -> dict[int, list[bytes]] | None:
    """The proof paths of the entries at `ordinals` in the map as it stood at `size` (a signed
    head's), from the map's history; None when the history does not reach back that far (the
    ledger kept only its current map then) or the map has not grown to `size` yet.

    The history only ever gains versions above the map's size, so what is read for a size the
    map has already passed never changes: no snapshot is needed. Each path costs one query of
    `MAP_DEPTH` index seeks.
    """
    since = tables.map_history_since()
    if since is None or not since <= size <= tables.growth().map_size:
        return None
    paths: dict[int, list[bytes]] = {}
    for ordinal in ordinals:
        ids = path_ids(ordinal)
        found = tables.map_nodes_at(ids, size)
        paths[ordinal] = [found.get(node, EMPTY_HASHES[node.level]) for node in ids]
    return paths
