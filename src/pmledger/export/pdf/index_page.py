"""Index: every document in page order, each a link to where it starts; then the sections."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import INDEX, LETTERS, SECTIONS, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.letters_section import documents
from pmledger.export.pdf.styles import LINK, cell, fonts, grid, para
from pmledger.export.presentation import day

WIDTHS = (154 * mm, 20 * mm)


def document_index(ctx: BundleContext) -> list[Flowable]:
    """The documents in the order their pages come, each entry a link to its first page; a
    document not shown as pages is listed with the reason."""
    s = ctx.styles
    if not ctx.documents:
        return [para("No record in this case carries a document.", s.muted)]
    rows: list[list[object]] = [["Document", "Page"]]
    for pages in ctx.documents:
        document = pages.document
        label = (
            f"{document.label} — {day(document.record.event.occurred_on)} — {esc(document.title)}"
        )
        if not pages.placed:
            rows.append([para(f"{label}<br/><i>{esc(pages.reason or '')}</i>", s.cell), "—"])
            continue
        link = f'<a href="#{document.anchor}" color="{LINK.hexval()}">{label}</a>'
        if pages.pdf is None:
            link += f"<br/><i>{esc(pages.reason or '')}</i>"
        rows.append([para(link, s.cell), ctx.page_of(document.anchor)])
    table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, 0), "RIGHT")
    table.setStyle(style)
    return [table]


def index(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    rows: list[list[object]] = [["Section", "Page"]]
    sections: list[int] = []
    for section in SECTIONS:
        sections.append(len(rows))
        rows.append([section.title, ctx.page_of(section.anchor)])
        if section is LETTERS:
            for document in documents(ctx.extract):
                label = f"{day(document.record.event.occurred_on)} — {document.title}"
                rows.append(
                    [cell("    " + label, WIDTHS[0]), ctx.record_page(document.record.version)]
                )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1)
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, 0), "RIGHT")
    for row in sections:
        style.add("FONT", (0, row), (0, row), fonts().bold, 8.5, 10.5)
    table.setStyle(style)
    return [
        Heading(INDEX.title, s.h1, INDEX.anchor, INDEX.title),
        para(
            "Page numbers are those printed at the foot of each page; each document's entry "
            "links to its first page. Each record's page is also given in the chronology.",
            s.muted,
        ),
        para("<b>Documents</b>", s.body),
        *document_index(ctx),
        Spacer(1, 4 * mm),
        para("<b>Sections</b>", s.body),
        table,
    ]
