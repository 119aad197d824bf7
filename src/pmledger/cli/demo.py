"""`pmledger demo`: a newcomer's first run on the embedded SQLite default.

It records five realistic cases, one under each procedure, then shows what the ledger derives
on a fixed business date (stages, live warnings, deadlines, findings), signs a checkpoint,
verifies everything, and writes and checks a tribunal bundle for one case.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pmledger.calendar import TermDates
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.cli.views import deadline_table
from pmledger.events.actors import Actor, Role
from pmledger.examples.cast import HIGHFIELD, HR, OAKFIELD, REFOCUS, RIVERSIDE
from pmledger.examples.histories import record_all
from pmledger.examples.story import Story
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger
from pmledger.policies.judgement import DeadlineStatus

DEMO_PASSPHRASE = b"demo only - never use a fixed passphrase for real keys"
DEMO_DATE = date(2026, 2, 2)
"""The business date the demo speaks for: explicit, so the demo shows the same every day."""


def example_calendars() -> Calendars:
    from importlib.resources import files

    data = files("pmledger.calendar") / "data" / "england-example.toml"
    term_dates = TermDates.from_toml_file(data)
    schools = (OAKFIELD, RIVERSIDE, HIGHFIELD, REFOCUS)
    return Calendars({school: term_dates for school in schools})


def run_demo(db: Path, console: Console) -> int:
    db.parent.mkdir(parents=True, exist_ok=True)
    keys = db.parent / "demo-keys"
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    for old in keys.glob("*.pem") if keys.exists() else ():
        old.unlink()
    keystore = EncryptedFileKeyStore(keys, DEMO_PASSPHRASE)
    console.rule("pmledger demo")
    console.print(f"Ledger: [bold]{db}[/] (SQLite); private keys: {keys} (encrypted PKCS#8)")
    with Ledger.open(db, keystore=keystore, calendars=example_calendars(), create=True) as ledger:
        stories = record_all(ledger)
        _write_letters(stories, db.parent / "letters", console)
        # Each case read by its employee: the one reader every procedure allows (HR may not
        # read a support-staff case, 001 §7); each read goes into the access log.
        statuses = [
            ledger.status(
                story.employee,
                DEMO_DATE,
                actor=Actor(person_id=story.employee_person_id, role=Role.EMPLOYEE),
            )
            for story in stories
        ]
        table = Table(title=f"Cases on {DEMO_DATE:%d %B %Y}")
        for column in (
            "employee",
            "procedure",
            "stage (policy's words)",
            "ladder",
            "live warnings",
            "open deadlines",
            "findings",
            "awaiting signature",
        ):
            table.add_column(column)
        for status in statuses:
            table.add_row(
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
        console.print(table)
        due = [
            (s, d)
            for s in statuses
            for d in s.deadlines
            if d.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE)
        ]
        console.print(deadline_table(f"Open and overdue deadlines on {DEMO_DATE}", due))
        findings = Table(title="What the procedures found (recorded, not refused)")
        for column in ("employee", "rule", "source", "finding", "reason given"):
            findings.add_column(column)
        for status in statuses:
            for f in status.compliance:
                findings.add_row(
                    status.employee_ref,
                    f.rule.id,
                    f.rule.source,
                    f.message,
                    f.deviation_reason or "",
                )
        console.print(findings)
        head = ledger.checkpoint(HR.as_(Role.HR))
        console.print(
            f"Checkpoint signed by {head.actor.person_id}: {head.size} events, "
            f"root {head.root[:16]}…"
        )
        report = ledger.verify()
        if report.failure is not None:
            console.print(f"[red]verify FAILED[/]: {report.failure.describe()}")
            return 1
        console.print(
            f"[green]verify OK[/]: {report.events} signed events in {report.cases} cases, "
            f"{report.keys} keys, {report.checkpoints} checkpoint(s)."
        )
        code = _bundle(ledger, stories[0].employee, db.parent / "bundle", console)
    reader = f"--actor {HR.person_id}:hr --keys {keys}"
    console.print(
        f"Try, reading as the HR adviser (each read is checked and logged; the demo's key "
        f"passphrase is in {PASSPHRASE_ENV}='{DEMO_PASSPHRASE.decode()}'):\n"
        f"  [bold]pmledger case status {stories[0].employee_ref} --db {db} {reader} "
        f"--as-of {DEMO_DATE}[/]\n"
        f"  [bold]pmledger deadlines --db {db} {reader} --as-of {DEMO_DATE}[/]"
    )
    return code


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


def _bundle(ledger: Ledger, employee: object, out: Path, console: Console) -> int:
    from pmledger.commands import EmployeeRef
    from pmledger.export.exporter import export_case
    from pmledger.export.verify_bundle import verify_bundle

    assert isinstance(employee, EmployeeRef)
    result = export_case(ledger.reader(HR.as_(Role.HR), DEMO_DATE), employee, out, DEMO_DATE)
    bundle = verify_bundle(out / "bundle.zip", out / "bundle.pdf")
    if not bundle.ok:
        console.print(f"[red]bundle check FAILED[/]: {bundle.as_json()}")
        return 1
    console.print(f"[green]Tribunal bundle[/] for {employee}: {result}")
    console.print(
        f"Check it offline: [bold]pmledger verify-bundle {out / 'bundle.zip'} "
        f"--pdf {out / 'bundle.pdf'}[/]"
    )
    return 0
