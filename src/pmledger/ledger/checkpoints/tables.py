"""The Merkle tree's nodes, its leaf index and its signed heads, in the ledger's database.

The tree follows the log like a read model: leaves are appended a page at a time, and the
nodes, the new size and the tracked log position commit together, so a checkpoint run that is
killed resumes without duplicating or skipping a leaf.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from eventsourcing.persistence import Tracking

from pmledger.integrity.merkle import NodeId
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.tracked_tables import PostgresTables, SQLiteTables, TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_node (level INTEGER, idx BIGINT, hash {blob}, "
    "PRIMARY KEY (level, idx))",
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_leaf (position BIGINT PRIMARY KEY, idx BIGINT)",
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_size (k INTEGER PRIMARY KEY, size BIGINT)",
    "CREATE TABLE IF NOT EXISTS {t}pml_tree_head (size BIGINT PRIMARY KEY, head TEXT)",
)


class MerkleTables(TrackedTables):
    application_name = "pmledger-merkle"
    ddl = CREATE

    def size(self) -> int:
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT size FROM {t}pml_merkle_size WHERE k=1"))
            row = c.fetchone()
        return int(row["size"]) if row else 0

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        found: dict[NodeId, bytes] = {}
        wanted = list(ids)
        with self._tx(commit=False) as c:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                where = " OR ".join("(level=? AND idx=?)" for _ in chunk)
                c.execute(
                    self._q(f"SELECT level, idx, hash FROM {{t}}pml_merkle_node WHERE {where}"),
                    [v for node in chunk for v in (node.level, node.index)],
                )
                for row in c.fetchall():
                    found[NodeId(int(row["level"]), int(row["idx"]))] = bytes(row["hash"])
        return found

    def append(
        self,
        nodes: Mapping[NodeId, bytes],
        leaves: list[tuple[int, int]],
        size: int,
        tracking: Tracking,
    ) -> None:
        """Store a page of leaves: nodes, position→leaf index, the new size and the position."""
        with self._tx(commit=True) as c:
            c.executemany(
                self._q(
                    "INSERT INTO {t}pml_merkle_node VALUES (?,?,?) ON CONFLICT (level, idx) "
                    "DO UPDATE SET hash=excluded.hash"
                ),
                [(n.level, n.index, h) for n, h in nodes.items()],
            )
            c.executemany(
                self._q(
                    "INSERT INTO {t}pml_merkle_leaf VALUES (?,?) ON CONFLICT (position) "
                    "DO UPDATE SET idx=excluded.idx"
                ),
                leaves,
            )
            c.execute(
                self._q(
                    "INSERT INTO {t}pml_merkle_size VALUES (1, ?) ON CONFLICT (k) "
                    "DO UPDATE SET size=excluded.size"
                ),
                (size,),
            )
            self._track(c, tracking)

    def leaf_index(self, position: int) -> int | None:
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT idx FROM {t}pml_merkle_leaf WHERE position=?"), (position,))
            row = c.fetchone()
        return int(row["idx"]) if row else None

    def leaf_indices(self, positions: Collection[int]) -> dict[int, int]:
        """Position -> leaf index for the positions the tree has grown over, a page per query
        (an export asks for every event of a case at once)."""
        found: dict[int, int] = {}
        wanted = list(positions)
        with self._tx(commit=False) as c:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" for _ in chunk)
                where = f"position IN ({marks})"
                c.execute(
                    self._q(f"SELECT position, idx FROM {{t}}pml_merkle_leaf WHERE {where}"), chunk
                )
                found.update((int(row["position"]), int(row["idx"])) for row in c.fetchall())
        return found

    def add_head(self, head: SignedTreeHead) -> None:
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "INSERT INTO {t}pml_tree_head VALUES (?,?) ON CONFLICT (size) "
                    "DO UPDATE SET head=excluded.head"
                ),
                (head.size, head.model_dump_json()),
            )

    def heads(self) -> list[SignedTreeHead]:
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT head FROM {t}pml_tree_head ORDER BY size"))
            rows = c.fetchall()
        return [SignedTreeHead.model_validate_json(row["head"]) for row in rows]


class SQLiteMerkleTables(SQLiteTables, MerkleTables):
    """The Merkle tables in the ledger's SQLite file."""


class PostgresMerkleTables(PostgresTables, MerkleTables):
    """The Merkle tables in the ledger's PostgreSQL schema."""
