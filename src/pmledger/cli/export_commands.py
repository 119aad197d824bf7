"""`pmledger export` and `pmledger verify-bundle`: case bundles for tribunals and solicitors.

The export package (reportlab, pypdf) is imported inside each command so every other
command starts as fast as before.

Exit codes as for every pmledger command: 0 success; 1 a check failed (the case or the
bundle does not verify); 2 bad usage or input that is not what was asked for, or an export
the acting person may not make (refused, logged, and nothing written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
    outside_heads,
    read_failure,
    trusted_root,
)
from pmledger.cli.output import console, fail, plural, print_json, progress, say, show_command
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
    db: DbOption,
    out: Annotated[
        Path,
        typer.Option(
            "--out", envvar=env("out"), help="Folder to write bundle.pdf and bundle.zip to."
        ),
    ],
    actor: ActorOption,
    keys: KeysOption,
    as_of: AsOfOption = None,
    organisation: OrgOption = None,
    claim_number: Annotated[
        str | None,
        typer.Option(
            "--claim-number",
            envvar=env("claim_number"),
            help="Tribunal claim number, on the cover and headers.",
        ),
    ] = None,
    claimant: Annotated[
        str | None,
        typer.Option(
            "--claimant", envvar=env("claimant"), help="The claimant, as the claim names them."
        ),
    ] = None,
    respondent: Annotated[
        str | None,
        typer.Option(
            "--respondent", envvar=env("respondent"), help="The respondent (the employer)."
        ),
    ] = None,
    redact: Annotated[
        list[str] | None,
        typer.Option(
            "--redact",
            envvar=env("redact"),
            help="RECORD_OR_DOCUMENT=GROUND: redact a record (v12) or a document (its SHA-256 or "
            "a prefix of 8+ digits) on a ground: third_party_data, legal_privilege or "
            "without_prejudice. Repeat for each; listed in the bundle.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a case's hearing bundle (bundle.pdf) and its verifiable records (bundle.zip), as
    the acting person may see it: what they may not read, and what they redact on a legal
    ground, is redacted and listed."""
    from pmledger.export.exporter import export_case
    from pmledger.export.pdf.context import Claim
    from pmledger.export.redaction import ChosenRedaction

    day = as_of_day(as_of)
    if out.exists() and not out.is_dir():
        fail(f"--out {out} is a file; give a folder", EXIT_USAGE, as_json)
    try:
        chosen = [ChosenRedaction.parse(item) for item in redact or []]
        exporter, keystore = acting_as(actor, keys)
        with Ledger.open(db, keystore=keystore) as ledger, progress(f"exporting {employee}"):
            case_reader = ledger.reader(exporter, day)
            who = case_reader.find_employee(employee, organisation, Operation.EXPORT)
            claim = None
            if claim_number or claimant or respondent:
                claim = Claim(number=claim_number, claimant=claimant, respondent=respondent)
            result = export_case(case_reader, who, out, day, claim, chosen)
    except OSError as exc:
        fail(f"cannot write the bundle to {out}: {exc.strerror or exc}", EXIT_USAGE, as_json)
    except READ_FAILURES as exc:
        fail(read_failure(exc), EXIT_USAGE, as_json)
    extract = result.extract
    failure = extract.verification.failure
    code = EXIT_OK if failure is None else EXIT_FAILED_CHECK
    if as_json:
        print_json(
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
            }
        )
        raise typer.Exit(code)
    opened = extract.opened
    shown = console()
    say(shown, "[green]exported[/] {} ({}) as of {}: {}, {}", opened.employee_ref,
        opened.organisation, day, plural(len(extract.records), "record"),
        plural(result.pages, "page"))  # fmt: skip
    if extract.redactions:
        say(shown, "  {} redacted for {} (listed in the bundle's Redactions section and "
            "redactions.json)", plural(len(extract.redactions), "record"),
            exporter.person_id)  # fmt: skip
    say(shown, "  {}", result.pdf)
    say(shown, "  {}", result.zip)
    if failure is not None:
        say(shown, "[red]the case does not verify[/]: {} — the bundle shows it, and "
            "verify-bundle will fail", failure.describe())  # fmt: skip
    else:
        shown.print("Check it offline:")
        show_command(shown, "pmledger", "verify-bundle", result.zip, "--pdf", result.pdf)
    raise typer.Exit(code)


TrustOption = Annotated[
    str | None,
    typer.Option(
        "--trust",
        envvar=env("trust"),
        help="The organisation's root key, known from outside the bundle: its fingerprint "
        "(ed25519:<32 hex>, as `pmledger init` and `keys list` show it) or a file holding the "
        "fingerprint or the public key (hex or PEM). The bundle must rest on it.",
    ),
]


def verify_bundle(
    bundle: Annotated[Path, typer.Argument(help="The bundle.zip to check.")],
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", envvar=env("pdf"), help="The bundle.pdf to check against the zip."),
    ] = None,
    head: PublishedHeadsOption = None,
    heads: HeadsDirOption = None,
    trust: TrustOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a bundle with nothing but the bundle: digests, signatures, chain, checkpoint
    proofs, chronology; with --head/--heads, that checkpoints published earlier are
    consistent; with --trust, that it rests on the organisation's root key. Prints the
    fingerprints of the keys the result rests on."""
    from pmledger.export.verify_bundle import NotABundle, verify_bundle

    try:
        trusted = None if trust is None else trusted_root(trust)
        given = outside_heads(head, heads)
        with progress(f"checking {bundle.name}"):
            report = verify_bundle(bundle, pdf, given, trusted)
    except (NotABundle, PmLedgerError) as exc:
        fail(str(exc), EXIT_USAGE, as_json)
    if as_json:
        print_json(report.as_json())
        raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED_CHECK)
    shown = console()
    if report.problem is None:
        say(shown, "[green]OK[/]: {}", bundle)
    for check in report.checks:
        say(shown, "  ✓ {}", check)
    if report.problem is None and pdf is None:
        shown.print("  (the PDF was not checked: pass --pdf bundle.pdf)")
    if report.problem is not None:
        say(shown, "[red]FAILED[/]: {}", report.problem.describe())
    if report.root_key is not None:
        shown.print("Keys the result rests on (fingerprint: whose):")
        say(shown, "  {}: root of the keyring, registered by itself{}", report.root_key,
            f" (the ledger of {report.organisation})" if report.organisation else "")  # fmt: skip
        for fingerprint, whose in report.signers.items():
            say(shown, "  {}: {}", fingerprint, whose)
    if report.caveat is not None:
        say(shown, "[yellow]But[/]: {}.", report.caveat)
    raise typer.Exit(EXIT_OK if report.ok else EXIT_FAILED_CHECK)
