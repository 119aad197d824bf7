"""`pmledger demo`: a newcomer's first run on the embedded SQLite default.

It records five realistic cases, one under each procedure, then shows what the ledger derives
on a fixed business date (stages, live warnings, deadlines, findings), signs a checkpoint,
verifies everything, and writes and checks a tribunal bundle for one case.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console

from pmledger.calendar import TermDates
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.cli.output import console, plural, print_json, say, show_command, show_table
from pmledger.cli.views import deadline_table
from pmledger.commands import EmployeeRef
from pmledger.events.actors import Actor, Role
from pmledger.examples.cast import DPO, HIGHFIELD, HR, OAKFIELD, REFOCUS, RIVERSIDE
from pmledger.examples.histories import record_all
from pmledger.examples.story import Story
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import DeadlineStatus
from pmledger.projections.case_status import CaseStatus
from pmledger.view_json import to_json

DEMO_PASSPHRASE = b"demo only - never use a fixed passphrase for real keys"
DEMO_DATE = date(2026, 2, 2)
"""The business date the demo speaks for: explicit, so the demo shows the same every day."""


def example_calendars() -> Calendars:
    from importlib.resources import files

    data = files("pmledger.calendar") / "data" / "england-example.toml"
    term_dates = TermDates.from_toml_file(data)
    schools = (OAKFIELD, RIVERSIDE, HIGHFIELD, REFOCUS)
    return Calendars({school: term_dates for school in schools})


def run_demo(db: Path, as_json: bool = False) -> int:
    """Record, show, checkpoint, verify and export; returns the exit code. With `as_json`
    stdout carries one JSON summary and nothing else."""
    db.parent.mkdir(parents=True, exist_ok=True)
    keys = db.parent / "demo-keys"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    for old in keys.glob("*.pem") if keys.exists() else ():
        old.unlink()
    keystore = EncryptedFileKeyStore(keys, DEMO_PASSPHRASE)
    out = console(stderr=as_json)
    out.rule("pmledger demo")
    say(out, "Ledger: [bold]{}[/] (SQLite); private keys: {} (encrypted PKCS#8)", db, keys)
    with Ledger.open(db, keystore=keystore, calendars=example_calendars(), create=True) as ledger:
        stories = record_all(ledger)
        _write_letters(stories, db.parent / "letters", out)
        # Each case read by its employee: the one reader every procedure allows (HR may not
        # read a support-staff case, 001 §7); each read goes into the access log.
        statuses = [
            ledger.reader(
                Actor(person_id=story.employee_person_id, role=Role.EMPLOYEE), DEMO_DATE
            ).status(story.employee, DEMO_DATE)
            for story in stories
        ]
        _show_cases(out, statuses)
        head = ledger.checkpoint(HR.as_(Role.HR))
        say(out, "Checkpoint signed by {}: {}, root {}…", head.actor.person_id,
            plural(head.size, "event"), head.root[:16])  # fmt: skip
        report = ledger.verify()
        if report.failure is not None:
            say(out, "[red]verify FAILED[/]: {}", report.failure.describe())
            return 1
        say(out, "[green]verify OK[/]: {} in {}, {}, {}.", plural(report.events, "signed event"),
            plural(report.cases, "case"), plural(report.keys, "key"),
            plural(report.checkpoints, "checkpoint"))  # fmt: skip
        code, bundle = _bundle(ledger, stories[0].employee, db.parent / "bundle", out)
    if as_json:
        print_json(
            {
                "ok": code == 0,
                "db": str(db),
                "keys": str(keys),
                "as_of": DEMO_DATE.isoformat(),
                "cases": [to_json(status) for status in statuses],
                "verify": report.as_json(),
                "bundle": bundle,
            }
        )
        return code
    _show_tries(out, db, keys, stories[0].employee_ref)
    return code


def _show_cases(out: Console, statuses: list[CaseStatus]) -> None:
    show_table(
        out,
        f"Cases on {DEMO_DATE:%d %B %Y}",
        ("Employee", "Procedure", "Stage (the policy's words)", "Ladder", "Live warnings",
         "Open deadlines", "Findings", "Awaiting signature"),
        [
            (
                status.employee_ref,
                status.pack_id,
                status.stage_words,
                status.stage.value,
                ", ".join(f"{w.kind.value} until {w.expires_on}" for w in status.live_warnings)
                or "none",
                str(len(status.open_deadlines)),
                str(len(status.compliance)),
                str(len(status.awaiting)),
            )
            for status in statuses
        ],
    )  # fmt: skip
    due = [
        (s, d)
        for s in statuses
        for d in s.deadlines
        if d.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE)
    ]
    deadline_table(out, f"Open and overdue deadlines on {DEMO_DATE}", due)
    show_table(
        out,
        "What the procedures found (recorded, not refused)",
        ("Employee", "Rule", "Source", "Finding", "Reason given"),
        [
            (status.employee_ref, f.rule.id, f.rule.source, f.message, f.deviation_reason or "")
            for status in statuses
            for f in status.compliance
        ],
    )


def _show_tries(out: Console, db: Path, keys: Path, employee_ref: str) -> None:
    """Commands to try next, each whole on its own line so it can be copied as printed:
    first the variables the demo's keys need, then reads as HR and as the DPO."""
    out.print(
        "Try these next (set the variables first: the demo's keys are unlocked with a fixed "
        "passphrase; every read is checked and goes into the signed access log):"
    )
    show_command(out, "export", f"{PASSPHRASE_ENV}={DEMO_PASSPHRASE.decode()}")
    show_command(out, "export", f"PMLEDGER_DB={db}", f"PMLEDGER_KEYS={keys}")
    day = DEMO_DATE.isoformat()
    as_hr = ("--actor", f"{HR.person_id}:hr")
    show_command(out, "pmledger", "case", "status", employee_ref, *as_hr, "--as-of", day)
    show_command(out, "pmledger", "deadlines", *as_hr, "--as-of", day)
    show_command(out, "pmledger", "people", "list", *as_hr)
    as_dpo = ("--actor", f"{DPO.person_id}:dpo")
    show_command(out, "pmledger", "retention", "plan", *as_dpo, "--as-of", day)
    show_command(out, "pmledger", "access-log", *as_dpo, "--from", day, "--to", day)
    show_command(out, "pmledger", "verify")


