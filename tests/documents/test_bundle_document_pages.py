"""Documents drawn into the bundle's pages (issue 20): every page shown upright inside the
room below its caption whatever its size or rotation, with its text searchable, and the
export's memory not growing with the number of documents it inserts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen.canvas import Canvas
from tests.core.helpers import ALICE, HR, enrol, open_ledger, opened

from pmledger.events.documents import PDF
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.export.exporter import ExportResult, export_case
from pmledger.export.pdf.merge import BODY
from pmledger.export.verify_bundle import verify_bundle
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger

OPENED_ON = date(2025, 9, 1)
AS_OF = date(2026, 9, 1)


UPRIGHT = {
    0: lambda w, h: (1, 0, 0, 1, 0, 0),
    90: lambda w, h: (0, 1, -1, 0, w, 0),
    180: lambda w, h: (-1, 0, 0, -1, w, h),
    270: lambda w, h: (0, -1, 1, 0, 0, h),
}
"""Drawing that a viewer turning the page by /Rotate (clockwise) shows upright, as a scanner
stores a landscape sheet: the content is turned the other way in the page's own box."""


def _pdf(pages: list[tuple[tuple[float, float], int, str]]) -> bytes:
    """A PDF whose pages show as `size` (width, height) upright, stored with /Rotate and the
    text turned against it, each line reading `text, line N`."""
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for (width, height), rotation, text in pages:
        stored = (height, width) if rotation in (90, 270) else (width, height)
        canvas.setPageSize(stored)
        canvas.transform(*UPRIGHT[rotation](*stored))
        for line in range(30):
            canvas.drawString(40, height - 60 - line * 16, f"{text}, line {line}")
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    for page, (_, rotation, _) in zip(writer.pages, pages, strict=True):
        if rotation:
            page.rotate(rotation)
    turned = io.BytesIO()
    writer.write(turned)
    return turned.getvalue()


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Each word poppler reads on a page, with its box (from the top left, in points): an
    oracle that applies every matrix, unlike pypdf, which reads a form's text as unturned."""
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return [
        (float(a), float(b), float(c), float(d), word)
        for a, b, c, d, word in WORD.findall(done.stdout)
    ]


def _case_with(ledger: Ledger, documents: list[bytes]) -> None:
    enrol(ledger)
    ledger.record(ALICE, opened(), occurred_on=OPENED_ON, actor=HR)
    for number, data in enumerate(documents):
        attachment = Attachment(data, PDF, f"evidence-{number}.pdf")
        ledger.record(
            ALICE,
            HrAdviceObtained(topic="evidence", provider="HR", attachments=(attachment.ref(),)),
            occurred_on=OPENED_ON + timedelta(days=1 + number),
            actor=HR,
            documents=[attachment],
        )


def _export(ledger: Ledger, out: Path) -> ExportResult:
    return export_case(ledger.reader(HR, AS_OF), ALICE, out, AS_OF)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_pages_of_any_size_and_rotation_are_drawn_upright_inside_the_bundle_page(
    tmp_path: Path,
) -> None:
    pages = [
        (A4, 0, "Portrait page"),
        (landscape(A4), 0, "Landscape page"),
        (A4, 90, "Turned quarter"),
        (A4, 180, "Turned half"),
        (A4, 270, "Turned three-quarters"),
        (A3, 0, "Large page"),
    ]
    source = PdfReader(io.BytesIO(_pdf(pages)))
    for page, (_, rotation, text) in zip(source.pages, pages, strict=True):
        # pypdf reads text turned as stored (it ignores /Rotate): the test document is as meant.
        assert f"{text}, line 29" in page.extract_text(orientations=(rotation,))
    with open_ledger(str(tmp_path / "ledger.sqlite")) as ledger:
        _case_with(ledger, [_pdf(pages)])
        result = _export(ledger, tmp_path / "out")
    reader = PdfReader(result.pdf)
    texts = [page.extract_text() or "" for page in reader.pages]
    starts = [n for n, text in enumerate(texts, start=1) if "page 1 of 6" in text]
    assert len(starts) == 1, "one document of six pages"
    left, bottom, right, top = BODY
    height = A4[1]
    for number, (_, _, text) in enumerate(pages, start=starts[0]):
        assert f"{text}, line 29" in texts[number - 1], "searchable text"
        page = reader.pages[number - 1]
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
        read = _words(result.pdf, number)
        words = [w for w in read if w[4] == text.split()[0]]
        assert len(words) == 30, f"page {number}: {text} drawn on it, once a line"
        for x0, y0, x1, y1, _ in words:
            assert x1 - x0 > y1 - y0, f"page {number}: {text} reads across, upright"
            assert left - 1 <= x0 < x1 <= right + 1, f"page {number}: within the margins"
            assert height - top - 1 <= y0 < y1 <= height - bottom + 1, "below the caption"
        # Not upside down or mirrored: line 0 above line 29, each line's first word leftmost.
        body = [w for w in read if height - top <= w[1] <= height - bottom]
        line_0 = next(w for w in body if w[4] == "0")
        line_29 = next(w for w in body if w[4] == "29")
        assert line_0[1] < line_29[1], f"page {number}: its first line on top"
        assert min(w[0] for w in body) == min(w[0] for w in words), "first words leftmost"
    assert verify_bundle(result.zip, result.pdf).ok


def _peak_export_memory(tmp_path: Path, count: int) -> int:
    ten_pages = [((A4), 0, "Evidence page") for _ in range(10)]
    documents = [_pdf([(s, r, f"{t} {n}.{p}") for p, (s, r, t) in enumerate(ten_pages)])
                 for n in range(count)]  # fmt: skip
    folder = tmp_path / f"n{count}"
    folder.mkdir()
    with open_ledger(str(folder / "ledger.sqlite")) as ledger:
        _case_with(ledger, documents)
        del documents
        tracemalloc.start()
        try:
            result = _export(ledger, folder / "out")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.pages > count * 10
    return peak


def test_the_export_s_memory_does_not_grow_with_the_number_of_documents(tmp_path: Path) -> None:
    """Python's peak allocation while exporting a case with 40 ten-page documents is within
    an allowance of the peak with 4: laying out 360 more placeholder pages costs 20-22 KiB a
    page (seen across runs), so the allowance is 40 KiB a page; inserting every page into one
    in-memory PDF writer, as before, cost about 92 KiB a page (33 MB more here)."""
    few = _peak_export_memory(tmp_path, 4)
    many = _peak_export_memory(tmp_path, 40)
    assert many - few < 360 * 40 * 1024, (few, many)
