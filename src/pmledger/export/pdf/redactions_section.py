"""Redactions: every record whose personal content the bundle withholds, and why.

A hearing bundle that silently omits content misleads; this list (the same as the zip's
redactions.json) tells the reader whose bundle it is, what they were not given, and why: the
exporter's access, or the legal ground the exporter chose.
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
WIDTHS = (22 * mm, 10 * mm, 34 * mm, 18 * mm, 78 * mm, 12 * mm)


def redactions_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    documents = {
        pages.document.ref.sha256: pages.document
        for pages in ctx.documents
        if pages.document.redaction is not None
    }
    found = [
        *ctx.extract.redactions,
        *(d.redaction for d in documents.values() if d.redaction is not None),
    ]
    heading = Heading(REDACTIONS.title, s.h1, REDACTIONS.anchor, REDACTIONS.title)
    who = esc(exporter_words(ctx.extract))
    if not found:
        return [
            heading,
            para(f"Nothing is redacted: {who} may read every record of this case.", s.body),
        ]
    rows: list[list[object]] = [list(COLUMNS)]
    for redaction in sorted(found, key=lambda r: (r.occurred_on, r.version)):
        document = documents.get(redaction.document) if redaction.document else None
        what = title(redaction.kind) if document is None else f"{document.label}: a document"
        rows.append(
            [
                day(redaction.occurred_on),
                f"v{redaction.version}",
                cell(what, WIDTHS[2]),
                cell("the document", WIDTHS[3]) if document is not None else str(redaction.fields),
                cell(redaction.reason, WIDTHS[4]),
                ctx.record_page(redaction.version)
                if document is None
                else ctx.page_of(document.anchor),
            ]
        )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, -1), "RIGHT")
    table.setStyle(style)
    return [
        heading,
        para(
            f"This bundle was made for {who}. Listed here is each record whose personal content "
            "is withheld from them under the procedure's access rules, and each record or "
            "document they redacted on a legal ground. Each record still shows its date, kind, "
            "signer, signature and digest, and each document's digest stays in its record, so "
            "the bundle still verifies; each piece of withheld content is printed as a mark "
            "saying why. The same list is in the zip's redactions.json.",
            s.muted,
        ),
        table,
    ]
