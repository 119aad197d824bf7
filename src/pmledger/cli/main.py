"""The `pmledger` command line: a thin shell over the library, with documented exit codes.

Exit codes: 0 success; 1 the ledger (or input) failed a check; 2 bad usage or input that
could not be read.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, NoReturn
from uuid import UUID

import typer
from rich.console import Console

from pmledger.audit.stored_row import StoredRow
from pmledger.audit.verifier import verify_case
from pmledger.cli import access_commands, init_command, retention_commands, view_commands
from pmledger.cli.export_commands import register
from pmledger.cli.options import (
    PASSPHRASE_ENV,
    READ_FAILURES,
    PublishedHeadsOption,
    ReaderKeysOption,
    ReaderOption,
    keystore_from,
    parse_actor,
    read_failure,
    read_head,
    reading_as,
)
from pmledger.cli.views import print_status, status_json
from pmledger.commands import EmployeeRef
from pmledger.errors import PmLedgerError
from pmledger.ids import KEYRING_ID
from pmledger.ledger.facade import Ledger
from pmledger.ledger.import_jsonl import ImportRejected, import_jsonl
from pmledger.ledger.store import UNREADABLE_DATABASE
from pmledger.policies.access import Operation

app = typer.Typer(
    name="pmledger",
    help="The signed legal record of staff performance-management and capability cases.",
    no_args_is_help=True,
    add_completion=False,
)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path or postgresql:// DSN of the ledger.")
]

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2


@app.command()
def verify(
    db: DbOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
    head: PublishedHeadsOption = None,
) -> None:
    """Re-check every signature, chain link, key validity and checkpoint; exit 1 naming the
    first bad event."""
    console = Console()
    try:
        heads = [read_head(path) for path in head or []]
        with Ledger.open(db) as ledger:
            report = ledger.verify(heads)
    except READ_FAILURES as exc:
        _fail(console, read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    elif report.failure is None:
        console.print(
            f"[green]OK[/]: {report.events} events, {report.cases} cases, {report.keys} keys, "
            f"{report.checkpoints} checkpoints — every signature, chain link, key validity and "
            "checkpoint holds."
        )
    else:
        console.print(
            f"[red]FAILED[/] after {report.events} good events: {report.failure.describe()}"
        )
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED_CHECK)


@app.command()
def checkpoint(
    db: DbOption,
    actor: Annotated[str, typer.Option(help="Who signs the tree head, as PERSON:ROLE.")],
    keys: Annotated[
        Path,
        typer.Option(help=f"Folder of encrypted signing keys; passphrase in ${PASSPHRASE_ENV}."),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Also write the signed head (JSON) to this file.")
    ] = None,
) -> None:
    """Grow the Merkle tree over the log and sign a tree head; prints it for publishing."""
    console = Console(stderr=True)
    try:
        with Ledger.open(db, keystore=keystore_from(keys)) as ledger:
            head = ledger.checkpoint(parse_actor(actor))
    except PmLedgerError as exc:
        _fail(console, str(exc), EXIT_USAGE, False)
    text = head.model_dump_json(indent=2)
    if out is not None:
        out.write_text(text + "\n")
    typer.echo(text)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSON Lines file: one act per line.")],
    db: DbOption,
    keys: Annotated[
        Path | None,
        typer.Option(help=f"Folder of encrypted signing keys; passphrase in ${PASSPHRASE_ENV}."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Import history: every line judged like a live act; any bad line and nothing is stored."""
    console = Console()
    try:
        with Ledger.open(db, keystore=keystore_from(keys)) as ledger:
            report = import_jsonl(ledger, file)
    except ImportRejected as exc:
        _fail(console, str(exc), EXIT_FAILED_CHECK, as_json)
    except PmLedgerError as exc:
        _fail(console, str(exc), EXIT_USAGE, as_json)
    findings = [
        {"line": line, "rule": f.rule.id, "source": f.rule.source, "message": f.message}
        for line, f in report.findings
    ]
    if as_json:
        typer.echo(
            json.dumps(
                {"ok": True, "acts": report.acts, "cases": len(report.cases), "findings": findings},
                indent=2,
            )
        )
        return
    console.print(f"[green]imported[/] {report.acts} acts on {len(report.cases)} cases")
    for finding in findings:
        console.print(
            f"  line {finding['line']}: [yellow]{finding['rule']}[/] "
            f"({finding['source']}) {finding['message']}"
        )


case_app = typer.Typer(help="One employee's case.", no_args_is_help=True)
app.add_typer(case_app, name="case")

AsOfOption = Annotated[
    datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Business date (default: today)."),
]


def _as_of(value: datetime | None) -> date:
    return value.date() if value else date.today()


@case_app.command("status")
def case_status(
    employee: Annotated[str, typer.Argument(help="The employee's staff reference.")],
    db: DbOption,
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: AsOfOption = None,
    organisation: Annotated[
        str | None, typer.Option("--org", help="Organisation, if the reference is ambiguous.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Stage, warnings, deadlines, findings, pay and signatures of a case on a date, read as a
    named person (allowed or refused by the case's procedure, and logged)."""
    console = Console()
    day = _as_of(as_of)
    try:
        reader, keystore = reading_as(actor, keys, "case status")
        with Ledger.open(db, keystore=keystore) as ledger:
            case_reader = ledger.reader(reader, day)
            who = case_reader.find_employee(employee, organisation, Operation.READ_STATUS)
            status = case_reader.status(who, day)
            failure = _case_failure(ledger, who)
    except READ_FAILURES as exc:
        _fail(console, read_failure(exc), EXIT_USAGE, as_json)
    if failure is not None:
        _fail(
            console,
            f"the case of {who} does not verify, so it is not shown: {failure}; "
            "run `pmledger verify` on the whole ledger",
            EXIT_FAILED_CHECK,
            as_json,
        )
    if as_json:
        typer.echo(json.dumps(status_json(status), indent=2))
    else:
        print_status(console, status)


def _case_failure(ledger: Ledger, who: EmployeeRef) -> str | None:
    """Check the case's chain and signatures (and the keyring) before showing it."""
    recorder = ledger.store.recorder

    def rows(aggregate_id: UUID) -> list[StoredRow]:
        return [
            StoredRow(0, str(e.originator_id), e.originator_version, e.topic, e.state)
            for e in recorder.select_events(aggregate_id)
        ]

    failure = verify_case(rows(KEYRING_ID), rows(who.case_id)).failure
    if failure is None:
        return None
    return f"{failure.subject} version {failure.version}: {failure.reason}"


@app.command()
def demo(
    db: Annotated[
        Path, typer.Option("--db", help="SQLite file to (re)create for the demo.")
    ] = Path("demo-output/pmledger-demo.sqlite"),
) -> None:
    """Record realistic cases under the five procedures, show them, and verify the ledger."""
    from pmledger.cli.demo import run_demo

    raise typer.Exit(run_demo(db, Console()))


def _fail(console: Console, message: str, code: int, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        console.print(f"[red]error[/]: {message}")
    raise typer.Exit(code)


init_command.register(app)
view_commands.register(app)
access_commands.register(app, view_commands.report_app)
retention_commands.register(app)
register(app)


def main() -> None:
    try:
        app()
    except UNREADABLE_DATABASE as exc:  # a command met a damaged or unreachable database
        Console(stderr=True).print(f"[red]error[/]: {read_failure(exc)}")
        raise SystemExit(EXIT_USAGE) from None
