from datetime import date

import pytest
from pydantic import ValidationError

from pmledger.calendar import Direction, SchoolCalendar, TimeLimit, TimeUnit


@pytest.mark.parametrize(
    ("start", "amount", "unit", "after", "before"),
    [
        (date(2025, 3, 14), 7, TimeUnit.CALENDAR_DAYS, date(2025, 3, 21), date(2025, 3, 7)),
        (date(2025, 4, 24), 5, TimeUnit.WORKING_DAYS, date(2025, 5, 1), date(2025, 4, 15)),
        (date(2024, 12, 19), 2, TimeUnit.SCHOOL_DAYS, date(2025, 1, 7), date(2024, 12, 17)),
        (date(2025, 2, 12), 4, TimeUnit.SCHOOL_WEEKS, date(2025, 3, 19), date(2025, 1, 15)),
        (date(2025, 2, 12), 4, TimeUnit.WEEKS, date(2025, 3, 12), date(2025, 1, 15)),
        (date(2024, 2, 29), 12, TimeUnit.MONTHS, date(2025, 2, 28), date(2023, 2, 28)),
        (date(2024, 2, 29), 2, TimeUnit.YEARS, date(2026, 2, 28), date(2022, 2, 28)),
        (date(2025, 1, 7), 1, TimeUnit.HALF_TERMS, date(2025, 2, 24), date(2024, 11, 5)),
    ],
)
def test_shift_in_every_unit(
    school: SchoolCalendar, start: date, amount: int, unit: TimeUnit, after: date, before: date
) -> None:
    limit = TimeLimit(amount=amount, unit=unit)
    assert school.shift(start, limit) == after
    assert school.shift(start, limit, Direction.AFTER) == after
    assert school.shift(start, limit, Direction.BEFORE) == before


def test_every_unit_is_covered_by_shift(school: SchoolCalendar) -> None:
    for unit in TimeUnit:
        assert school.shift(date(2025, 3, 12), TimeLimit(amount=0, unit=unit)) == date(2025, 3, 12)


def test_at_least_7_calendar_days_notice(school: SchoolCalendar) -> None:
    meeting = date(2025, 3, 14)
    latest_invitation = school.shift(
        meeting, TimeLimit(amount=7, unit=TimeUnit.CALENDAR_DAYS), Direction.BEFORE
    )
    assert latest_invitation == date(2025, 3, 7)


def test_time_limits_load_from_plain_data_and_stay_fixed() -> None:
    limit = TimeLimit.model_validate({"amount": 5, "unit": "working_days"})
    assert limit == TimeLimit(amount=5, unit=TimeUnit.WORKING_DAYS)
    assert TimeLimit.model_validate_json(limit.model_dump_json()) == limit
    assert hash(limit) == hash(TimeLimit(amount=5, unit=TimeUnit.WORKING_DAYS))
    with pytest.raises(ValidationError):
        limit.amount = 6  # type: ignore[misc]


@pytest.mark.parametrize(
    "data",
    [
        {"amount": -1, "unit": "working_days"},
        {"amount": 5, "unit": "fortnights"},
        {"amount": 5, "unit": "working_days", "direction": "before"},
    ],
)
def test_bad_time_limits_are_rejected(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        TimeLimit.model_validate(data)


def test_unit_and_direction_values() -> None:
    assert [unit.value for unit in TimeUnit] == [
        "calendar_days",
        "working_days",
        "school_days",
        "school_weeks",
        "weeks",
        "months",
        "years",
        "half_terms",
    ]
    assert [direction.value for direction in Direction] == ["after", "before"]
