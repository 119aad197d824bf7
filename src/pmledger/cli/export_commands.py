"""`pmledger export` and `pmledger verify-bundle`: case bundles for tribunals and solicitors.

The export package (reportlab, pypdf) is imported inside each command so every other
command starts as fast as before.

Exit codes as for every pmledger command: 0 success; 1 a check failed (the case or the
bundle does not verify); 2 bad usage or input that is not what was asked for, or an export
the acting person may not make (refused, logged, and nothing written).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from pmledger.cli.options import (
    PublishedHeadsOption,
    ReaderKeysOption,
    ReaderOption,
    read_head,
    reading_as,
)
from pmledger.errors import PmLedgerError
from pmledger.ledger.facade import Ledger
from pmledger.policies.access import Operation

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_USAGE = 2


def register(app: typer.Typer) -> None:
    """Add `export` and `verify-bundle` to the pmledger command line."""
    app.command("export")(export)
    app.command("verify-bundle")(verify_bundle)


def export(
    employee: Annotated[str, typer.Argument(help="The employee's staff reference.")],
    db: Annotated[
        str, typer.Option("--db", help="SQLite file path or postgresql:// DSN of the ledger.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write bundle.pdf and bundle.zip to.")
    ],
    actor: ReaderOption = None,
    keys: ReaderKeysOption = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="The date the bundle speaks for and is dated (default: today).",
        ),
    ] = None,
    organisation: Annotated[
        str | None, typer.Option("--org", help="Organisation, if the reference is ambiguous.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Write a case's hearing bundle (bundle.pdf) and its verifiable records (bundle.zip), as
    the acting person may see it: what they may not read is redacted and listed."""
    from pmledger.export.exporter import export_case

    console = Console()
    day = as_of.date() if as_of else date.today()
    if out.exists() and not out.is_dir():
        _fail(console, f"--out {out} is a file; give a folder", EXIT_USAGE, as_json)
    try:
        exporter, keystore = reading_as(actor, keys, "export")
        with Ledger.open(db, keystore=keystore) as ledger:
            case_reader = ledger.reader(exporter, day)
            who = case_reader.find_employee(employee, organisation, Operation.EXPORT)
            result = export_case(case_reader, who, out, day)
    except PmLedgerError as exc:
        _fail(console, str(exc), EXIT_USAGE, as_json)
    except OSError as exc:
        _fail(
            console, f"cannot write the bundle to {out}: {exc.strerror or exc}", EXIT_USAGE, as_json
        )
    extract = result.extract
    failure = extract.verification.failure
    code = EXIT_OK if failure is None else EXIT_FAILED_CHECK
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "ok": failure is None,
                    "pdf": str(result.pdf),
                    "zip": str(result.zip),
                    "pages": result.pages,
                    "records": len(extract.records),
                    "redactions": len(extract.redactions),
                    "case_head": result.manifest.case_head.model_dump(),
                    "as_of": day.isoformat(),
                    "failure": None if failure is None else failure.describe(),
                },
                indent=2,
            )
        )
        raise typer.Exit(code)
    opened = extract.opened
    console.print(
        f"[green]exported[/] {escape(opened.employee_ref)} ({escape(opened.organisation)}) as of "
        f"{day}: {len(extract.records)} records, {result.pages} pages"
    )
    if extract.redactions:
        console.print(
            f"  {len(extract.redactions)} records redacted for {escape(exporter.person_id)} "
            "(listed in the bundle's Redactions section and redactions.json)"
        )
    console.print(f"  {result.pdf}\n  {result.zip}")
    if failure is not None:
        console.print(
            f"[red]the case does not verify[/]: {escape(failure.describe())} — the bundle "
            "shows it, and verify-bundle will fail"
        )
    else:
        console.print(f"check it offline: pmledger verify-bundle {result.zip} --pdf {result.pdf}")
    raise typer.Exit(code)


def verify_bundle(
    bundle: Annotated[Path, typer.Argument(help="The bundle.zip to check.")],
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="The bundle.pdf to check against the zip.")
    ] = None,
    head: PublishedHeadsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
) -> None:
    """Check a bundle with nothing but the bundle: digests, signatures, chain, checkpoint
    proofs, chronology; with --head, that a checkpoint published earlier is consistent."""
    from pmledger.export.verify_bundle import NotABundle, verify_bundle

    console = Console()
    try:
        report = verify_bundle(bundle, pdf, [read_head(path) for path in head or []])
    except (NotABundle, PmLedgerError) as exc:
        _fail(console, str(exc), EXIT_USAGE, as_json)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    elif report.problem is None:
        console.print(f"[green]OK[/]: {escape(str(bundle))}")
        for check in report.checks:
            console.print(f"  ✓ {escape(check)}")
        if pdf is None:
            console.print("  (the PDF was not checked: pass --pdf bundle.pdf)")
    else:
        for check in report.checks:
            console.print(f"  ✓ {escape(check)}")
        console.print(f"[red]FAILED[/]: {escape(report.problem.describe())}")
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED_CHECK)


def _fail(console: Console, message: str, code: int, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        console.print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(code)
