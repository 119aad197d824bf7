"""Working days: Monday to Friday less the bank holidays of the school's nation.

Counting convention, shared with school days: the day you count *from* never counts. The n-th
working day after ``d`` is found by stepping forward from ``d`` and counting only the working days
stepped onto, so "within 5 working days of X" is due on ``add_working_days(X, 5)``, and "5 working
days before the meeting" is ``add_working_days(meeting, -5)``. ``working_days_between(a, b)``
counts the same steps, so ``working_days_between(a, add_working_days(a, n)) == n`` for every n.

The arithmetic jumps whole weeks and then corrects for bank holidays instead of walking day by
day, so a long limit costs a handful of steps, not hundreds.
"""

from bisect import bisect_right
from datetime import date, timedelta
from functools import cache

from pmledger.calendar.bank_holidays import bank_holidays, is_bank_holiday
from pmledger.calendar.nation import Nation

_SATURDAY = 5


def is_working_day(d: date, nation: Nation) -> bool:
    return d.weekday() < _SATURDAY and not is_bank_holiday(d, nation)


def add_working_days(d: date, n: int, nation: Nation) -> date:
    """The n-th working day after ``d`` (before it when n < 0); ``d`` itself is never counted.

    n == 0 returns ``d`` unchanged, even when ``d`` is not a working day, because "0 working days
    after" a date is that date and rolling it would silently move a deadline.
    """
    start, remaining = d, n
    while remaining:
        candidate = _add_weekdays(start, remaining)
        if remaining > 0:
            lost = _weekday_holidays_in(start, candidate, nation)
        else:
            lost = -_weekday_holidays_in(
                candidate - timedelta(days=1), start - timedelta(days=1), nation
            )
        start, remaining = candidate, lost
    return start


def working_days_between(a: date, b: date, nation: Nation) -> int:
    """Working days stepped onto walking from ``a`` to ``b``: ``a`` excluded, ``b`` included.

    Negative when ``b`` is before ``a``. This is the inverse of ``add_working_days``, which is what
    "was this done within N working days?" needs.
    """
    if b >= a:
        return _weekdays_up_to(b) - _weekdays_up_to(a) - _weekday_holidays_in(a, b, nation)
    before_a, before_b = a - timedelta(days=1), b - timedelta(days=1)
    return -(
        _weekdays_up_to(before_a)
        - _weekdays_up_to(before_b)
        - _weekday_holidays_in(before_b, before_a, nation)
    )


def _weekdays_up_to(d: date) -> int:
    """Weekdays from 1 January of year 1 (a Monday) up to and including ``d``."""
    weeks, extra_days = divmod(d.toordinal(), 7)
    return weeks * 5 + min(extra_days, 5)


def _add_weekdays(d: date, n: int) -> date:
    """The n-th Monday-to-Friday after ``d`` (before it when n < 0), ignoring bank holidays."""
    weekday = d.weekday()
    if n > 0:
        if weekday >= _SATURDAY:
            d, weekday = d - timedelta(days=weekday - 4), 4
        weeks, rest = divmod(n, 5)
        days = weeks * 7 + rest + (2 if weekday + rest >= _SATURDAY else 0)
        return d + timedelta(days=days)
    if weekday >= _SATURDAY:
        d, weekday = d + timedelta(days=7 - weekday), 0
    weeks, rest = divmod(-n, 5)
    days = weeks * 7 + rest + (2 if weekday - rest < 0 else 0)
    return d - timedelta(days=days)


def _weekday_holidays_in(after: date, through: date, nation: Nation) -> int:
    """Bank holidays on a weekday with ``after < day <= through``."""
    total = 0
    for year in range(after.year, through.year + 1):
        days = _weekday_holidays(nation, year)
        total += bisect_right(days, through) - bisect_right(days, after)
    return total


@cache
def _weekday_holidays(nation: Nation, year: int) -> tuple[date, ...]:
    """Sorted so that counting holidays in a span is two bisections, not a scan."""
    return tuple(day for day in bank_holidays(nation, year) if day.weekday() < _SATURDAY)
