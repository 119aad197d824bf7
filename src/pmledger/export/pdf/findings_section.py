"""Findings: where the record departs from the procedure, and deadlines still open."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.pdf.context import FINDINGS, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import grid, para
from pmledger.export.presentation import day

REASON_SHOWN = 300

FINDING_WIDTHS = [22 * mm, 10 * mm, 48 * mm, 47 * mm, 47 * mm]
"""Date, version, rule, finding, stated reason. A stated reason runs to a few sentences, as
long as the finding it answers, so the two share the width equally; the rule column keeps
just enough for the longest rule id on one line."""


def findings_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    status = ctx.extract.status
    people = ctx.extract.people
    flowables: list[Flowable] = [
        Heading(FINDINGS.title, s.h1, FINDINGS.anchor, FINDINGS.title),
        para(
            f"Judged under the procedure version each record names, as on {day(status.as_of)}. "
            "A finding is a requirement of the procedure the record does not meet; a deviation "
            "is one the procedure allows with a stated reason, shown with that reason (and who "
            "gave it and when, if it was given in a later record). A finding's id is its rule "
            "and the record it is about.",
            s.muted,
        ),
    ]
    compliance = status.compliance
    if compliance:
        header = ("Date", "Ver.", "Finding id", "Finding", "Stated reason")
        rows = [[para(f"<b>{h}</b>", s.cell) for h in header]]
        for f in compliance:
            rows.append(
                [
                    para(day(f.occurred_on), s.cell),
                    para(f"v{f.version}", s.cell),
                    para(f"{esc(f.id)}<br/>{esc(f.rule.source)} · {f.severity.value}", s.cell),
                    para(esc(f.message), s.cell),
                    para(esc(_short(f.reason_words(people.short, day) or "—")), s.cell),
                ]
            )
        table = Table(rows, colWidths=FINDING_WIDTHS, repeatRows=1, splitInRow=1)
        table.setStyle(grid())
        flowables.append(table)
    else:
        flowables.append(para("No findings: every act met the procedure as recorded.", s.body))
    open_deadlines = status.open_deadlines
    flowables.append(para(f"Deadlines open on {day(status.as_of)}", s.h2))
    if not open_deadlines:
        flowables.append(para("None.", s.body))
        return flowables
    rows = [[para(f"<b>{h}</b>", s.cell) for h in ("Due", "What", "Rule", "From")]]
    for d in sorted(open_deadlines, key=lambda d: (d.due_on is None, d.due_on)):
        rows.append(
            [
                para(day(d.due_on) if d.due_on else d.no_due_date_words, s.cell),
                para(esc(d.description), s.cell),
                para(f"{esc(d.rule.id)} ({esc(d.rule.source)})", s.cell),
                para(f"v{d.anchor_version}", s.cell),
            ]
        )
    table = Table(rows, colWidths=[24 * mm, 88 * mm, 48 * mm, 14 * mm], repeatRows=1)
    table.setStyle(grid())
    flowables.append(table)
    return flowables


def _short(reason: str) -> str:
    """A stated reason as the table can hold it; its record carries it in full."""
    if len(reason) <= REASON_SHOWN:
        return reason
    return reason[:REASON_SHOWN].rstrip() + " … (in full with the record)"
