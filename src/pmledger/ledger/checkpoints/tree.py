"""Growing the Merkle tree to the end of the log, one page per transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.integrity.merkle import MerkleLog, NodeId, leaf_hash
from pmledger.ledger.checkpoints.tables import MerkleTables
from pmledger.ledger.store import CaseStore


class _PageNodes:
    """Nodes written while appending one page, read back before they are committed."""

    def __init__(self, tables: MerkleTables) -> None:
        self.tables = tables
        self.pending: dict[NodeId, bytes] = {}

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        found = {i: self.pending[i] for i in ids if i in self.pending}
        missing = [i for i in ids if i not in found]
        return {**found, **self.tables.get_many(missing)} if missing else found

    def put_many(self, nodes: Mapping[NodeId, bytes]) -> None:
        self.pending.update(nodes)


def grow(store: CaseStore, tables: MerkleTables, page_size: int = 5000) -> int:
    """Append every stored event not yet in the tree; work is proportional to new events."""
    added = 0
    while True:
        position = tables.position()
        page = store.recorder.select_notifications(start=position + 1, limit=page_size)
        if not page:
            return added
        nodes = _PageNodes(tables)
        log = MerkleLog(nodes, tables.size())
        indices = log.extend(leaf_hash(n.state) for n in page)
        try:
            tables.append(
                nodes.pending,
                [(n.id, i) for n, i in zip(page, indices, strict=True)],
                log.size,
                Tracking(tables.application_name, page[-1].id),
            )
        except IntegrityError:
            continue
        added += len(page)


def open_log(tables: MerkleTables) -> MerkleLog:
    """The tree as far as it has been grown, for roots and proofs at any past size."""
    return MerkleLog(_PageNodes(tables), tables.size())
