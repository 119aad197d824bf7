"""Records: every record in date order, in full, with its signature and countersignature.

Short fields sit in a table beside their labels; long free text (minutes, statements) is set
below the table as ordinary paragraphs, because a table row cannot break across pages and
minutes may run to many pages.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table
from reportlab.platypus.flowables import Flowable

from pmledger.export.case_extract import BundleRecord
from pmledger.export.narration import form_boxes, narrate, timing_note
from pmledger.export.pdf.context import (
    RECORDS,
    BundleContext,
    acknowledgement_text,
    esc,
    exporter_words,
    record_anchor,
    signature_text,
)
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import BAD, GOOD, cell, grid, para
from pmledger.export.presentation import (
    act_fields,
    day,
    field_label,
    moment,
    presented_value,
    record_heading,
    role_words,
    title,
    value_lines,
)

LONG_TEXT = 400
"""Values longer than this (characters) are set as paragraphs below the record's table."""
LABEL_WIDTH = 34 * mm
VALUE_WIDTH = 140 * mm


def records_section(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    flowables: list[Flowable] = [
        Heading(RECORDS.title, s.h1, RECORDS.anchor, RECORDS.title),
        para(
            "Every record of the case in date order, as signed: first what it records, in words, "
            "then its fields. People are named from the ledger's directory (ids stay in the "
            'records, for the signatures). "Signature" says whether the '
            "record's Ed25519 signature, its link to the previous record and its key's validity "
            'were verified when this bundle was made; "Countersignature" says whether the '
            "employee has signed the record's digest, as the forms require for formal records.",
            s.muted,
        ),
    ]
    for record in ctx.extract.in_date_order():
        flowables += _record(ctx, record)
    return flowables


def _record(ctx: BundleContext, record: BundleRecord) -> list[Flowable]:
    s = ctx.styles
    event = record.event
    people = ctx.extract.people
    heading = record_heading(record.version, event.occurred_on, event.kind)
    outline = f"v{record.version} {day(event.occurred_on)} {title(event.kind)}"
    actor = event.actor.person_id
    signer = people.label(actor)
    rows: list[tuple[str, str]] = [
        (
            "Recorded by",
            f"{signer}, {role_words(event.actor)}"
            if signer == actor
            else f"{signer}; {actor}, {role_words(event.actor)}",
        ),
        ("When", f"occurred {day(event.occurred_on)}; recorded {moment(event.timestamp)}"),
        ("Procedure", f"{event.pack.id} version {event.pack.version}"),
    ]
    long: list[tuple[str, str]] = []
    reason = presented_value(event, "deviation_reason")
    if isinstance(reason, str):
        (long if len(reason) > LONG_TEXT else rows).append(("Deviation reason", reason))
    for name in act_fields(event):
        value = presented_value(event, name)
        if isinstance(value, bool) or name == "confirms":
            continue  # said in the record's sentence
        if name == "contents" and value is not None:
            long += form_boxes(event)  # the form's boxes, headed as the form heads them
            continue
        if name.endswith("person_id") and isinstance(value, str) and people[value].known:
            value = f"{people.label(value)}; {value}"
        lines = value_lines(value)
        if lines:
            text = "\n".join(lines)
            (long if len(text) > LONG_TEXT else rows).append((field_label(name), text))
    redaction = record.redaction
    if redaction is not None and redaction.ground is not None:
        rows.append(
            (
                "Redacted",
                f"{redaction.fields} piece(s) of personal content, and any document it carries, "
                f"redacted by {exporter_words(ctx.extract)}. {redaction.reason}",
            )
        )
    elif redaction is not None:
        rows.append(
            (
                "Redacted",
                f"{redaction.fields} piece(s) of personal content withheld from "
                f"{exporter_words(ctx.extract)}: {redaction.reason}",
            )
        )
    signature_row = len(rows)
    rows += [
        ("Signature", signature_text(record)),
        ("Countersignature", acknowledgement_text(record)),
        ("Digest", record.digest),
    ]
    table = Table(
        [
            [cell(label, LABEL_WIDTH, s.cell_bold), cell(value, VALUE_WIDTH)]
            for label, value in rows
        ],
        colWidths=[LABEL_WIDTH, VALUE_WIDTH],
        splitInRow=1,
    )
    style = grid(header=False, labels=True)
    colour = GOOD if record.signature.verified else BAD
    style.add("TEXTCOLOR", (1, signature_row), (1, signature_row), colour)
    style.add("FONTSIZE", (1, -1), (1, -1), 7)
    table.setStyle(style)
    out: list[Flowable] = [
        Heading(esc(heading), s.h2, record_anchor(record.version), outline, level=1),
        para(esc(narrate(event, people)), s.body),
    ]
    note = timing_note(event)
    if note:
        out.append(para(esc(note), s.muted))
    out += [Spacer(1, 1.5 * mm), table]
    for label, text in long:
        out += [
            Spacer(1, 2 * mm),
            KeepTogether(
                [
                    para(f"<b>{esc(label)}</b>", s.small),
                    para(esc(text).replace("\n", "<br/>"), s.body),
                ]
            ),
        ]
    out.append(Spacer(1, 4 * mm))
    return out
