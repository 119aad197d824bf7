"""Bank holidays per UK nation, taken from the ``holidays`` package rather than typed in by hand."""

from collections.abc import Mapping
from datetime import date
from functools import cache
from types import MappingProxyType

import holidays

from pmledger.calendar.nation import Nation

_SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@cache
def bank_holidays(nation: Nation, year: int) -> Mapping[date, str]:
    """Bank holidays of one nation in one calendar year, with their names.

    Building a ``holidays`` object is slow and deadline arithmetic asks about the same few years
    over and over, so the result is computed once per (nation, year) and returned read-only.
    Substitute days (e.g. "Christmas Day (observed)") are included because they are the days
    actually off; the weekend originals are harmless since weekends are never working days.
    """
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation], years=year)
    return MappingProxyType({day: str(name) for day, name in sorted(found.items())})


def is_bank_holiday(d: date, nation: Nation) -> bool:
    return d in bank_holidays(nation, d.year)
