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

The tree is stored packed (issue 22: a row per node and per leaf was most of a checkpoint's
time). `pml_merkle_chunk` keeps the nodes of every fourth level (0, 4, 8, ...), sixteen
consecutive nodes of one level to a row (`hashes`, their 32-byte hashes end to end); a node
of a level in between is the root of the at most 16 stored nodes under it, hashed again when
read: at most 15 hashes a node, 15 x log2(n) a proof. `pml_merkle_run` records the log
positions the leaves stand for as runs: leaves idx .. idx+count-1 are the events at positions
position .. position+count-1, so a page of consecutive positions is one row (a gap in the
positions, as a rolled-back PostgreSQL insert leaves, starts another). They hold what the
node and leaf tables of earlier versions held, and `adopt_old_layout` moves a ledger's rows
from those (`pml_merkle_node`, `pml_merkle_leaf`, no longer created: a ledger has them only
if an earlier version made it) into these when the tables are opened, then drops them. No
hash changes, so every head, proof and bundle made before still verifies.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.errors import StorageError
from pmledger.integrity.case_map import EMPTY_MAP_ROOT, MAP_DEPTH
from pmledger.integrity.merkle import HASH_SIZE, NodeId, NodeRun, root_of
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.storage.stored_values import stored_int
from pmledger.storage.tracked import TrackedTables

