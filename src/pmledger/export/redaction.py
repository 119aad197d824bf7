"""Redaction: what of a case a bundle does not show, withheld and listed.

A bundle is made by a named person and shows each record only as far as that person may read
it (`Disclosure`). Beyond that, the exporter may redact what they can read on a legal ground
from a fixed list (`RedactionGround`: third parties' data, legal privilege, without-prejudice
talks) — a record's personal content, or a document. A withheld record keeps everything that is
not personal content — its date, kind, signer, signature and digest, all of which the chronology
and the zip's stored envelopes carry anyway (sealed), so the bundle still verifies — and each
piece of its personal content is replaced by a mark saying why; a redacted document is left out
of the PDF and the zip, its digest still in the signed record. Every redaction is listed, in
the PDF's Redactions section and in the zip's `redactions.json`, so the reader of a bundle
knows exactly what they were not given and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, Literal
from uuid import UUID

from pmledger.errors import FieldError, InvalidInput
from pmledger.events.personal import recorded_personal_strings, rewrite_recorded
from pmledger.events.signed_event import CaseEvent
from pmledger.events.values import FrozenModel
from pmledger.export.chronology import encode_json

REDACTIONS: Final = "redactions.json"
FORMAT: Final = "pmledger-redactions/1"
WITHHELD: Final = "[redacted: not disclosed to the exporter]"
"""What a bundle prints in place of each piece of personal content the exporter may not read."""


class RedactionGround(StrEnum):
    """The legal grounds an exporter may redact what they can read on: a fixed list, because
    a ground is a legal claim the bundle's reader may challenge, not free text."""

    THIRD_PARTY_DATA = "third_party_data"
    LEGAL_PRIVILEGE = "legal_privilege"
    WITHOUT_PREJUDICE = "without_prejudice"

    @property
    def words(self) -> str:
        return GROUND_WORDS[self]

    @property
    def mark(self) -> str:
        """What the bundle prints in place of what is redacted on this ground."""
        return f"[Redacted — ground: {self.words}]"


GROUND_WORDS: Final = {
    RedactionGround.THIRD_PARTY_DATA: (
        "third-party personal data (UK GDPR Art. 15(4); DPA 2018 Sch. 2 para 16)"
    ),
    RedactionGround.LEGAL_PRIVILEGE: "legal professional privilege (DPA 2018 Sch. 2 para 19)",
    RedactionGround.WITHOUT_PREJUDICE: (
        "without prejudice communication (settlement talks; ERA 1996 s.111A)"
    ),
}


class Redaction(FrozenModel):
    version: int
    occurred_on: date
    kind: str
    fields: int
    """How many pieces of personal content were withheld."""
    reason: str
    ground: RedactionGround | None = None
    """The legal ground the exporter chose (None: withheld because the exporter may not read
    it)."""
    document: str | None = None
    """The SHA-256 of the document redacted (None: the record's own content)."""


@dataclass(frozen=True)
class ChosenRedaction:
    """A redaction the exporter asks for: a record (`v12`) or a document (its SHA-256 or a
    unique prefix of 8+ hex digits), on a ground from `RedactionGround`."""

    target: str
    ground: RedactionGround

    @classmethod
    def parse(cls, text: str) -> ChosenRedaction:
        """`TARGET=GROUND`, as `pmledger export --redact` takes it."""
        target, sep, ground = (part.strip() for part in text.partition("="))
        if not sep or not target:
            raise _wrong("redact", f"{text!r}: give RECORD_OR_DOCUMENT=GROUND, e.g. v12={_LIST[0]}")
        return cls.of(target, ground)

    @classmethod
    def of(cls, target: str, ground: str) -> ChosenRedaction:
        try:
            chosen = RedactionGround(ground)
        except ValueError:
            raise _wrong(
                "redact.ground",
                f"{ground!r} is not a redaction ground; use one of {', '.join(_LIST)}",
            ) from None
        target = target.lower()
        if not (RECORD.fullmatch(target) or DOCUMENT.fullmatch(target)):
            raise _wrong(
                "redact.target",
                f"{target!r} names neither a record (v12) nor a document (8 to 64 hex digits "
                "of its SHA-256)",
            )
        return cls(target, chosen)

    @property
    def version(self) -> int | None:
        """The record version it names (None: it names a document)."""
        found = RECORD.fullmatch(self.target)
        return int(found.group(1)) if found else None


RECORD: Final = re.compile(r"v(\d+)")
DOCUMENT: Final = re.compile(r"[0-9a-f]{8,64}")
_LIST: Final = tuple(g.value for g in RedactionGround)


def _wrong(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"--redact {message}", [FieldError(field, message, "redaction")])


class Redactions(FrozenModel):
    format: Literal["pmledger-redactions/1"] = FORMAT
    case_id: UUID
    exported_by: str
    """The person and role the bundle was made for, whose access decided what is withheld."""
    redactions: tuple[Redaction, ...]

    def encode(self) -> bytes:
        """The JSON; an entry names a ground and a document only when it has them, so an
        access refusal reads as it always has."""
        return encode_json(self.model_dump(mode="json", exclude_none=True))


def redacted(event: CaseEvent, mark: str = WITHHELD) -> CaseEvent:
    """The event with each piece of personal content (its deviation reason too) replaced by
    `mark`."""
    return rewrite_recorded(event, lambda _: mark)


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
