"""The Merkle tree's nodes, its leaf index, the map of case heads and the signed heads, in
the ledger's database.

The tree follows the log like a read model: leaves are appended a page at a time, and the
nodes, the new size and the tracked log position commit together, so a checkpoint run that is
killed resumes without duplicating or skipping a leaf. The map of case heads (see
`integrity.case_map`) commits in the same transaction, so the tree and the map always describe
the same number of events, and a page commits only if the map is still at the size it was read
at: two processes growing at once cannot interleave their pages.

The map's nodes are kept twice: `pml_case_map_node` holds the current map (overwritten as it
grows, what growing reads), and `pml_case_map_version` keeps every node ever written with the
map size its page left the map at, never overwritten. The node at (level, idx) as of size h is
the one with the greatest size <= h, so the map can prove entries at the size of every signed
head, not only the newest. A ledger made before the history was kept copies its current map
into it, as of the map's size then, on its first page of growth; the map at the sizes before
that is not kept, and heads of those sizes can no longer have entries proved.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.integrity.case_map import EMPTY_MAP_ROOT, MAP_DEPTH
from pmledger.integrity.merkle import NodeId
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.storage.tracked import TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_node (level INTEGER, idx BIGINT, hash {blob}, "
    "PRIMARY KEY (level, idx))",
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_leaf (position BIGINT PRIMARY KEY, idx BIGINT)",
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_size (k INTEGER PRIMARY KEY, size BIGINT)",
    "CREATE TABLE IF NOT EXISTS {t}pml_tree_head (size BIGINT PRIMARY KEY, head TEXT)",
    "CREATE TABLE IF NOT EXISTS {t}pml_case_map_entry (aggregate_id TEXT PRIMARY KEY, "
    "ordinal BIGINT, version BIGINT, digest {blob})",
    "CREATE TABLE IF NOT EXISTS {t}pml_case_map_node (level INTEGER, idx BIGINT, hash {blob}, "
    "PRIMARY KEY (level, idx))",
    "CREATE TABLE IF NOT EXISTS {t}pml_case_map_size (k INTEGER PRIMARY KEY, size BIGINT, "
    "position BIGINT, aggregates BIGINT)",
    "CREATE TABLE IF NOT EXISTS {t}pml_case_map_version (level INTEGER, idx BIGINT, "
    "size BIGINT, hash {blob}, PRIMARY KEY (level, idx, size))",
)

_CHUNK = 500
"""Keys per query when reading many rows at once."""

_K = TypeVar("_K")


def _marks(n: int) -> str:
    return ",".join("?" for _ in range(n))


@dataclass(frozen=True, slots=True)
class Growth:
    """How far the tree and the map have grown, read in one statement (one snapshot)."""

    tree_size: int
    map_size: int
    position: int
    """The log position (notification id) of the last event in the map."""
    aggregates: int
    """Aggregates in the map, so the next new one takes this ordinal."""
    cases_root: bytes
    """The map's root (the empty map's while it holds nothing)."""


@dataclass(frozen=True, slots=True)
class MapEntry:
    aggregate_id: str
    ordinal: int
    version: int
    digest: bytes


@dataclass(frozen=True, slots=True)
class MapPage:
    """The map's share of one page: changed entries and nodes, and where the map then stands.

    `before` is the map size the page was computed from; the page commits only if the map is
    still there."""

    entries: Sequence[MapEntry]
    nodes: Mapping[NodeId, bytes]
    before: int
    size: int
    position: int
    aggregates: int


class MerkleTables(TrackedTables):
    application_name = "pmledger-merkle"
    ddl = CREATE

    def size(self) -> int:
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT size FROM {t}pml_merkle_size WHERE k=1"))
            row = c.fetchone()
        return int(row["size"]) if row else 0

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        return self._nodes("pml_merkle_node", ids)

    def map_nodes(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        """Stored nodes of the map of case heads; a node not stored holds no entry."""
        return self._nodes("pml_case_map_node", ids)

    def map_nodes_at(self, ids: Collection[NodeId], size: int) -> Mapping[NodeId, bytes]:
        """The map's nodes as they stood at map size `size`: each the version written last at
        or before it (one index seek on the primary key each); a node left out held no entry.

        Only meaningful for a size the map stood at after a page, from `map_history_since()`
        on: see the module's note."""
        rows = self._rows_by_chunk(
            ids,
            lambda n: (
                "SELECT w.column1 AS level, w.column2 AS idx, (SELECT v.hash FROM "
                "{t}pml_case_map_version v WHERE v.level=w.column1 AND v.idx=w.column2 AND "
                "v.size<=? ORDER BY v.size DESC LIMIT 1) AS hash FROM (VALUES "
                + ",".join("(?,?)" for _ in range(n))
                + ") AS w"
            ),
            lambda chunk: [size, *(v for node in chunk for v in (node.level, node.index))],
        )
        return {
            NodeId(int(row["level"]), int(row["idx"])): bytes(row["hash"])
            for row in rows
            if row["hash"] is not None
        }

    def map_history_since(self) -> int | None:
        """The smallest map size whose nodes the history holds (None while it holds none):
        the map can be proved at that size and every later one it stood at."""
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT MIN(size) AS since FROM {t}pml_case_map_version WHERE level=? AND idx=0"
                ),
                (MAP_DEPTH,),
            )
            row = c.fetchone()
        return None if row is None or row["since"] is None else int(row["since"])

    def _nodes(self, table: str, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        rows = self._rows_by_chunk(
            ids,
            lambda n: (
                f"SELECT level, idx, hash FROM {{t}}{table} WHERE "
                + " OR ".join("(level=? AND idx=?)" for _ in range(n))
            ),
            lambda chunk: [v for node in chunk for v in (node.level, node.index)],
        )
        return {NodeId(int(row["level"]), int(row["idx"])): bytes(row["hash"]) for row in rows}

    def _rows_by_chunk(
        self,
        keys: Collection[_K],
        statement: Callable[[int], str],
        params: Callable[[Sequence[_K]], Sequence[Any]],
    ) -> list[Any]:
        """The rows of one SELECT per few hundred keys (`statement(n)` for a chunk of n keys),
        in one read transaction: a page of proofs or an export asks for many at once."""
        wanted = list(keys)
        rows: list[Any] = []
        with self._tx(commit=False) as c:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                c.execute(self._q(statement(len(chunk))), params(chunk))
                rows.extend(c.fetchall())
        return rows

    def growth(self) -> Growth:
        """Tree size, map state and cases root at one instant: a single statement, so it never
        mixes two commits (PostgreSQL's default isolation would between statements)."""
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT (SELECT size FROM {t}pml_merkle_size WHERE k=1) AS tree_size, "
                    "(SELECT size FROM {t}pml_case_map_size WHERE k=1) AS map_size, "
                    "(SELECT position FROM {t}pml_case_map_size WHERE k=1) AS position, "
                    "(SELECT aggregates FROM {t}pml_case_map_size WHERE k=1) AS aggregates, "
                    "(SELECT hash FROM {t}pml_case_map_node WHERE level=? AND idx=0) "
                    "AS cases_root"
                ),
                (MAP_DEPTH,),
            )
            row = c.fetchone()
        root = row["cases_root"]
        return Growth(
            tree_size=int(row["tree_size"] or 0),
            map_size=int(row["map_size"] or 0),
            position=int(row["position"] or 0),
            aggregates=int(row["aggregates"] or 0),
            cases_root=EMPTY_MAP_ROOT if root is None else bytes(root),
        )

    def map_entries(self, aggregate_ids: Collection[str]) -> dict[str, MapEntry]:
        rows = self._rows_by_chunk(
            aggregate_ids,
            lambda n: (
                "SELECT aggregate_id, ordinal, version, digest FROM "
                f"{{t}}pml_case_map_entry WHERE aggregate_id IN ({_marks(n)})"
            ),
            list,
        )
        return {
            row["aggregate_id"]: MapEntry(
                aggregate_id=row["aggregate_id"],
                ordinal=int(row["ordinal"]),
                version=int(row["version"]),
                digest=bytes(row["digest"]),
            )
            for row in rows
        }

    def append_map(self, page: MapPage) -> None:
        """Store a page of the map alone: for a ledger whose tree was grown before the map
        existed, the map first catches up with the tree."""
        with self._tx(commit=True) as c:
            self._write_map(c, page)

    def _write_map(self, c: Any, page: MapPage) -> None:
        # A map grown before its history was kept: its current nodes join the history as of
        # its size now, once, before this page overwrites any (the history is empty only
        # until then, so this is one index probe per page afterwards).
        c.execute(
            self._q(
                "INSERT INTO {t}pml_case_map_version (level, idx, size, hash) "
                "SELECT level, idx, ?, hash FROM {t}pml_case_map_node "
                "WHERE NOT EXISTS (SELECT 1 FROM {t}pml_case_map_version)"
            ),
            (page.before,),
        )
        c.executemany(
            self._q(
                "INSERT INTO {t}pml_case_map_entry VALUES (?,?,?,?) ON CONFLICT (aggregate_id) "
                "DO UPDATE SET ordinal=excluded.ordinal, version=excluded.version, "
                "digest=excluded.digest"
            ),
            [(e.aggregate_id, e.ordinal, e.version, e.digest) for e in page.entries],
        )
        c.executemany(
            self._q(
                "INSERT INTO {t}pml_case_map_node VALUES (?,?,?) ON CONFLICT (level, idx) "
                "DO UPDATE SET hash=excluded.hash"
            ),
            [(n.level, n.index, h) for n, h in page.nodes.items()],
        )
        c.executemany(
            self._q(
                "INSERT INTO {t}pml_case_map_version (level, idx, size, hash) VALUES (?,?,?,?) "
                "ON CONFLICT (level, idx, size) DO UPDATE SET hash=excluded.hash"
            ),
            [(n.level, n.index, page.size, h) for n, h in page.nodes.items()],
        )
        c.execute(
            self._q(
                "INSERT INTO {t}pml_case_map_size VALUES (1, ?, ?, ?) ON CONFLICT (k) "
                "DO UPDATE SET size=excluded.size, position=excluded.position, "
                "aggregates=excluded.aggregates WHERE {t}pml_case_map_size.size=? "
                "RETURNING size"
            ),
            (page.size, page.position, page.aggregates, page.before),
        )
        if c.fetchone() is None:
            raise IntegrityError(
                f"the map of case heads moved past size {page.before} while this page was computed"
            )

    def append(
        self,
        nodes: Mapping[NodeId, bytes],
        leaves: list[tuple[int, int]],
        size: int,
        tracking: Tracking,
        case_map: MapPage,
    ) -> None:
        """Store a page of leaves: nodes, position→leaf index, the new size and the position,
        with the map's share of the same events."""
        with self._tx(commit=True) as c:
            self._write_map(c, case_map)
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
        rows = self._rows_by_chunk(
            positions,
            lambda n: (
                f"SELECT position, idx FROM {{t}}pml_merkle_leaf WHERE position IN ({_marks(n)})"
            ),
            list,
        )
        return {int(row["position"]): int(row["idx"]) for row in rows}

    def leaf_positions(self, page_size: int = 10000) -> Iterator[int]:
        """The log position of every event the tree has grown over, in log order, a page
        per query: the ledger's own record of what was checkpointed, which `verify` holds
        the log to when no head kept outside is given."""
        after = 0
        while True:
            with self._tx(commit=False) as c:
                c.execute(
                    self._q(
                        "SELECT position FROM {t}pml_merkle_leaf WHERE position > ? "
                        "ORDER BY position LIMIT ?"
                    ),
                    (after, page_size),
                )
                page = [int(row["position"]) for row in c.fetchall()]
            yield from page
            if len(page) < page_size:
                return
            after = page[-1]

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
