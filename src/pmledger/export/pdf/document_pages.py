"""Each bundle document as PDF pages: PDFs as they are, images placed on a page, text set in
type, Word documents and e-mails converted by LibreOffice.

LibreOffice is found on PATH (`soffice`, else `libreoffice`) and run headless, one document at
a time, with its own throwaway profile so two exports never share one. Where it is missing or
fails, the document is listed in the index as not rendered, with the reason: never a silent
gap in the bundle.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Preformatted, SimpleDocTemplate

from pmledger.events.documents import DOCX, EMAIL, JPEG, PDF, PNG, TEXT
from pmledger.export.bundle_documents import BundleDocument
from pmledger.export.pdf.styles import styles

CONVERT_TIMEOUT = 120
"""Seconds LibreOffice may take over one document before it is listed as not rendered."""


@dataclass(frozen=True)
class Pages:
    document: BundleDocument
    pdf: Path | None
    count: int
    reason: str | None = None
    """Why the document is not shown as pages (None: it is)."""

    @property
    def placed(self) -> bool:
        """Whether it has pages in the bundle: its own, or the one saying it is redacted."""
        return self.pdf is not None or self.document.redaction is not None


def as_pages(document: BundleDocument, folder: Path) -> Pages:
    if document.redaction is not None:
        # One page in its place says it is redacted and on what ground.
        return Pages(document, None, 1, document.redaction.reason)
    if document.path is None:
        return Pages(document, None, 0, document.unavailable or "not available")
    kind = document.ref.media_type
    target = folder / f"{document.path.stem}.rendered.pdf"
    try:
        if kind == PDF:
            target = document.path
        elif kind in (PNG, JPEG):
            _image_page(document.path, target)
        elif kind == TEXT:
            _text_pages(document.path.read_text(encoding="utf-8"), target)
        elif kind in (DOCX, EMAIL):
            source = document.path
            if kind == EMAIL:
                source = document.path.with_suffix(".email.txt")
                source.write_text(email_text(document.path), encoding="utf-8")
            problem = convert_with_libreoffice(source, target)
            if problem is not None:
                return Pages(document, None, 0, f"not rendered: {problem}")
        else:
            return Pages(document, None, 0, f"not rendered: no way to show {kind} as pages")
        count = len(PdfReader(target).pages)
    except (OSError, PyPdfError, ValueError) as exc:
        return Pages(document, None, 0, f"not rendered: cannot be read ({exc})")
    if count == 0:
        return Pages(document, None, 0, "not rendered: the document has no pages")
    return Pages(document, target, count)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(source: Path, target: Path) -> str | None:
    """Convert to PDF at `target`; None when it worked, else why not."""
    program = libreoffice()
    if program is None:
        return (
            "LibreOffice is not installed (neither soffice nor libreoffice is on PATH); "
            "install it (e.g. apt-get install libreoffice-writer-nogui) and export again"
        )
    with tempfile.TemporaryDirectory(prefix="pmledger-lo-") as work:
        profile = Path(work, "profile").as_uri()
        try:
            done = subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    work,
                    str(source),
                ],
                capture_output=True,
                timeout=CONVERT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"LibreOffice took over {CONVERT_TIMEOUT} s to convert it"
        produced = Path(work, source.stem + ".pdf")
        if done.returncode != 0 or not produced.exists():
            said = (done.stderr or done.stdout).decode(errors="replace").strip()[:200]
            return f"LibreOffice could not convert it (exit {done.returncode}: {said})"
        shutil.move(produced, target)
    return None


def email_text(path: Path) -> str:
    """An e-mail as the text a reader sees (headers that matter, then the text body), for
    LibreOffice to set as pages: its own e-mail import shows the raw MIME source instead."""
    with path.open("rb") as stream:
        message = BytesParser(policy=policy.default).parse(stream)
    lines = [f"{name}: {message[name]}" for name in ("From", "To", "Cc", "Date", "Subject")]
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    attached = [part.get_filename() for part in message.iter_attachments()]
    shown = [line for line in lines if not line.endswith(": None")]
    if attached:
        shown.append("Attachments: " + ", ".join(str(a) for a in attached))
    return "\n".join([*shown, "", str(text)])


def _image_page(source: Path, target: Path) -> None:
    """The image on an A4 page, as large as fits inside the margins, never enlarged."""
    image = ImageReader(str(source))
    width, height = image.getSize()
    page_w, page_h = A4
    room_w, room_h = page_w - 30 * mm, page_h - 40 * mm
    scale = min(room_w / width, room_h / height, 1.0)
    canvas = Canvas(str(target), pagesize=A4, invariant=1)
    w, h = width * scale, height * scale
    canvas.drawImage(image, (page_w - w) / 2, page_h - 20 * mm - h, w, h)
    canvas.showPage()
    canvas.save()


def _text_pages(text: str, target: Path) -> None:
    doc = SimpleDocTemplate(
        str(target), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, invariant=1
    )
    doc.build([Preformatted(text, styles().mono, maxLineLength=95)])
