"""The README's first command: `pmledger demo` records a case under each procedure, shows it,
verifies the ledger and writes a tribunal bundle that checks offline."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from pmledger.cli.main import app


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
