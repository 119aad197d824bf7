"""What is around a letter's body: letterhead, recipient, date, greeting, sign-off.

The frame is the same for the PDF and the DOCX, and differs by layout: a letter is addressed
and signed ("Dear Mr Baker" … "Yours sincerely"), a memo has To/From/Date lines, a form has a
title and is signed in its own signature block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pmledger.export.presentation import long_day
from pmledger.letters.markup import Block, Heading, Paragraph, TableBlock
from pmledger.letters.template import LetterTemplate
from pmledger.projections.people import PersonDetails


@dataclass(frozen=True)
class Frame:
    letterhead: str
    letterhead_sub: str
    recipient: tuple[str, ...]
    date_line: str
    reference_line: str
    footer: str
    blocks: list[Block]
    title: str
    landscape: bool = False


def frame(
    template: LetterTemplate,
    body: list[Block],
    *,
    employee: PersonDetails,
    sender: PersonDetails,
    letter_date: date,
    reference: str,
    school_name: str,
    organisation_name: str,
) -> Frame:
    meta = template.meta
    footer = f"Ref {reference} · template {meta.id} ({meta.source})"
    if meta.layout == "letter":
        blocks: list[Block] = [
            Paragraph("**PRIVATE AND CONFIDENTIAL**"),
            Paragraph(f"Dear {employee.greeting}"),
        ]
        if meta.subject:
            blocks.append(Heading(meta.subject))
        blocks += body
        blocks += [
            Paragraph("Yours sincerely"),
            Paragraph(" "),
            Paragraph(" "),
            Paragraph(f"**{sender.short}**"),
        ]
        if sender.job_title:
            blocks.append(Paragraph(sender.job_title))
        if meta.enclosures:
            blocks.append(Paragraph("Encl: " + "; ".join(meta.enclosures)))
        recipient = (employee.short, *employee.address)
        date_line = long_day(letter_date)
    elif meta.layout == "memo":
        blocks = [
            Heading(meta.title),
            TableBlock(
                (
                    ("To", employee.label),
                    ("From", sender.label),
                    ("Date", long_day(letter_date)),
                ),
                header=False,
            ),
            *body,
        ]
        recipient, date_line = (), ""
    else:
        blocks = [Heading(meta.title), Paragraph("**CONFIDENTIAL**"), *body]
        recipient, date_line = (), ""
    return Frame(
        letterhead=school_name,
        letterhead_sub=organisation_name,
        recipient=recipient,
        date_line=date_line,
        reference_line=f"Our ref: {reference}" if meta.layout == "letter" else "",
        footer=footer,
        blocks=blocks,
        title=meta.title,
        landscape=meta.landscape,
    )
