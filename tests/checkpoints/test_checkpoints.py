"""Checkpoints catch what signatures cannot: a rewrite by someone holding the keys, or a log
cut back at its end."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, HR, held, open_ledger, seeded
from tests.core.raw_rows import RawRows
from typer.testing import CliRunner

from pmledger.aggregates.employee_case import new_case_event
from pmledger.cli.main import app
from pmledger.integrity.keystore import EncryptedFileKeyStore, MemoryKeyStore
from pmledger.integrity.merkle import leaf_hash, verify_consistency, verify_inclusion
from pmledger.ledger.checkpoints.tree import open_log

CASE = str(ALICE.case_id)


def test_a_checkpoint_verifies_and_the_next_one_only_adds_new_events(backend: str) -> None:
    with seeded(backend) as ledger:
        first = ledger.checkpoint(HR)
        assert first.size == 7
        ledger.record(ALICE, held(5), occurred_on=date(2025, 10, 20), actor=HEAD)
        second = ledger.checkpoint(HR)
        assert second.size == 8
        log = open_log(ledger._merkle_tables())
        assert log.root_at(7).hex() == first.root
        report = ledger.verify()
        assert report.ok, report.failure
        assert report.checkpoints == 2


def test_cutting_back_the_log_after_a_checkpoint_is_named(backend: str) -> None:
    with seeded(backend) as ledger:
        ledger.checkpoint(HR)
    RawRows(backend).delete(CASE, 4)
    with open_ledger(backend) as reader:
        report = reader.verify()
    assert report.failure is not None
    assert "holds 6 events but the checkpoint" in report.failure.reason
    assert "events were removed" in report.failure.reason


def test_a_rewrite_signed_with_the_real_keys_is_caught_by_the_checkpoint(backend: str) -> None:
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        ledger.record(ALICE, held(5), occurred_on=date(2025, 10, 20), actor=HEAD)
        ledger.checkpoint(HR)
        case = ledger.reader(HR).case(ALICE, 4)
        forged = new_case_event(
            case,
            case_id=ALICE.case_id,
            act=held(99),
            occurred_on=date(2025, 10, 20),
            actor=HEAD,
            key_id=list(ledger.reader(HR).records(ALICE))[-1].key_id,
            pack=case.pack,
            deviation_reason=None,
            recorded_at=list(ledger.reader(HR).records(ALICE))[-1].timestamp,
        )
        stored = ledger._store.mapper.to_stored_event(forged)
    RawRows(backend).set_state(CASE, 5, stored.state)
    with open_ledger(backend) as reader:
        report = reader.verify()
    assert report.failure is not None
    assert "do not have the root signed" in report.failure.reason


def test_a_published_head_outlives_the_heads_stored_in_the_ledger(
    backend: str, tmp_path: Path
) -> None:
    with seeded(backend) as ledger:
        published = ledger.checkpoint(HR)
    rows = RawRows(backend)
    rows.delete(CASE, 4)
    table = "pml_tree_head"
    rows._run(f"DELETE FROM {table}", f"DELETE FROM {table}", ())
    with open_ledger(backend) as reader:
        own = reader.verify()
        report = reader.verify([published])
    assert own.failure is not None, "the ledger's own tree still records the cut position"
    assert "position 7 was checkpointed but is no longer in the log" in own.failure.reason
    assert report.failure is not None
    assert "events were removed" in report.failure.reason


def test_verify_holds_every_stored_head_to_every_other(backend: str) -> None:
    """Stored heads must all describe one log growing by appends: a head re-signed with the
    real key over another root is as inconsistent with the later heads as with the log."""
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        first = ledger.checkpoint(HR)
        ledger.record(ALICE, held(5), occurred_on=date(2025, 10, 20), actor=HEAD)
        second = ledger.checkpoint(HR)
        log = open_log(ledger._merkle_tables())
        proof = log.consistency_proof(first.size, second.size)
        assert verify_consistency(
            first.size, second.size, bytes.fromhex(first.root), bytes.fromhex(second.root), proof
        )
        assert ledger.verify().checkpoints == 2
        forged = first.model_copy(update={"root": "ab" * 32}).sign(keys)
        ledger._merkle_tables().add_head(forged)
        report = ledger.verify()
    assert report.failure is not None
    assert report.failure.version == first.size
    assert "do not have the root signed" in report.failure.reason


def test_every_event_has_an_inclusion_proof_against_the_head(backend: str) -> None:
    with seeded(backend) as ledger:
        head = ledger.checkpoint(HR)
        tables = ledger._merkle_tables()
        log = open_log(tables)
        for row in ledger._store.rows():
            index = tables.leaf_index(row.position)
            assert index is not None
            proof = log.inclusion_proof(index, head.size)
            assert verify_inclusion(
                leaf_hash(row.state), index, head.size, proof, bytes.fromhex(head.root)
            )


def test_checkpoint_and_verify_head_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "l.sqlite")
    seeded(db, EncryptedFileKeyStore(tmp_path / "keys", b"pw")).close()
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", "pw")
    head_file = tmp_path / "head.json"
    made = CliRunner().invoke(
        app,
        [
            "checkpoint",
            "--db",
            db,
            "--actor",
            "hr-1:hr",
            "--keys",
            str(tmp_path / "keys"),
            "--out",
            str(head_file),
        ],
    )
    assert made.exit_code == 0, made.output
    assert json.loads(head_file.read_text())["size"] == 7
    ok = CliRunner().invoke(app, ["verify", "--db", db, "--head", str(head_file), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["checkpoints"] == 2
    bad = CliRunner().invoke(
        app, ["checkpoint", "--db", db, "--actor", "hr-1:wizard", "--keys", str(tmp_path / "keys")]
    )
    assert bad.exit_code == 2
    assert "PERSON:ROLE" in bad.output
