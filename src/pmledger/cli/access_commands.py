"""`pmledger access-log` (for the DPO) and `pmledger report governors` (anonymised counts).

Both act as a named person: the request itself is checked and goes into the access log.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

from pmledger.cli.options import (
    READ_FAILURES,
    ActorOption,
    AsOfOption,
    DbOption,
    JsonOption,
    KeysOption,
    acting_as,
    as_of_day,
    env,
    read_failure,
)
from pmledger.cli.output import console, fail, print_json, show_table
from pmledger.ledger.facade import Ledger

EXIT_USAGE = 2


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("access-log")(access_log)
    report_app.command("governors")(governors)


def access_log(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    since: Annotated[
        datetime,
        typer.Option(
            "--from", envvar=env("from"), formats=["%Y-%m-%d"], help="First day of the log to show."
        ),
    ],
    until: Annotated[
        datetime,
        typer.Option(
            "--to", envvar=env("to"), formats=["%Y-%m-%d"], help="Last day of the log to show."
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Every read of and refusal on any case between two dates (DPO only): JSON lines, one
    entry a line, so the log streams whatever its length (--json changes nothing)."""
    try:
        who, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger:
            reader = ledger.reader(who, until.date())
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
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)


def governors(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Anonymised counts by procedure, stage and latest outcome; small numbers suppressed."""
    day = as_of_day(as_of)
    try:
        who, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger:
            cells = ledger.reader(who, day).anonymised_counts()
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(
            [
                {"procedure": c.group, "dimension": c.dimension, "value": c.value, "count": c.count}
                for c in cells
            ]
        )
        return
    show_table(
        console(),
        f"Cases on {day} (anonymised)",
        ("Procedure", "By", "Value", "Cases"),
        [(c.group, c.dimension, c.value, c.shown) for c in cells],
    )
