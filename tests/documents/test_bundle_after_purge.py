"""After a purge (issue 20, "What it must show"): the bundle of a case whose appraisal records
and whose headteacher's directory entry were disposed of shows the document and the entry as
disposed under their rules — never their content — and the ledger and the bundle still
verify."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from tests.core.helpers import ADMIN, ALICE, HR, open_ledger
from tests.documents.test_documents_on_records import MINUTES_PDF, _appraisal_case

from pmledger.events.documents import PDF
from pmledger.export.exporter import export_case
from pmledger.export.verify_bundle import verify_bundle
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.retention_jobs import purge
from pmledger.retention import load_default

PURGED_ON = date(2030, 8, 1)


def test_a_bundle_after_a_purge_shows_the_document_and_the_directory_entry_disposed(
    backend: str, tmp_path: Path
) -> None:
    with open_ledger(backend) as ledger:
        plan = Attachment(MINUTES_PDF, PDF, "objectives-quentinfield.pdf")
        _appraisal_case(ledger, plan)
        ledger.update_person("ht-1", by=HR, name="Helen Quillworth", job_title="Headteacher")
        ledger.person_left("ht-1", date(2024, 7, 31), by=HR)
        before = export_case(ledger.reader(HR, date(2025, 9, 2)), ALICE, tmp_path / "before",
                             date(2025, 9, 2))  # fmt: skip
        assert "Helen Quillworth" in _text(before.pdf), "named while the entry is held"
        report = purge(ledger, load_default(), PURGED_ON, ADMIN)
        assert "appraisal" in {i.category.value for i in report.disposed}
        assert report.people_disposed == ["ht-1"]
        assert ledger.verify().ok
        after = export_case(ledger.reader(HR, PURGED_ON), ALICE, tmp_path / "after", PURGED_ON)
    text = _text(after.pdf)
    for gone in ("Quillworth", "quentinfield", "Reading"):
        assert gone not in text, gone
    assert "D1 — " in text
    assert "disposed on 2030-08-01 under rule" in text, "the document, disposed under its rule"
    assert "ht-1 (directory entry disposed on 2030-08-01 under rule" in text
    with zipfile.ZipFile(after.zip) as archive:
        assert not [n for n in archive.namelist() if n.startswith("documents/")]
    checked = verify_bundle(after.zip, after.pdf)
    assert checked.ok, checked.problem


def _text(pdf: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
