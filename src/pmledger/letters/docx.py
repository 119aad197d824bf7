"""A letter as a Word document: the committed base template (`base/letter.docx`, made by
`scripts/make_letter_base.py`) filled with docxtpl, its body a sub-document drawn from the
letter's blocks. A DOCX is what HR edits before sending; an edited copy can be recorded as
the letter as sent (`Letters.record(…, sent=…)`)."""

from __future__ import annotations

from importlib.resources import as_file, files
from io import BytesIO
from typing import Any

from docx.enum.section import WD_ORIENT
from docxtpl import DocxTemplate

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

BASE = files("pmledger.letters") / "base" / "letter.docx"


def render_docx(frame: Frame) -> bytes:
    with as_file(BASE) as path:
        template = DocxTemplate(str(path))
        body = template.new_subdoc()
        for block in frame.blocks:
            _add(body, block)
        template.render(
            {
                "letterhead": frame.letterhead,
                "letterhead_sub": frame.letterhead_sub,
                "recipient": list(frame.recipient),
                "date_line": frame.date_line,
                "reference_line": frame.reference_line,
                "footer": frame.footer,
                "body": body,
            }
        )
        template.docx.core_properties.title = frame.title
        if frame.landscape:
            section = template.docx.sections[0]
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        out = BytesIO()
        template.save(out)
    return out.getvalue()


def _add(doc: Any, block: Block) -> None:
    if isinstance(block, Paragraph):
        _runs(doc.add_paragraph(), block.text)
    elif isinstance(block, Heading):
        paragraph = doc.add_paragraph()
        paragraph.add_run(block.text).bold = True
    elif isinstance(block, Bullets):
        for item in block.items:
            _runs(doc.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, TableBlock):
        columns = max(len(row) for row in block.rows)
        table = doc.add_table(rows=len(block.rows), cols=columns)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for i in range(columns):
                cell = table.cell(r, i)
                text = row[i] if i < len(row) else ""
                paragraph = cell.paragraphs[0]
                _runs(paragraph, text, bold=block.header and r == 0)
        doc.add_paragraph()
    elif isinstance(block, Signatures):
        for party in block.parties:
            doc.add_paragraph(
                f"Signed ({party}): ______________________________   Date: ____________"
            )
    else:
        assert isinstance(block, Lines)
        for _ in range(block.count):
            doc.add_paragraph("_" * 80)


def _runs(paragraph: Any, text: str, *, bold: bool = False) -> None:
    for part, strong in runs(text):
        paragraph.add_run(part).bold = strong or bold
