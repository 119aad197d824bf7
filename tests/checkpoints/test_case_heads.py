"""The map of case heads in the ledger's database: what `checkpoint` signs, how it grows,
and how `verify` holds every head's cases root to the log. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError
from tests.checkpoints.map_reference import log_map, ref_root
from tests.checkpoints.paging import checkpoint_in_pages
from tests.core.helpers import ALICE, HEAD, HR, SteppingClock, held, open_ledger, seeded
from tests.core.raw_rows import RawRows
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.errors import StorageError
from pmledger.ids import KEYRING_ID
from pmledger.integrity.case_map import CaseHead, changed_nodes, verify_map_path
from pmledger.integrity.keystore import EncryptedFileKeyStore, MemoryKeyStore
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.checkpoints.tree import case_heads_at
from pmledger.ledger.facade import Ledger
from pmledger.storage.checkpoints import MapPage

CASE = str(ALICE.case_id)
KEYRING = str(KEYRING_ID)
MEETING = date(2025, 10, 20)


def _reference_root(ledger: Ledger, size: int) -> str:
    """The cases root the first `size` events should have, from the stored rows alone."""
    rows = list(ledger._store.rows())[:size]
    return ref_root(log_map(rows)[1]).hex()


def test_a_checkpoint_signs_the_newest_event_of_every_aggregate(backend: str) -> None:
    with seeded(backend) as ledger:
        first = ledger.checkpoint(HR)
        assert first.cases_root == _reference_root(ledger, first.size)
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        second = ledger.checkpoint(HR)
        assert second.cases_root == _reference_root(ledger, second.size) != first.cases_root
        ordinals, _ = log_map(ledger._store.rows())
        proofs = case_heads_at(ledger._merkle_tables(), list(ordinals), second.size)
        assert proofs is not None
        assert set(proofs) == set(ordinals)
        newest = {row.aggregate_id: row for row in ledger._store.rows()}
        for aggregate_id, proof in proofs.items():
            entry = proof.entry
            assert entry.ordinal == ordinals[aggregate_id]
            assert entry.version == newest[aggregate_id].version
            head = CaseHead(UUID(aggregate_id), entry.version, entry.digest)
            assert verify_map_path(
                head, entry.ordinal, proof.path, bytes.fromhex(second.cases_root)
            )
        assert proofs[CASE].entry.version == 5
        report = ledger.verify()
    assert report.ok, report.failure
    assert report.checkpoints == 2


def test_growing_a_page_at_a_time_gives_the_same_map(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with seeded(backend) as ledger:
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        head = checkpoint_in_pages(ledger, HR, 2, monkeypatch)
        assert head.size == len(list(ledger._store.rows()))
        assert head.cases_root == _reference_root(ledger, head.size)
        assert ledger.checkpoint(HR).cases_root == head.cases_root
        assert ledger.verify().ok


def test_a_ledger_checkpointed_before_the_map_existed_catches_up(backend: str) -> None:
    """Trees grown by an earlier pmledger have no map: the next checkpoint replays the events
    the tree already holds into the map, then grows both as one."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        old = ledger.checkpoint(HR)
        legacy = old.model_copy(update={"cases_root": None}).sign(keys)
        ledger._merkle_tables().add_head(legacy)
    rows = RawRows(backend)
    for table in ("pml_case_map_entry", "pml_case_map_node", "pml_case_map_size"):
        rows._run(f"DELETE FROM {table}", f"DELETE FROM {table}", ())
    later = SteppingClock(datetime(2025, 9, 2, tzinfo=UTC))
    with open_ledger(backend, keys, later) as ledger:
        assert ledger._merkle_tables().growth().map_size == 0
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        head = ledger.checkpoint(HR)
        assert head.cases_root == _reference_root(ledger, head.size)
        assert legacy.signature_holds(ledger.keyring().keys[legacy.key_id].public_key)
        report = ledger.verify()
    assert report.ok, report.failure
    assert report.checkpoints == 2, "the head without a map still holds the log"


