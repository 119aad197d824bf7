"""Index: every section and every letter or form, with the page it starts on."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import INDEX, LETTERS, SECTIONS, BundleContext
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.letters_section import documents
from pmledger.export.pdf.styles import cell, fonts, grid, para
from pmledger.export.presentation import day

WIDTHS = (154 * mm, 20 * mm)


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
            "Page numbers are those printed at the foot of each page. Each record's page is "
            "also given in the chronology.",
            s.muted,
        ),
        table,
    ]
