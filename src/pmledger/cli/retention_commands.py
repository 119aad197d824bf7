"""`pmledger retention plan` and `pmledger retention purge`, for people and for schedulers.

Exit codes (documented for cron, systemd and Kubernetes): 0 done or nothing due; 1 failure;
2 bad usage or schedule; 3 some cases failed — safe to rerun, finished work is not repeated.

Both run as a named person who may dispose of records (the data protection officer or an
administrator). `--actor` and `--keys` may come from $PMLEDGER_ACTOR and $PMLEDGER_KEYS, so a
scheduler keeps them in its environment file or Secret and every scheduler runs the same short
command line.
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

from pmledger.cli.options import PASSPHRASE_ENV, reading_as
from pmledger.errors import ActorRequired, PmLedgerError, StorageError
from pmledger.events.actors import Actor
from pmledger.integrity.keystore import KeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import plan, purge
from pmledger.ledger.store import UNREADABLE_DATABASE
from pmledger.projections.disposal import DisposalStatus
from pmledger.retention import load_default, load_schedule
from pmledger.retention.schedule import RetentionSchedule

EXIT_PARTIAL = 3
RERUN = (
    "no key was destroyed without its signed certificate; rerun `pmledger retention purge` "
    "to finish (work already done is not repeated)"
)

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

ACTOR_ENV = "PMLEDGER_ACTOR"
KEYS_ENV = "PMLEDGER_KEYS"

# Not options.ReaderOption/ReaderKeysOption: only the retention jobs read their person from the
# environment, because only they are run unattended by a scheduler.
DisposerOption = Annotated[
    str | None,
    typer.Option(
        "--actor",
        envvar=ACTOR_ENV,
        help=f"Who runs it, as PERSON:ROLE: the data protection officer (e.g. dpo-patel:dpo) or "
        f"an administrator; their run goes into the signed access log. Read from ${ACTOR_ENV} "
        "when not given.",
    ),
]
DisposerKeysOption = Annotated[
    Path | None,
    typer.Option(
        "--keys",
        envvar=KEYS_ENV,
        help=f"Folder of that person's encrypted signing key, which signs the access-log entry "
        f"and the disposal certificates; passphrase in ${PASSPHRASE_ENV}. Read from ${KEYS_ENV} "
        "when not given.",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")


def _schedule(path: Path | None) -> RetentionSchedule:
    return load_schedule(path) if path is not None else load_default()


def _disposing_as(actor: str | None, keys: Path | None, command: str) -> tuple[Actor, KeyStore]:
    """The person a retention job runs as, with the keys that sign its log entry and
    certificates; a missing one is an ActorRequired error naming the option and its variable."""
    if actor is None or keys is None:
        missing = " and ".join(
            name for name, given in (("--actor", actor), ("--keys", keys)) if given is None
        )
        variables = " and ".join(
            f"${env}" for env, given in ((ACTOR_ENV, actor), (KEYS_ENV, keys)) if given is None
        )
        raise ActorRequired(
            f"`pmledger {command}` runs as a named person who may dispose of records (the data "
            f"protection officer or an administrator), whose run is logged: pass {missing}, or "
            f"set {variables} (--actor PERSON:ROLE, e.g. dpo-patel:dpo; --keys DIR holding "
            f"their signing key, passphrase in ${PASSPHRASE_ENV})"
        )
    return reading_as(actor, keys, command)


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
    actor: DisposerOption = None,
    keys: DisposerKeysOption = None,
    schedule: ScheduleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What would be disposed on the date, what is held, and what is waiting — as the data
    protection officer or an administrator, whose run is in the access log. --actor and --keys
    may be set in $PMLEDGER_ACTOR and $PMLEDGER_KEYS."""
    day = as_of.date()
    try:
        who, keystore = _disposing_as(actor, keys, "retention plan")
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
    actor: DisposerOption = None,
    keys: DisposerKeysOption = None,
    schedule: ScheduleOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report only; change nothing.")
    ] = False,
) -> None:
    """Destroy due keys and sign a RecordsDisposed certificate per case, as the data protection
    officer or an administrator; prints a JSON summary. --actor and --keys may be set in
    $PMLEDGER_ACTOR and $PMLEDGER_KEYS."""
    day = as_of.date()
    console = Console(stderr=True)
    try:
        who, keystore = _disposing_as(actor, keys, "retention purge")
        rules = _schedule(schedule)
        ledger = Ledger.open(db, keystore=keystore)
    except (PmLedgerError, ValueError) as exc:
        _fail(str(exc), 2, True)
    try:
        with (
            ledger,
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
                who,
                dry_run=dry_run,
                on_progress=lambda n: bar.update(task, completed=n),
            )
    except (StorageError, *UNREADABLE_DATABASE) as exc:
        # The database failed mid-run (a full disk, a lost connection): every key destroyed so
        # far has its signed certificate, and a certificate whose key lives is finished by the
        # next run.
        _fail(f"{exc} — {RERUN}", EXIT_PARTIAL, True)
    except (PmLedgerError, ValueError) as exc:
        _fail(str(exc), 2, True)
    summary: dict[str, Any] = {"ok": not report.failures, **report.as_json()}
    if report.failures:
        summary["next"] = RERUN
    typer.echo(json.dumps(summary, indent=2))
    if report.failures:
        raise typer.Exit(EXIT_PARTIAL)
