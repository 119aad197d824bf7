"""`pmledger access-log` (for the DPO) and `pmledger report governors` (anonymised counts).

Both act as a named person: the request itself is checked and goes into the access log.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pmledger.cli.options import keystore_from, parse_actor
from pmledger.errors import PmLedgerError
from pmledger.ledger.facade import Ledger

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path or postgresql:// DSN of the ledger.")
]
ActorOption = Annotated[str, typer.Option(help="Who is asking, as PERSON:ROLE.")]
KeysOption = Annotated[Path, typer.Option(help="Folder of the asker's encrypted signing key.")]
DateOption = Annotated[datetime, typer.Option(formats=["%Y-%m-%d"])]


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("access-log")(access_log)
    report_app.command("governors")(governors)


def _fail(message: str) -> Any:
    Console(stderr=True).print(f"[red]error[/]: {message}")
    raise typer.Exit(2)


def access_log(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    since: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"])],
    until: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"])],
) -> None:
    """Every read of and refusal on any case between two dates, as JSON lines (DPO only)."""
    try:
        with Ledger.open(db, keystore=keystore_from(keys)) as ledger:
            reader = ledger.reader(parse_actor(actor), until.date())
            for event in reader.access_log(since.date(), until.date()):
                typer.echo(
                    json.dumps(
                        {
                            "on": event.entry.on.isoformat(),
                            "recorded_at": event.timestamp.isoformat(),
                            "person": event.actor.person_id,
                            "role": event.actor.role.value,
                            "operation": event.entry.operation,
                            "case_id": str(event.entry.case_id) if event.entry.case_id else None,
                            "allowed": event.entry.allowed,
                            "reason": event.entry.reason,
                            "digest": event.digest,
                        }
                    )
                )
    except PmLedgerError as exc:
        _fail(str(exc))


def governors(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: Annotated[datetime, typer.Option("--as-of", formats=["%Y-%m-%d"])],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Anonymised counts by procedure, stage and latest outcome; small numbers suppressed."""
    try:
        with Ledger.open(db, keystore=keystore_from(keys)) as ledger:
            cells = ledger.reader(parse_actor(actor), as_of.date()).anonymised_counts()
    except PmLedgerError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "procedure": c.group,
                        "dimension": c.dimension,
                        "value": c.value,
                        "count": c.count,
                    }
                    for c in cells
                ],
                indent=2,
            )
        )
        return
    table = Table(title=f"Cases on {as_of.date()} (anonymised)")
    for column in ("procedure", "by", "value", "cases"):
        table.add_column(column)
    for c in cells:
        table.add_row(c.group, c.dimension, c.value, c.shown)
    Console().print(table)
