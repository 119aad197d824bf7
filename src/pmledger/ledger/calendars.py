"""Which calendar judges a case: its school's term dates, or just its nation's bank holidays.

Schools publish term dates per year; a host hands them to the Ledger. Without them, rules in
school days or school weeks cannot be computed, and their deadlines say so (status unknown)
rather than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping

from pmledger.calendar import SchoolCalendar, TermDates
from pmledger.events.case_acts import CaseOpened


class Calendars:
    def __init__(self, term_dates: Mapping[str, TermDates] | None = None) -> None:
        """`term_dates` maps a school id (as in CaseOpened.school) to its term dates."""
        self._term_dates = dict(term_dates or {})
        self._built: dict[str, SchoolCalendar] = {}

    def for_case(self, opened: CaseOpened) -> SchoolCalendar:
        key = f"{opened.school}\x1f{opened.nation}"
        calendar = self._built.get(key)
        if calendar is None:
            term_dates = self._term_dates.get(opened.school)
            calendar = (
                SchoolCalendar(opened.nation, term_dates.years, school=opened.school)
                if term_dates is not None
                else SchoolCalendar(opened.nation, school=opened.school)
            )
            self._built[key] = calendar
        return calendar
