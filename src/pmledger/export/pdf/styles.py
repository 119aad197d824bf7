"""Fonts, paragraph styles and table styles shared by every section of the bundle.

A Unicode font (DejaVu Sans) is embedded when the machine has one, because names and minutes
in UK schools routinely hold letters that the PDF standard fonts cannot print (Ł, ș, ğ …);
without it the standard Helvetica is used and such letters print as a box.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, TableStyle

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path.home() / "Library" / "Fonts",
)
_FACES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "mono": "DejaVuSansMono.ttf",
}

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
RULE = colors.HexColor("#cbd2d9")
HEADER_FILL = colors.HexColor("#e4e7eb")
ZEBRA = colors.HexColor("#f5f7fa")
GOOD = colors.HexColor("#1e7b34")
BAD = colors.HexColor("#b42318")
LINK = colors.HexColor("#1d4ed8")

PAGE_MARGIN = 18 * mm


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    mono: str


@cache
def fonts() -> Fonts:
    """Register DejaVu Sans once per process if found; otherwise use the standard fonts."""
    for folder in _FONT_DIRS:
        paths = {face: folder / file for face, file in _FACES.items()}
        if all(path.is_file() for path in paths.values()):
            for face, path in paths.items():
                pdfmetrics.registerFont(TTFont(f"Bundle-{face}", str(path)))
            pdfmetrics.registerFontFamily(
                "Bundle-regular",
                normal="Bundle-regular",
                bold="Bundle-bold",
                italic="Bundle-italic",
                boldItalic="Bundle-bold",
            )
            return Fonts("Bundle-regular", "Bundle-bold", "Bundle-italic", "Bundle-mono")
    return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Courier")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_mono: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    mono: ParagraphStyle


@cache
def styles() -> Styles:
    f = fonts()
    body = ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=13, textColor=INK)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        muted=ParagraphStyle(
            "muted", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=5
        ),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=f.bold),
        cell_mono=ParagraphStyle("cell_mono", parent=cell, fontName=f.mono, fontSize=7.5),
        title=ParagraphStyle(
            "title", parent=body, fontName=f.bold, fontSize=24, leading=30, alignment=TA_CENTER
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=12, leading=17, alignment=TA_CENTER, textColor=MUTED
        ),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=f.bold,
            fontSize=15,
            leading=19,
            spaceAfter=8,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=f.bold,
            fontSize=10.5,
            leading=14,
            spaceBefore=10,
            spaceAfter=3,
            keepWithNext=1,
        ),
        mono=ParagraphStyle("mono", parent=body, fontName=f.mono, fontSize=8.5, leading=11),
    )


def grid(header: bool = True, zebra: bool = True, labels: bool = False) -> TableStyle:
    """The one table look of the bundle: light rules, a grey header row, zebra rows.

    Plain-string cells take the cell font from here (bold in a label column or header row).
    """
    f = fonts()
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), f.regular, 8.5, 10.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if labels:
        commands.append(("FONT", (0, 0), (0, -1), f.bold, 8.5, 10.5))
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
        commands.append(("FONT", (0, 0), (-1, 0), f.bold, 8.5, 10.5))
    if zebra:
        commands.append(
            ("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, ZEBRA])
        )
    return TableStyle(commands)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from markup the caller has already escaped."""
    return Paragraph(text, style)


def cell(text: str, width: float, style: ParagraphStyle | None = None) -> str | Paragraph:
    """Plain text when it fits on one line; a wrapping paragraph (of `style`) otherwise.

    A table draws a plain string with no layout work at all, which is what keeps a bundle
    of thousands of records quick to build. `text` is plain (not markup); `width` is the
    column's width, and the plain string takes the table's font for that column.
    """
    chosen = style or styles().cell
    padding = 8
    if "\n" not in text and stringWidth(text, chosen.fontName, chosen.fontSize) + padding <= width:
        return text
    return Paragraph(escape(text).replace("\n", "<br/>"), chosen)
