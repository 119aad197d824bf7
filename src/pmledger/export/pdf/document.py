"""The page machinery: page templates, "Page N of M", bookmarks, and the two-pass build.

Where a heading lands is only known once the pages are laid out, yet the index and the
chronology must print those page numbers. So the bundle is built twice from one story: the
first pass records where every heading landed; the second prints those numbers. Page numbers
are drawn by `PageRef` cells of fixed size, so printing them moves nothing, and the second
pass must find every heading where the first put it (else a third pass runs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate, IndexingFlowable
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.styles import INK, MUTED, PAGE_MARGIN, RULE, fonts

MAX_PASSES = 4
ANCHOR = "pmledger-anchor"
PAGE_ENDED = "pmledger-page-ended"


@dataclass
class PageMap:
    """Where each anchor landed in the last pass, and how many pages there were."""

    pages: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def page(self, anchor: str) -> str:
        """The page as printed; a placeholder until a pass has placed the anchor."""
        found = self.pages.get(anchor)
        return str(found) if found else "?"

    def number(self, anchor: str) -> int:
        return self.pages.get(anchor, 0)


class PageRef(Flowable):  # type: ignore[misc]  # reportlab ships no type information
    """A table cell printing the page an anchor is on, right-aligned, as the pass knows it."""

    def __init__(self, pages: PageMap, anchor: str, size: float = 8.5) -> None:
        super().__init__()
        self.pages = pages
        self.anchor = anchor
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size * 1.25

    def draw(self) -> None:
        canvas: Canvas = self.canv
        canvas.setFont(fonts().regular, self.size)
        canvas.setFillColor(INK)
        canvas.drawRightString(self.width, self.size * 0.35, self.pages.page(self.anchor))


class PageNumbers(IndexingFlowable):  # type: ignore[misc]  # reportlab ships no types
    """Invisible: hears where each anchor lands and is satisfied when a pass moved none.

    Before each pass it hands what the previous pass found to the `PageRef` cells.
    """

    def __init__(self, pages: PageMap) -> None:
        super().__init__()
        self.pages = pages
        self._found: dict[str, int] = {}
        self._total = 0

    def beforeBuild(self) -> None:  # noqa: N802 - reportlab's hook name
        if self._found:
            self.pages.pages, self.pages.total = self._found, self._total
        self._found, self._total = {}, 0

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == ANCHOR:
            anchor, page = stuff
            self._found[anchor] = page
        elif kind == PAGE_ENDED:
            self._total = stuff

    def isSatisfied(self) -> bool:  # noqa: N802 - reportlab's hook name
        return self._found == self.pages.pages and self._total == self.pages.total

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        return


class Heading(Paragraph):  # type: ignore[misc]  # reportlab ships no type information
    """A paragraph that marks a place: a bookmark, an outline entry and an index target."""

    def __init__(self, text: str, style: Any, anchor: str, outline: str, level: int = 0) -> None:
        super().__init__(text, style)
        self.anchor = anchor
        self.outline = outline
        self.level = level


@dataclass(frozen=True)
class Running:
    """Text repeated on every page after the cover, and the date the document carries."""

    header: str
    footer_left: str
    dated: date


class BundleDocument(BaseDocTemplate):  # type: ignore[misc]  # reportlab ships no types
    def __init__(self, out: BytesIO, pages: PageMap, running: Running, **info: Any) -> None:
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=PAGE_MARGIN + 4,
            bottomMargin=PAGE_MARGIN + 2,
            invariant=1,
            pageCompression=1,
            **info,
        )
        self.pages = pages
        self.running = running
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook name
        if not isinstance(flowable, Heading):
            return
        self.notify(ANCHOR, (flowable.anchor, self.page))
        canvas: Canvas = self.canv
        canvas.bookmarkPage(flowable.anchor)
        canvas.addOutlineEntry(
            flowable.outline, flowable.anchor, level=flowable.level, closed=flowable.level == 0
        )

    def afterPage(self) -> None:  # noqa: N802 - reportlab's hook name
        self.notify(PAGE_ENDED, self.page)

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        f = fonts()
        width, height = A4
        canvas.saveState()
        if doc.page == 1:
            canvas.showOutline()
            stamp = f"D:{self.running.dated:%Y%m%d}000000+00'00'"
            canvas.setDateFormatter(lambda *_: stamp)
        total = self.pages.total or "?"
        canvas.setFont(f.bold, 9)
        canvas.setFillColor(MUTED)
        canvas.drawCentredString(width / 2, PAGE_MARGIN - 4, f"Page {doc.page} of {total}")
        if doc.page > 1:
            canvas.setFont(f.regular, 7.5)
            canvas.drawString(PAGE_MARGIN, height - PAGE_MARGIN + 2, self.running.header)
            canvas.drawString(PAGE_MARGIN, PAGE_MARGIN - 4, self.running.footer_left)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.5)
            top = height - PAGE_MARGIN
            canvas.line(PAGE_MARGIN, top, width - PAGE_MARGIN, top)
        canvas.restoreState()


def render(
    story_for: Callable[[PageMap], list[Flowable]], running: Running, **info: Any
) -> tuple[bytes, PageMap]:
    """Build until a pass finds every anchor where the previous pass put it (normally two).

    This is reportlab's own multi-pass build (`multiBuild`, as for its tables of contents):
    one story, laid out again on each pass with only the `PageRef` cells printing
    differently, and only the last pass written out.
    """
    pages = PageMap()
    out = BytesIO()
    doc = BundleDocument(out, pages, running, **info)
    doc.multiBuild([PageNumbers(pages), *story_for(pages)], maxPasses=MAX_PASSES)
    return out.getvalue(), pages
