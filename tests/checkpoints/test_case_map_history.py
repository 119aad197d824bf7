"""The map of case heads keeps its history: every node written while growing stays, with the
map size it was written at, so an entry can be proved at the size of every signed head, not
only the newest. Checked against the hashlib reference, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from tests.checkpoints.map_reference import log_map, ref_leaf, ref_path, ref_root
from tests.checkpoints.paging import checkpoint_in_pages
from tests.core.helpers import (
    ALICE,
    HEAD,
    HR,
    SteppingClock,
    held,
    open_ledger,
    opened,
    seeded,
)
from tests.core.raw_rows import RawRows

from pmledger.commands import EmployeeRef
from pmledger.integrity.case_map import root_from_path
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.integrity.merkle import leaf_hash
from pmledger.ledger.checkpoints.tree import map_paths_at
from pmledger.ledger.facade import Ledger

MEETING = date(2025, 10, 20)
BOB = EmployeeRef(organisation="trust", employee_ref="E-002")


def _held_at(ledger: Ledger, size: int) -> None:
    """Every aggregate's path at `size` is the reference's over the log's first `size` events,
    and with the entry the log gives leads to the root the reference computes."""
    rows = list(ledger._store.rows())[:size]
    ordinals, leaves = log_map(rows)
    paths = map_paths_at(ledger._merkle_tables(), list(ordinals.values()), size)
    assert paths is not None, f"no history at size {size}"
    root = ref_root(leaves)
    newest = {row.aggregate_id: row for row in rows}
    for aggregate_id, ordinal in ordinals.items():
        assert paths[ordinal] == ref_path(leaves, ordinal), (size, aggregate_id)
        row = newest[aggregate_id]
        leaf = ref_leaf(UUID(aggregate_id), row.version, leaf_hash(row.state))
        assert root_from_path(leaf, ordinal, paths[ordinal]) == root


def test_paths_at_every_past_head_match_the_reference(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with seeded(backend) as ledger:
        heads = [ledger.checkpoint(HR)]
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        heads.append(ledger.checkpoint(HR))
        ledger.record(BOB, opened(BOB), occurred_on=MEETING, actor=HR)
        ledger.record(ALICE, held(6), occurred_on=MEETING, actor=HEAD)
        heads.append(checkpoint_in_pages(ledger, HR, 1, monkeypatch))
        ledger.record(ALICE, held(7), occurred_on=MEETING, actor=HEAD)
        heads.append(ledger.checkpoint(HR))
        sizes = [head.size for head in heads]
        assert sizes == sorted(set(sizes))
        for head in heads:
            _held_at(ledger, head.size)
            assert (
                head.cases_root
                == ref_root(log_map(list(ledger._store.rows())[: head.size])[1]).hex()
            )
        # a page of one event at a time: every size in between is one the map stood at
        for size in range(heads[1].size + 1, heads[2].size):
            _held_at(ledger, size)
        tables = ledger._merkle_tables()
        assert map_paths_at(tables, [0], heads[-1].size + 1) is None, "not grown that far"
        assert ledger.verify().ok


def test_a_map_kept_before_its_history_joins_it_at_its_size_then(backend: str) -> None:
    """A ledger whose map was grown by a pmledger that kept only the current map (here: its
    history emptied) still opens and grows; its map is proved from its size at the next
    growth on, and heads older than that have no provable map."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        old = ledger.checkpoint(HR)
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        migrated = ledger.checkpoint(HR)
    rows = RawRows(backend)
    rows._run("DROP TABLE pml_case_map_version", "DROP TABLE pml_case_map_version", ())
    later = SteppingClock(datetime(2025, 9, 2, tzinfo=UTC))
    with open_ledger(backend, keys, later) as ledger:
        tables = ledger._merkle_tables()
        assert tables.map_history_since() is None
        assert map_paths_at(tables, [0], migrated.size) is None
        ledger.record(ALICE, held(6), occurred_on=MEETING, actor=HEAD)
        newer = ledger.checkpoint(HR)
        assert tables.map_history_since() == migrated.size
        assert map_paths_at(tables, [0], old.size) is None, "older than the history"
        _held_at(ledger, migrated.size)
        _held_at(ledger, newer.size)
        assert ledger.verify().ok