def test_catching_up_over_a_log_cut_back_is_refused(backend: str) -> None:
    """A map replaying a tree's events must find them all: a log that now ends before the
    tree does lost events after they were checkpointed, and no head is signed over it."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        ledger.checkpoint(HR)
    rows = RawRows(backend)
    for table in ("pml_case_map_entry", "pml_case_map_node", "pml_case_map_size"):
        rows._run(f"DELETE FROM {table}", f"DELETE FROM {table}", ())
    rows.delete(CASE, 4)
    with open_ledger(backend, keys) as ledger, pytest.raises(StorageError, match="removed"):
        ledger.checkpoint(HR)


def test_a_page_computed_from_a_stale_map_is_refused(backend: str) -> None:
    """Two processes growing at once: the one that read the map first must not overwrite."""
    with seeded(backend) as ledger:
        tables = ledger._merkle_tables()
        stale = tables.growth()
        ledger.checkpoint(HR)
        page = MapPage(
            entries=[],
            nodes=changed_nodes({0: b"\x00" * 32}, tables.map_nodes),
            before=stale.map_size,
            size=stale.map_size + 1,
            position=1,
            aggregates=1,
        )
        with pytest.raises(IntegrityError, match="moved past size 0"):
            tables.append_map(page)
        head = ledger.checkpoint(HR)
        assert head.cases_root == _reference_root(ledger, head.size)


def test_entries_are_proved_only_at_the_size_the_map_stands_at(backend: str) -> None:
    with seeded(backend) as ledger:
        first = ledger.checkpoint(HR)
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        tables = ledger._merkle_tables()
        assert case_heads_at(tables, [CASE], first.size) is not None, "not grown since"
        second = ledger.checkpoint(HR)
        assert case_heads_at(tables, [CASE], first.size) is None
        assert case_heads_at(tables, [CASE], second.size) is not None


def test_a_stored_head_over_a_false_map_fails_verify(backend: str) -> None:
    """The attack the map exists for, on the ledger: with the keys, re-sign the head over a
    map that ends the case one event early. The log's root still matches; verify rebuilds
    the map from the log and names the head."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        ledger.record(ALICE, held(5), occurred_on=MEETING, actor=HEAD)
        head = ledger.checkpoint(HR)
        rows = list(ledger._store.rows())
        short = [row for row in rows if not (row.aggregate_id == CASE and row.version == 5)]
        ordinals, leaves = log_map(short)
        assert ordinals == log_map(rows)[0]
        forged = head.model_copy(update={"cases_root": ref_root(leaves).hex()}).sign(keys)
        ledger._merkle_tables().add_head(forged)
        report = ledger.verify()
    assert report.failure is not None
    assert report.failure.version == head.size
    assert "its cases root differs" in report.failure.reason
    assert "false map of case heads" in report.failure.reason


def test_a_published_head_with_a_wrong_cases_root_fails_verify(
    backend: str, tmp_path: Path
) -> None:
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        head = ledger.checkpoint(HR)
        forged = head.model_copy(update={"cases_root": "ab" * 32}).sign(keys)
        assert ledger.verify([head]).ok
        report = ledger.verify([forged])
    assert report.failure is not None
    assert "its cases root differs" in report.failure.reason
    published = tmp_path / "head.json"
    published.write_text(forged.model_dump_json(indent=2) + "\n")
    result = CliRunner().invoke(app, ["verify", "--db", backend, "--head", str(published)])
    assert result.exit_code == 1, result.output
    assert "its cases root differs" in " ".join(result.output.split())


def test_the_command_line_checkpoint_prints_the_cases_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "l.sqlite")
    seeded(db, EncryptedFileKeyStore(tmp_path / "keys", b"pw")).close()
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", "pw")
    out = tmp_path / "head.json"
    keys = str(tmp_path / "keys")
    made = CliRunner().invoke(
        app, ["checkpoint", "--db", db, "--actor", "hr-1:hr", "--keys", keys, "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    head = SignedTreeHead.model_validate(json.loads(out.read_text()))
    with Ledger.open(db) as ledger:
        assert head.cases_root == _reference_root(ledger, head.size)
        assert ledger.verify([head]).ok
