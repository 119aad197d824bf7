"""Timeline: the picture, with a legend in the procedure's own words."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import TIMELINE, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import fonts, grid, para
from pmledger.export.presentation import day
from pmledger.export.timeline import STAGE_COLOURS, legend_entries, timeline


def timeline_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    f = fonts()
    width = 174 * mm
    drawing = timeline(ctx.extract, width, f.regular, f.bold)
    legend_rows = [
        [
            para("", s.cell),
            para(
                f"{esc(words)} <font color='#616e7c'>({stage.value.replace('_', ' ')})</font>",
                s.cell,
            ),
        ]
        for stage, words in legend_entries(ctx.extract)
    ]
    legend = Table(legend_rows, colWidths=[8 * mm, 166 * mm])
    style = grid(header=False, zebra=False)
    for row, (stage, _) in enumerate(legend_entries(ctx.extract)):
        style.add("BACKGROUND", (0, row), (0, row), STAGE_COLOURS[stage])
    legend.setStyle(style)
    return [
        Heading(TIMELINE.title, s.h1, TIMELINE.anchor, TIMELINE.title),
        para(
            "Stages are shown as bands, meetings held (formal meetings and one-to-ones) as "
            "ticks, and each warning as a bar over the window in which it is live (red while "
            f"live on {day(ctx.extract.as_of)}, grey once expired). The dashed blue line is the "
            "as-of date.",
            s.muted,
        ),
        Spacer(1, 4 * mm),
        drawing,
        Spacer(1, 6 * mm),
        para("<b>Stages</b>", s.body),
        Spacer(1, 1 * mm),
        legend,
    ]
