from datetime import date, timedelta
from functools import cache

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmledger.calendar import Nation, add_working_days, is_working_day, working_days_between

SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
nations = st.sampled_from(list(Nation))


@cache
def _days_off(nation: Nation, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=year))


def _brute_is_working_day(d: date, nation: Nation) -> bool:
    return d.weekday() < 5 and d not in _days_off(nation, d.year)


def _brute_add(d: date, n: int, nation: Nation) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        remaining -= _brute_is_working_day(d, nation)
    return d


def _brute_between(a: date, b: date, nation: Nation) -> int:
    if b >= a:
        return sum(
            _brute_is_working_day(a + timedelta(days=i), nation) for i in range(1, (b - a).days + 1)
        )
    return -sum(_brute_is_working_day(b + timedelta(days=i), nation) for i in range((a - b).days))


@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        (Nation.ENGLAND, date(2025, 4, 22)),
        (Nation.WALES, date(2025, 4, 22)),
        (Nation.NORTHERN_IRELAND, date(2025, 4, 22)),
        (Nation.SCOTLAND, date(2025, 4, 21)),
    ],
)
def test_one_working_day_after_maundy_thursday_2025(nation: Nation, expected: date) -> None:
    assert add_working_days(date(2025, 4, 17), 1, nation) == expected
    assert working_days_between(date(2025, 4, 17), expected, nation) == 1


def test_five_working_days_before_a_meeting_after_easter() -> None:
    meeting = date(2025, 4, 24)
    assert add_working_days(meeting, -5, Nation.ENGLAND) == date(2025, 4, 15)
    assert add_working_days(meeting, -5, Nation.SCOTLAND) == date(2025, 4, 16)


def test_within_5_working_days_of_a_friday_is_the_next_friday() -> None:
    assert add_working_days(date(2025, 3, 7), 5, Nation.ENGLAND) == date(2025, 3, 14)


def test_christmas_2027_substitute_days() -> None:
    christmas_eve = date(2027, 12, 24)
    assert add_working_days(christmas_eve, 1, Nation.ENGLAND) == date(2027, 12, 29)
    assert not is_working_day(date(2027, 12, 27), Nation.ENGLAND)
    assert not is_working_day(date(2027, 12, 28), Nation.ENGLAND)
    # New Year's Day 2028 is a Saturday: England's substitute is Monday 3 January, Scotland's
    # two days become Monday 3 and Tuesday 4 January.
    assert add_working_days(date(2027, 12, 31), 1, Nation.ENGLAND) == date(2028, 1, 4)
    assert add_working_days(date(2027, 12, 31), 1, Nation.SCOTLAND) == date(2028, 1, 5)
    assert working_days_between(christmas_eve, date(2028, 1, 5), Nation.SCOTLAND) == 4


def test_nation_specific_days() -> None:
    assert not is_working_day(date(2026, 3, 17), Nation.NORTHERN_IRELAND)
    assert is_working_day(date(2026, 3, 17), Nation.ENGLAND)
    assert not is_working_day(date(2025, 7, 14), Nation.NORTHERN_IRELAND)
    assert not is_working_day(date(2024, 12, 2), Nation.SCOTLAND)  # St Andrew's Day substitute
    assert not is_working_day(date(2025, 1, 2), Nation.SCOTLAND)
    assert is_working_day(date(2025, 1, 2), Nation.WALES)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2024, 2, 24), Nation.ENGLAND)
    assert not is_working_day(date(2024, 2, 25), Nation.ENGLAND)
    assert is_working_day(date(2024, 2, 29), Nation.ENGLAND)


def test_start_day_is_not_counted_even_from_a_weekend() -> None:
    saturday = date(2025, 3, 8)
    assert add_working_days(saturday, 1, Nation.ENGLAND) == date(2025, 3, 10)
    assert add_working_days(saturday, -1, Nation.ENGLAND) == date(2025, 3, 7)
    assert working_days_between(saturday, saturday, Nation.ENGLAND) == 0


def test_zero_working_days_is_the_same_date_even_on_a_holiday() -> None:
    assert add_working_days(date(2025, 12, 25), 0, Nation.ENGLAND) == date(2025, 12, 25)


def test_between_counts_the_end_not_the_start_in_both_directions() -> None:
    monday, friday = date(2025, 3, 3), date(2025, 3, 7)
    assert working_days_between(monday, friday, Nation.ENGLAND) == 4
    assert working_days_between(friday, monday, Nation.ENGLAND) == -4
    assert working_days_between(monday, date(2025, 3, 9), Nation.ENGLAND) == 4
    assert working_days_between(date(2025, 3, 9), monday, Nation.ENGLAND) == -5


def test_leap_day_spans() -> None:
    assert add_working_days(date(2024, 2, 28), 1, Nation.ENGLAND) == date(2024, 2, 29)
    assert add_working_days(date(2028, 2, 28), 1, Nation.ENGLAND) == date(2028, 2, 29)
    assert working_days_between(date(2028, 2, 25), date(2028, 3, 1), Nation.WALES) == 3


@settings(max_examples=300, deadline=None)
@given(d=dates, n=st.integers(min_value=-400, max_value=400), nation=nations)
def test_add_working_days_matches_a_day_by_day_count(d: date, n: int, nation: Nation) -> None:
    result = add_working_days(d, n, nation)
    assert result == _brute_add(d, n, nation)
    assert working_days_between(d, result, nation) == n


@settings(max_examples=150, deadline=None)
@given(a=dates, b=dates, nation=nations)
def test_working_days_between_matches_a_day_by_day_count(a: date, b: date, nation: Nation) -> None:
    assert working_days_between(a, b, nation) == _brute_between(a, b, nation)
