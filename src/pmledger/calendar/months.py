"""Calendar months and years, clamped to the end of a short month.

Adding months keeps the day of the month and, when the target month is too short, uses its last
day: 31 January + 1 month = 28 February (29 in a leap year), 29 February 2024 + 12 months =
28 February 2025. This is the "corresponding date, else last day of the month" reading UK courts
use for periods in months.

Periods that run for months from a start day (a 12-month written warning, a two-year final
warning, "sustained for 12 months") count the start day as their first day. A period of N months
starting on S is therefore live on S and on every day before ``add_months(S, N)``; that date is the
first day it no longer applies. A 12-month warning issued on 2024-03-15 is live through 2025-03-14;
one issued on 2024-02-29 expires on 2025-02-28, so its last live day is 2025-02-27.
"""

import calendar
from datetime import date, timedelta


def add_months(d: date, n: int) -> date:
    year, month_index = divmod(d.year * 12 + d.month - 1 + n, 12)
    month = month_index + 1
    day = d.day
    if day > 28:  # only a day every month does not have needs the month's length
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_years(d: date, n: int) -> date:
    """Years as 12 months each, so 29 February follows the same clamping as months."""
    return add_months(d, 12 * n)


def last_day_of_period(start: date, months: int) -> date:
    """The last day a period of ``months`` months beginning on ``start`` still applies."""
    return add_months(start, months) - timedelta(days=1)


def in_period(start: date, months: int, as_of: date) -> bool:
    """Whether a warning or sustain window of ``months`` months from ``start`` is live on a day."""
    return start <= as_of < add_months(start, months)
