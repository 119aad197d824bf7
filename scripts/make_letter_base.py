"""Builds src/pmledger/letters/base/letter.docx, the Word template every letter is filled into.

Run it (`.venv/bin/python scripts/make_letter_base.py`) after changing the layout below; the
.docx it writes is committed, so installing pmledger never runs this. The template is a
docxtpl (Jinja2-in-Word) document: a letterhead, the recipient's address block (a paragraph
loop), the date and reference, the body as a sub-document (paragraphs, lists, tables and
signature lines drawn from the letter's blocks) and a footer naming the template and source.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "src" / "pmledger" / "letters" / "base" / "letter.docx"
GREY = RGBColor(0x66, 0x66, 0x66)


def _rule_below(paragraph) -> None:  # type: ignore[no-untyped-def]
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", "8"),
        ("w:space", "4"),
        ("w:color", "111111"),
    ):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def build() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)

    head = doc.add_paragraph()
    run = head.add_run("{{ letterhead }}")
    run.bold = True
    run.font.size = Pt(16)
    head.paragraph_format.space_after = Pt(0)
    sub = doc.add_paragraph()
    run = sub.add_run("{{ letterhead_sub }}")
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    _rule_below(sub)

    doc.add_paragraph("{%p for line in recipient %}")
    line = doc.add_paragraph("{{ line }}")
    line.paragraph_format.space_after = Pt(0)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if date_line %}")
    dated = doc.add_paragraph()
    dated.add_run().add_break(WD_BREAK.LINE)
    dated.add_run("{{ date_line }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if reference_line %}")
    doc.add_paragraph("{{ reference_line }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{p body }}")

    footer = section.footer.paragraphs[0]
    run = footer.add_run("{{ footer }}")
    run.font.size = Pt(7.5)
    run.font.color.rgb = GREY

    doc.core_properties.author = "pmledger"
    doc.core_properties.title = "pmledger letter"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))


if __name__ == "__main__":
    build()
    print(OUT)
