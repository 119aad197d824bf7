"""Assembles the sections into bundle.pdf, in the order a hearing bundle puts them."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer
from reportlab.platypus.flowables import Flowable

from pmledger.export.case_extract import CaseExtract
from pmledger.export.chronology import ChronologyRow
from pmledger.export.pdf.appendix import appendix
from pmledger.export.pdf.cast_list import cast_list
from pmledger.export.pdf.chronology_section import chronology
from pmledger.export.pdf.context import BundleContext, Claim
from pmledger.export.pdf.cover import cover
from pmledger.export.pdf.document import PageMap, Running, render
from pmledger.export.pdf.document_pages import Pages
from pmledger.export.pdf.documents_section import documents_section
from pmledger.export.pdf.findings_section import findings_section
from pmledger.export.pdf.index_page import index
from pmledger.export.pdf.letters_section import letters
from pmledger.export.pdf.merge import merge_documents
from pmledger.export.pdf.records_section import records_section
from pmledger.export.pdf.redactions_section import redactions_section
from pmledger.export.pdf.timeline_section import timeline_section
from pmledger.export.pdf.warnings_section import warnings_section
from pmledger.export.presentation import day
from pmledger.integrity.tree_head import SignedTreeHead

SectionBuilder = Callable[[BundleContext], list[Flowable]]

BUILDERS: tuple[tuple[SectionBuilder, bool], ...] = (
    (cover, False),
    (index, True),
    (chronology, True),
    (cast_list, False),
    (timeline_section, True),
    (warnings_section, False),
    (findings_section, False),
    (letters, False),
    (records_section, True),
    (documents_section, True),
    (redactions_section, True),
    (appendix, True),
)
"""Each section's builder, and whether it starts a new page (short sections run on)."""

RUN_ON_ROOM = 70 * mm
"""A running-on section starts a new page instead when less room than this is left."""


def render_bundle_pdf(
    extract: CaseExtract,
    rows: list[ChronologyRow],
    pmledger_version: str,
    checkpoint: SignedTreeHead,
    out: BinaryIO,
    documents: list[Pages] | None = None,
    claim: Claim | None = None,
) -> PageMap:
    """Write the bundle to `out`: laid out by reportlab, then each document's pages drawn onto
    the pages kept for them (see `documents_section` and `merge`)."""
    opened = extract.opened
    inserted = documents or []

    def story(pages: PageMap) -> list[Flowable]:
        ctx = BundleContext(
            extract, rows, pages, pmledger_version, checkpoint, documents=inserted, claim=claim
        )
        story: list[Flowable] = []
        for build, new_page in BUILDERS:
            if new_page:
                story.append(PageBreak())
            elif story:
                story += [Spacer(1, 8 * mm), CondPageBreak(RUN_ON_ROOM)]
            story += build(ctx)
        return story

    case = f"Hearing bundle — {opened.employee_ref} ({opened.organisation})"
    running = Running(
        header=f"{claim.header} — {case}" if claim and claim.header else case,
        footer_left=f"as of {day(extract.as_of)}",
        dated=extract.as_of,
    )
    laid_out, pages = render(
        story,
        running,
        title=f"Hearing bundle: {opened.employee_ref} ({opened.organisation})",
        author="pmledger",
        subject=f"Performance and capability records as of {extract.as_of.isoformat()}",
        creator=f"pmledger {pmledger_version}",
    )
    merge_documents(laid_out, inserted, pages, out)
    return pages
