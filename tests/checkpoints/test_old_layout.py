"""Ledgers checkpointed before the tree was stored packed (issue 22) keep every head, proof
and bundle: their node and leaf rows move into chunks and runs when the tables are opened,
and no hash changes.

`fixtures/old_layout/` was written by main's code before the change (bd0b467, see
`fixtures/make_old_layout.py`). On PostgreSQL, where no file can be kept, the old layout is
written into a ledger's tables the way that code wrote it: every node `MerkleLog` completes,
a row each, and a row per leaf.
"""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, HR, held, invite, opened, seeded
from tests.core.raw_rows import RawRows
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.commands import EmployeeRef
from pmledger.export.exporter import export_case
from pmledger.export.verify_bundle import verify_bundle
from pmledger.integrity.keystore import EncryptedFileKeyStore, MemoryKeyStore
from pmledger.integrity.merkle import (
    MerkleLog,
    NodeId,
    NodeRuns,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.checkpoints.tree import open_log
from pmledger.ledger.facade import Ledger
from pmledger.storage.checkpoints import OLD_LEAVES, OLD_NODES

FIXTURE = Path(__file__).parent / "fixtures" / "old_layout"
PASSPHRASE = b"fixture passphrase"
"""As `fixtures/make_old_layout.py` sealed the fixture's keys."""
BOB = EmployeeRef(organisation="trust", employee_ref="E-002")
AS_OF = date(2026, 1, 31)


class Rows(RawRows):
    def run(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        return self._run(sql, sql, params)

    def count(self, table: str) -> int:
        return int(self.run(f"SELECT COUNT(*) FROM {table}")[0][0])  # type: ignore[call-overload]

    def has(self, table: str) -> bool:
        found = self._run(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
            "SELECT 1 FROM information_schema.tables WHERE table_schema=current_schema() "
            "AND table_name=?",
            (table,),
        )
        return bool(found)

    def create_old_tables(self) -> None:
        """The node and leaf tables as the old code created them in every ledger."""
        blob = "BYTEA" if self._pg else "BLOB"
        self.run(
            f"CREATE TABLE {OLD_NODES} (level INTEGER, idx BIGINT, hash {blob}, "
            "PRIMARY KEY (level, idx))"
        )
        self.run(f"CREATE TABLE {OLD_LEAVES} (position BIGINT PRIMARY KEY, idx BIGINT)")


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _proves_every_event(ledger: Ledger, heads: list[SignedTreeHead]) -> None:
    """Every event's inclusion proof against every head covering it, and the consistency
    proof of each head with the next, read from the tables as they now stand."""
    tables = ledger._merkle_tables()
    log = open_log(tables)
    for row in ledger._store.rows():
        index = tables.leaf_index(row.position)
        assert index is not None, row.position
        for head in heads:
            if index < head.size:
                proof = log.inclusion_proof(index, head.size)
                root = bytes.fromhex(head.root)
                assert verify_inclusion(leaf_hash(row.state), index, head.size, proof, root)
    for old, new in itertools.pairwise(heads):
        proof = log.consistency_proof(old.size, new.size)
        roots = bytes.fromhex(old.root), bytes.fromhex(new.root)
        assert verify_consistency(old.size, new.size, *roots, proof)


@pytest.fixture
def old_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "old")
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE.decode())
    return tmp_path / "old"


def test_a_ledger_checkpointed_by_the_old_layout_verifies_proves_and_grows(
    old_ledger: Path,
) -> None:
    db, heads, keys = str(old_ledger / "ledger.sqlite"), old_ledger / "heads", old_ledger / "keys"
    rows = Rows(db)
    assert (rows.count("pml_merkle_node"), rows.count("pml_merkle_leaf")) == (85, 44)

    code, out = _cli("verify", "--db", db, "--heads", str(heads), "--json")
    assert code == 0, out
    assert json.loads(out)["checkpoints"] == 4, "two stored, the same two kept outside"
    assert (rows.has(OLD_NODES), rows.has(OLD_LEAVES)) == (False, False), "adopted, then dropped"
    # Levels 0 and 4 of 44 leaves: chunks of 16, 16, 12 leaves and one of 2 level-4 nodes.
    assert rows.count("pml_merkle_chunk") == 4
    assert rows.run("SELECT position, idx, count FROM pml_merkle_run") == [(1, 0, 44)]

    published = [SignedTreeHead.model_validate_json(p.read_text()) for p in sorted(heads.glob("*"))]
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE)
    with Ledger.open(db, keystore=keystore) as ledger:
        assert ledger._merkle_tables().heads() == published
        _proves_every_event(ledger, published)
        bundle = export_case(ledger.reader(HR, AS_OF), ALICE, old_ledger / "bundle", AS_OF).zip
        for n in range(10, 14):
            ledger.record(ALICE, invite(n), occurred_on=date(2025, 9, 5), actor=HEAD)
    report = verify_bundle(bundle, published=published)
    assert report.ok, report.problem
    assert report.tree_head == published[-1], "the old head proves the case: no new one"

    code, out = _cli("checkpoint", "--db", db, "--actor", "hr-1:hr", "--keys", str(keys),
                     "--out", str(heads))  # fmt: skip
    assert code == 0, out
    code, out = _cli("verify", "--db", db, "--heads", str(heads), "--json")
    assert code == 0, out
    assert json.loads(out)["checkpoints"] == 6
    with Ledger.open(db, keystore=keystore) as ledger:
        grown = ledger._merkle_tables().heads()
        assert grown[:2] == published
        assert grown[2].size == rows.count("stored_events"), "the export's access-log event too"
        _proves_every_event(ledger, grown)


