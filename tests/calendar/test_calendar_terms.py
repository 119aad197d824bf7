from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from pmledger.calendar import (
    CalendarError,
    Nation,
    SchoolCalendar,
    SchoolYear,
    TermDataError,
    TermDates,
)


def _year(**changes: Any) -> dict[str, Any]:
    year: dict[str, Any] = {
        "academic_year": "2025-26",
        "terms": [
            {
                "name": "Autumn",
                "start": "2025-09-01",
                "end": "2025-12-19",
                "half_term": {"start": "2025-10-27", "end": "2025-10-31"},
            },
            {"name": "Spring", "start": "2026-01-05", "end": "2026-03-27"},
        ],
        "closures": [{"day": "2025-09-01", "reason": "INSET day"}],
    }
    year.update(changes)
    return year


def _problems(data: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(TermDataError) as caught:
        SchoolYear.from_dict(data)
    return caught.value.problems


def test_example_file_loads_through_importlib_resources(example_term_dates: TermDates) -> None:
    assert example_term_dates.nation is Nation.ENGLAND
    assert [year.academic_year for year in example_term_dates.years] == [
        "2024-25",
        "2025-26",
        "2026-27",
    ]
    summer = example_term_dates.years[0].terms[2]
    assert (summer.start, summer.end) == (date(2025, 4, 22), date(2025, 7, 22))


def test_example_file_loads_from_a_path(tmp_path: Path, example_term_dates: TermDates) -> None:
    copy = tmp_path / "term-dates.toml"
    resource = files("pmledger.calendar") / "data" / "england-example.toml"
    copy.write_text(resource.read_text(encoding="utf-8"), encoding="utf-8")
    assert TermDates.from_toml_file(copy) == example_term_dates


def test_a_valid_year_loads_from_a_dict_of_iso_strings() -> None:
    year = SchoolYear.from_dict(_year())
    assert year.start_year == 2025
    assert year.terms[0].half_term is not None
    assert year.closures[0].day == date(2025, 9, 1)


def test_term_ending_before_it_starts() -> None:
    terms = [{"name": "Autumn", "start": "2025-12-19", "end": "2025-09-01"}]
    (problem,) = _problems(_year(terms=terms, closures=[]))
    assert problem == (
        "terms[0]: the Autumn term ends on 2025-09-01, before it starts on 2025-12-19; "
        "check the two dates are not swapped or in the wrong year"
    )


def test_overlapping_terms() -> None:
    terms = [
        {"name": "Autumn", "start": "2025-09-01", "end": "2026-01-09"},
        {"name": "Spring", "start": "2026-01-05", "end": "2026-03-27"},
    ]
    (problem,) = _problems(_year(terms=terms))
    assert "the Spring term (2026-01-05 to 2026-03-27) overlaps the Autumn term" in problem
    assert "a term must start after the previous one ends" in problem


def test_terms_out_of_order() -> None:
    autumn, spring = _year()["terms"]
    (problem,) = _problems(_year(terms=[spring, autumn]))
    assert "list terms in date order" in problem


def test_half_term_outside_its_term() -> None:
    terms = [
        {
            "name": "Autumn",
            "start": "2025-09-01",
            "end": "2025-12-19",
            "half_term": {"start": "2025-12-15", "end": "2025-12-19"},
        }
    ]
    (problem,) = _problems(_year(terms=terms))
    assert problem.startswith("terms[0]: the Autumn half-term break (2025-12-15 to 2025-12-19)")
    assert "the break must start after the term's first day and end before its last day" in problem


def test_half_term_break_ending_before_it_starts() -> None:
    terms = [
        {
            "name": "Autumn",
            "start": "2025-09-01",
            "end": "2025-12-19",
            "half_term": {"start": "2025-10-31", "end": "2025-10-27"},
        }
    ]
    (problem,) = _problems(_year(terms=terms))
    assert problem.startswith("terms[0].half_term: the half-term break ends on 2025-10-27")


def test_term_outside_its_academic_year() -> None:
    autumn, spring = _problems(_year(academic_year="2024-25", closures=[]))
    assert autumn.startswith(
        "the Autumn term (2025-09-01 to 2025-12-19) is not within academic year 2024-25 "
        "(2024-08-01 to 2025-07-31)"
    )
    assert spring.startswith("the Spring term")


def test_no_terms_and_no_years() -> None:
    assert _problems(_year(terms=[], closures=[])) == ("no terms are listed; add the year's terms",)
    with pytest.raises(TermDataError, match=r"no academic years are listed; add a \[\[years\]\]"):
        TermDates.from_dict({"school": "X", "nation": "england", "years": []})


def test_badly_written_academic_year() -> None:
    (problem,) = _problems(_year(academic_year="2025-27"))
    assert "must be written YYYY-YY for two consecutive years" in problem


def test_closures_on_a_weekend_in_a_half_term_and_twice() -> None:
    closures = [
        {"day": "2025-09-06", "reason": "INSET day"},
        {"day": "2025-10-28", "reason": "INSET day"},
        {"day": "2025-09-02", "reason": "INSET day"},
        {"day": "2025-09-02", "reason": "INSET day"},
    ]
    problems = _problems(_year(closures=closures))
    assert problems == (
        "closure day 2025-09-06 (INSET day) is a Saturday; only a weekday can close the school, "
        "so check the date",
        "closure day 2025-10-28 (INSET day) is not in term time; a closure must fall inside a "
        "term and outside its half-term break, so check the date",
        "closure day 2025-09-02 is listed twice; keep one entry",
    )


def test_every_problem_is_reported_at_once() -> None:
    data = {
        "school": "Broken School",
        "nation": "england",
        "years": [
            _year(terms=[{"name": "Autumn", "start": "2025-12-19", "end": "2025-09-01"}]),
            _year(academic_year="2026-27", closures=[{"day": "2026-09-05", "reason": "x"}]),
        ],
    }
    with pytest.raises(TermDataError) as caught:
        TermDates.from_dict(data)
    error = caught.value
    assert error.source == "Broken School"
    assert len(error.problems) == 4  # a bad term, two terms in the wrong year, a Saturday closure
    assert str(error).startswith("invalid term dates for Broken School:\n  - years[0].terms[0]:")
    assert isinstance(error, CalendarError)
    assert isinstance(error, ValueError)


def test_unknown_nation_and_misspelt_key() -> None:
    data = {"school": "X", "nation": "cornwall", "years": [_year(term=[])]}
    with pytest.raises(TermDataError) as caught:
        TermDates.from_dict(data)
    locations = [problem.split(":")[0] for problem in caught.value.problems]
    assert locations == ["nation", "years[0].term"]


def test_the_same_year_twice_in_a_file() -> None:
    data = {"school": "X", "nation": "wales", "years": [_year(), _year()]}
    with pytest.raises(TermDataError, match="academic year 2025-26 is given more than once"):
        TermDates.from_dict(data)


def test_the_same_year_twice_in_a_calendar() -> None:
    year = SchoolYear.from_dict(_year())
    with pytest.raises(TermDataError, match="academic year 2025-26 is given twice"):
        SchoolCalendar(Nation.WALES, [year, year], school="X")


def test_a_half_term_with_no_school_days() -> None:
    year = SchoolYear.from_dict(
        {
            "academic_year": "2025-26",
            "terms": [{"name": "Christmas club", "start": "2025-12-25", "end": "2025-12-28"}],
        }
    )
    with pytest.raises(TermDataError, match=r"2025-26 Christmas club \(.*\) has no school days"):
        SchoolCalendar(Nation.ENGLAND, [year], school="X")


def test_invalid_toml() -> None:
    with pytest.raises(TermDataError, match="not valid TOML"):
        TermDates.from_toml('school = "X"\nnation = ')


def test_models_are_frozen(example_term_dates: TermDates) -> None:
    with pytest.raises(ValueError, match="frozen"):
        example_term_dates.years[0].terms[0].name = "Michaelmas"  # type: ignore[misc]
