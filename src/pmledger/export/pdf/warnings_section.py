"""Warnings: each warning with its live window and its status on the as-of date."""

from __future__ import annotations

from datetime import timedelta

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import WARNINGS, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import grid, para
from pmledger.export.presentation import day


def warnings_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    status = ctx.extract.status
    flowables: list[Flowable] = [
        Heading(WARNINGS.title, s.h1, WARNINGS.anchor, WARNINGS.title),
    ]
    if not status.warnings:
        return [*flowables, para("No warning has been issued in this case.", s.body)]
    header = (
        "Warning",
        "Kind",
        "Live from",
        "Last live day",
        "On " + day(status.as_of),
        "Page",
    )
    rows: list[list[object]] = [list(header)]
    for w in sorted(status.warnings, key=lambda w: w.issued_on):
        kind = w.kind.value.replace("_", " ")
        if w.reduced_from is not None:
            kind += f" (reduced from {w.reduced_from.value.replace('_', ' ')})"
        rows.append(
            [
                para(f"{esc(w.warning_id)} (v{w.version})", s.cell),
                para(kind, s.cell),
                para(day(w.issued_on), s.cell),
                para(day(w.expires_on - timedelta(days=1)), s.cell),
                para(f"<b>{w.status.value.replace('_', ' ')}</b>", s.cell),
                ctx.record_page(w.version),
            ]
        )
    table = Table(
        rows, colWidths=[30 * mm, 36 * mm, 26 * mm, 34 * mm, 34 * mm, 14 * mm], repeatRows=1
    )
    style = grid()
    style.add("ALIGN", (-1, 0), (-1, 0), "RIGHT")
    table.setStyle(style)
    return [
        *flowables,
        para(
            "A warning is live from the day it is issued for the period the procedure sets "
            "(in calendar months), unless rescinded on appeal.",
            s.muted,
        ),
        table,
    ]
