"""How a recorded event reads in a bundle: titles, one-line descriptions, values, dates.

Every act field a bundle prints passes through `presented_value`, so the day a reader must
see "withheld from this reader" instead of a field's content, the substitution is made in
that one function and every page, table and JSON file follows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Literal, get_origin

from pydantic import BaseModel

from pmledger.events.actors import Actor
from pmledger.events.signed_event import CaseEvent

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_UPPER = {"hr": "HR", "hpmp": "HPMP", "pip": "PIP", "ect": "ECT", "cpd": "CPD", "pdp": "PDP"}
_DATED = {
    "scheduled_for": "for",
    "new_date": "moved to",
    "reconvene_on": "reconvenes",
    "hearing_on": "hearing",
    "effective_on": "effective",
}
"""Date fields worth a place in a one-line description, with the word that introduces them."""
_NAMED_REFERENCES = ("letter", "template", "form")


def presented_value(event: CaseEvent, field: str) -> object:
    """The value a bundle shows for one field of a record.

    `event` is the readable event (the ledger has opened its sealed personal content, or put
    a "disposed on DATE under RULE" marker where the key was destroyed), so today every field
    is shown as recorded. `field` is an act field or the event's own `deviation_reason`. This
    is the single point where a per-field substitution for the reader ("withheld from this
    reader") goes, so it must stay the only way export code reads those fields.
    """
    if field == "deviation_reason":
        return event.deviation_reason
    return getattr(event.act, field)


def act_fields(event: CaseEvent) -> list[str]:
    """The act's own fields in declaration order, without the discriminator."""
    return [name for name in type(event.act).model_fields if name != "kind"]


def day(value: date) -> str:
    """'22 Sep 2025': unambiguous on both sides of the Atlantic and independent of locale."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def long_day(value: date) -> str:
    """'16 October 2025', as British letters and the records' sentences write a date."""
    return f"{value.day} {_LONG_MONTHS[value.month - 1]} {value.year}"


def weekday(value: date) -> str:
    """'Thursday 16 October 2025'."""
    return f"{_WEEKDAYS[value.weekday()]} {long_day(value)}"


def moment(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def words(identifier: str) -> str:
    """'hr_advice_obtained' -> 'HR advice obtained'."""
    parts = [_UPPER.get(part, part) for part in identifier.split("_")]
    text = " ".join(parts)
    return text[:1].upper() + text[1:]


def field_label(name: str) -> str:
    return words(name.removesuffix("_person_id"))


def title(kind: str) -> str:
    return words(kind)


def role_words(actor: Actor) -> str:
    role = actor.role.value.replace("_", " ")
    return f"{role}, authority level {actor.authority_level}" if actor.authority_level else role


def who(event: CaseEvent) -> str:
    return f"{event.actor.person_id} ({event.actor.role.value.replace('_', ' ')})"


def record_heading(version: int, occurred_on: date, kind: str) -> str:
    """The heading a record carries in the PDF; the chronology's page numbers point at it."""
    return f"Record v{version} · {day(occurred_on)} · {title(kind)}"


def describe(event: CaseEvent) -> str:
    """One line for the chronology, built from ids, enums, dates and references only.

    Free text never appears here: the chronology is read by everyone who opens the bundle.
    """
    parts: list[str] = []
    model_fields = type(event.act).model_fields
    for name in act_fields(event):
        value = presented_value(event, name)
        default = model_fields[name].default
        if name.endswith("_version") and isinstance(value, int):
            parts.append(f"of v{value}")
        elif name.endswith("_id") and not name.endswith("person_id") and isinstance(value, str):
            parts.append(value)
        elif isinstance(value, StrEnum) and value != default:
            parts.append(value.value.replace("_", " "))
        elif get_origin(model_fields[name].annotation) is Literal and value != default:
            parts.append(str(value).replace("_", " "))
        elif name in _DATED and isinstance(value, date):
            parts.append(f"{_DATED[name]} {day(value)}")
        elif name in _NAMED_REFERENCES and isinstance(value, str):
            parts.append(f"{name} {value}")
        elif name == "disagrees" and value is True:
            parts.append("disagrees")
    heading = title(event.kind)
    return f"{heading} — {', '.join(parts)}" if parts else heading


def value_lines(value: object) -> list[str]:
    """A field's value as printable lines: one per item of a list, one per nested record."""
    if value is None or value in ("", ()):
        return []
    if isinstance(value, tuple | list):
        return [line for item in value for line in value_lines(item)]
    if isinstance(value, BaseModel):
        shown = []
        for name, info in type(value).model_fields.items():
            inner = getattr(value, name)
            if inner is None or inner in ("", ()) or inner == info.default:
                continue
            text = "; ".join(value_lines(inner)) if not isinstance(inner, bool) else "yes"
            shown.append(f"{field_label(name).lower()}: {text}")
        return ["; ".join(shown)]
    return [scalar(value)]


def scalar(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return value.value.replace("_", " ")
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    return str(value)
