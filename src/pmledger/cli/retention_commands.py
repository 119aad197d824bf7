"""`pmledger retention plan` and `pmledger retention purge`, for people and for schedulers.

Exit codes (documented for cron, systemd and Kubernetes): 0 done or nothing due; 1 failure;
2 bad usage or schedule; 3 some cases failed — safe to rerun, finished work is not repeated.

Both run as a named person who may dispose of records (the data protection officer or an
administrator). `--actor` and `--keys` may come from $PMLEDGER_ACTOR and $PMLEDGER_KEYS, so a
scheduler keeps them in its environment file or Secret and every scheduler runs the same short
command line.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from pmledger.cli.options import (
    READ_FAILURES,
    ActorOption,
    DbOption,
    JsonOption,
    KeysOption,
    acting_as,
    env,
    read_failure,
)
from pmledger.cli.output import console, fail, print_json, progress, show_table
from pmledger.errors import StorageError
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import plan, purge
from pmledger.ledger.store import UNREADABLE_DATABASE
from pmledger.projections.disposal import DisposalStatus
from pmledger.retention import load_default, load_schedule
from pmledger.retention.schedule import RetentionSchedule

EXIT_USAGE = 2
EXIT_PARTIAL = 3
RERUN = (
    "no key was destroyed without its signed certificate; rerun `pmledger retention purge` "
    "to finish (work already done is not repeated)"
)

retention_app = typer.Typer(help="Retention schedule: plan and purge.", no_args_is_help=True)

AsOfOption = Annotated[
    datetime,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="The disposal date. Required, and never read from the environment or defaulted "
        "to today: destroying records is irreversible, so the date a purge disposes as of is "
        'stated on each run (schedulers pass their own date, e.g. "$(date +%F)").',
    ),
]
ScheduleOption = Annotated[
    Path | None,
    typer.Option(
        "--schedule",
        envvar=env("schedule"),
        help="The school's schedule (TOML); default: the shipped one.",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")


def _schedule(path: Path | None) -> RetentionSchedule:
    return load_schedule(path) if path is not None else load_default()


@retention_app.command("plan")
def plan_command(
    db: DbOption,
    as_of: AsOfOption,
    actor: ActorOption,
    keys: KeysOption,
    schedule: ScheduleOption = None,
    as_json: JsonOption = False,
) -> None:
    """What would be disposed on the date, what is held, and what is waiting — as the data
    protection officer (e.g. dpo-patel:dpo) or an administrator, whose run is in the access
    log."""
    day = as_of.date()
    try:
        who, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger, progress("planning"):
            items = list(plan(ledger, _schedule(schedule), day, who))
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(
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
            ]
        )
        return
    colours = {DisposalStatus.DUE: "red", DisposalStatus.HELD: "yellow"}
    show_table(
        console(),
        f"Retention plan on {day}",
        ("Employee", "Category", "Records", "Due", "Status", "Rule"),
        [
            (
                i.employee_ref,
                i.category.value,
                str(i.records),
                str(i.due_on or "—"),
                Text(
                    i.status.value + (f" ({', '.join(i.held_by)})" if i.held_by else ""),
                    style=colours.get(i.status, ""),
                ),
                i.rule,
            )
            for i in items
        ],
    )


@retention_app.command("purge")
def purge_command(
    db: DbOption,
    as_of: AsOfOption,
    actor: ActorOption,
    keys: KeysOption,
    schedule: ScheduleOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", envvar=env("dry_run"), help="Report only; change nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Destroy due keys and sign a RecordsDisposed certificate per case, as the data protection
    officer or an administrator. Prints a JSON summary for schedulers whether or not --json is
    given."""
    day = as_of.date()
    try:
        who, keystore = acting_as(actor, keys)
        rules = _schedule(schedule)
        ledger = Ledger.open(db, keystore=keystore)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, True)
    try:
        with ledger, progress("purging") as advance:
            report = purge(ledger, rules, day, who, dry_run=dry_run, on_progress=advance)
    except (StorageError, *UNREADABLE_DATABASE) as exc:
        # The database failed mid-run (a full disk, a lost connection): every key destroyed so
        # far has its signed certificate, and a certificate whose key lives is finished by the
        # next run.
        fail(f"{exc} — {RERUN}", EXIT_PARTIAL, True)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, True)
    summary = {"ok": not report.failures, **report.as_json()}
    if report.failures:
        summary["next"] = RERUN
    print_json(summary)
    if report.failures:
        raise typer.Exit(EXIT_PARTIAL)
