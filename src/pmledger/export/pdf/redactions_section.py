"""Redactions: every record whose personal content the bundle withholds, and why.

A hearing bundle that silently omits content misleads; this list (the same as the zip's
redactions.json) tells the reader whose bundle it is and what they were not given.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import REDACTIONS, BundleContext, esc, exporter_words
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import cell, grid, para
from pmledger.export.presentation import day, title

COLUMNS = ("Date", "Ver.", "Record", "Withheld", "Why", "Page")
WIDTHS = (23 * mm, 11 * mm, 38 * mm, 16 * mm, 74 * mm, 12 * mm)


def redactions_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    found = ctx.extract.redactions
    heading = Heading(REDACTIONS.title, s.h1, REDACTIONS.anchor, REDACTIONS.title)
    who = esc(exporter_words(ctx.extract))
    if not found:
        return [
            heading,
            para(f"Nothing is redacted: {who} may read every record of this case.", s.body),
        ]
    rows: list[list[object]] = [list(COLUMNS)]
    for redaction in sorted(found, key=lambda r: (r.occurred_on, r.version)):
        rows.append(
            [
                day(redaction.occurred_on),
                f"v{redaction.version}",
                cell(title(redaction.kind), WIDTHS[2]),
                str(redaction.fields),
                cell(redaction.reason, WIDTHS[4]),
                ctx.record_page(redaction.version),
            ]
        )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, -1), "RIGHT")
    table.setStyle(style)
    return [
        heading,
        para(
            f"This bundle was made for {who}. The personal content of {len(found)} record(s) "
            "is withheld from them under the procedure's access rules: each record still shows "
            "its date, kind, signer, signature and digest, so the bundle still verifies, and "
            "each piece of withheld content is printed as a redaction mark. The same list is "
            "in the zip's redactions.json.",
            s.muted,
        ),
        table,
    ]
