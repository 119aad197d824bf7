"""Deadline arithmetic for UK schools: working days, school days and weeks, half terms, months.

Start with :class:`SchoolCalendar`, built from a school's :class:`TermDates` (see
``data/england-example.toml`` for the file format) or from a nation alone when only working days
and calendar units are needed.
"""

from pmledger.calendar.bank_holidays import bank_holidays, is_bank_holiday
from pmledger.calendar.errors import CalendarError, NoTermDatesError, TermDataError
from pmledger.calendar.half_terms import HalfTerm
from pmledger.calendar.months import add_months, add_years, in_period, last_day_of_period
from pmledger.calendar.nation import Nation
from pmledger.calendar.school_calendar import SchoolCalendar
from pmledger.calendar.terms import (
    Closure,
    HalfTermBreak,
    OpenDay,
    SchoolYear,
    SubmissionDeadlines,
    Term,
    TermDates,
    academic_year_label,
    academic_year_start,
)
from pmledger.calendar.time_limit import Direction, TimeLimit, TimeUnit
from pmledger.calendar.working_days import add_working_days, is_working_day, working_days_between

__all__ = [
    "CalendarError",
    "Closure",
    "Direction",
    "HalfTerm",
    "HalfTermBreak",
    "Nation",
    "NoTermDatesError",
    "OpenDay",
    "SchoolCalendar",
    "SchoolYear",
    "SubmissionDeadlines",
    "Term",
    "TermDataError",
    "TermDates",
    "TimeLimit",
    "TimeUnit",
    "academic_year_label",
    "academic_year_start",
    "add_months",
    "add_working_days",
    "add_years",
    "bank_holidays",
    "in_period",
    "is_bank_holiday",
    "is_working_day",
    "last_day_of_period",
    "working_days_between",
]
