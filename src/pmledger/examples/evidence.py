"""Documents the example cases carry: what a school would scan or export and attach.

The Formal PIP agreed at Oakfield's first formal meeting, as the signed-on-paper plan the
line manager attaches to the record (a PDF the bundle inserts as pages as it is).
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pmledger.events.documents import PDF
from pmledger.ledger.attachments import Attachment

FORMAL_PIP_LINES = (
    ("Oakfield Primary — Formal Performance Improvement Plan", 14),
    ("Tom Baker, Class Teacher (Year 4)   Plan fpip-1   Agreed 16 October 2025", 10),
    ("Monitoring period: 3 November 2025 to 15 December 2025 (6 weeks)", 10),
    ("", 10),
    ("Target 1: Behaviour routines embedded in every lesson.", 10),
    ("   Success: no more than 2 incidents a week from week 2; two observations secure.", 10),
    ("Target 2: Maths planning adapted for all groups.", 10),
    ("   Success: weekly plans adapted; book scrutiny in week 5 shows progress.", 10),
    ("", 10),
    ("Support: weekly coaching; a half-day at Fernbrook Primary; maths lead co-plans.", 10),
    ("Monitoring: weekly meetings (Mondays); observations in weeks 2 and 5.", 10),
    ("", 10),
    ("Signed: Michael Osei, Deputy Headteacher          Signed: Tom Baker", 10),
)


@cache
def formal_pip() -> Attachment:
    """The Formal PIP as a one-page PDF (built once: its digest is what the record signs)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle("Formal Performance Improvement Plan")
    y = A4[1] - 30 * mm
    for text, size in FORMAL_PIP_LINES:
        canvas.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
        canvas.drawString(25 * mm, y, text)
        y -= size * 1.8
    canvas.showPage()
    canvas.save()
    return Attachment(out.getvalue(), PDF, "formal-pip-tom-baker.pdf")
