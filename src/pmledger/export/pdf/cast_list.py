"""Cast list: everyone who acted in the case or is named in its records, with their part."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Table
from reportlab.platypus.flowables import Flowable

from pmledger.events.meeting_acts import Attendee
from pmledger.export.case_extract import CaseExtract
from pmledger.export.pdf.context import CAST, BundleContext, esc
from pmledger.export.pdf.document import Heading
from pmledger.export.pdf.styles import cell, grid, para
from pmledger.export.presentation import act_fields, day, field_label, presented_value, role_words

WIDTHS = (40 * mm, 62 * mm, 28 * mm, 44 * mm)
SHOWN_VERSIONS = 6
"""A part played in more records than this is summarised (first few, last, count)."""


@dataclass
class Person:
    person_id: str
    roles: list[str] = field(default_factory=list)
    named_as: dict[str, list[int]] = field(default_factory=dict)
    """Part named in records (monitor, chair …) → the versions naming them in it."""
    records: int = 0
    first: date | None = None
    last: date | None = None
    keys: list[str] = field(default_factory=list)

    def acted(self, role: str, on: date, key_id: str) -> None:
        if role not in self.roles:
            self.roles.append(role)
        self.records += 1
        self.first = min(self.first or on, on)
        self.last = max(self.last or on, on)
        if key_id not in self.keys:
            self.keys.append(key_id)

    def named(self, part: str, version: int | None = None) -> None:
        versions = self.named_as.setdefault(part, [])
        if version is not None and version not in versions:
            versions.append(version)


def people(extract: CaseExtract) -> list[Person]:
    """Actors first, in order of first appearance, then people only named in records."""
    found: dict[str, Person] = {}

    def person(person_id: str) -> Person:
        return found.setdefault(person_id, Person(person_id))

    person(extract.opened.employee_person_id).named("employee (the subject of this case)")
    for record in extract.records:
        event = record.event
        person(event.actor.person_id).acted(
            role_words(event.actor), event.occurred_on, event.key_id
        )
        for name in act_fields(event):
            value = presented_value(event, name)
            if name.endswith("person_id") and name != "employee_person_id":
                if isinstance(value, str):
                    person(value).named(field_label(name).lower(), record.version)
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, Attendee):
                        person(item.person_id).named(f"attendee: {item.role}", record.version)
    return sorted(found.values(), key=lambda p: p.records == 0)


def cast_list(ctx: BundleContext) -> list[Flowable]:
    s = ctx.styles
    rows: list[list[object]] = [["Person", "Part in the case", "Records signed", "Signing key"]]
    directory = ctx.extract.people
    for p in people(ctx.extract):
        entry = directory[p.person_id]
        lines = [f"<b>{esc(entry.name or p.person_id)}</b>"]
        if entry.known:
            lines += [esc(entry.job_title or ""), f"<font size=7>{esc(p.person_id)}</font>"]
        elif entry.disposed:
            lines.append(esc(f"directory entry {entry.disposed}"))
        named = para("<br/>".join(line for line in lines if line), s.cell)
        parts = [f"acted as {role}" for role in p.roles]
        parts += [f"named as {part}{_versions(vs)}" for part, vs in p.named_as.items()]
        signed = f"{p.records} ({day(p.first)} to {day(p.last)})" if p.first and p.last else "none"
        rows.append(
            [
                named,
                cell("\n".join(parts), WIDTHS[1]),
                cell(signed, WIDTHS[2]),
                cell("\n".join(p.keys) or "—", WIDTHS[3], s.cell_mono),
            ]
        )
    table = Table(rows, colWidths=WIDTHS, repeatRows=1, splitInRow=1)
    table.setStyle(grid())
    return [
        Heading(CAST.title, s.h1, CAST.anchor, CAST.title),
        para(
            "People appear by name and job title from the ledger's directory, with the "
            "identifier the records name them by (an entry the retention schedule has disposed "
            "of says so); the keys are those their records are signed with (see the "
            "verification appendix).",
            s.muted,
        ),
        table,
    ]


def _versions(versions: list[int]) -> str:
    if not versions:
        return ""
    shown = [f"v{v}" for v in versions]
    if len(shown) > SHOWN_VERSIONS:
        shown = [*shown[:3], "…", shown[-1], f"{len(versions)} records"]
    return f" ({', '.join(shown)})"
