"""A damaged ledger and a bug in pmledger read differently: damage is named (by `verify`, or as
a record that cannot be read), a TypeError raised by pmledger's own code is a bug and shows as
one, never as damage to the user's ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.core.helpers import ALICE, seeded
from tests.core.raw_rows import RawRows
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.ledger.facade import Ledger

DAMAGE = "damaged record that cannot be read"


def _ledger(tmp_path: Path) -> str:
    db = str(tmp_path / "ledger.sqlite")
    seeded(db).close()
    return db


def test_a_record_damaged_so_that_reading_it_raises_type_error_is_named_by_verify(
    tmp_path: Path,
) -> None:
    db = _ledger(tmp_path)
    # valid JSON whose attachment is not an object: noting the documents it names raised a
    # TypeError before the verifier reached the row
    damaged = b'{"env":{},"payload":{"act":{"attachments":["sha256"]}},"sig":""}'
    RawRows(db).set_state(str(ALICE.case_id), 3, damaged)
    result = CliRunner().invoke(app, ["verify", "--db", db, "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert "version 3" in result.output
    assert DAMAGE not in result.output


def test_a_type_error_in_pmledger_is_a_bug_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _ledger(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setattr(Ledger, "verify", broken)
    result = CliRunner().invoke(app, ["verify", "--db", db])
    assert isinstance(result.exception, TypeError), result.output
    assert DAMAGE not in result.output
