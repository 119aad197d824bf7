"""`pmledger projections …`, `pmledger report …` and `pmledger deadlines`: school-wide views.

These read the stored read models, bringing them up to date first, so they stay fast on a
ledger of millions of events. Reports read as a named person (`--actor`, `--keys`): per-case
rows are only those of cases the person may see the status of, counts across cases only for
someone who may see every case counted (governors use `report governors`), and each read is
in the signed access log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from pmledger.calendar import Nation, add_working_days
from pmledger.cli.options import (
    READ_FAILURES,
    ReaderKeysOption,
    ReaderOption,
    read_failure,
    reading_as,
)
from pmledger.integrity.keystore import KeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.reader import CaseReader, Rows

EXIT_FAILED_CHECK = 1

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path or postgresql:// DSN of the ledger.")
]
AsOfOption = Annotated[
    datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Business date (default: today)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]

projections_app = typer.Typer(help="Stored read models.", no_args_is_help=True)
report_app = typer.Typer(
    help="School-wide reports from the stored read models.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(projections_app, name="projections")
    app.add_typer(report_app, name="report")
    app.command("deadlines")(deadlines)


def _day(value: datetime | None) -> date:
    return value.date() if value else date.today()


def _run(db: str, rebuild: bool) -> tuple[int, int]:
    console = Console(stderr=True)
    with Ledger.open(db) as ledger:
        if rebuild:  # read models are rebuilt only from a log that verifies
            failure = ledger.verify().failure
            if failure is not None:
                raise _NotVerified(failure.describe())
        total = ledger.store.recorder.max_notification_id() or 0
        start = 0 if rebuild else ledger.views_position()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("applying events", total=max(total - start, 0))

            def progress(applied: int, position: int) -> None:
                bar.update(task, completed=position - start)

            applied = (ledger.rebuild_views if rebuild else ledger.update_views)(progress)
        return applied, ledger.views_position()


@projections_app.command("rebuild")
def rebuild(db: DbOption, as_json: JsonOption = False) -> None:
    """Forget the read models and rebuild them from the whole log (exactly once per event)."""
    _report_run(db, rebuild=True, as_json=as_json)


@projections_app.command("update")
def update(db: DbOption, as_json: JsonOption = False) -> None:
    """Apply the events recorded since the last update (resumes after any crash)."""
    _report_run(db, rebuild=False, as_json=as_json)


class _NotVerified(Exception):
    pass


def _report_run(db: str, *, rebuild: bool, as_json: bool) -> None:
    try:
        applied, position = _run(db, rebuild)
    except _NotVerified as exc:
        _fail(
            f"the log does not verify, read models not rebuilt: {exc}", as_json, EXIT_FAILED_CHECK
        )
    except READ_FAILURES as exc:
        _fail(read_failure(exc), as_json)
    if as_json:
        typer.echo(json.dumps({"ok": True, "events_applied": applied, "position": position}))
    else:
        Console().print(f"read models at log position {position} ({applied} events applied)")


def _fail(message: str, as_json: bool, code: int = 2) -> Any:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        Console().print(f"[red]error[/]: {message}")
    raise typer.Exit(code)


def _updated(db: str, keystore: KeyStore) -> Ledger:
    ledger = Ledger.open(db, keystore=keystore)
    ledger.update_views()
    return ledger


def _print(title: str, rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    table = Table(title=title)
    for column in rows[0] if rows else ["(none)"]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(v) if v is not None else "" for v in row.values()))
    Console().print(table)


def _read(
    db: str,
    actor: str | None,
    keys: Path | None,
    day: date,
    report: str,
    rows_for: Callable[[CaseReader], Rows],
) -> Rows:
    """A report's rows as the acting person may see them (see the module's docstring)."""
    who, keystore = reading_as(actor, keys, report)
    with _updated(db, keystore) as ledger:
        return rows_for(ledger.reader(who, day))


def _query(
    db: str,
    actor: str | None,
    keys: Path | None,
    day: date,
    as_json: bool,
    title: str,
    report: str,
    rows_for: Callable[[CaseReader], Rows],
) -> None:
    try:
        rows = _read(db, actor, keys, day, report, rows_for)
    except READ_FAILURES as exc:
        _fail(read_failure(exc), as_json)
    _print(title, rows, as_json)


@report_app.command("warnings")
def live_warnings(
    db: DbOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every warning live on the date, in the cases the person may see."""
    day = _day(as_of)
    _query(
        db, actor, keys, day, as_json, f"Live warnings on {day}", "report warnings",
        lambda reader: reader.live_warnings(day),
    )  # fmt: skip


@report_app.command("stages")
def stages(
    db: DbOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """How many cases are at each stage of each procedure (for someone who sees them all)."""
    _query(
        db, actor, keys, _day(as_of), as_json, "Cases by stage", "report stages",
        lambda reader: reader.cases_by_stage("report stages"),
    )  # fmt: skip


@report_app.command("findings")
def findings(
    db: DbOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compliance findings by procedure and rule (deviations with reasons counted apart),
    for someone who may see every case."""
    _query(
        db, actor, keys, _day(as_of), as_json, "Findings by procedure", "report findings",
        lambda reader: reader.findings_by_procedure("report findings"),
    )  # fmt: skip


@report_app.command("awaiting")
def awaiting(
    db: DbOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Records awaiting the employee's countersignature, in the cases the person may see."""
    _query(
        db, actor, keys, _day(as_of), as_json, "Awaiting acknowledgement", "report awaiting",
        lambda reader: reader.awaiting_acknowledgement(),
    )  # fmt: skip


def deadlines(
    db: DbOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: AsOfOption = None,
    within: Annotated[
        int, typer.Option(help="Upcoming window in working days.", min=0, max=260)
    ] = 10,
    as_json: JsonOption = False,
) -> None:
    """Overdue deadlines in the cases the person may see, and those due in the next N
    working days."""
    day = _day(as_of)
    horizons = {n.value: add_working_days(day, within, n) for n in Nation}
    try:
        horizon = max(horizons.values())
        rows = _read(db, actor, keys, day, "deadlines", lambda r: r.deadlines_due_by(horizon, day))
    except READ_FAILURES as exc:
        _fail(read_failure(exc), as_json)
    overdue = [r for r in rows if r["due_on"] < day.isoformat()]
    upcoming = [
        r for r in rows if day.isoformat() <= r["due_on"] <= horizons[r["nation"]].isoformat()
    ]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "as_of": day.isoformat(),
                    "within_working_days": within,
                    "overdue": overdue,
                    "upcoming": upcoming,
                },
                indent=2,
            )
        )
        return
    _print(f"Overdue on {day}", overdue, as_json=False)
    _print(f"Due in the next {within} working days", upcoming, as_json=False)
