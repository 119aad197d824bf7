"""One school's calendar: its nation's working days and its own term dates, in one object.

Everything a deadline needs is passed in or held here, never read from a clock or a global, so the
same calendar gives the same answer when a case is replayed years later.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pmledger.calendar.bank_holidays import is_bank_holiday
from pmledger.calendar.half_terms import HalfTerm, HalfTerms
from pmledger.calendar.months import add_months, add_years
from pmledger.calendar.nation import Nation
from pmledger.calendar.school_days import SchoolDays
from pmledger.calendar.terms import SchoolYear, SubmissionDeadlines, TermDates
from pmledger.calendar.time_limit import Direction, TimeLimit, TimeUnit
from pmledger.calendar.working_days import (
    add_working_days,
    is_working_day,
    working_days_between,
)

_UK_TIME = "Europe/London"


class SchoolCalendar:
    """Deadline arithmetic for one school in every unit the procedures use.

    Conventions (details in each module): the day counted from never counts and the end day does;
    n == 0 returns the date unchanged; school weeks are Monday-to-Sunday weeks with at least one
    school day. Working days need only the nation; school days, school weeks and half terms need
    the term dates of every academic year they touch, and raise ``NoTermDatesError`` otherwise.
    """

    def __init__(
        self,
        nation: Nation,
        school_years: Iterable[SchoolYear] = (),
        *,
        school: str = "this school",
    ) -> None:
        self._nation = nation
        self._school_days = SchoolDays(nation, school, school_years)
        self._half_terms = HalfTerms(self._school_days)

    @classmethod
    def from_term_dates(cls, term_dates: TermDates) -> "SchoolCalendar":
        return cls(term_dates.nation, term_dates.years, school=term_dates.school)

    @property
    def nation(self) -> Nation:
        return self._nation

    @property
    def school(self) -> str:
        return self._school_days.school

    @property
    def school_years(self) -> tuple[SchoolYear, ...]:
        return tuple(self._school_days.years.values())

    def submission_deadlines(self, academic_year: str) -> SubmissionDeadlines | None:
        """The deadlines published for ``academic_year`` ("2025-26"); None if that year's
        calendar was never loaded, so a caller can say which year to add."""
        return next(
            (y.submission_deadlines for y in self.school_years if y.academic_year == academic_year),
            None,
        )

    def is_bank_holiday(self, d: date) -> bool:
        return is_bank_holiday(d, self._nation)

    def is_working_day(self, d: date) -> bool:
        return is_working_day(d, self._nation)

    def add_working_days(self, d: date, n: int) -> date:
        return add_working_days(d, n, self._nation)

    def working_days_between(self, a: date, b: date) -> int:
        return working_days_between(a, b, self._nation)

    def is_school_day(self, d: date) -> bool:
        return self._school_days.is_school_day(d)

    def next_school_day(self, d: date) -> date:
        """The first school day after ``d``; ``d`` itself never qualifies."""
        return self._school_days.add(d, 1)

    def end_of_next_school_day(self, d: date) -> datetime:
        """The last instant, UK time, of "no later than the end of the next school day" after ``d``.

        An aware datetime so that a feedback time recorded in UTC compares correctly in summer
        time; compare dates with :meth:`next_school_day` when only dates are recorded.
        """
        return datetime.combine(self.next_school_day(d), time.max, tzinfo=ZoneInfo(_UK_TIME))

    def add_school_days(self, d: date, n: int) -> date:
        return self._school_days.add(d, n)

    def school_days_between(self, a: date, b: date) -> int:
        """School days stepped onto walking from ``a`` to ``b`` (``a`` excluded, ``b`` included)."""
        return self._school_days.between(a, b)

    def add_school_weeks(self, d: date, n: int) -> date:
        """Same weekday as ``d`` in the n-th school week after (n < 0: before) ``d``'s week."""
        return self._school_days.add_weeks(d, n)

    def half_term_containing(self, d: date) -> HalfTerm | None:
        """None during holidays, which belong to no half term."""
        return self._half_terms.containing(d)

    def add_half_terms(self, d: date, n: int) -> date:
        """Keeps ``d``'s place in its half term, clamped to the target's last school day."""
        return self._half_terms.add(d, n)

    def shift(self, d: date, limit: TimeLimit, direction: Direction = Direction.AFTER) -> date:
        """The date ``limit`` after or before ``d``, e.g. the due date of "within 5 working days".

        Each unit follows its own function's conventions, so ``shift(d, 5 working days)`` is
        ``add_working_days(d, 5)`` and "at least 7 calendar days' notice" of a meeting on M must
        be given on or before ``shift(M, 7 calendar days, BEFORE)``.
        """
        n = limit.amount if direction is Direction.AFTER else -limit.amount
        match limit.unit:
            case TimeUnit.CALENDAR_DAYS:
                return d + timedelta(days=n)
            case TimeUnit.WEEKS:
                return d + timedelta(weeks=n)
            case TimeUnit.WORKING_DAYS:
                return self.add_working_days(d, n)
            case TimeUnit.SCHOOL_DAYS:
                return self.add_school_days(d, n)
            case TimeUnit.SCHOOL_WEEKS:
                return self.add_school_weeks(d, n)
            case TimeUnit.HALF_TERMS:
                return self.add_half_terms(d, n)
            case TimeUnit.MONTHS:
                return add_months(d, n)
            case TimeUnit.YEARS:
                return add_years(d, n)