CREATE = (
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_chunk (level INTEGER, idx BIGINT, "
    "hashes {blob}, PRIMARY KEY (level, idx))",
    "CREATE TABLE IF NOT EXISTS {t}pml_merkle_run (position BIGINT PRIMARY KEY, idx BIGINT, "
    "count BIGINT)",
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

OLD_NODES, OLD_LEAVES = "pml_merkle_node", "pml_merkle_leaf"
"""The tables earlier versions kept the tree in: a row per node, a row per leaf."""

_CHUNK = 500
"""Keys per query when reading many rows at once."""

STRIDE = 4
"""Every STRIDE-th level of the tree is stored (0, 4, 8, ...)."""
WIDTH = 1 << STRIDE
"""Nodes of one level in a stored chunk: one node of the next stored level covers a chunk."""

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
    repair = "restore the ledger from a backup (`pmledger verify` checks the signed log, not this)"
    """`verify` holds the tree to the log, but not the tracking row the tree grows from."""

    def size(self) -> int:
        with self._read() as c:
            c.execute(self._q("SELECT size FROM {t}pml_merkle_size WHERE k=1"))
            row = c.fetchone()
        return stored_int(row, "size") if row else 0

    def get_many(self, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        """The tree's nodes: each a slice of its stored chunk, or the root of the up to
        `WIDTH` stored nodes under it; a node its chunk does not reach is left out."""
        wanted: dict[NodeId, tuple[tuple[int, int], int, int]] = {}
        for node in ids:
            depth = node.level % STRIDE
            first = node.index << depth
            key = (node.level - depth, first >> STRIDE)
            wanted[node] = (key, (first % WIDTH) * HASH_SIZE, HASH_SIZE << depth)
        keys = {key for key, _, _ in wanted.values()}
        with self._reader(len(keys)) as c:
            chunks = self._chunks(c, keys)
        found: dict[NodeId, bytes] = {}
        for node, (key, offset, length) in wanted.items():
            packed = chunks.get(key, b"")
            if len(packed) >= offset + length:
                found[node] = _subtree(packed[offset : offset + length])
        return found

    def _chunks(self, c: Any, keys: Collection[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        rows = self._select_by_chunk(
            c,
            keys,
            lambda n: (
                "SELECT level, idx, hashes FROM {t}pml_merkle_chunk WHERE "
                + " OR ".join("(level=? AND idx=?)" for _ in range(n))
            ),
            lambda chunk: [v for key in chunk for v in key],
        )
        return {
            (stored_int(row, "level"), stored_int(row, "idx")): bytes(row["hashes"]) for row in rows
        }

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
            NodeId(stored_int(row, "level"), stored_int(row, "idx")): bytes(row["hash"])
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
        return None if row is None or row["since"] is None else stored_int(row, "since")

    def _nodes(self, table: str, ids: Collection[NodeId]) -> Mapping[NodeId, bytes]:
        rows = self._rows_by_chunk(
            ids,
            lambda n: (
                f"SELECT level, idx, hash FROM {{t}}{table} WHERE "
                + " OR ".join("(level=? AND idx=?)" for _ in range(n))
            ),
            lambda chunk: [v for node in chunk for v in (node.level, node.index)],
        )
        return {
            NodeId(stored_int(row, "level"), stored_int(row, "idx")): bytes(row["hash"])
            for row in rows
        }

    def _rows_by_chunk(
        self,
        keys: Collection[_K],
        statement: Callable[[int], str],
        params: Callable[[Sequence[_K]], Sequence[Any]],
    ) -> list[Any]:
        """The rows of one SELECT per few hundred keys (`statement(n)` for a chunk of n keys),
        in one read transaction: a page of proofs or an export asks for many at once."""
        with self._reader(len(keys)) as c:
            return self._select_by_chunk(c, keys, statement, params)

    def _reader(self, keys: int) -> AbstractContextManager[Any]:
        """Where to read `keys` keys a chunk at a time: one statement's worth needs no
        transaction (`_read`; a checkpoint's reads of entries, nodes and chunks each are one,
        and on a server a transaction is two more round trips each), more are read in one
        transaction, so that they all see the same commit."""
        return self._read() if keys <= _CHUNK else self._tx(commit=False)

    def _select_by_chunk(
        self,
        c: Any,
        keys: Collection[_K],
        statement: Callable[[int], str],
        params: Callable[[Sequence[_K]], Sequence[Any]],
    ) -> list[Any]:
        wanted = list(keys)
        rows: list[Any] = []
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            c.execute(self._q(statement(len(chunk))), params(chunk))
            rows.extend(c.fetchall())
        return rows

    def growth(self) -> Growth:
        """Tree size, map state and cases root at one instant: a single statement, so it never
        mixes two commits (PostgreSQL's default isolation would between statements)."""
        with self._read() as c:
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
            tree_size=stored_int(row, "tree_size", null=0),
            map_size=stored_int(row, "map_size", null=0),
            position=stored_int(row, "position", null=0),
            aggregates=stored_int(row, "aggregates", null=0),
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
                ordinal=stored_int(row, "ordinal"),
                version=stored_int(row, "version"),
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
        self._insert_rows(
            c,
            "pml_case_map_entry",
            ("text", "bigint", "bigint", "blob"),
            [(e.aggregate_id, e.ordinal, e.version, e.digest) for e in page.entries],
            "ON CONFLICT (aggregate_id) DO UPDATE SET ordinal=excluded.ordinal, "
            "version=excluded.version, digest=excluded.digest",
        )
        self._insert_rows(
            c,
            "pml_case_map_node",
            ("integer", "bigint", "blob"),
            [(n.level, n.index, h) for n, h in page.nodes.items()],
            "ON CONFLICT (level, idx) DO UPDATE SET hash=excluded.hash",
        )
        self._insert_rows(
            c,
            "pml_case_map_version (level, idx, size, hash)",
            ("integer", "bigint", "bigint", "blob"),
            [(n.level, n.index, page.size, h) for n, h in page.nodes.items()],
            "ON CONFLICT (level, idx, size) DO UPDATE SET hash=excluded.hash",
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
        nodes: Sequence[NodeRun],
        positions: Sequence[int],
        indices: range,
        tracking: Tracking,
        case_map: MapPage,
        head: SignedTreeHead | None = None,
    ) -> None:
        """Store a page of leaves: the nodes it completed, the log positions of its leaves
        (`indices`, in order), the new size and the position, with the map's share of the
        same events, and the head signed over them if the page ends a checkpoint."""
        with self._tx(commit=True) as c:
            if head is not None:
                self._write_head(c, head)
            self._write_map(c, case_map)
            self._write_chunks(c, [run for run in nodes if run.level % STRIDE == 0])
            self._insert_rows(
                c,
                "pml_merkle_run",
                ("bigint", "bigint", "bigint"),
                _runs(positions, indices),
                "ON CONFLICT (position) DO UPDATE SET idx=excluded.idx, count=excluded.count",
            )
            c.execute(
                self._q(
                    "INSERT INTO {t}pml_merkle_size VALUES (1, ?) ON CONFLICT (k) "
                    "DO UPDATE SET size=excluded.size"
                ),
                (indices.stop,),
            )
            self._track(c, tracking)

    def _write_chunks(self, c: Any, runs: Sequence[NodeRun]) -> None:
        """Each run's nodes into the chunks they fall in; a run that starts inside a chunk
        keeps the nodes the chunk holds before it (complete subtrees, which never change)."""
        ahead = {
            (run.level, run.start >> STRIDE): (run.start % WIDTH) * HASH_SIZE
            for run in runs
            if run.start % WIDTH
        }
        stored = self._chunks(c, ahead) if ahead else {}
        rows: list[tuple[int, int, bytes]] = []
        for run in runs:
            first = run.start >> STRIDE
            before = stored.get((run.level, first), b"")[: ahead.get((run.level, first), 0)]
            if len(before) != ahead.get((run.level, first), 0):
                raise StorageError(
                    f"the Merkle tree's stored nodes of level {run.level} stop short of node "
                    f"{run.start}: its tables were changed outside pmledger; run `pmledger verify`"
                )
            packed = before + b"".join(run.hashes)
            span = WIDTH * HASH_SIZE
            rows.extend(
                (run.level, first + k // span, packed[k : k + span])
                for k in range(0, len(packed), span)
            )
        self._insert_rows(
            c,
            "pml_merkle_chunk",
            ("integer", "bigint", "blob"),
            rows,
            "ON CONFLICT (level, idx) DO UPDATE SET hashes=excluded.hashes",
        )

    def leaf_index(self, position: int) -> int | None:
        return self.leaf_indices([position]).get(position)

    def leaf_indices(self, positions: Collection[int]) -> dict[int, int]:
        """Position -> leaf index for the positions the tree has grown over, a page per query
        (an export asks for every event of a case at once): each from the run starting at
        or before it (one index seek), if that run reaches it."""
        rows = self._rows_by_chunk(
            positions,
            lambda n: (
                "SELECT w.column1 AS at, r.position, r.idx, r.count FROM (VALUES "
                + ",".join("(?)" for _ in range(n))
                + ") AS w JOIN {t}pml_merkle_run r ON r.position = (SELECT MAX(position) "
                "FROM {t}pml_merkle_run WHERE position <= w.column1)"
            ),
            list,
        )
        return {
            int(row["at"]): stored_int(row, "idx") + int(row["at"]) - stored_int(row, "position")
            for row in rows
            if int(row["at"]) < stored_int(row, "position") + stored_int(row, "count")
        }

    def leaf_runs(self, page_size: int = 1000) -> Iterator[tuple[int, int]]:
        """The log positions of every event the tree has grown over, in log order, as runs
        (first position, count of consecutive positions), a page of runs per query: the
        ledger's own record of what was checkpointed, which `verify` holds the log to when
        no head kept outside is given."""
        after = -1
        while True:
            with self._tx(commit=False) as c:
                c.execute(
                    self._q(
                        "SELECT position, count FROM {t}pml_merkle_run WHERE position > ? "
                        "ORDER BY position LIMIT ?"
                    ),
                    (after, page_size),
                )
                page = [
                    (stored_int(row, "position"), stored_int(row, "count")) for row in c.fetchall()
                ]
            yield from page
            if len(page) < page_size:
                return
            after = page[-1][0]

    def adopt_old_layout(self, page_size: int = 10000) -> None:
        """Move a tree stored as earlier versions stored it (a row per node of every level
        in `pml_merkle_node`, a row per leaf in `pml_merkle_leaf`) into chunks and runs, and
        drop the old tables: once per ledger, in one transaction, under the tables' write
        lock, a page of rows at a time (memory stays flat in the tree's size). A ledger
        without them (made by this version, or adopted already) costs a look in the catalogue.

        Nodes of the levels not stored now are dropped (they are hashed again from the
        stored ones), as are any beyond the recorded size; a node missing from the old
        tables is missing from its chunk too, which reading reports as before.
        """
        with self._tx(commit=False) as c:
            if not self._old_tables(c):
                return
        with self._tx(commit=True) as c:
            self._lock(c)
            old = self._old_tables(c)  # another process may have adopted them meanwhile
            if OLD_NODES in old:
                c.execute(self._q("SELECT size FROM {t}pml_merkle_size WHERE k=1"))
                found = c.fetchone()
                size = stored_int(found, "size") if found else 0
                for level in range(0, size.bit_length(), STRIDE):
                    self._adopt_level(c, level, size >> level, page_size)
            if OLD_LEAVES in old:
                self._adopt_leaves(c, page_size)
            for table in old:
                c.execute(self._q("DROP TABLE {t}" + table))

    def _old_tables(self, c: Any) -> list[str]:
        return [table for table in (OLD_NODES, OLD_LEAVES) if self._has_table(c, table)]

    def _adopt_level(self, c: Any, level: int, count: int, page_size: int) -> None:
        """The first `count` nodes of `level` (the complete ones) as chunks, each chunk up to
        its first missing node."""
        span = page_size - page_size % WIDTH
        for start in range(0, count, span):
            c.execute(
                self._q(
                    "SELECT idx, hash FROM {t}pml_merkle_node WHERE level=? AND idx>=? AND idx<? "
                    "ORDER BY idx"
                ),
                (level, start, min(count, start + span)),
            )
            chunks: dict[int, list[bytes]] = {}
            for row in c.fetchall():
                index = stored_int(row, "idx")
                held = chunks.setdefault(index >> STRIDE, [])
                if len(held) == index % WIDTH:
                    held.append(bytes(row["hash"]))
            self._insert_rows(
                c,
                "pml_merkle_chunk",
                ("integer", "bigint", "blob"),
                [(level, idx, b"".join(hashes)) for idx, hashes in chunks.items() if hashes],
                "ON CONFLICT (level, idx) DO UPDATE SET hashes=excluded.hashes",
            )

    def _adopt_leaves(self, c: Any, page_size: int) -> None:
        after = -1
        while True:
            c.execute(
                self._q(
                    "SELECT position, idx FROM {t}pml_merkle_leaf WHERE position > ? "
                    "ORDER BY position LIMIT ?"
                ),
                (after, page_size),
            )
            page = [(stored_int(row, "position"), stored_int(row, "idx")) for row in c.fetchall()]
            self._insert_rows(
                c,
                "pml_merkle_run",
                ("bigint", "bigint", "bigint"),
                _runs([position for position, _ in page], [index for _, index in page]),
                "ON CONFLICT (position) DO UPDATE SET idx=excluded.idx, count=excluded.count",
            )
            if len(page) < page_size:
                return
            after = page[-1][0]

    def add_head(self, head: SignedTreeHead) -> None:
        with self._tx(commit=True) as c:
            self._write_head(c, head)

    def _write_head(self, c: Any, head: SignedTreeHead) -> None:
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
        return [_head(row["head"]) for row in rows]


def _head(stored: str | bytes) -> SignedTreeHead:
    """A stored checkpoint; one that no longer decodes is damaged storage, named as such (the
    heads published outside the ledger are what hold it to account)."""
    try:
        return SignedTreeHead.model_validate_json(stored)
    except ValueError as exc:
        raise StorageError.damaged(
            "a stored checkpoint (signed tree head)",
            exc,
            "run `pmledger verify` with the published checkpoints, and restore the ledger "
            "from a backup",
        ) from None


def _subtree(packed: bytes) -> bytes:
    """The root of the complete subtree whose nodes at one stored level are `packed`."""
    if len(packed) == HASH_SIZE:
        return packed
    return root_of([packed[k : k + HASH_SIZE] for k in range(0, len(packed), HASH_SIZE)])


def _runs(positions: Sequence[int], indices: Sequence[int]) -> list[tuple[int, int, int]]:
    """(position, leaf index, count) for each stretch in which both the positions and the
    leaf indices beside them go up by one; `positions` go up (log order).

    A page the tree has just appended (`indices` a range) whose positions span exactly as
    many numbers as it has leaves is one run, the usual case: found without a step a leaf."""
    count = len(positions)
    if (
        isinstance(indices, range)
        and indices.step == 1
        and count
        and positions[-1] - positions[0] == count - 1
    ):
        return [(positions[0], indices[0], count)]
    runs: list[tuple[int, int, int]] = []
    start = 0
    for k in range(1, len(positions) + 1):
        if (
            k == len(positions)
            or positions[k] != positions[k - 1] + 1
            or indices[k] != indices[k - 1] + 1
        ):
            runs.append((positions[start], indices[start], k - start))
            start = k
    return runs
