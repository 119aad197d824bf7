"""Redaction: what of a case the exporting person may not see, withheld and listed.

A bundle is made by a named person and shows each record only as far as that person may read
it (`Disclosure`). A withheld record keeps everything that is not personal content — its date,
kind, signer, signature and digest, all of which the chronology and the zip's stored envelopes
carry anyway — and each piece of its personal content is replaced by `WITHHELD`. Every
redaction is listed, in the PDF's Redactions section and in the zip's `redactions.json`, so the
reader of a bundle knows exactly what they were not given and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final, Literal
from uuid import UUID

from pmledger.events.personal import recorded_personal_strings, rewrite_recorded
from pmledger.events.signed_event import CaseEvent
from pmledger.events.values import FrozenModel
from pmledger.export.chronology import encode_json

REDACTIONS: Final = "redactions.json"
FORMAT: Final = "pmledger-redactions/1"
WITHHELD: Final = "[redacted: not disclosed to the exporter]"
"""What a bundle prints in place of each piece of withheld personal content."""


class Redaction(FrozenModel):
    version: int
    occurred_on: date
    kind: str
    fields: int
    """How many pieces of personal content were withheld."""
    reason: str


class Redactions(FrozenModel):
    format: Literal["pmledger-redactions/1"] = FORMAT
    case_id: UUID
    exported_by: str
    """The person and role the bundle was made for, whose access decided what is withheld."""
    redactions: tuple[Redaction, ...]

    def encode(self) -> bytes:
        return encode_json(self.model_dump(mode="json"))


def redacted(event: CaseEvent) -> CaseEvent:
    """The stored event with each piece of personal content (its deviation reason too)
    replaced by `WITHHELD`."""
    return rewrite_recorded(event, lambda _: WITHHELD)


def redaction_of(event: CaseEvent, reason: str | None) -> Redaction | None:
    """The entry for a withheld record; None when nothing is withheld (no reason, or a record
    that carries no personal content, such as a date or an outcome)."""
    count = len(recorded_personal_strings(event))
    if reason is None or count == 0:
        return None
    return Redaction(
        version=event.originator_version,
        occurred_on=event.occurred_on,
        kind=event.kind,
        fields=count,
        reason=reason,
    )


def listed(redactions: Iterable[Redaction | None]) -> tuple[Redaction, ...]:
    return tuple(r for r in redactions if r is not None)
