"""Letters and forms: the schedule of documents the procedure requires.

A letter or form is printed once, in full, with its record; this schedule lists them with
the page where each is, as a hearing bundle lists its documents, rather than copying them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.events.meeting_acts import LetterSent
from pmledger.events.record_acts import StatementRecorded
from pmledger.export.case_extract import BundleRecord, CaseExtract
from pmledger.export.pdf.context import (
    LETTERS,
    BundleContext,
    acknowledgement_text,
)
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import cell, grid, para
from pmledger.export.presentation import day, presented_value, scalar, title

WIDTHS = (23 * mm, 11 * mm, 54 * mm, 24 * mm, 50 * mm, 12 * mm)


@dataclass(frozen=True)
class Document:
    record: BundleRecord
    title: str


def documents(extract: CaseExtract) -> Iterator[Document]:
    """Letters sent, statements and forms recorded, and letters named by other records."""
    for record in extract.in_date_order():
        event = record.event
        act = event.act
        if isinstance(act, LetterSent):
            letter = presented_value(event, "letter_id")
            template = presented_value(event, "template")
            yield Document(record, f"Letter {letter} (template {template})")
        elif isinstance(act, StatementRecorded):
            kind = scalar(presented_value(event, "statement_kind"))
            form = presented_value(event, "form")
            yield Document(record, f"Statement, {kind}" + (f" (form {form})" if form else ""))
        elif "letter" in type(act).model_fields:
            letter = presented_value(event, "letter")
            if letter:
                yield Document(record, f"Letter {letter}, with: {title(event.kind).lower()}")


def letters(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    found = list(documents(ctx.extract))
    flowables: list[Flowable] = [
        Heading(LETTERS.title, s.h1, LETTERS.anchor, LETTERS.title),
    ]
    if not found:
        return [*flowables, para("No letter or form is recorded in this case.", s.body)]
    rows: list[list[object]] = [["Date", "Ver.", "Document", "By", "Countersignature", "Page"]]
    for document in found:
        record = document.record
        rows.append(
            [
                day(record.event.occurred_on),
                f"v{record.version}",
                cell(document.title, WIDTHS[2]),
                cell(record.event.actor.person_id, WIDTHS[3]),
                cell(acknowledgement_text(record), WIDTHS[4]),
                ctx.record_page(record.version),
            ]
        )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, 0), "RIGHT")
    table.setStyle(style)
    return [
        *flowables,
        para(
            "Each document is printed in full with its record; the page column says where.",
            s.muted,
        ),
        table,
    ]
