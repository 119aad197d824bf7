"""`pmledger sar`: answer a subject access request (UK GDPR Art. 15) as the DPO.

Exit codes as for every pmledger command: 0 written; 2 bad usage, or refused (anyone but the
data protection officer: the refusal is logged and nothing is written).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from pmledger.cli.options import (
    ActorOption,
    AsOfOption,
    DbOption,
    JsonOption,
    KeysOption,
    acting_as,
    as_of_day,
    env,
)
from pmledger.errors import PmLedgerError
from pmledger.ledger.facade import Ledger

EXIT_OK = 0
EXIT_USAGE = 2


def register(app: typer.Typer) -> None:
    app.command("sar")(sar)


def sar(
    person: Annotated[
        str,
        typer.Argument(help="The requester's person id, as their cases and directory name them."),
    ],
    db: DbOption,
    out: Annotated[
        Path,
        typer.Option("--out", envvar=env("out"), help="Folder to write subject-access.zip to."),
    ],
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            envvar=env("answers"),
            help="The request id this answers: recorded on its case with the zip's digest, "
            "which meets the request's deadline.",
        ),
    ] = None,
    withhold: Annotated[
        list[str] | None,
        typer.Option(
            "--withhold",
            envvar=env("withhold"),
            help="DIGEST=GROUND: withhold a document (its SHA-256 or a unique prefix) on a "
            "ground: third_party_data, legal_privilege or without_prejudice; listed in the "
            "answer.",
        ),
    ] = None,
    release: Annotated[
        list[str] | None,
        typer.Option(
            "--release",
            envvar=env("release"),
            help="DIGEST: a document you have reviewed, disclosed as held (its SHA-256 or a "
            "unique prefix); every other document is disclosed as its text with other people "
            "withheld.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write everything held about a person — records, documents, access-log entries about
    them, disposal certificates, their directory entry — with other people's data withheld,
    as subject-access.zip (a PDF and the same data as JSON, and the documents)."""
    from pmledger.export.redaction import ChosenRedaction, RedactionGround
    from pmledger.export.subject_access import export_subject_access

    console = Console()
    day = as_of_day(as_of)
    grounds: dict[str, RedactionGround] = {}
    for item in withhold or []:
        try:
            chosen = ChosenRedaction.parse(item)
        except PmLedgerError as exc:
            _fail(console, str(exc).replace("--redact", "--withhold", 1), as_json)
        if chosen.version is not None:
            _fail(console, f"--withhold {item!r}: give a document's SHA-256 (8+ digits)", as_json)
        grounds[chosen.target] = chosen.ground
    try:
        dpo, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger:
            reader = ledger.reader(dpo, day)
            result = export_subject_access(
                reader,
                person,
                out,
                day,
                withhold=grounds,
                release=[r.lower() for r in release or []],
                answers=answers,
            )
    except PmLedgerError as exc:
        _fail(console, str(exc), as_json)
    except OSError as exc:
        _fail(console, f"cannot write the answer to {out}: {exc.strerror or exc}", as_json)
    answer = result.answer
    summary = {
        "ok": True,
        "zip": str(result.zip),
        "sha256": result.sha256,
        "records": sum(len(c["records"]) for c in answer["cases"]),
        "documents": len(answer["documents"]),
        "access_log": len(answer["access_log"]),
        "redactions": len(answer["redactions"]),
        "answered": result.answered,
    }
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        raise typer.Exit(EXIT_OK)
    console.print(
        f"[green]answered[/] the subject access request of {escape(person)} as of {day}: "
        f"{summary['records']} records, {summary['documents']} documents, "
        f"{summary['access_log']} access-log entries; {summary['redactions']} redactions listed"
    )
    console.print(f"  {result.zip} (sha256 {result.sha256})")
    if result.answered:
        console.print(f"  recorded as the answer to request {escape(result.answered)}")
    raise typer.Exit(EXIT_OK)


def _fail(console: Console, message: str, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        console.print(f"[red]error[/]: {escape(message)}")
    raise typer.Exit(EXIT_USAGE)
