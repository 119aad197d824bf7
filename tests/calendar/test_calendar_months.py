import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmledger.calendar import add_months, add_years, in_period, last_day_of_period

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
months = st.integers(min_value=-1200, max_value=1200)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
    ],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_add_years_clamps_29_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2028, 2, 29), -1) == date(2027, 2, 28)
    assert add_years(date(2026, 2, 28), 2) == date(2028, 2, 28)


def test_twelve_month_warning_is_live_through_the_day_before_the_anniversary() -> None:
    issued = date(2024, 3, 15)
    assert last_day_of_period(issued, 12) == date(2025, 3, 14)
    assert not in_period(issued, 12, date(2024, 3, 14))
    assert in_period(issued, 12, issued)
    assert in_period(issued, 12, date(2025, 3, 14))
    assert not in_period(issued, 12, date(2025, 3, 15))


def test_twelve_month_warning_issued_on_29_february() -> None:
    issued = date(2024, 2, 29)
    assert add_months(issued, 12) == date(2025, 2, 28)
    assert last_day_of_period(issued, 12) == date(2025, 2, 27)
    assert in_period(issued, 12, date(2025, 2, 27))
    assert not in_period(issued, 12, date(2025, 2, 28))


def test_two_year_final_warning_issued_on_29_february() -> None:
    issued = date(2028, 2, 29)
    assert last_day_of_period(issued, 24) == date(2030, 2, 27)
    assert in_period(issued, 24, date(2029, 2, 28))


@settings(max_examples=300)
@given(d=dates, n=months)
def test_add_months_lands_in_the_right_month_on_a_valid_day(d: date, n: int) -> None:
    result = add_months(d, n)
    assert result.year * 12 + result.month == d.year * 12 + d.month + n
    assert result.day == min(d.day, calendar.monthrange(result.year, result.month)[1])


@settings(max_examples=300)
@given(a=dates, b=dates, n=months)
def test_add_months_is_monotone_in_the_date(a: date, b: date, n: int) -> None:
    early, late = sorted((a, b))
    assert add_months(early, n) <= add_months(late, n)


@settings(max_examples=300)
@given(d=dates, m=months, n=months)
def test_add_months_is_monotone_in_the_count(d: date, m: int, n: int) -> None:
    fewer, more = sorted((m, n))
    assert add_months(d, fewer) <= add_months(d, more)
