"""The dates a record may carry: from 1970 to a hundred years ahead of the ledger's clock.

No performance or capability record of a school falls outside that window, so a date there is
a slip (a wrong year, a default value, an attacker's probe) that would otherwise be signed in
for good, and break every date computation after it. It is refused, saying so.
"""

from __future__ import annotations

from datetime import date

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
    for where, day in (("occurred_on", occurred_on), *_dates(act, "act")):
        if not EARLIEST <= day <= last:
            return (
                f"{where} {day.isoformat()} is outside the dates a record may carry "
                f"({EARLIEST.isoformat()} to {last.isoformat()}, a hundred years from the "
                "ledger's clock): check the year"
            )
    return None


def _dates(value: object, where: str) -> list[tuple[str, date]]:
    if isinstance(value, date):
        return [(where, value)]
    if isinstance(value, BaseModel):
        return [
            found
            for name in type(value).model_fields
            for found in _dates(getattr(value, name), f"{where}.{name}")
        ]
    if isinstance(value, (tuple, list)):
        return [found for n, item in enumerate(value) for found in _dates(item, f"{where}[{n}]")]
    return []
