"""The bundle a solicitor files (issue 20): claim number and parties on the cover and every page
header, an index of documents in page order whose every entry links to the page where its
document starts, the documents inserted as pages with one pagination running through, and
`verify-bundle` holding each inserted document to the digest its signed record carries."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.pdfgen.canvas import Canvas
from tests.letters.examples import Examples, record_examples

from pmledger.events.documents import DOCX, EMAIL, PDF, PNG
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.examples.cast import BY_ID
from pmledger.export.exporter import ExportResult, export_case
from pmledger.export.pdf.context import Claim
from pmledger.export.verify_bundle import verify_bundle
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger
from pmledger.letters import LetterDocument

LINE_MANAGER = BY_ID["dh-osei"].as_()
HR = BY_ID["hr-okafor"].as_()
AS_OF = date(2026, 2, 2)
CLAIM = Claim(number="6001234/2026", claimant="Tom Baker", respondent="Riverside Learning Trust")
PAGE = re.compile(r"Page (\d+) of (\d+)")


def _evidence_pdf() -> bytes:
    """A two-page A5 PDF with its own text, as a scanned or exported document would be."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A5, invariant=1)
    for n in (1, 2):
        canvas.drawString(40, 500, f"Year 4 behaviour log, sheet {n} of 2")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc000000301010018dd8db00000000049454e44ae426082"
)
EMAIL_EML = (
    b"From: Daniel Osei <d.osei@oakfield.example>\r\nTo: Tom Baker <t.baker@oakfield.example>\r\n"
    b"Date: Mon, 13 Oct 2025 16:05:00 +0100\r\nSubject: Papers for Thursday's meeting\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Tom, the papers for the first formal meeting are attached to the invitation.\r\n"
)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Examples:
    return record_examples(tmp_path_factory.mktemp("examples"))


def _ledger_with_documents(examples: Examples, folder: Path) -> tuple[Path, Examples]:
    db = folder / "copy.sqlite"
    shutil.copy(examples.db, db)
    employee = examples.stories["T-1042"].employee
    with Ledger.open(db, keystore=examples.keys, clock=examples.clock) as ledger:
        letters = ledger.letters(LINE_MANAGER)
        letter = letters.render(employee, "ip-first-formal-confirmation", date(2025, 10, 21))
        word = docx.Document(io.BytesIO(letter.docx_bytes))
        word.add_paragraph("I enclose the notes of our meeting, as you asked.")
        edited = io.BytesIO()
        word.save(edited)
        letters.record(letter, sent=LetterDocument(edited.getvalue(), DOCX, "confirmation.docx"))
        documents = [
            Attachment(_evidence_pdf(), PDF, "behaviour-log.pdf"),
            Attachment(PNG_1PX, PNG, "display-board.png"),
            Attachment(EMAIL_EML, EMAIL, "papers.eml"),
        ]
        ledger.record(
            employee,
            HrAdviceObtained(
                topic="evidence",
                provider="Riverside HR Services",
                summary="Evidence for the first formal meeting filed.",
                attachments=tuple(d.ref() for d in documents),
            ),
            occurred_on=date(2025, 10, 14),
            actor=LINE_MANAGER,
            documents=documents,
        )
    return db, examples


def _export(db: Path, examples: Examples, out: Path) -> ExportResult:
    employee = examples.stories["T-1042"].employee
    with Ledger.open(db, keystore=examples.keys, clock=examples.clock) as ledger:
        return export_case(ledger.reader(HR, AS_OF), employee, out, AS_OF, CLAIM)


@pytest.fixture(scope="module")
def bundle(examples: Examples, tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    folder = tmp_path_factory.mktemp("bundle")
    db, _ = _ledger_with_documents(examples, folder)
    return _export(db, examples, folder / "out")


def _index_link_targets(reader: PdfReader) -> list[int]:
    """The page each link on the index pages lands on, in the order the links appear (an
    entry wrapped over two lines is one link drawn as two rectangles)."""
    targets: list[int] = []
    for page in reader.pages[1:4]:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if link.get("/Subtype") == "/Link" and "/Dest" in link:
                target = reader.get_page_number(link["/Dest"][0].get_object()) + 1
                if not targets or targets[-1] != target:
                    targets.append(target)
    return targets


START = re.compile(r"(D\d+) — .*? — page 1 of \d+", re.DOTALL)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_index_link_lands_where_its_document_starts_and_pages_run_unbroken(
    bundle: ExportResult,
) -> None:
    reader = PdfReader(bundle.pdf)
    texts = [page.extract_text() or "" for page in reader.pages]
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        found = PAGE.search(text)
        assert found is not None, f"page {number} carries no page number"
        assert (int(found.group(1)), int(found.group(2))) == (number, total)
        if number > 1:
            assert "Claim No. 6001234/2026 — Tom Baker v Riverside Learning Trust" in text
    assert "Tom Baker v Riverside Learning Trust" in texts[0]
    assert "6001234/2026" in texts[0]
    starts = {n: m.group(1) for n, t in enumerate(texts, start=1) if (m := START.search(t))}
    # Three letters generated from templates, the edited letter (DOCX), and three documents.
    assert len(starts) >= 7, starts
    targets = _index_link_targets(reader)
    assert targets == sorted(starts), "one index link per document, in page order, each "
    "landing on the page where its document starts"
    assert list(starts.values()) == [f"D{n}" for n in range(1, len(starts) + 1)]
    # Documents keep their own text: searchable in the bundle.
    assert any("Year 4 behaviour log, sheet 2 of 2" in t for t in texts)
    assert any("I enclose the notes of our meeting" in t for t in texts)
    assert any("Papers for Thursday" in t for t in texts)
    titles = [o.title for o in reader.outline if isinstance(o, list) for o in o]
    assert any(t.startswith("D1 ") for t in titles)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_verify_bundle_holds_each_inserted_document_to_its_signed_digest(
    bundle: ExportResult, tmp_path: Path
) -> None:
    report = verify_bundle(bundle.zip, bundle.pdf)
    assert report.ok, report.problem
    assert report.documents >= 7
    with zipfile.ZipFile(bundle.zip) as archive:
        names = [n for n in archive.namelist() if n.startswith("documents/")]
    target = next(n for n in names if n.endswith(".pdf"))
    changed = tmp_path / "changed.zip"
    data = bytearray(bundle.zip.read_bytes())
    with zipfile.ZipFile(bundle.zip) as archive:
        info = archive.getinfo(target)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 20] ^= 0x01
    changed.write_bytes(bytes(data))
    failed = verify_bundle(changed, bundle.pdf)
    assert not failed.ok
    assert failed.problem is not None
    assert target in failed.problem.where


def test_without_libreoffice_the_index_lists_word_and_email_as_not_rendered(
    examples: Examples, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = _ledger_with_documents(examples, tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    result = _export(db, examples, tmp_path / "out")
    text = "".join(p.extract_text() or "" for p in PdfReader(result.pdf).pages[1:4])
    flat = " ".join(text.split())
    assert flat.count("not rendered: LibreOffice is not installed") >= 2
    assert verify_bundle(result.zip, result.pdf).ok
