"""The `pmledger` command line: a thin shell over the library, with documented exit codes.

Exit codes: 0 success; 1 the ledger (or input) failed a check; 2 bad usage or input that
could not be read; 3 (`verify`) an interrupted purge to rerun, nothing tampered with.
Every option is also read from a `PMLEDGER_*` variable (see
`pmledger.cli.options`), every command takes `--json`, and output follows
`pmledger.cli.output`: tables on a terminal, plain unwrapped lines when piped.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from typer.main import get_command

from pmledger.audit.verifier import VerifyReport
from pmledger.cli import (
    access_commands,
    export_commands,
    init_command,
    pack_commands,
    people_commands,
    record_commands,
    retention_commands,
    subject_access_commands,
    view_commands,
)
from pmledger.cli.options import (
    READ_FAILURES,
    ActorOption,
    AsOfOption,
    DbOption,
    HeadsDirOption,
    JsonOption,
    KeysOption,
    OrgOption,
    PublishedHeadsOption,
    acting_as,
    as_of_day,
    env,
    keystore_from,
    outside_heads,
    read_failure,
)
from pmledger.cli.output import console, fail, plural, print_json, progress, say
from pmledger.cli.views import print_status
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger.facade import Ledger
from pmledger.ledger.import_jsonl import CHUNK, ImportRejected, import_jsonl
from pmledger.ledger.store import UNREADABLE_DATABASE
from pmledger.policies.access import Operation
from pmledger.start_up import freeze_start_up_heap

app = typer.Typer(
    name="pmledger",
    help="The signed legal record of staff performance-management and capability cases.",
    no_args_is_help=True,
    add_completion=False,
)

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
DOCUMENTS_HOLD = ", and every document has its signed digest"
EXIT_USAGE = 2
EXIT_RERUN = 3
"""`verify`: nothing was tampered with, but a purge stopped between its signed certificate and
destroying the keys it certifies; rerun the purge (the same code the purge exits with)."""


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"pmledger {metadata.version('pmledger')}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    packs: pack_commands.PacksOption = None,
) -> None:
    """The signed legal record of staff performance-management and capability cases."""
    pack_commands.register_variants(packs)


@app.command()
def verify(
    db: DbOption,
    as_json: JsonOption = False,
    head: PublishedHeadsOption = None,
    heads: HeadsDirOption = None,
    documents: Annotated[
        bool,
        typer.Option(
            "--documents/--no-documents",
            help="Also open every stored document and check it against its signed digest.",
            envvar="PMLEDGER_DOCUMENTS",
        ),
    ] = True,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Processes checking the log, its cases shared out among them (default: one "
            "per core, one for a small log); the first bad event named is the same.",
            envvar="PMLEDGER_JOBS",
        ),
    ] = None,
) -> None:
    """Re-check every signature, chain link, key validity and checkpoint, and every stored
    document's digest; exit 1 naming the first bad event or document. Heads kept outside the
    ledger (--head, --heads) are what catch a log rewritten with its stored heads; without
    them the result says so."""
    try:
        given = outside_heads(head, heads)
        with Ledger.open(db) as ledger, progress("verifying the ledger"):
            report = ledger.verify(given, documents=documents, jobs=jobs)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(report.as_json())
    else:
        _print_verified(report, documents)
    if not report.ok:
        raise typer.Exit(EXIT_FAILED_CHECK)
    raise typer.Exit(EXIT_RERUN if report.interrupted else EXIT_OK)


def _print_verified(report: VerifyReport, documents: bool) -> None:
    out = console()
    if report.organisation:
        say(out, "Ledger of {}", report.organisation)
    if report.ok:
        disposed = report.documents_disposed
        checked = (
            f", {plural(report.documents, 'document')}"
            + (f" ({disposed} disposed, not opened)" if disposed else "")
            if documents
            else " (documents not checked: --no-documents)"
        )
        say(
            out,
            "[green]OK[/]: {}, {}, {}, {}{} — every signature, chain link, key validity, "
            "checkpoint, snapshot and data key holds{}.",
            plural(report.events, "event"),
            plural(report.cases, "case"),
            plural(report.keys, "key"),
            plural(report.checkpoints, "checkpoint"),
            checked,
            DOCUMENTS_HOLD if documents else "",
        )
        if report.caveat:
            say(out, "[yellow]But[/]: {}.", report.caveat)
        else:
            say(out, "Held to {} kept outside the ledger.", plural(report.outside_heads, "head"))
    else:
        say(
            out,
            "[red]FAILED[/] after {}: {}",
            plural(report.events, "good event"),
            report.describe_failure(),
        )
    if report.ok:
        for note in report.superseded_packs:
            say(out, "[yellow]SUPERSEDED PACK[/]: {}", note)
    if report.ok and report.interrupted:
        out.print(
            "[yellow]INTERRUPTED PURGE[/]: signed disposal certificates whose data keys are "
            f"not yet destroyed — {'; '.join(report.interrupted)}. Nothing was tampered with; "
            "rerun `pmledger retention purge` to finish destroying them."
        )


@app.command()
def checkpoint(
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    out: Annotated[
        Path | None,
        typer.Option(
            envvar=env("out"),
            help="Also keep the signed head outside the ledger: in this directory of heads "
            "(created if need be; one file per head, for `verify --heads DIR`), or in this file "
            "if the name ends in .json.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Grow the Merkle tree over the log and sign a tree head; prints it (JSON) for
    publishing."""
    try:
        who, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger, progress("growing the tree"):
            head = ledger.checkpoint(who)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    text = head.model_dump_json(indent=2)
    if out is not None:
        try:
            _head_file(out, head).write_text(text + "\n")
        except OSError as exc:
            fail(
                f"the head is signed and kept in the ledger, but {out}: {exc}", EXIT_USAGE, as_json
            )
    typer.echo(text)  # the head is JSON either way: it is what gets published


