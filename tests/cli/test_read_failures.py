"""A damaged ledger and a bug in pmledger read differently: damage is named (by `verify`, or as
stored bytes that cannot be read, where they are decoded), a TypeError, ValueError or KeyError
raised by pmledger's own code is a bug and shows as one, never as damage to the user's ledger."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg
import pytest
from tests.core.helpers import ALICE, HEAD, HR, invite, open_ledger, seeded
from tests.core.raw_rows import RawRows
from typer.testing import CliRunner, Result

from pmledger.cli.main import app
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.errors import TamperingDetected
from pmledger.integrity.keystore import EncryptedFileKeyStore, MemoryKeyStore
from pmledger.ledger.facade import Ledger

DAMAGE = "damaged record that cannot be read"
"""What the CLI said of any ValueError, KeyError or TypeError before they were told apart."""
NAMED = "is damaged and cannot be read"
"""What a decoder says of stored bytes that no longer decode (`StorageError.damaged`)."""


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


@pytest.mark.parametrize(
    "bug",
    [
        TypeError("unsupported operand type(s) for +: 'int' and 'str'"),
        ValueError("invalid literal for int() with base 10: 'x'"),
        KeyError("stage"),
    ],
    ids=lambda bug: type(bug).__name__,
)
def test_a_bug_in_pmledger_is_a_bug_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bug: Exception
) -> None:
    db = _ledger(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise bug

    monkeypatch.setattr(Ledger, "verify", broken)
    result = CliRunner().invoke(app, ["verify", "--db", db])
    assert result.exception is bug, result.output
    assert DAMAGE not in result.output


def test_a_bug_in_folding_a_case_is_a_bug_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deeper in: a KeyError raised while a rebuild folds the events."""
    db = _ledger(tmp_path)
    bug = KeyError("awaiting")

    def broken(*args: object, **kwargs: object) -> None:
        raise bug

    monkeypatch.setattr("pmledger.ledger.views.updater.decode_event", broken)
    result = CliRunner().invoke(app, ["projections", "rebuild", "--db", db])
    assert result.exception is bug, result.output
    assert DAMAGE not in result.output


def _damage(target: str, sql: str, *params: object) -> None:
    """Run `sql` (with `?` marks) on the ledger's database, as someone with access to it."""
    if target.startswith("postgresql://"):
        base, schema = target.split("?schema=")
        with psycopg.connect(base, autocommit=True) as pg:
            pg.execute(f'SET search_path TO "{schema}"')
            assert pg.execute(sql.replace("?", "%s"), params).rowcount > 0, sql
        return
    with sqlite3.connect(target) as conn:
        assert conn.execute(sql, params).rowcount > 0, sql
    conn.close()


DAMAGE_ON_BOTH = [
    (
        "a read model's fold state",
        "UPDATE pml_case SET state = ?",
        b'{"case',
        ["projections", "update"],
    ),
    ("a stored checkpoint", "UPDATE pml_tree_head SET head = ?", '{"size": 1', ["verify"]),
    (
        "the date a data key was destroyed",
        "UPDATE pml_data_key SET destroyed_on = ?",
        "2025-13-45",
        ["verify"],
    ),
]
DAMAGE_IN_SQLITE = [
    # PostgreSQL's typed columns cannot hold these; SQLite keeps any value in any column.
    (
        "an event's case id",
        "UPDATE stored_events SET originator_id = ? "
        "WHERE originator_version = 3 AND topic LIKE 'pmledger.case/%'",
        "not-a-uuid",
        ["verify"],
    ),
    (
        "the size of the checkpointed tree",
        "UPDATE pml_merkle_size SET size = ?",
        "twelve",
        ["verify"],
    ),
    (
        "an event's topic stored as bytes",
        "UPDATE stored_events SET topic = CAST(topic AS BLOB) WHERE originator_version = 3 "
        "AND topic LIKE 'pmledger.case/%' AND ? IS NOT NULL",
        1,
        ["verify"],
    ),
    (
        "an event's topic emptied",
        "UPDATE stored_events SET topic = NULL WHERE originator_version = 3 "
        "AND topic LIKE 'pmledger.case/%' AND ? IS NOT NULL",
        1,
        ["verify"],
    ),
    (
        "the read models' tracked position stored as text",
        "UPDATE tracking SET notification_id = 'x' || notification_id WHERE application_name = ?",
        "pmledger",
        ["projections", "update"],
    ),
    (
        "the read models' tracked position stored as text, checked",
        "UPDATE tracking SET notification_id = 'x' || notification_id WHERE application_name = ?",
        "pmledger",
        ["projections", "verify"],
    ),
    (
        "a read model's case id stored as bytes",
        "UPDATE pml_case SET case_id = CAST(case_id AS BLOB) WHERE ? IS NOT NULL",
        1,
        ["projections", "verify"],
    ),
]


def _damaged_is_named(target: str, what: str, sql: str, value: object, command: list[str]) -> None:
    with seeded(target) as ledger:
        ledger.checkpoint(HR)
        ledger.update_views()
        # an event past the views: an update resumes the case from its stored state
        ledger.record(ALICE, invite(2), occurred_on=date(2025, 10, 20), actor=HEAD)
    _damage(target, sql, value)
    result = CliRunner().invoke(app, [*command, "--db", target])
    assert isinstance(result.exception, SystemExit), f"{what}: {result.output}"
    assert result.exit_code in (1, 2), f"{what}: {result.output}"
    assert NAMED in result.output, f"{what}: {result.output}"


@pytest.mark.parametrize(("what", "sql", "value", "command"), DAMAGE_ON_BOTH)
def test_stored_bytes_that_no_longer_decode_are_named_as_damage(
    backend: str, what: str, sql: str, value: object, command: list[str]
) -> None:
    _damaged_is_named(backend, what, sql, value, command)


