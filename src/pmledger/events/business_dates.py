"""The dates a record may carry: from 1970 to a hundred years ahead of the ledger's clock.

No performance or capability record of a school falls outside that window, so a date there is
a slip (a wrong year, a default value, an attacker's probe) that would otherwise be signed in
for good, and break every date computation after it. It is refused, saying so.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

EARLIEST = date(1970, 1, 1)
YEARS_AHEAD = 100


def latest(today: date) -> date:
    """The last date a record made on `today` may carry (29 February falls to the 28th)."""
    year = today.year + YEARS_AHEAD
    return today.replace(year=year, day=min(today.day, 28 if today.month == 2 else 31))


def outside_window(act: BaseModel, occurred_on: date, today: date) -> str | None:
    """What is wrong with the record's dates, or None: its date and every date in its act."""
    last = latest(today)
    if not EARLIEST <= occurred_on <= last:
        found: tuple[list[str], date] | None = (["occurred_on"], occurred_on)
    else:
        found = _outside(act, last)
        if found is not None:
            found[0].insert(0, "act")
    if found is None:
        return None
    where, day = "".join(found[0]), found[1]
    return (
        f"{where} {day.isoformat()} is outside the dates a record may carry "
        f"({EARLIEST.isoformat()} to {last.isoformat()}, a hundred years from the "
        "ledger's clock): check the year"
    )


def _outside(value: object, last: date) -> tuple[list[str], date] | None:
    """The first date in `value` outside the window, with its path (reversed pieces are
    joined only then: every recorded act is walked, and almost none has such a date)."""
    if isinstance(value, date):
        return None if EARLIEST <= value <= last else ([], value)
    if isinstance(value, BaseModel):
        for name in _date_fields(type(value)):
            found = _outside(getattr(value, name), last)
            if found is not None:
                found[0].insert(0, f".{name}")
                return found
    elif isinstance(value, tuple | list):
        for n, item in enumerate(value):
            found = _outside(item, last)
            if found is not None:
                found[0].insert(0, f"[{n}]")
                return found
    return None


@cache
def _date_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `cls` that can hold a date at any depth, in field order: the only ones
    the walk visits (worked out once per model class; an act of 18 values has 2 or 3 such)."""
    return tuple(
        name for name, field in cls.model_fields.items() if _can_hold_date(field.annotation, set())
    )


def _can_hold_date(annotation: Any, seen: set[type]) -> bool:
    if annotation is Any or annotation is object:
        return True
    if isinstance(annotation, type):
        if issubclass(annotation, date):
            return True
        if issubclass(annotation, BaseModel) and annotation not in seen:
            seen.add(annotation)
            return any(_can_hold_date(f.annotation, seen) for f in annotation.model_fields.values())
        return False
    if get_origin(annotation) is Literal:
        return False
    return any(_can_hold_date(arg, seen) for arg in get_args(annotation))
