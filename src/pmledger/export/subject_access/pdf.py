"""The readable copy of a subject access answer, printed from the answer's own data."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table

from pmledger.export.pdf.styles import PAGE_MARGIN, fonts, grid, para, styles
from pmledger.export.presentation import day, words

WIDTH = A4[0] - 2 * PAGE_MARGIN


def render_answer_pdf(answer: dict[str, Any]) -> bytes:
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title="Subject access request: the personal data we hold about you",
        invariant=1,
    )
    document.build(_story(answer), onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


def _footer(canvas: Canvas, document: Any) -> None:
    canvas.saveState()
    canvas.setFont(fonts().regular, 7.5)
    canvas.drawRightString(A4[0] - PAGE_MARGIN, 10 * mm, f"Page {document.page}")
    canvas.drawString(PAGE_MARGIN, 10 * mm, "Subject access answer (UK GDPR Art. 15)")
    canvas.restoreState()


def _p(text: str, style: str = "body") -> Flowable:
    return para(escape(text).replace("\n", "<br/>"), getattr(styles(), style))


def _table(rows: list[list[str]], widths: list[float]) -> Flowable:
    cells = [[_p(c, "cell") for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(grid())
    return table


def _story(answer: dict[str, Any]) -> list[Flowable]:
    entry = answer["directory_entry"]
    name = entry["name"] or answer["person_id"]
    story: list[Flowable] = [
        Spacer(1, 40 * mm),
        _p("Subject access request", "title"),
        Spacer(1, 6 * mm),
        _p(f"The personal data we hold about {name}", "subtitle"),
        _p(f"as of {day(_date(answer['as_of']))}, prepared by {answer['prepared_by']}", "subtitle"),
        Spacer(1, 12 * mm),
        _p(
            f"This answer holds {sum(len(c['records']) for c in answer['cases'])} records of "
            f"{len(answer['cases'])} case(s), {len(answer['documents'])} document(s), "
            f"{len(answer['access_log'])} access-log entries and "
            f"{len(answer['disposal_certificates'])} disposal certificate(s). The same data is "
            "in subject-access.json, and the documents themselves in documents/, in the zip "
            "this PDF came in."
        ),
        PageBreak(),
        _p("How other people's data was withheld", "h1"),
    ]
    story += [_p(block) for block in answer["redaction_rule"].split("\n\n")]
    story += [_p("Your directory entry", "h1")]
    rows = [["", ""]] + [
        [words(k), ", ".join(v) if isinstance(v, list) else str(v)] for k, v in entry.items() if v
    ]
    story.append(_table(rows, [40 * mm, WIDTH - 40 * mm]))
    for case in answer["cases"]:
        story += [
            PageBreak(),
            _p(f"Case at {case['school']} ({case['procedure']})", "h1"),
            _p(f"{case['organisation']}, staff reference {case['employee_ref']}", "muted"),
        ]
        for record in case["records"]:
            story.append(
                _p(
                    f"{day(_date(record['occurred_on']))} · v{record['version']} · "
                    f"{record['title']}",
                    "h2",
                )
            )
            story.append(_p(record["sentence"]))
            details = [f"{words(k)}: {_flat(v)}" for k, v in record["fields"].items() if _flat(v)]
            if record["deviation_reason"]:
                details.append(
                    f"Reason given for departing from the procedure: {record['deviation_reason']}"
                )
            if details:
                story.append(_p("\n".join(details), "muted"))
    story += [PageBreak(), _p("Documents", "h1")]
    rows = [["Date", "Document", "In the zip"]] + [
        [
            d["occurred_on"],
            f"{d['file_name']} ({d['media_type']}, {d['size']} bytes)",
            d.get("member") or f"withheld: {d.get('withheld') or d.get('unavailable')}",
        ]
        for d in answer["documents"]
    ]
    story.append(_table(rows, [22 * mm, 70 * mm, WIDTH - 92 * mm]))
    story += [_p("Who read your records", "h1")]
    rows = [["Date", "By", "What", "Allowed"]] + [
        [a["on"], a["by"], words(a["operation"]), "yes" if a["allowed"] else "refused"]
        for a in answer["access_log"]
    ]
    story.append(_table(rows, [22 * mm, 60 * mm, 60 * mm, WIDTH - 142 * mm]))
    story += [_p("Disposal certificates", "h1")]
    if not answer["disposal_certificates"]:
        story.append(_p("None of your records has been disposed of yet."))
    for certificate in answer["disposal_certificates"]:
        story.append(_p(_flat(certificate)))
    story += [_p("Withheld", "h1")]
    rows = [["Where", "What", "Ground"]] + [
        [
            f"{r['case']} v{r['version']}",
            f"document {r['document'][:16]}…" if "document" in r else f"{r['withheld']} piece(s)",
            r["ground"],
        ]
        for r in answer["redactions"]
    ]
    story.append(_table(rows, [50 * mm, 35 * mm, WIDTH - 85 * mm]))
    return story


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{words(k)}: {_flat(v)}" for k, v in value.items() if _flat(v))
    if isinstance(value, list):
        return ", ".join(_flat(v) for v in value if _flat(v))
    if value is None or value is False or value == "":
        return ""
    return "yes" if value is True else str(value)


def _date(text: str) -> date:
    return date.fromisoformat(text)
