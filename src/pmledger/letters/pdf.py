"""A letter as PDF, drawn with ReportLab (as the bundle is) from its frame and blocks.

The PDF is built with ReportLab's invariant mode, so the same letter renders to the same bytes
(no creation time, no random document id): a preview and the letter recorded a minute later
have one digest.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.styles import fonts
from pmledger.letters.frame import Frame
from pmledger.letters.markup import (
    Block,
    Bullets,
    Heading,
    Lines,
    Paragraph,
    Signatures,
    TableBlock,
    runs,
)

MARGIN = 22 * mm
INK = colors.HexColor("#111111")
GREY = colors.HexColor("#666666")
RULE = colors.HexColor("#999999")


def _styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    body = ParagraphStyle("letter", fontName=f.regular, fontSize=10.5, leading=14.5, textColor=INK)
    return {
        "body": ParagraphStyle("letter-body", parent=body, spaceAfter=8),
        "cell": ParagraphStyle("letter-cell", parent=body, fontSize=9.5, leading=12.5),
        "cell_bold": ParagraphStyle(
            "letter-cell-bold", parent=body, fontName=f.bold, fontSize=9.5, leading=12.5
        ),
        "heading": ParagraphStyle(
            "letter-heading",
            parent=body,
            fontName=f.bold,
            spaceBefore=4,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "head": ParagraphStyle("letterhead", parent=body, fontName=f.bold, fontSize=16, leading=20),
        "head_sub": ParagraphStyle("letterhead-sub", parent=body, fontSize=9, textColor=GREY),
        "address": ParagraphStyle("address", parent=body, leading=13.5, spaceBefore=10),
        "bullet": ParagraphStyle("letter-bullet", parent=body, spaceAfter=3),
    }


def _markup(text: str) -> str:
    return "".join(f"<b>{escape(part)}</b>" if bold else escape(part) for part, bold in runs(text))


def _flowables(block: Block, s: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if isinstance(block, Paragraph):
        return [RLParagraph(_markup(block.text), s["body"])]
    if isinstance(block, Heading):
        return [RLParagraph(_markup(block.text), s["heading"])]
    if isinstance(block, Bullets):
        items = [ListItem(RLParagraph(_markup(i), s["bullet"]), leftIndent=14) for i in block.items]
        return [
            ListFlowable(items, bulletType="bullet", start="•", leftIndent=14),
            Spacer(1, 6),
        ]
    if isinstance(block, TableBlock):
        columns = max(len(row) for row in block.rows)
        rows = [
            [
                RLParagraph(
                    _markup(row[i] if i < len(row) else ""),
                    s["cell_bold"] if block.header and r == 0 else s["cell"],
                )
                for i in range(columns)
            ]
            for r, row in enumerate(block.rows)
        ]
        widths = _column_widths(block, columns, width)
        table = Table(rows, colWidths=widths, repeatRows=1 if block.header else 0, splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if block.header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
        elif columns == 2:
            commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f4f4f4")))
        table.setStyle(TableStyle(commands))
        return [table, Spacer(1, 8)]
    if isinstance(block, Signatures):
        rows = [
            [
                RLParagraph(f"Signed ({escape(party)})", s["cell"]),
                "",
                RLParagraph("Date", s["cell"]),
                "",
            ]
            for party in block.parties
        ]
        table = Table(rows, colWidths=[width * 0.3, width * 0.4, width * 0.1, width * 0.2])
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (1, 0), (1, -1), 0.5, INK),
                    ("LINEBELOW", (3, 0), (3, -1), 0.5, INK),
                    ("TOPPADDING", (0, 0), (-1, -1), 14),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ]
            )
        )
        return [KeepTogether([table]), Spacer(1, 10)]
    assert isinstance(block, Lines)
    lines = Table([[""]] * block.count, colWidths=[width], rowHeights=[18] * block.count)
    lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return [lines, Spacer(1, 8)]


def _column_widths(block: TableBlock, columns: int, width: float) -> list[float]:
    """Wider columns for more text, never narrower than a column's longest word (so a
    heading such as 'Improvement' is not broken mid-word); a two-column table without a
    header is a form's label and value."""
    if columns == 2 and not block.header:
        return [width * 0.32, width * 0.68]
    f = fonts()
    floor: list[float] = []
    weight: list[float] = []
    for i in range(columns):
        cells = [row[i] for row in block.rows if i < len(row)]
        words = [w for cell in cells for w in cell.replace("**", "").split()] or [""]
        floor.append(max(stringWidth(w, f.bold, 9.5) for w in words) + 9)
        weight.append(max(1.0, sum(len(c) for c in cells) / max(1, len(cells))) ** 0.5)
    shares = [width * w / sum(weight) for w in weight]
    widths = [max(share, low) for share, low in zip(shares, floor, strict=True)]
    excess = sum(widths) - width
    if excess > 0:
        slack = [w - low for w, low in zip(widths, floor, strict=True)]
        total = sum(slack) or 1.0
        widths = [w - excess * sl / total for w, sl in zip(widths, slack, strict=True)]
    return widths


def render_pdf(frame: Frame) -> bytes:
    s = _styles()
    buffer = BytesIO()
    page = landscape(A4) if frame.landscape else A4
    width = page[0] - 2 * MARGIN
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=frame.title,
        author=frame.letterhead,
        subject=frame.footer,
        creator="pmledger",
        invariant=1,
    )
    story: list[Flowable] = [
        RLParagraph(escape(frame.letterhead), s["head"]),
        RLParagraph(escape(frame.letterhead_sub), s["head_sub"]),
        _rule(width),
    ]
    if frame.recipient:
        story.append(
            RLParagraph("<br/>".join(escape(line) for line in frame.recipient), s["address"])
        )
        story.append(Spacer(1, 10))
    if frame.date_line:
        story.append(RLParagraph(escape(frame.date_line), s["body"]))
    if frame.reference_line:
        story.append(RLParagraph(escape(frame.reference_line), s["body"]))
    story.append(Spacer(1, 4))
    for block, after in zip(frame.blocks, [*frame.blocks[1:], None], strict=True):
        flowables = _flowables(block, s, width)
        if isinstance(after, Signatures | Lines):
            flowables[0].keepWithNext = 1  # a form's last words stay with its signatures
        story += flowables

    def footer(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts().regular, 7.5)
        canvas.setFillColor(GREY)
        room = page[0] - 2 * MARGIN - 18 * mm
        text = frame.footer
        while stringWidth(text, fonts().regular, 7.5) > room:
            text = text[:-2] + "…"
        canvas.drawString(MARGIN, MARGIN - 2 * mm, text)
        canvas.drawRightString(page[0] - MARGIN, MARGIN - 2 * mm, f"Page {document.page}")
        canvas.restoreState()

    invariant = rl_config.invariant
    rl_config.invariant = 1
    try:
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    finally:
        rl_config.invariant = invariant
    return buffer.getvalue()


def _rule(width: float) -> Flowable:
    table = Table([[""]], colWidths=[width], rowHeights=[6])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.8, INK)]))
    return table
