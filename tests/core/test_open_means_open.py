"""Open means open: an address that holds no ledger is an error naming it, and nothing is
created there, for `Ledger.open` and for every command; only `pmledger init` (and
`Ledger.open(..., create=True)`) makes a ledger.

Before this, `pmledger verify --db nothere.sqlite` created an empty ledger and printed OK.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import typer
from tests.conftest import PG_ADMIN_DSN, require_postgres
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.errors import LedgerNotFound
from pmledger.events.actors import Role
from pmledger.integrity.keystore import EncryptedFileKeyStore, MemoryKeyStore
from pmledger.ledger.facade import Ledger

PASSPHRASE = "open means open"
CREATORS = {"init": "makes a ledger on purpose", "demo": "(re)creates its own demo ledger"}


def _commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf command of the CLI, from the typer app itself: a new command is covered."""

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, (*path, name))
        else:
            yield path, command

    yield from walk(typer.main.get_command(app), ())


OPENING = [
    " ".join(path)
    for path, command in _commands()
    if any(p.name == "db" for p in command.params) and path[0] not in CREATORS
]


def _arguments(command: Any, db: str, folder: Path) -> list[str]:
    """Valid values for everything but `--db`, so the only thing wrong is the address. The
    key folder is not made: a command must not make it (or a key in it) for a ledger that
    is not there."""
    keys = folder / "keys"
    acts = folder / "acts.jsonl"
    acts.write_text("")
    act = folder / "act.json"
    act.write_text('{"kind": "meeting_held", "meeting_id": "m-1", "chair_person_id": "ht-1"}')
    given = {
        "db": db,
        "actor": "hr-1:hr",
        "keys": str(keys),
        "as_of": "2025-09-01",
        "since": "2025-09-01",
        "until": "2025-09-30",
        "out": str(folder / "bundle-out"),
        "employee": "E-001",
        "file": str(acts),
        "act_file": str(act),
        "person": "emp-1",
        "roles": "employee",
        "key_id": "k-1",
        "reason": "rotation",
        "level": "1",
    }
    args: list[str] = []
    for param in command.params:
        value = given.get(param.name)
        if value is None:
            assert not param.required, f"give the test a value for {param.name}"
            continue
        if param.param_type_name == "argument":
            args.append(value)
        else:
            args += [param.opts[0], value]
    return args


def test_the_command_list_comes_from_the_app() -> None:
    assert {"verify", "case status", "projections rebuild", "retention purge"} <= set(OPENING)


@pytest.mark.parametrize("command", OPENING)
def test_a_mistyped_db_exits_2_names_it_and_creates_nothing(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    path = tuple(command.split())
    click_command = dict(_commands())[path]
    missing = tmp_path / "nothere.sqlite"
    args = [*path, *_arguments(click_command, str(missing), tmp_path)]
    before = sorted(os.listdir(tmp_path))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "no ledger at" in result.output, result.output
    unwrapped = "".join(result.output.split())  # a terminal-width console wraps long paths
    assert str(missing) in unwrapped, result.output
    assert not missing.exists()
    assert sorted(os.listdir(tmp_path)) == before, "nothing created beside it either"


def test_open_refuses_a_missing_file_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "ledgr.sqlite"
    with pytest.raises(LedgerNotFound, match=r"ledgr\.sqlite"):
        Ledger.open(missing)
    assert list(tmp_path.iterdir()) == []


def test_open_refuses_a_file_that_holds_no_ledger_and_leaves_it_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    held = {p: p.read_bytes() for p in (other, text)}
    for path in held:
        with pytest.raises(LedgerNotFound, match=path.name):
            Ledger.open(path)
    assert {p: p.read_bytes() for p in held} == held
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "other.sqlite"]


def test_open_refuses_memory_without_create() -> None:
    with pytest.raises(LedgerNotFound):
        Ledger.open(":memory:")
    with Ledger.open(":memory:", keystore=MemoryKeyStore(), create=True) as ledger:
        ledger.bootstrap("admin-1")


@pytest.fixture
def empty_schema() -> Iterator[tuple[str, str]]:
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_ADMIN_DSN}?schema={schema}", schema
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _tables(schema: str) -> list[str]:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchall()
    return sorted(r[0] for r in rows)


@pytest.mark.postgres
def test_a_schema_without_a_ledger_is_refused_and_left_empty(
    empty_schema: tuple[str, str], tmp_path: Path
) -> None:
    dsn, schema = empty_schema
    with pytest.raises(LedgerNotFound, match=schema):
        Ledger.open(dsn)
    result = CliRunner().invoke(app, ["verify", "--db", dsn])
    assert result.exit_code == 2, result.output
    assert "no ledger at" in result.output, result.output
    assert _tables(schema) == []
    with Ledger.open(dsn, keystore=MemoryKeyStore(), create=True):
        pass
    assert "pmledger_events" in _tables(schema)
    Ledger.open(dsn).close()


def test_init_creates_the_ledger_and_its_first_key_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    db, keys = tmp_path / "trust.sqlite", tmp_path / "keys"
    init = ["init", "--db", str(db), "--org", "oak-trust", "--admin", "it-admin"]
    result = CliRunner().invoke(app, [*init, "--keys", str(keys), "--role", "hr"])
    assert result.exit_code == 0, result.output
    keystore = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(db, keystore=keystore) as ledger:
        [key] = ledger.keyring().keys.values()
        assert (key.person_id, key.roles) == ("it-admin", (Role.ADMINISTRATOR, Role.HR))
        assert keystore.has(key.key_id)
    verified = CliRunner().invoke(app, ["verify", "--db", str(db)])
    assert verified.exit_code == 0, verified.output

    again = CliRunner().invoke(app, [*init, "--keys", str(tmp_path / "other-keys")])
    assert again.exit_code == 2, again.output
    assert "already holds a ledger" in again.output, again.output
    with Ledger.open(db) as ledger:
        assert len(ledger.keyring().keys) == 1


def test_init_with_a_bad_admin_id_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    db, keys = tmp_path / "trust.sqlite", tmp_path / "keys"
    result = CliRunner().invoke(
        app,
        ["init", "--db", str(db), "--org", "oak", "--admin", "it\nadmin", "--keys", str(keys)],
    )
    assert result.exit_code == 2, result.output
    assert "--admin" in result.output, result.output
    assert sorted(os.listdir(tmp_path)) == []
