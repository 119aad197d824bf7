"""Which calendar judges a case: its school's term dates, or just its nation's bank holidays.

Schools publish term dates per year; a host hands them to the Ledger. Without them, rules in
school days or school weeks cannot be computed, and their deadlines say so (status unknown)
rather than guessing.

A school's term dates also say which nation it is in, and so whose bank holidays its deadlines
skip. A case opened without a nation takes its school's; one whose nation contradicts its
school's term dates is refused, because every working-day deadline of the case would be wrong.
Without term dates a case is judged by the nation it names (England when it names none, the
default the signed CaseOpened then states).
"""

from __future__ import annotations

from collections.abc import Mapping

from pmledger.calendar import SchoolCalendar, TermDates
from pmledger.errors import InvalidInput
from pmledger.events.case_acts import CaseOpened


class Calendars:
    def __init__(self, term_dates: Mapping[str, TermDates] | None = None) -> None:
        """`term_dates` maps a school id (as in CaseOpened.school) to its term dates."""
        self._term_dates = dict(term_dates or {})
        self._built: dict[str, SchoolCalendar] = {}

    def settle_nation(self, opened: CaseOpened) -> CaseOpened:
        """The act to record: its nation taken from the school's term dates when it gave none;
        refused when it gave one the term dates contradict."""
        term_dates = self._term_dates.get(opened.school)
        if term_dates is None or opened.nation == term_dates.nation:
            return opened
        if "nation" in opened.model_fields_set:
            raise InvalidInput(
                f"the case names nation {opened.nation.value!r} but the term dates of school "
                f"{opened.school!r} are for {term_dates.nation.value!r}, whose bank holidays its "
                "deadlines would skip; open the case with the school's nation (or leave it out "
                "to take the school's), or correct the school's term-dates file"
            )
        return opened.model_copy(update={"nation": term_dates.nation})

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
