"""The text of a held document, so a subject access answer can disclose it with other people
withheld (`third_parties`, rule 4).

pmledger cannot redact inside a PDF or a Word file, but the right of access is to the personal
data, not to the file: the answer gives each document's text, read here, with the same
third-party rule as the records. A document whose text cannot be read (an image, a scan with
no text layer) gives None, and is held back for the data protection officer's review.
"""

from __future__ import annotations

from pathlib import Path

import docx
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from pmledger.events.documents import DOCX, EMAIL, PDF, TEXT
from pmledger.export.pdf.document_pages import email_text


def document_text(path: Path, media_type: str) -> str | None:
    """The document's text (pages or paragraphs one after another), or None when it has
    none that can be read."""
    try:
        if media_type == PDF:
            pages = [page.extract_text() or "" for page in PdfReader(path).pages]
            text = "\n\n".join(pages)
        elif media_type == DOCX:
            document = docx.Document(str(path))
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            text = "\n".join([*(p.text for p in document.paragraphs), *cells])
        elif media_type == EMAIL:
            text = email_text(path)
        elif media_type == TEXT:
            text = path.read_text(encoding="utf-8", errors="replace")
        else:
            return None
    except (OSError, PyPdfError, ValueError, KeyError):
        return None
    return text if text.strip() else None
