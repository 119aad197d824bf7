"""The README's first command: `pmledger demo` records a case under each procedure, shows it,
verifies the ledger and writes a tribunal bundle that checks offline."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from pmledger.cli.demo import DEMO_DATE, example_calendars
from pmledger.cli.main import app
from pmledger.events.actors import Actor, Role
from pmledger.events.sanction_acts import WarningKind
from pmledger.examples.histories import record_all
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.policies.ladder import Ladder
from pmledger.projections.case_status import CaseStatus
from pmledger.projections.warnings import WarningStatus


def test_the_demo_records_five_procedures_verifies_and_writes_a_bundle(tmp_path: Path) -> None:
    db = tmp_path / "demo" / "demo.sqlite"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = result.output
    for ref in ("T-1042", "S-2201", "H-3307", "ST-0415", "RF-0098"):
        assert ref in out, f"the demo shows the case {ref}"
    assert "verify OK" in out
    assert "in 5 cases" in out
    bundle = db.parent / "bundle"
    checked = CliRunner().invoke(
        app,
        [
            "verify-bundle",
            str(bundle / "bundle.zip"),
            "--pdf",
            str(bundle / "bundle.pdf"),
            "--json",
        ],
    )
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["ok"] is True
    letters = db.parent / "letters"
    sent = sorted(path.name for path in letters.glob("*.pdf"))
    assert "oak-2025-034.pdf" in sent, "the first formal meeting's confirmation, as sent"
    assert len(sent) >= 3
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in letters.glob("*.pdf")}
    with zipfile.ZipFile(bundle / "bundle.zip") as bundle_zip:
        stored = b"".join(bundle_zip.read(name) for name in bundle_zip.namelist())
    signed = [digest for digest in digests if digest.encode() in stored]
    assert len(signed) == 7, "the bundle's signed records carry the digests of T-1042's letters"
    pages = [page.extract_text() or "" for page in PdfReader(bundle / "bundle.pdf").pages]
    starts = [m.group(1) for text in pages if (m := _DOCUMENT_START.search(text))]
    inserted_letters = [t for t in starts if " as sent (a PDF)" in t]
    assert len(inserted_letters) >= 3, "generated letters inserted as pages"
    assert any("formal-pip-tom-baker.pdf" in t for t in starts), "the attached Formal PIP"
    text = "".join(pages)
    assert "Oakfield Primary — Formal Performance Improvement Plan" in text
    assert "Tom Baker" in text
    assert "Michael Osei" in text
    assert "Deputy Headteacher" in text
    with zipfile.ZipFile(bundle / "bundle.zip") as bundle_zip:
        documents = [n for n in bundle_zip.namelist() if n.startswith("documents/")]
    assert len(documents) == len(starts)


_DOCUMENT_START = re.compile(r"(D\d+ — .*?) — page 1 of \d+", re.DOTALL)


def test_the_demo_bundle_holds_the_004_case_through_the_appeal_with_its_letters(
    tmp_path: Path,
) -> None:
    """Issue 17: the stage a tribunal looks at hardest, the appeal, is in the bundle."""
    db = tmp_path / "demo" / "demo.sqlite"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)], terminal_width=200)
    assert result.exit_code == 0, result.output
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(db.parent / "bundle" / "bundle.pdf").pages
    )
    for record in (
        "Dismissed",
        "Appeal lodged",
        "Appeal hearing arranged",
        "Appeal heard",
        "Appeal decided",
        "not upheld",
    ):
        assert record in text, f"the bundle's chronology shows {record}"
    for template in ("ip-dismissal", "ip-appeal-hearing-invitation", "ip-appeal-decision"):
        assert template in text, f"the bundle shows the letter {template}"
    sent = {path.name for path in (db.parent / "letters").glob("*.pdf")}
    assert {"oak-2026-011.pdf", "oak-2026-015.pdf", "oak-2026-019.pdf"} <= sent


DELIBERATE = {
    "T-1042": {"ip-first-companion-docs", "ip-second-adjourn"},
    "S-2201": {"ss-obs-written-record"},
    "H-3307": {"hp-obs-written-5wd"},
    "ST-0415": {"st-review-per-plan"},
    "RF-0098": {"rf-targets-usual-3"},
}
"""The one or two slips each example history makes on purpose (issue 17 §1)."""


def test_each_example_history_walks_its_procedure_to_its_end(tmp_path: Path) -> None:
    """Issue 17 §1: recorded through the Ledger by the people the procedures name, each history
    reaches its procedure's end, and the findings on the demo's date are only the deliberate
    ones (no act recorded by someone the procedure does not name)."""
    with Ledger.open(
        tmp_path / "histories.sqlite",
        keystore=MemoryKeyStore(),
        calendars=example_calendars(),
        create=True,
    ) as ledger:
        stories = {story.employee_ref: story for story in record_all(ledger)}

        def status(ref: str, as_of: date) -> CaseStatus:
            reader = Actor(person_id=stories[ref].employee_person_id, role=Role.EMPLOYEE)
            return ledger.reader(reader).status(stories[ref].employee, as_of)

        def kinds(ref: str) -> list[str]:
            reader = Actor(person_id=stories[ref].employee_person_id, role=Role.EMPLOYEE)
            return [e.act.kind for e in ledger.reader(reader).records(stories[ref].employee)]

        for ref, deliberate in DELIBERATE.items():
            assert {f.rule.id for f in status(ref, DEMO_DATE).compliance} == deliberate, ref

        t1042 = status("T-1042", date(2026, 3, 31))
        assert t1042.stage is Ladder.DISMISSED
        assert not t1042.appeal_pending
        assert kinds("T-1042")[-3:] == ["appeal_heard", "appeal_decided", "letter_sent"]

        st0415 = status("ST-0415", date(2026, 2, 27))
        assert st0415.stage is Ladder.FORMAL_STAGE_1, "an unsuccessful review into capability"
        assert st0415.capability_active

        s2201 = status("S-2201", date(2026, 11, 30))
        assert s2201.stage is Ladder.FORMAL_STAGE_2, "the next stage inside a live warning"
        assert [w.kind for w in s2201.warnings] == [
            WarningKind.WRITTEN,
            WarningKind.FINAL_WRITTEN,
        ]
        assert all(w.status is WarningStatus.LIVE for w in s2201.warnings)

        (pay,) = status("H-3307", date(2026, 2, 27)).pay
        assert (pay.rating, pay.decided_points, pay.decided) == ("achieved", 1, True)

        rf0098 = kinds("RF-0098")
        assert rf0098.count("bonus_decided") == 4, "terms 1 and 2, each signed twice"
        reviews = [k for k in rf0098 if k == "meeting_held"]
        assert len(reviews) == 4, "the target meeting and the three review points"
        assert {f.rule.id for f in status("RF-0098", date(2026, 7, 31)).compliance} == {
            "rf-targets-usual-3"
        }