def _head_file(out: Path, head: SignedTreeHead) -> Path:
    """Where `--out` puts a head: the file named if it ends in .json, else a file of its own
    in a directory of heads, named by size and time so heads sort in log order and none
    overwrites another."""
    if out.suffix == ".json":
        return out
    out.mkdir(parents=True, exist_ok=True)
    return out / f"head-{head.size:012d}-{head.at.strftime('%Y%m%dT%H%M%S%fZ')}.json"


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="JSON Lines file: one act per line.")],
    db: DbOption,
    keys: KeysOption,
    as_json: JsonOption = False,
    chunk: Annotated[
        int,
        typer.Option(
            "--chunk",
            min=1,
            help="Acts stored per transaction; a file of more is stored chunk by chunk, and "
            "importing it again after a kill or a refused line continues where it stopped.",
            envvar="PMLEDGER_IMPORT_CHUNK",
        ),
    ] = CHUNK,
) -> None:
    """Import history: every line judged like a live act; any malformed line and nothing is
    stored, a refused line and nothing after it. Each line names its own actor, whose key in
    --keys signs it. Importing the same file again continues after the lines already stored."""
    try:
        with (
            Ledger.open(db, keystore=keystore_from(keys)) as ledger,
            progress(f"checking {file.name}", counted=True) as advance,
        ):
            report = import_jsonl(
                ledger,
                file,
                chunk=chunk,
                checking=advance,
                progress=lambda done, total: advance(done, total, f"importing {file.name}"),
            )
    except ImportRejected as exc:
        fail(str(exc), EXIT_FAILED_CHECK, as_json)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    findings = [
        {
            "line": line,
            "rule": f.rule.id,
            "source": f.rule.source,
            "severity": f.severity.value,
            "message": f.message,
        }
        for line, f in report.findings
    ]
    if as_json:
        print_json(
            {
                "ok": True,
                "acts": report.acts,
                "cases": len(report.cases),
                "resumed_after_line": report.resumed_after,
                "findings_total": report.findings_total,
                "findings": findings,
            }
        )
        return
    out = console()
    if report.resumed_after:
        say(out, "lines 1-{} were already stored by an earlier run", report.resumed_after)
    say(
        out,
        "[green]imported[/] {} on {}",
        plural(report.acts, "act"),
        plural(len(report.cases), "case"),
    )
    if report.findings_total > len(findings):
        say(out, "{} findings; the first {} follow", report.findings_total, len(findings))
    for finding in findings:
        say(
            out,
            "  line {}: [yellow]{}[/] ({}) {}",
            finding["line"],
            finding["rule"],
            finding["source"],
            finding["message"],
        )


