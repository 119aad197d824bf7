from collections.abc import Callable
from datetime import date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmledger.calendar import (
    Nation,
    NoTermDatesError,
    SchoolCalendar,
    SchoolYear,
    TermDates,
)

FIRST_LOADED, LAST_LOADED = date(2024, 8, 1), date(2027, 7, 31)
loaded_dates = st.dates(min_value=FIRST_LOADED, max_value=LAST_LOADED)


@pytest.fixture(scope="module")
def brute_school_days(example_term_dates: TermDates) -> frozenset[date]:
    """School days straight from the definition, without the calendar's own machinery."""
    days_off = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028))
    found = set()
    for year in example_term_dates.years:
        closed = {closure.day for closure in year.closures}
        for term in year.terms:
            day = term.start
            while day <= term.end:
                gap = term.half_term
                in_gap = gap is not None and gap.start <= day <= gap.end
                if day.weekday() < 5 and not in_gap and day not in closed and day not in days_off:
                    found.add(day)
                day += timedelta(days=1)
    return frozenset(found)


def _brute_add(school_days: frozenset[date], d: date, n: int) -> date | None:
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if not FIRST_LOADED <= d <= LAST_LOADED:
            return None
        remaining -= d in school_days
    return d


def _brute_add_weeks(school_days: frozenset[date], d: date, n: int) -> date | None:
    step = timedelta(weeks=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        monday = d - timedelta(days=d.weekday())
        if monday < FIRST_LOADED or monday + timedelta(days=6) > LAST_LOADED:
            return None
        remaining -= any(monday + timedelta(days=i) in school_days for i in range(7))
    return d


def test_calendar_holds_the_loaded_years(school: SchoolCalendar) -> None:
    assert school.nation is Nation.ENGLAND
    assert school.school == "Oakfield Primary School (example)"
    assert [year.academic_year for year in school.school_years] == ["2024-25", "2025-26", "2026-27"]
    assert school.is_bank_holiday(date(2025, 5, 5))
    assert not school.is_working_day(date(2025, 5, 5))
    assert school.working_days_between(date(2025, 5, 2), date(2025, 5, 6)) == 1


def test_school_days_in_the_example_year(school: SchoolCalendar) -> None:
    assert not school.is_school_day(date(2024, 9, 2))  # INSET day
    assert not school.is_school_day(date(2024, 9, 3))  # INSET day
    assert school.is_school_day(date(2024, 9, 4))
    assert not school.is_school_day(date(2024, 10, 30))  # half term
    assert not school.is_school_day(date(2024, 12, 23))  # Christmas holidays
    assert not school.is_school_day(date(2025, 4, 18))  # Good Friday, in the Easter holidays
    assert school.is_school_day(date(2025, 4, 22))
    assert not school.is_school_day(date(2025, 5, 5))  # May Day bank holiday, in term
    assert not school.is_school_day(date(2025, 5, 10))  # Saturday
    assert school.is_school_day(date(2025, 2, 28))


def test_next_school_day_crosses_the_easter_holidays(school: SchoolCalendar) -> None:
    assert school.next_school_day(date(2025, 4, 4)) == date(2025, 4, 22)
    assert school.next_school_day(date(2025, 4, 21)) == date(2025, 4, 22)


def test_next_school_day_skips_an_inset_day_after_half_term(school: SchoolCalendar) -> None:
    assert school.next_school_day(date(2024, 10, 25)) == date(2024, 11, 5)


def test_end_of_next_school_day_is_the_last_instant_in_uk_time(school: SchoolCalendar) -> None:
    summer = school.end_of_next_school_day(date(2025, 4, 4))
    assert summer.replace(tzinfo=None) == datetime(2025, 4, 22, 23, 59, 59, 999999)
    assert summer.utcoffset() == timedelta(hours=1)
    winter = school.end_of_next_school_day(date(2024, 12, 2))
    assert winter.replace(tzinfo=None) == datetime(2024, 12, 3, 23, 59, 59, 999999)
    assert winter.utcoffset() == timedelta(0)


def test_add_school_days_over_christmas_and_back(school: SchoolCalendar) -> None:
    assert school.add_school_days(date(2024, 12, 19), 2) == date(2025, 1, 7)
    assert school.add_school_days(date(2025, 1, 7), -1) == date(2024, 12, 20)
    assert school.school_days_between(date(2024, 12, 19), date(2025, 1, 7)) == 2
    assert school.school_days_between(date(2025, 1, 7), date(2024, 12, 20)) == -1


def test_zero_school_days_is_the_same_date(school: SchoolCalendar) -> None:
    assert school.add_school_days(date(2024, 12, 25), 0) == date(2024, 12, 25)


def test_school_weeks_skip_half_term_and_easter(school: SchoolCalendar) -> None:
    assert school.add_school_weeks(date(2025, 2, 12), 4) == date(2025, 3, 19)
    assert school.add_school_weeks(date(2025, 3, 26), 2) == date(2025, 4, 23)
    assert school.add_school_weeks(date(2025, 4, 23), -2) == date(2025, 3, 26)
    assert school.add_school_weeks(date(2024, 10, 23), 1) == date(2024, 11, 6)


def test_a_school_week_result_can_be_a_day_off(school: SchoolCalendar) -> None:
    # The week of 21 April 2025 is a school week (from Tuesday), so Monday of it is the answer
    # even though that Monday is Easter Monday.
    assert school.add_school_weeks(date(2025, 4, 14), 1) == date(2025, 4, 21)


def test_a_week_with_one_school_day_is_a_school_week() -> None:
    year = SchoolYear.from_dict(
        {
            "academic_year": "2025-26",
            "terms": [{"name": "Autumn", "start": "2025-09-04", "end": "2025-12-19"}],
        }
    )
    calendar = SchoolCalendar(Nation.ENGLAND, [year], school="Thursday Start School")
    # 4 September 2025 is a Thursday; from the Monday before, one school week on is that week.
    assert calendar.add_school_weeks(date(2025, 8, 25), 1) == date(2025, 9, 1)


def test_half_term_containing(school: SchoolCalendar) -> None:
    autumn_1 = school.half_term_containing(date(2024, 10, 1))
    assert autumn_1 is not None
    assert (autumn_1.name, autumn_1.academic_year) == ("Autumn 1", "2024-25")
    assert (autumn_1.start, autumn_1.end) == (date(2024, 9, 2), date(2024, 10, 27))
    assert autumn_1.school_days[0] == date(2024, 9, 4)
    assert autumn_1.last_school_day == date(2024, 10, 25)
    assert autumn_1.school_weeks == 8
    assert school.half_term_containing(date(2024, 10, 30)) is None
    summer_2 = school.half_term_containing(date(2025, 7, 1))
    assert summer_2 is not None
    assert summer_2.name == "Summer 2"
    assert summer_2.school_weeks == 8


def test_add_half_terms_keeps_the_place_in_the_half_term(school: SchoolCalendar) -> None:
    # 7 January 2025 is the first school day of Spring 1 (6 January is an INSET day).
    assert school.add_half_terms(date(2025, 1, 7), 1) == date(2025, 2, 24)
    assert school.add_half_terms(date(2025, 2, 24), -1) == date(2025, 1, 7)
    # An INSET day before the first school day counts as the first school day.
    assert school.add_half_terms(date(2024, 11, 4), 1) == date(2025, 1, 7)


def test_add_half_terms_clamps_to_a_shorter_half_term(school: SchoolCalendar) -> None:
    assert school.add_half_terms(date(2024, 10, 25), 1) == date(2024, 12, 20)


def test_add_half_terms_from_a_holiday_counts_from_the_end_of_the_last(
    school: SchoolCalendar,
) -> None:
    assert school.add_half_terms(date(2024, 12, 25), 1) == date(2025, 2, 14)
    assert school.add_half_terms(date(2024, 12, 25), -1) == date(2024, 10, 25)


def test_four_school_weeks_to_half_a_term_of_support(school: SchoolCalendar) -> None:
    started = date(2025, 1, 8)
    assert school.add_school_weeks(started, 4) == date(2025, 2, 5)
    assert school.add_half_terms(started, 1) == date(2025, 2, 25)


def test_no_term_dates_for_a_later_year(school: SchoolCalendar) -> None:
    with pytest.raises(NoTermDatesError) as caught:
        school.is_school_day(date(2029, 10, 1))
    assert str(caught.value).startswith(
        "no term dates for 2029-30 at Oakfield Primary School (example); load them with "
    )
    assert caught.value.academic_year == "2029-30"


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        (lambda s: s.add_school_days(date(2027, 7, 20), 5), "2027-28"),
        (lambda s: s.next_school_day(date(2027, 7, 21)), "2027-28"),
        (lambda s: s.add_school_days(date(2024, 9, 5), -5), "2023-24"),
        (lambda s: s.school_days_between(date(2026, 5, 1), date(2027, 9, 10)), "2027-28"),
        (lambda s: s.school_days_between(date(2025, 5, 1), date(2023, 9, 10)), "2023-24"),
        (lambda s: s.add_school_weeks(date(2027, 7, 1), 5), "2027-28"),
        (lambda s: s.add_school_weeks(date(2024, 9, 10), -3), "2023-24"),
        (lambda s: s.add_half_terms(date(2027, 6, 10), 2), "2027-28"),
        (lambda s: s.add_half_terms(date(2024, 9, 10), -1), "2023-24"),
        (lambda s: s.half_term_containing(date(2024, 7, 31)), "2023-24"),
        (lambda s: s.add_school_days(date(2024, 7, 31), 0), "2023-24"),
    ],
)
def test_questions_beyond_the_loaded_years_name_the_missing_year(
    school: SchoolCalendar, question: Callable[[SchoolCalendar], object], missing: str
) -> None:
    with pytest.raises(NoTermDatesError, match=f"no term dates for {missing} at"):
        question(school)


