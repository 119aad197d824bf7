"""Deleted checkpoints: a whole case deleted by SQL together with every signed tree head
stored in the ledger. `verify` finds it from the ledger's own records (the Merkle tree still
records the log positions it covered); whoever also deletes the tree's tables is caught only
by heads kept outside the ledger (`checkpoint --out DIR`, `verify --heads DIR`), and a
`verify` given none says so in its result instead of a bare OK.

Before: `verify` passed the deleted case (exit 0, no word about outside heads), and neither
`checkpoint --out DIR` nor `verify --heads` existed (exit 2, no such option).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, HR, invite, opened, seeded
from tests.core.raw_rows import RawRows
from tests.reliability.harness import backend_name, tally
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.commands import EmployeeRef
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

PASSPHRASE = "reliability tests only"
BOB = EmployeeRef(organisation="trust", employee_ref="E-002")
NO_OUTSIDE_HEAD = "no head held outside the ledger was given"
TREE_TABLES = ("pml_merkle_chunk", "pml_merkle_run", "pml_merkle_size")


class CaseRows(RawRows):
    """A whole case and the stored heads, as someone holding the database would reach them."""

    def execute(self, sql: str, *params: object) -> None:
        self._run(sql, sql, params)

    def delete_case(self, employee: EmployeeRef) -> None:
        case = str(employee.case_id)
        for table in ("events", "snapshots"):
            self._run(
                f"DELETE FROM stored_{table} WHERE originator_id=?",
                f"DELETE FROM pmledger_{table} WHERE originator_id=?",
                (self._id(case),),
            )
        for table in ("pml_data_key", "pml_document_chunk", "pml_document"):
            self.execute(f"DELETE FROM {table} WHERE case_id=?", case)
        self.execute("DELETE FROM pml_tree_head")


@pytest.fixture
def checkpointed(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two cases, two checkpoints kept in a directory outside the ledger, then a later act
    (so the log is longer than the last head when the case is deleted)."""
    keys, heads = tmp_path / "keys", tmp_path / "heads"
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    with seeded(backend, keystore) as ledger:
        ledger.record(BOB, opened(BOB), occurred_on=date(2025, 9, 2), actor=HR)
    for _ in range(2):
        code, out = _cli("checkpoint", "--db", backend, "--actor", "hr-1:hr",
                         "--keys", str(keys), "--out", str(heads))  # fmt: skip
        assert code == 0, out
    with Ledger.open(backend, keystore=keystore) as ledger:
        for n in range(2, 9):
            ledger.record(BOB, invite(n), occurred_on=date(2025, 9, 3), actor=HEAD)
    assert len(list(heads.glob("*.json"))) == 2, "one file per head"
    return heads


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _verify(backend: str, *args: str) -> tuple[int, dict[str, object]]:
    code, out = _cli("verify", "--db", backend, "--json", *args)
    return code, json.loads(out)


def test_verify_says_when_no_outside_head_was_given(backend: str, checkpointed: Path) -> None:
    code, report = _verify(backend)
    assert code == 0, report
    assert NO_OUTSIDE_HEAD in str(report["caveat"])
    assert report["outside_heads"] == 0
    code, out = _cli("verify", "--db", backend)
    assert code == 0, out
    assert NO_OUTSIDE_HEAD in out
    code, report = _verify(backend, "--heads", str(checkpointed))
    assert code == 0, report
    assert (report["outside_heads"], report["caveat"]) == (2, None)
    code, out = _cli("verify", "--db", backend, "--heads", str(checkpointed.parent / "none"))
    assert code == 2, out


def test_a_case_deleted_with_the_stored_heads_is_found(backend: str, checkpointed: Path) -> None:
    """The ledger's own Merkle tree still records the deleted events' positions."""
    CaseRows(backend).delete_case(ALICE)
    code, report = _verify(backend)
    assert code == 1, report
    failure = report["failure"]
    assert isinstance(failure, dict)
    assert failure["subject"] == "the ledger's Merkle tree"
    assert "was checkpointed but is no longer in the log" in failure["reason"]
    code, report = _verify(backend, "--heads", str(checkpointed))
    assert code == 1, report
    tally("checkpoint-case-deleted", backend_name(backend), attacks=1, named=1)


def test_only_outside_heads_catch_a_case_deleted_with_the_tree(
    backend: str, checkpointed: Path
) -> None:
    """With the tree's tables emptied too, nothing in the ledger remembers: the result says
    so, and the heads kept outside fail the log."""
    rows = CaseRows(backend)
    rows.delete_case(ALICE)
    for table in TREE_TABLES:
        rows.execute(f"DELETE FROM {table}")
    code, report = _verify(backend)
    assert code == 0, report
    assert NO_OUTSIDE_HEAD in str(report["caveat"]), "an OK that says what it cannot see"
    code, report = _verify(backend, "--heads", str(checkpointed))
    assert code == 1, report
    failure = report["failure"]
    assert isinstance(failure, dict)
    assert failure["subject"].startswith("checkpoint of"), failure
    tally("checkpoint-tree-deleted", backend_name(backend), attacks=1, named=1)
