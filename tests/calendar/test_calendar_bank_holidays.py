from datetime import date

import pytest

from pmledger.calendar import Nation, bank_holidays, is_bank_holiday

ALL_NATIONS = list(Nation)
EASTER_MONDAY_NATIONS = [Nation.ENGLAND, Nation.WALES, Nation.NORTHERN_IRELAND]


def test_nation_values_are_the_stored_spellings() -> None:
    assert [nation.value for nation in Nation] == [
        "england",
        "wales",
        "scotland",
        "northern-ireland",
    ]
    assert Nation("northern-ireland") is Nation.NORTHERN_IRELAND


@pytest.mark.parametrize("nation", ALL_NATIONS)
def test_good_friday_2025_everywhere(nation: Nation) -> None:
    assert bank_holidays(nation, 2025)[date(2025, 4, 18)] == "Good Friday"


@pytest.mark.parametrize("nation", EASTER_MONDAY_NATIONS)
def test_easter_monday_2025_outside_scotland(nation: Nation) -> None:
    assert is_bank_holiday(date(2025, 4, 21), nation)


def test_scotland_has_no_easter_monday() -> None:
    assert not is_bank_holiday(date(2025, 4, 21), Nation.SCOTLAND)


@pytest.mark.parametrize("nation", ALL_NATIONS)
def test_christmas_2027_on_a_weekend_moves_to_monday_and_tuesday(nation: Nation) -> None:
    holidays_2027 = bank_holidays(nation, 2027)
    assert holidays_2027[date(2027, 12, 27)] == "Christmas Day (observed)"
    assert holidays_2027[date(2027, 12, 28)] == "Boxing Day (observed)"


def test_scotland_second_of_january_and_its_substitute() -> None:
    assert is_bank_holiday(date(2025, 1, 2), Nation.SCOTLAND)
    assert not is_bank_holiday(date(2025, 1, 2), Nation.ENGLAND)
    # 1 and 2 January 2028 are a weekend: Scotland gets Monday 3 and Tuesday 4 off.
    assert is_bank_holiday(date(2028, 1, 3), Nation.SCOTLAND)
    assert is_bank_holiday(date(2028, 1, 4), Nation.SCOTLAND)
    assert not is_bank_holiday(date(2028, 1, 4), Nation.ENGLAND)


def test_st_andrews_day_only_in_scotland() -> None:
    assert is_bank_holiday(date(2027, 11, 30), Nation.SCOTLAND)
    assert not is_bank_holiday(date(2027, 11, 30), Nation.ENGLAND)
    # 30 November 2025 is a Sunday; the substitute is Monday 1 December.
    assert bank_holidays(Nation.SCOTLAND, 2025)[date(2025, 12, 1)] == (
        "Saint Andrew's Day (observed)"
    )


def test_northern_ireland_st_patricks_day_and_twelfth_of_july() -> None:
    assert is_bank_holiday(date(2025, 3, 17), Nation.NORTHERN_IRELAND)
    assert is_bank_holiday(date(2027, 7, 12), Nation.NORTHERN_IRELAND)
    # 12 July 2025 is a Saturday; the substitute is Monday 14 July.
    assert is_bank_holiday(date(2025, 7, 14), Nation.NORTHERN_IRELAND)
    for nation in (Nation.ENGLAND, Nation.WALES, Nation.SCOTLAND):
        assert not is_bank_holiday(date(2025, 3, 17), nation)
        assert not is_bank_holiday(date(2027, 7, 12), nation)


def test_scotland_summer_bank_holiday_is_in_early_august() -> None:
    assert is_bank_holiday(date(2025, 8, 4), Nation.SCOTLAND)
    assert not is_bank_holiday(date(2025, 8, 25), Nation.SCOTLAND)
    assert is_bank_holiday(date(2025, 8, 25), Nation.ENGLAND)


def test_one_off_bank_holidays_are_included() -> None:
    assert is_bank_holiday(date(2022, 9, 19), Nation.WALES)  # State funeral of Elizabeth II


def test_each_nation_and_year_is_built_once_and_read_only() -> None:
    first = bank_holidays(Nation.WALES, 2026)
    assert bank_holidays(Nation.WALES, 2026) is first
    with pytest.raises(TypeError):
        first[date(2026, 1, 2)] = "made up"  # type: ignore[index]