def test_a_gap_between_loaded_years_is_not_skipped(example_term_dates: TermDates) -> None:
    first, _, third = example_term_dates.years
    calendar = SchoolCalendar(Nation.ENGLAND, [first, third], school="Gappy School")
    with pytest.raises(NoTermDatesError, match="no term dates for 2025-26 at Gappy School"):
        calendar.add_school_days(date(2025, 7, 21), 3)
    with pytest.raises(NoTermDatesError, match="2025-26"):
        calendar.add_half_terms(date(2026, 9, 10), -2)


def test_a_calendar_without_term_dates_still_does_working_days() -> None:
    calendar = SchoolCalendar(Nation.SCOTLAND)
    assert calendar.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 21)
    with pytest.raises(NoTermDatesError, match="no term dates for 2024-25 at this school"):
        calendar.next_school_day(date(2025, 4, 17))


@settings(max_examples=300, deadline=None)
@given(d=loaded_dates, n=st.integers(min_value=-250, max_value=250))
def test_add_school_days_matches_a_day_by_day_count(
    school: SchoolCalendar, brute_school_days: frozenset[date], d: date, n: int
) -> None:
    expected = _brute_add(brute_school_days, d, n)
    if expected is None:
        with pytest.raises(NoTermDatesError):
            school.add_school_days(d, n)
    else:
        assert school.add_school_days(d, n) == expected
        assert school.school_days_between(d, expected) == n


@settings(max_examples=200, deadline=None)
@given(d=loaded_dates, n=st.integers(min_value=-50, max_value=50))
def test_add_school_weeks_matches_a_week_by_week_count(
    school: SchoolCalendar, brute_school_days: frozenset[date], d: date, n: int
) -> None:
    expected = _brute_add_weeks(brute_school_days, d, n)
    if expected is None:
        with pytest.raises(NoTermDatesError):
            school.add_school_weeks(d, n)
    else:
        assert school.add_school_weeks(d, n) == expected
