"""Shared calendars: the shipped example term dates, loaded the way an installed package would."""

from importlib.resources import files

import pytest

from pmledger.calendar import SchoolCalendar, TermDates


@pytest.fixture(scope="session")
def example_term_dates() -> TermDates:
    return TermDates.from_toml_file(files("pmledger.calendar") / "data" / "england-example.toml")


@pytest.fixture(scope="session")
def school(example_term_dates: TermDates) -> SchoolCalendar:
    return SchoolCalendar.from_term_dates(example_term_dates)
