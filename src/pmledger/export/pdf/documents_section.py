"""Documents: each one the records name, inserted as pages in date order.

The bundle is laid out by reportlab with one placeholder page per page of each document, each
carrying the bundle's running header, its page number and a caption naming the document; the
document's own pages are then merged onto them (`merge_documents`), scaled into the space below
the caption. So one pagination runs through the records and the documents, every index entry
and bookmark lands on the page where its document starts, and a document's text stays text.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import DOCUMENTS, BundleContext, esc, exporter_words
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.document_pages import Pages
from pmledger.export.pdf.styles import grid, para
from pmledger.export.presentation import day
from pmledger.export.redaction import Redaction

CAPTION_HEIGHT = 9 * mm
"""Room kept at the top of each document page for its caption."""

WIDTHS = (12 * mm, 22 * mm, 120 * mm, 20 * mm)


def caption(pages: Pages, page: int) -> str:
    document = pages.document
    return (
        f"{document.label} — {esc(document.title)} — {day(document.record.event.occurred_on)}, "
        f"record v{document.record.version} — page {page} of {pages.count}"
    )


def documents_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    flowables: list[Flowable] = [Heading(DOCUMENTS.title, s.h1, DOCUMENTS.anchor, DOCUMENTS.title)]
    if not ctx.documents:
        return [*flowables, para("No record in this case carries a document.", s.body)]
    rows: list[list[object]] = [["No.", "Date", "Document and SHA-256", "Page"]]
    for pages in ctx.documents:
        document = pages.document
        where: object = ctx.page_of(document.anchor) if pages.placed else "—"
        text = f"{esc(document.title)}<br/><font size=7>SHA-256 {document.ref.sha256}</font>"
        if pages.reason:
            text += f"<br/><i>{esc(pages.reason)}</i>"
        rows.append(
            [document.label, day(document.record.event.occurred_on), para(text, s.cell), where]
        )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    table.setStyle(grid())
    flowables += [
        para(
            "Each document follows as it was recorded, in date order, its pages numbered with "
            "the bundle's. Its SHA-256 is the digest its signed record carries; bundle.zip holds "
            "the document itself under that name, and verify-bundle checks it.",
            s.muted,
        ),
        table,
    ]
    for pages in ctx.documents:
        if not pages.placed:
            continue
        document = pages.document
        if pages.pdf is None:
            flowables += [PageBreak(), *_redacted(ctx, pages)]
            continue
        for page in range(1, pages.count + 1):
            flowables.append(PageBreak())
            text = caption(pages, page)
            if page == 1:
                outline = f"{document.label} {document.title}"
                flowables.append(Heading(text, s.muted, document.anchor, outline, level=1))
            else:
                flowables.append(para(text, s.muted))
    return flowables


def _redacted(ctx: BundleContext, pages: Pages) -> list[Flowable]:
    """The page in a redacted document's place: its caption, and the ground in words."""
    s = ctx.styles
    document = pages.document
    redaction: Redaction | None = document.redaction
    assert redaction is not None
    return [
        Heading(caption(pages, 1), s.muted, document.anchor, f"{document.label} (redacted)", 1),
        Spacer(1, 30 * mm),
        para(f"<b>{esc(redaction.reason)}</b>", s.h2),
        para(
            f"The exporter, {esc(exporter_words(ctx.extract))}, redacted this document on the "
            "ground above: it is not in this bundle or in bundle.zip. Its SHA-256 stays in "
            f"signed record v{document.record.version}, so the bundle still verifies, and the "
            "document can be produced from the ledger if the ground is set aside.",
            s.body,
        ),
    ]
