"""School days and school weeks of one school, worked out once from its term dates.

A school day is a Monday-to-Friday inside a term, outside its half-term break, not a closure day
(INSET and the like) and not a bank holiday of the school's nation, unless the school's term
dates list that bank holiday as a day it opens.

A school week is a Monday-to-Sunday week that contains at least one school day, however few:
the week a term starts on a Thursday counts as a whole school week, and a half-term or holiday
week does not count at all. "n school weeks after d" is the same weekday as ``d`` in the n-th
school week after the week containing ``d`` (that week itself is not counted, as with days), so
it can fall on a day that is not itself a school day.

Counting follows working days: the start day is never counted, the end day is, n == 0 returns the
start date, and a negative n counts backwards.

Any question whose answer depends on an academic year with no loaded term dates raises
:class:`NoTermDatesError` naming the first year missing in the direction of travel.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

from pmledger.calendar.bank_holidays import is_bank_holiday
from pmledger.calendar.errors import NoTermDatesError, TermDataError
from pmledger.calendar.nation import Nation
from pmledger.calendar.terms import SchoolYear, academic_year_label, academic_year_start


class SchoolDays:
    """Sorted school days and school weeks so that every count is a bisection, not a walk."""

    def __init__(self, nation: Nation, school: str, years: Iterable[SchoolYear]) -> None:
        self.school = school
        self.years: dict[int, SchoolYear] = {}
        for year in sorted(years, key=lambda year: year.start_year):
            if year.start_year in self.years:
                raise TermDataError(
                    [f"academic year {year.academic_year} is given twice; keep one"], source=school
                )
            self.years[year.start_year] = year
        self._days = tuple(
            day for year in self.years.values() for day in _school_days_of(year, nation)
        )
        self._week_starts = tuple(sorted({_monday_of(day) for day in self._days}))

    def is_school_day(self, d: date) -> bool:
        self.require_loaded(d, d)
        index = bisect_left(self._days, d)
        return index < len(self._days) and self._days[index] == d

    def in_range(self, first: date, last: date) -> tuple[date, ...]:
        """School days from ``first`` to ``last`` inclusive, from the loaded years only."""
        return self._days[bisect_left(self._days, first) : bisect_right(self._days, last)]

    def add(self, d: date, n: int) -> date:
        return self._step(self._days, d, n, d)

    def between(self, a: date, b: date) -> int:
        """School days stepped onto walking from ``a`` to ``b``; the inverse of :meth:`add`."""
        if b >= a:
            self.require_loaded(a, b)
            return bisect_right(self._days, b) - bisect_right(self._days, a)
        self.require_loaded(b, a, forward=False)
        return -(bisect_left(self._days, a) - bisect_left(self._days, b))

    def add_weeks(self, d: date, n: int) -> date:
        week_start = self._step(self._week_starts, _monday_of(d), n, d)
        return week_start + timedelta(days=d.weekday())

    def require_loaded(self, first: date, last: date, *, forward: bool = True) -> None:
        """Refuse unless every academic year touching ``first``..``last`` has term dates."""
        wanted = range(academic_year_start(first), academic_year_start(last) + 1)
        missing = [year for year in wanted if year not in self.years]
        if missing:
            raise self._missing(missing[0] if forward else missing[-1])

    def missing_after(self, d: date) -> NoTermDatesError:
        """The error for running off the end of the loaded data while walking forward from ``d``."""
        year = academic_year_start(d)
        while year in self.years:
            year += 1
        return self._missing(year)

    def missing_before(self, d: date) -> NoTermDatesError:
        year = academic_year_start(d)
        while year in self.years:
            year -= 1
        return self._missing(year)

    def _step(self, marks: tuple[date, ...], mark: date, n: int, d: date) -> date:
        """The n-th entry of ``marks`` after (n > 0) or before (n < 0) ``mark``."""
        if n == 0:
            self.require_loaded(d, d)
            return mark
        if n > 0:
            index = bisect_right(marks, mark) + n - 1
            if index >= len(marks):
                raise self.missing_after(d)
            self.require_loaded(d, marks[index])
            return marks[index]
        index = bisect_left(marks, mark) + n
        if index < 0:
            raise self.missing_before(d)
        self.require_loaded(marks[index], d, forward=False)
        return marks[index]

    def _missing(self, start_year: int) -> NoTermDatesError:
        return NoTermDatesError(school=self.school, academic_year=academic_year_label(start_year))


def _school_days_of(year: SchoolYear, nation: Nation) -> list[date]:
    closed = {closure.day for closure in year.closures}
    opened = {open_day.day for open_day in year.open_on_bank_holidays}
    days = []
    for term in year.terms:
        day = term.start
        while day <= term.end:
            if (
                day.weekday() < 5
                and term.is_term_time(day)
                and day not in closed
                and (day in opened or not is_bank_holiday(day, nation))
            ):
                days.append(day)
            day += timedelta(days=1)
    return days


def _monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())