@pytest.mark.parametrize(("what", "sql", "value", "command"), DAMAGE_IN_SQLITE)
def test_values_of_the_wrong_type_in_a_sqlite_ledger_are_named_as_damage(
    tmp_path: Path, what: str, sql: str, value: object, command: list[str]
) -> None:
    _damaged_is_named(str(tmp_path / "ledger.sqlite"), what, sql, value, command)


PASSPHRASE = "read failure tests only"


@pytest.mark.parametrize(
    ("what", "damage"),
    [
        ("two events swapped", lambda raw, case: raw.swap_states(case, 2, 3)),
        ("an event deleted", lambda raw, case: raw.delete(case, 3)),
    ],
)
def test_a_broken_chain_met_while_reading_a_case_is_named_as_tampering(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    damage: Callable[[RawRows, str], None],
) -> None:
    """Loading a case checks each event links to the one before (`check_link`): a break there
    is the stored log's, named as such, not a ValueError."""
    db, keys = str(tmp_path / "ledger.sqlite"), tmp_path / "keys"
    seeded(db, EncryptedFileKeyStore(keys, PASSPHRASE.encode())).close()
    damage(RawRows(db), str(ALICE.case_id))
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    as_hr = ["--actor", "hr-1:hr", "--keys", str(keys), "--as-of", "2025-11-28"]
    result = CliRunner().invoke(app, ["case", "status", "E-001", "--db", db, *as_hr])
    assert isinstance(result.exception, SystemExit), f"{what}: {result.output}"
    assert result.exit_code in (1, 2), f"{what}: {result.output}"
    assert "does not link to the state before it" in result.output, f"{what}: {result.output}"


def test_a_data_key_cut_short_is_named_as_tampering_and_by_verify(tmp_path: Path) -> None:
    """A key of the wrong length made AESGCM raise a ValueError where a record's content is
    opened; it is the key table's damage, named there, and `verify` names the row."""
    db, keys = str(tmp_path / "ledger.sqlite"), MemoryKeyStore()
    seeded(db, keys).close()
    _damage(db, "UPDATE pml_data_key SET key = X'00'")
    with open_ledger(db, keys) as ledger, pytest.raises(TamperingDetected, match="not a key"):
        ledger.reader(HR, date(2025, 11, 28)).records(ALICE)
    result = CliRunner().invoke(app, ["verify", "--db", db, "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert "FAILED" in result.output, result.output


@pytest.mark.parametrize(
    ("what", "sql", "command"),
    [
        ("the tree's nodes removed", "DELETE FROM pml_merkle_chunk", ["checkpoint"]),
        (
            "the tree's covered positions removed",
            "DELETE FROM pml_merkle_run",
            ["export", "E-001", "--out", "bundle"],
        ),
    ],
)
def test_a_merkle_tree_with_rows_removed_is_named_as_damage(
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    sql: str,
    command: list[str],
) -> None:
    """Its nodes were a KeyError inside the tree's log, its positions one in the bundle's
    proofs: both are the tree's tables changed outside pmledger, and said so."""
    result = _checkpointed_damaged_run_as_hr(backend, tmp_path, monkeypatch, command, sql)
    assert isinstance(result.exception, SystemExit), f"{what}: {result.output}"
    assert result.exit_code in (1, 2), f"{what}: {result.output}"
    assert "outside pmledger" in result.output, f"{what}: {result.output}"


def _checkpointed_damaged_run_as_hr(
    target: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    sql: str,
    *params: object,
) -> Result:
    """A seeded ledger with a checkpoint and one event after it, damaged by `sql`, then
    `command` run on it through the CLI as HR with the ledger's keys."""
    keys = tmp_path / "keys"
    with seeded(target, EncryptedFileKeyStore(keys, PASSPHRASE.encode())) as ledger:
        ledger.checkpoint(HR)
        ledger.record(ALICE, invite(2), occurred_on=date(2025, 10, 20), actor=HEAD)
    _damage(target, sql, *params)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    as_hr = ["--actor", "hr-1:hr", "--keys", str(keys)]
    return CliRunner().invoke(app, [*command, "--db", target, *as_hr])


@pytest.mark.parametrize(
    "command", [["checkpoint"], ["export", "E-001", "--out", "bundle"]], ids=lambda c: c[0]
)
@pytest.mark.parametrize(
    ("what", "position", "message"),
    [
        # SQLite keeps text in the INTEGER column: "x8" sorts after every number, so the
        # tracking row refused each page and the checkpoint retried it forever
        ("stored as text", "'x' || notification_id", NAMED),
        ("moved forward", "notification_id + 100", "outside pmledger"),
    ],
    ids=["text", "forward"],
)
def test_a_checkpoint_over_a_damaged_merkle_tracking_row_says_so_instead_of_retrying_forever(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    what: str,
    position: str,
    message: str,
) -> None:
    """The tree's tracking row takes each page's position only past its own; a row no page
    can pass was read as another writer's commit and the page retried, with nothing ever
    changing. It is the tree's table changed outside pmledger, and said so."""
    result = _checkpointed_damaged_run_as_hr(
        str(tmp_path / "ledger.sqlite"),
        tmp_path,
        monkeypatch,
        command,
        f"UPDATE tracking SET notification_id = {position} WHERE application_name = ?",
        "pmledger-merkle",
    )
    assert isinstance(result.exception, SystemExit), f"{what}: {result.output}"
    assert result.exit_code in (1, 2), f"{what}: {result.output}"
    assert message in result.output, f"{what}: {result.output}"
