"""`pmledger retention plan` and `pmledger retention purge`, for people and for schedulers.

Exit codes (documented for cron, systemd and Kubernetes): 0 done or nothing due; 1 failure;
2 bad usage or schedule; 3 some cases failed — safe to rerun, finished work is not repeated.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from pmledger.cli.options import (
    ReaderKeysOption,
    ReaderOption,
    keystore_from,
    parse_actor,
    reading_as,
)
from pmledger.errors import PmLedgerError
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import plan, purge
from pmledger.projections.disposal import DisposalStatus
from pmledger.retention import load_default, load_schedule
from pmledger.retention.schedule import RetentionSchedule

EXIT_PARTIAL = 3

retention_app = typer.Typer(help="Retention schedule: plan and purge.", no_args_is_help=True)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path or postgresql:// DSN of the ledger.")
]
AsOfOption = Annotated[
    datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="The disposal date.")
]
ScheduleOption = Annotated[
    Path | None,
    typer.Option("--schedule", help="The school's schedule (TOML); default: the shipped one."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")


def _schedule(path: Path | None) -> RetentionSchedule:
    return load_schedule(path) if path is not None else load_default()


def _fail(message: str, code: int, as_json: bool) -> Any:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        Console(stderr=True).print(f"[red]error[/]: {message}")
    raise typer.Exit(code)


@retention_app.command("plan")
def plan_command(
    db: DbOption,
    as_of: AsOfOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    schedule: ScheduleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What would be disposed on the date, what is held, and what is waiting — as the data
    protection officer or an administrator, whose run is in the access log."""
    day = as_of.date()
    try:
        who, keystore = reading_as(actor, keys, "retention plan")
        with Ledger.open(db, keystore=keystore) as ledger:
            items = list(plan(ledger, _schedule(schedule), day, who))
    except (PmLedgerError, ValueError) as exc:
        _fail(str(exc), 2, as_json)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "employee": i.employee_ref,
                        "organisation": i.organisation,
                        "category": i.category.value,
                        "records": i.records,
                        "rule": i.rule,
                        "due_on": i.due_on.isoformat() if i.due_on else None,
                        "status": i.status.value,
                        "held_by": list(i.held_by),
                        "disposed_on": i.disposed_on.isoformat() if i.disposed_on else None,
                    }
                    for i in items
                ],
                indent=2,
            )
        )
        return
    table = Table(title=f"Retention plan on {day}")
    for column in ("employee", "category", "records", "due", "status", "rule"):
        table.add_column(column)
    for i in items:
        status = i.status.value + (f" ({', '.join(i.held_by)})" if i.held_by else "")
        colour = {DisposalStatus.DUE: "red", DisposalStatus.HELD: "yellow"}.get(i.status, "white")
        table.add_row(
            i.employee_ref,
            i.category.value,
            str(i.records),
            str(i.due_on or "—"),
            f"[{colour}]{status}[/]",
            i.rule,
        )
    Console().print(table)


@retention_app.command("purge")
def purge_command(
    db: DbOption,
    as_of: AsOfOption,
    actor: Annotated[str, typer.Option(help="Who signs the certificates, as PERSON:ROLE.")],
    keys: Annotated[Path, typer.Option(help="Folder of encrypted signing keys.")],
    schedule: ScheduleOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report only; change nothing.")
    ] = False,
) -> None:
    """Destroy due keys and sign a RecordsDisposed certificate per case; prints a JSON summary."""
    day = as_of.date()
    console = Console(stderr=True)
    try:
        rules = _schedule(schedule)
        with (
            Ledger.open(db, keystore=keystore_from(keys)) as ledger,
            Progress(
                TextColumn("purging"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
                transient=True,
            ) as bar,
        ):
            task = bar.add_task("cases", total=None)
            report = purge(
                ledger,
                rules,
                day,
                parse_actor(actor),
                dry_run=dry_run,
                on_progress=lambda n: bar.update(task, completed=n),
            )
    except (PmLedgerError, ValueError) as exc:
        _fail(str(exc), 2, True)
    typer.echo(json.dumps({"ok": not report.failures, **report.as_json()}, indent=2))
    if report.failures:
        raise typer.Exit(EXIT_PARTIAL)