def _write_old_layout(target: str, ledger: Ledger) -> None:
    """Replace the ledger's packed tree with the rows the old code stored for the same log."""
    tables = ledger._merkle_tables()
    positions = [p for first, n in tables.leaf_runs() for p in range(first, first + n)]
    leaves = [leaf_hash(row.state) for row in ledger._store.rows()]
    written: dict[NodeId, bytes] = {}

    class Nodes:
        def get_many(self, ids: object) -> dict[NodeId, bytes]:
            return {}

        def put_many(self, nodes: NodeRuns) -> None:
            written.update(nodes)

    MerkleLog(Nodes()).extend(leaves)
    rows = Rows(target)
    rows.create_old_tables()
    for node, value in written.items():
        rows.run("INSERT INTO pml_merkle_node VALUES (?,?,?)", node.level, node.index, value)
    for index, position in enumerate(positions):
        rows.run("INSERT INTO pml_merkle_leaf VALUES (?,?)", position, index)
    rows.run("DELETE FROM pml_merkle_chunk")
    rows.run("DELETE FROM pml_merkle_run")


def test_the_old_layout_is_adopted_on_each_backend(backend: str) -> None:
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        for n in range(2, 30):
            ledger.record(ALICE, held(n), occurred_on=date(2025, 10, 20), actor=HEAD)
        first = ledger.checkpoint(HR)
        ledger.record(BOB, opened(BOB), occurred_on=date(2025, 10, 21), actor=HR)
        second = ledger.checkpoint(HR)
        _write_old_layout(backend, ledger)
    rows = Rows(backend)
    assert rows.count("pml_merkle_node") > second.size
    with Ledger.open(backend, keystore=keys) as ledger:
        report = ledger.verify()
        assert report.ok, report.failure
        assert (rows.has(OLD_NODES), rows.has(OLD_LEAVES)) == (False, False)
        _proves_every_event(ledger, [first, second])
        ledger.record(ALICE, held(40), occurred_on=date(2025, 10, 22), actor=HEAD)
        third = ledger.checkpoint(HR)
        assert ledger.verify(extra_heads=[first, second]).ok
        _proves_every_event(ledger, [first, second, third])


def test_a_new_ledger_has_no_old_layout_tables(backend: str) -> None:
    """Only ledgers made by earlier versions have them: a new one is never given them."""
    with seeded(backend, MemoryKeyStore()) as ledger:
        ledger.checkpoint(HR)
        assert ledger.verify().ok
    rows = Rows(backend)
    assert rows.has("pml_merkle_chunk")
    assert (rows.has(OLD_NODES), rows.has(OLD_LEAVES)) == (False, False)


def test_a_changed_stored_node_fails_the_bundle_and_the_next_head(
    backend: str, tmp_path: Path
) -> None:
    """A byte changed in a packed chunk (leaf 1's hash) makes every proof through it and
    every root hashed from it wrong: the bundle's inclusion proofs fail offline against the
    head signed before, and the next head signs a root the log does not have."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        head = ledger.checkpoint(HR)
    rows = Rows(backend)
    packed = bytes(rows.run("SELECT hashes FROM pml_merkle_chunk WHERE level=0 AND idx=0")[0][0])  # type: ignore[arg-type]
    changed = packed[:32] + bytes([packed[32] ^ 1]) + packed[33:]
    rows.run("UPDATE pml_merkle_chunk SET hashes=? WHERE level=0 AND idx=0", changed)
    with Ledger.open(backend, keystore=keys) as ledger:
        bundle = export_case(ledger.reader(HR, AS_OF), ALICE, tmp_path / "bundle", AS_OF).zip
        ledger.record(ALICE, held(5), occurred_on=date(2025, 10, 20), actor=HEAD)
        ledger.checkpoint(HR)
        report = ledger.verify()
    proved = verify_bundle(bundle, published=[head])
    assert not proved.ok
    assert "inclusion proof fails" in str(proved.problem), proved.problem
    assert report.failure is not None
    assert "checkpoint" in report.failure.subject, report.failure