case_app = typer.Typer(help="One employee's case.", no_args_is_help=True)
app.add_typer(case_app, name="case")


@case_app.command("status")
def case_status(
    employee: Annotated[str, typer.Argument(help="The employee's staff reference.")],
    db: DbOption,
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    organisation: OrgOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stage, warnings, deadlines, findings, pay and signatures of a case on a date, read as a
    named person (allowed or refused by the case's procedure, and logged)."""
    day = as_of_day(as_of)
    try:
        reader, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger:
            case_reader = ledger.reader(reader, day)
            who = case_reader.find_employee(employee, organisation, Operation.READ_STATUS)
            status, failure = case_reader.verified_status(who, day)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    if failure is not None:
        fail(
            f"the case of {who} does not verify, so it is not shown: {failure}; "
            "run `pmledger verify` on the whole ledger",
            EXIT_FAILED_CHECK,
            as_json,
        )
    if as_json:
        print_json(status.as_json())
    else:
        print_status(console(), status)


@app.command()
def demo(
    db: Annotated[
        Path,
        typer.Option("--db", envvar=env("demo_db"), help="SQLite file to (re)create for the demo."),
    ] = Path("demo-output/pmledger-demo.sqlite"),
    as_json: JsonOption = False,
) -> None:
    """Record realistic cases under the five procedures, show them, and verify the ledger."""
    from pmledger.cli.demo import run_demo

    raise typer.Exit(run_demo(db, as_json))


init_command.register(app)
view_commands.register(app)
access_commands.register(app, view_commands.report_app)
retention_commands.register(app)
export_commands.register(app)
pack_commands.register(app)
people_commands.register(app)
record_commands.register(app)
subject_access_commands.register(app)


def main() -> None:
    """The `pmledger` command: its modules are imported and the app built, so the start-up
    heap is frozen first (`pmledger.start_up`: no full garbage collection of a long command,
    a purge or a verify, traverses them again)."""
    freeze_start_up_heap()
    args = sys.argv[1:]
    try:
        if _wants_json(args):
            _run_for_json(args)
        app()
    except UNREADABLE_DATABASE as exc:  # a command met a damaged or unreachable database
        console(stderr=True).print(f"[red]error[/]: {read_failure(exc)}")
        raise SystemExit(EXIT_USAGE) from None


def _wants_json(args: list[str]) -> bool:
    """JSON was asked for (`--json`, $PMLEDGER_JSON), or the command always prints it (a
    purge, for its scheduler)."""
    flag = os.environ.get(env("json"), "").lower() in ("1", "true", "yes", "on")
    return flag or "--json" in args or args[:2] == ["retention", "purge"]


def _run_for_json(args: list[str]) -> NoReturn:
    """Run with usage errors (a missing --actor, a bad date) as a JSON error on stdout too,
    so a scheduler or script reading stdout always gets JSON."""
    try:
        code = get_command(app).main(args, prog_name="pmledger", standalone_mode=False)
    except typer.TyperException as exc:
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        typer.echo(json.dumps({"ok": False, "error": message}))
        raise SystemExit(getattr(exc, "exit_code", EXIT_USAGE)) from None
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)
