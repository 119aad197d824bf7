"""Merge each document's pages onto the placeholder pages the bundle laid out for them.

pypdf keeps the laid-out bundle as it is (its outline, named destinations and index links) and
draws each document page beneath the placeholder's header, caption and page number, scaled to
fit the space between them and centred: never enlarged, never re-rendered, so its text stays
searchable. Documents are opened one at a time from their files.
"""

from __future__ import annotations

from io import BytesIO
from typing import BinaryIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from reportlab.lib.pagesizes import A4

from pmledger.export.pdf.document import PageMap
from pmledger.export.pdf.document_pages import Pages
from pmledger.export.pdf.documents_section import CAPTION_HEIGHT
from pmledger.export.pdf.styles import PAGE_MARGIN

BODY = (PAGE_MARGIN, PAGE_MARGIN + 2, A4[0] - PAGE_MARGIN, A4[1] - PAGE_MARGIN - 4 - CAPTION_HEIGHT)
"""(left, bottom, right, top) of the room a document page is drawn into."""


def merge_documents(bundle: bytes, documents: list[Pages], pages: PageMap, out: BinaryIO) -> None:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(bundle)))
    for document in documents:
        if document.pdf is None:
            continue
        first = pages.number(document.document.anchor)
        assert first > 0, f"{document.document.label} was not placed"
        source = PdfReader(document.pdf)
        for offset, page in enumerate(source.pages):
            _draw_into(writer.pages[first - 1 + offset], page)
    writer.write(out)


def _draw_into(target: PageObject, page: PageObject) -> None:
    if page.rotation:
        # A rotated page is turned upright in its content first (pypdf does that only to a
        # page held by a writer), so the scaling below sees the page as it is read.
        page = PdfWriter().add_page(page)
        page.transfer_rotation_to_content()
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    left, bottom, right, top = BODY
    scale = min((right - left) / width, (top - bottom) / height, 1.0)
    x = left + ((right - left) - width * scale) / 2 - float(box.left) * scale
    y = top - height * scale - float(box.bottom) * scale
    target.merge_transformed_page(
        page, Transformation().scale(scale, scale).translate(x, y), over=False
    )