def _write_letters(stories: list[Story], out: Path, console: Console) -> None:
    """The letters the example cases generated, as sent (PDF) and as HR would edit them
    (DOCX): the signed records carry the PDFs' digests."""
    out.mkdir(parents=True, exist_ok=True)
    letters = [letter for story in stories for letter in story.letters]
    for letter in letters:
        for document in (letter.pdf, letter.docx):
            (out / document.file_name).write_bytes(document.content)
    console.print(
        f"Letters generated from the procedures' templates and sent: {len(letters)} in {out}"
    )


def _bundle(
    ledger: Ledger, employee: EmployeeRef, out_dir: Path, out: Console
) -> tuple[int, dict[str, str]]:
    from pmledger.export.exporter import export_case
    from pmledger.export.verify_bundle import verify_bundle

    result = export_case(ledger.reader(HR.as_(Role.HR), DEMO_DATE), employee, out_dir, DEMO_DATE)
    bundle = verify_bundle(out_dir / "bundle.zip", out_dir / "bundle.pdf")
    paths = {"pdf": str(result.pdf), "zip": str(result.zip)}
    if not bundle.ok:
        say(out, "[red]bundle check FAILED[/]: {}", bundle.as_json())
        return 1, paths
    say(out, "[green]Tribunal bundle[/] for {}: {}", employee, result)
    out.print("Check it offline:")
    show_command(out, "pmledger", "verify-bundle", result.zip, "--pdf", result.pdf)
    return 0, paths
