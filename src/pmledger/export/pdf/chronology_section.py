"""Chronology: every record in date order, one line each, with the page of the full record."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import CHRONOLOGY, BundleContext
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import cell, grid, para
from pmledger.export.presentation import day

COLUMNS = ("Date", "Ver.", "Event", "By", "Page")
WIDTHS = (23 * mm, 11 * mm, 86 * mm, 42 * mm, 12 * mm)


def chronology(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    rows: list[list[object]] = [list(COLUMNS)]
    for row in ctx.chronology:
        date_cell, version_cell, event_cell, who_cell = row.cells()
        rows.append(
            [
                date_cell,
                version_cell,
                cell(event_cell, WIDTHS[2]),
                cell(who_cell, WIDTHS[3]),
                ctx.record_page(row.version),
            ]
        )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1)
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, -1), "RIGHT")
    table.setStyle(style)
    extract = ctx.extract
    intro = (
        f"{len(ctx.chronology)} records from {ctx.date_range}, in the order they happened "
        '(records of the same day in the order they were recorded). "Ver." is the record\'s '
        'version in the signed chain; "By" is the person who recorded and signed it.'
    )
    if any(r.after_as_of for r in extract.records):
        intro += f" Records after {day(extract.as_of)}, the as-of date, are included."
    return [
        Heading(CHRONOLOGY.title, s.h1, CHRONOLOGY.anchor, CHRONOLOGY.title),
        para(intro, s.muted),
        table,
    ]
