"""The README's import example (`examples/import-history.jsonl`) imports as documented."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.commands import EmployeeRef
from pmledger.events.actors import Role
from pmledger.examples.cast import HR, ORGANISATION, enrol_everyone
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

EXAMPLE = Path(__file__).parents[2] / "examples" / "import-history.jsonl"
PASSPHRASE = "import example passphrase"


def _import(target: str, keys: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["import", str(EXAMPLE), "--db", target, "--keys", str(keys), "--json"]
    )
    return result.exit_code, result.output


@pytest.fixture
def cast_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    keys = tmp_path / "keys"
    target = str(tmp_path / "ledger.sqlite")
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(target, keystore=keystore, create=True) as ledger:
        enrol_everyone(ledger)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    return target, keys


def test_the_example_history_imports_and_the_case_reads_back(
    cast_ledger: tuple[str, Path],
) -> None:
    target, keys = cast_ledger
    code, out = _import(target, keys)
    assert code == 0, out
    assert json.loads(out)["acts"] == 3
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(target, keystore=keystore) as ledger:
        assert ledger.verify().ok
        status = ledger.reader(HR.as_(Role.HR)).status(
            EmployeeRef(organisation=ORGANISATION, employee_ref="T-1077"), date(2025, 11, 4)
        )
        assert status.pack_id == "improving-performance"


def test_importing_the_example_twice_stores_nothing_more(
    cast_ledger: tuple[str, Path],
) -> None:
    """The second run finds the whole file already stored (issue 22: a rerun continues where
    the last one stopped, nothing doubled) and says so."""
    target, keys = cast_ledger
    assert _import(target, keys)[0] == 0
    with Ledger.open(target) as ledger:
        before = ledger.verify().events
    code, out = _import(target, keys)
    assert code == 0, out
    summary = json.loads(out)
    assert summary["acts"] == 0
    assert summary["resumed_after_line"] == len(EXAMPLE.read_bytes().splitlines())
    with Ledger.open(target) as ledger:
        assert ledger.verify().events == before
