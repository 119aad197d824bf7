"""`pmledger init`: the one command that makes a ledger.

Every other command opens a ledger that must already be there (a mistyped `--db` is an
error, never a new empty ledger that verifies clean), so a ledger is only ever made here, on
purpose: its tables and its first key, an administrator's, signed by itself (the root of
trust every later key registration goes back to), and in the same write the organisation
whose ledger it is, signed by that key (so `verify` and every bundle carry it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.markup import escape

from pmledger.cli.options import PASSPHRASE_ENV, JsonOption, env, keystore_from
from pmledger.cli.output import console as stdout_console
from pmledger.errors import InvalidInput, LedgerNotFound, PmLedgerError
from pmledger.events.actors import Role
from pmledger.events.values import Identifier
from pmledger.ledger.facade import Ledger

EXIT_USAGE = 2
_IDENTIFIER: TypeAdapter[str] = TypeAdapter(Identifier)


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar=env("db"),
            help="SQLite file path or postgresql:// DSN where the new ledger goes.",
        ),
    ],
    organisation: Annotated[
        str,
        typer.Option(
            "--org",
            envvar=env("org"),
            help="The organisation (trust or school) whose staff the ledger records.",
        ),
    ],
    admin: Annotated[
        str,
        typer.Option("--admin", envvar=env("admin"), help="Person id of the first administrator."),
    ],
    keys: Annotated[
        Path,
        typer.Option(
            "--keys",
            envvar=env("keys"),
            help=f"Folder for the administrator's encrypted signing key; passphrase in "
            f"${PASSPHRASE_ENV}.",
        ),
    ],
    role: Annotated[
        list[Role] | None,
        typer.Option(
            "--role",
            envvar=env("role"),
            help="A further role of the administrator (e.g. hr); repeat for several.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a ledger and its first key: an administrator's, who registers everyone else."""
    console = stdout_console()
    roles = (Role.ADMINISTRATOR, *(r for r in role or () if r is not Role.ADMINISTRATOR))
    try:
        for option, value in (("--org", organisation), ("--admin", admin)):
            _identifier(option, value)
        keystore = keystore_from(keys)
        _refuse_existing(db)
        with Ledger.open(db, keystore=keystore, create=True) as ledger:
            key_id = ledger.bootstrap(admin, roles, organisation=organisation)
            where = ledger.address
    except PmLedgerError as exc:
        _fail(console, str(exc), as_json)
    summary = {
        "ok": True,
        "db": where,
        "organisation": organisation,
        "admin": admin,
        "roles": [r.value for r in roles],
        "key_id": key_id,
        "keys": str(keys),
    }
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    console.print(f"[green]created[/] a ledger for {escape(organisation)} at {escape(where)}")
    console.print(
        f"first key {key_id}: {escape(admin)} as {', '.join(r.value for r in roles)}, "
        f"private half in {escape(str(keys))}"
    )
    console.print(
        f"{key_id} is the organisation's root key: give this fingerprint to whoever checks "
        "its bundles (`pmledger verify-bundle --trust`)"
    )


def _identifier(option: str, value: str) -> None:
    try:
        _IDENTIFIER.validate_python(value)
    except ValidationError as exc:
        reason = exc.errors(include_url=False)[0]["msg"]
        raise InvalidInput(f"{option} {value!r}: {reason}") from None


def _refuse_existing(db: str) -> None:
    """A ledger already at `db` is left alone: its keyring has its own root of trust."""
    try:
        Ledger.open(db).close()
    except LedgerNotFound:
        return
    raise InvalidInput(f"{db} already holds a ledger; nothing was changed")


def _fail(console: Console, message: str, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        console.print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(EXIT_USAGE)
