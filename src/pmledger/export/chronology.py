"""The chronology: one row per record, in date order, the same in the PDF and in JSON.

Rows are derived from the signed events alone, so `verify-bundle` can derive them again and
hold both the bundle's chronology.json and the PDF's printed table against the events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Final, Literal
from uuid import UUID

import orjson

from pmledger.events.signed_event import CaseEvent
from pmledger.events.values import FrozenModel
from pmledger.export.presentation import day, describe, who

FORMAT: Final = "pmledger-chronology/1"
_VISIBLE = re.compile(r"[^!-~]")


class ChronologyRow(FrozenModel):
    version: int
    occurred_on: date
    event: str
    who: str

    def cells(self) -> tuple[str, str, str, str]:
        """The row as the PDF table prints it (without the page column)."""
        return day(self.occurred_on), f"v{self.version}", self.event, self.who


class ChronologyEntry(ChronologyRow):
    page: int
    """The PDF page where the full record is printed."""

    @property
    def row(self) -> ChronologyRow:
        return ChronologyRow(
            version=self.version, occurred_on=self.occurred_on, event=self.event, who=self.who
        )


class Chronology(FrozenModel):
    format: Literal["pmledger-chronology/1"] = FORMAT
    case_id: UUID
    as_of: date
    rows: tuple[ChronologyEntry, ...]

    def encode(self) -> bytes:
        return encode_json(self.model_dump(mode="json"))


def chronology_rows(events: Iterable[CaseEvent]) -> list[ChronologyRow]:
    rows = [
        ChronologyRow(
            version=event.originator_version,
            occurred_on=event.occurred_on,
            event=describe(event),
            who=who(event),
        )
        for event in events
    ]
    return sorted(rows, key=lambda r: (r.occurred_on, r.version))


def encode_json(value: object) -> bytes:
    """Readable yet canonical JSON (sorted keys, two-space indent), so any edit shows."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def visible(text: str) -> str:
    """Only printable ASCII, without spaces: how printed text is compared with expected text.

    Text pulled out of a PDF differs from what was drawn in line breaks, spacing and in any
    glyph the font lacks; comparing the visible ASCII characters is immune to all three and
    still pins every date, version number, id and word.
    """
    return _VISIBLE.sub("", text)


def printed_row_key(row: ChronologyRow, page: int) -> str:
    return visible("".join(row.cells()) + str(page))
