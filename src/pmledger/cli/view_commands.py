"""`pmledger projections …`, `pmledger report …` and `pmledger deadlines`: school-wide views.

These read the stored read models, bringing them up to date first, so they stay fast on a
ledger of millions of events. Reports read as a named person (`--actor`, `--keys`): per-case
rows are only those of cases the person may see the status of, counts across cases only for
someone who may see every case counted (governors use `report governors`), and each read is
in the signed access log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pmledger.calendar import Nation, add_working_days
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
from pmledger.cli.output import console, fail, plural, print_json, progress, say
from pmledger.cli.views import Columns, row_table
from pmledger.ledger.facade import Ledger
from pmledger.ledger.reader import CaseReader, Rows

EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2

projections_app = typer.Typer(help="Stored read models.", no_args_is_help=True)
report_app = typer.Typer(
    help="School-wide reports from the stored read models.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(projections_app, name="projections")
    app.add_typer(report_app, name="report")
    app.command("deadlines")(deadlines)


class _NotVerified(Exception):
    pass


def _run(db: str, rebuild: bool) -> tuple[int, int]:
    with Ledger.open(db) as ledger:
        if rebuild:  # read models are rebuilt only from a log that verifies
            with progress("verifying the log first"):
                failure = ledger.verify().failure
            if failure is not None:
                raise _NotVerified(failure.describe())
        total = ledger.log_end()
        start = 0 if rebuild else ledger.views_position()
        with progress("applying events", total=max(total - start, 0)) as advance:
            applied = (ledger.rebuild_views if rebuild else ledger.update_views)(
                lambda _applied, position: advance(position - start)
            )
        return applied, ledger.views_position()


@projections_app.command("rebuild")
def rebuild(db: DbOption, as_json: JsonOption = False) -> None:
    """Forget the read models and rebuild them from the whole log (exactly once per event)."""
    _report_run(db, rebuild=True, as_json=as_json)


@projections_app.command("update")
def update(db: DbOption, as_json: JsonOption = False) -> None:
    """Apply the events recorded since the last update (resumes after any crash)."""
    _report_run(db, rebuild=False, as_json=as_json)


@projections_app.command("verify")
def verify_views(db: DbOption, as_json: JsonOption = False) -> None:
    """Hold the stored read models to the events: fold every case up to the position the
    views claim and name the first row that differs (exit 1; `projections rebuild` repairs)."""
    try:
        with Ledger.open(db) as ledger, progress("folding the events"):
            check = ledger.check_views()
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(check.as_json())
    elif check.ok:
        say(console(), "[green]OK[/]: the read models agree with the events of {} up to log "
            "position {}.", plural(check.cases, "case"), check.position)  # fmt: skip
        if check.behind:
            say(console(), "The log goes on to position {}: `pmledger projections update` "
                "brings them on.", check.log_end)  # fmt: skip
    else:
        say(console(), "[red]FAILED[/]: the read models differ from the events: {}. Reports "
            "and deadlines read them; `pmledger projections rebuild` rebuilds them from the "
            "events.", check.difference)  # fmt: skip
    if not check.ok:
        raise typer.Exit(EXIT_FAILED_CHECK)


def _report_run(db: str, *, rebuild: bool, as_json: bool) -> None:
    try:
        applied, position = _run(db, rebuild)
    except _NotVerified as exc:
        fail(f"the log does not verify, read models not rebuilt: {exc}", EXIT_FAILED_CHECK,
             as_json)  # fmt: skip
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json({"ok": True, "events_applied": applied, "position": position})
    else:
        say(console(), "read models at log position {} ({} applied)", position,
            plural(applied, "event"))  # fmt: skip


def _read(
    db: str, actor: str, keys: Path, day: date, rows_for: Callable[[CaseReader], Rows]
) -> Rows:
    """A report's rows as the acting person may see them (see the module's docstring)."""
    who, keystore = acting_as(actor, keys)
    with Ledger.open(db, keystore=keystore) as ledger:
        ledger.update_views()
        return rows_for(ledger.reader(who, day))


def _query(
    db: str,
    actor: str,
    keys: Path,
    day: date,
    as_json: bool,
    title: str,
    columns: Columns,
    rows_for: Callable[[CaseReader], Rows],
) -> None:
    try:
        rows = _read(db, actor, keys, day, rows_for)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(rows)
    else:
        row_table(console(), title, columns, rows)


@report_app.command("warnings")
def live_warnings(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every warning live on the date, in the cases the person may see."""
    day = as_of_day(as_of)
    columns = (
        ("employee_ref", "Employee"), ("school", "School"), ("pack_id", "Procedure"),
        ("warning_id", "Warning"), ("kind", "Kind"), ("issued_on", "Issued"),
        ("expires_on", "Live until (excl.)"),
    )  # fmt: skip
    _query(db, actor, keys, day, as_json, f"Live warnings on {day}", columns,
           lambda reader: reader.live_warnings(day))  # fmt: skip


@report_app.command("stages")
def stages(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """How many cases are at each stage of each procedure (for someone who sees them all)."""
    columns = (("pack_id", "Procedure"), ("stage_words", "Stage"), ("stage", "Ladder"),
               ("n", "Cases"))  # fmt: skip
    _query(db, actor, keys, as_of_day(as_of), as_json, "Cases by stage", columns,
           lambda reader: reader.cases_by_stage("report stages"))  # fmt: skip


@report_app.command("findings")
def findings(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compliance findings by procedure and rule (deviations with reasons counted apart),
    for someone who may see every case."""
    columns = (("pack_id", "Procedure"), ("rule_id", "Rule"), ("source", "Source"),
               ("n", "Findings"), ("deviated", "With a reason"))  # fmt: skip
    _query(db, actor, keys, as_of_day(as_of), as_json, "Findings by procedure", columns,
           lambda reader: reader.findings_by_procedure("report findings"))  # fmt: skip


@report_app.command("awaiting")
def awaiting(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Records awaiting the employee's countersignature, in the cases the person may see."""
    columns = (("employee_ref", "Employee"), ("organisation", "Organisation"),
               ("version", "Record"), ("kind", "Act"), ("occurred_on", "Dated"))  # fmt: skip
    _query(db, actor, keys, as_of_day(as_of), as_json, "Awaiting acknowledgement", columns,
           lambda reader: reader.awaiting_acknowledgement())  # fmt: skip


DEADLINE_COLUMNS: Columns = (
    ("due_on", "Due"),
    ("employee_ref", "Employee"),
    ("school", "School"),
    ("description", "What"),
    ("source", "Source"),
)
"""What a person acts on, in the order they read it; the rule id, nation, organisation and
procedure are in --json."""


def deadlines(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    within: Annotated[
        int,
        typer.Option(envvar=env("within"), help="Upcoming window in working days.", min=0, max=260),
    ] = 10,
    as_json: JsonOption = False,
) -> None:
    """Overdue deadlines in the cases the person may see, and those due in the next N
    working days."""
    day = as_of_day(as_of)
    horizons = {n.value: add_working_days(day, within, n) for n in Nation}
    try:
        horizon = max(horizons.values())
        rows = _read(db, actor, keys, day, lambda r: r.deadlines_due_by(horizon, day))
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    overdue = [r for r in rows if r["due_on"] < day.isoformat()]
    upcoming = [
        r for r in rows if day.isoformat() <= r["due_on"] <= horizons[r["nation"]].isoformat()
    ]
    if as_json:
        print_json(
            {
                "as_of": day.isoformat(),
                "within_working_days": within,
                "overdue": overdue,
                "upcoming": upcoming,
            }
        )
        return
    out = console()
    row_table(out, f"Overdue on {day}", DEADLINE_COLUMNS, overdue)
    row_table(out, f"Due in the next {plural(within, 'working day')}", DEADLINE_COLUMNS, upcoming)
