"""Term dates held as data, one school and one academic year at a time.

Every school (or its local authority or trust) publishes its own term dates, so they cannot be
computed: they are loaded from a TOML file or a dict and checked before any deadline is derived
from them. Model construction raises pydantic's ``ValidationError``; the ``from_*`` loaders turn
that into a :class:`TermDataError` that lists every problem at once, so whoever maintains the file
can fix it in one pass.

An academic year runs from 1 August to 31 July and is written "2024-25"; that window holds every
UK school's terms (Scottish schools return in mid-August) and tells the calendar which year's data
a date needs.
"""

import re
import tomllib
from collections.abc import Mapping
from datetime import date, timedelta
from importlib.resources.abc import Traversable
from itertools import pairwise
from typing import Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from pmledger.calendar.bank_holidays import is_bank_holiday
from pmledger.calendar.errors import TermDataError
from pmledger.calendar.nation import Nation

_ACADEMIC_YEAR = re.compile(r"(\d{4})-(\d{2})")
_FIRST_MONTH = 8
_Model = TypeVar("_Model", bound=BaseModel)


def academic_year_start(d: date) -> int:
    """The calendar year in which the academic year containing ``d`` began."""
    return d.year if d.month >= _FIRST_MONTH else d.year - 1


def academic_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


class _Problems(ValueError):
    """Several findings from one validator, kept apart so each is reported on its own line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HalfTermBreak(_Frozen):
    """The holiday that splits a term in two, first and last day included."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end < self.start:
            raise ValueError(
                f"the half-term break ends on {self.end}, before it starts on {self.start}; "
                "check the two dates are not swapped"
            )
        return self


class Term(_Frozen):
    """One term, first and last day included; school days stop during its half-term break."""

    name: str = Field(min_length=1)
    start: date
    end: date
    half_term: HalfTermBreak | None = None

    @model_validator(mode="after")
    def _dates_are_consistent(self) -> Self:
        if self.end < self.start:
            raise ValueError(
                f"the {self.name} term ends on {self.end}, before it starts on {self.start}; "
                "check the two dates are not swapped or in the wrong year"
            )
        gap = self.half_term
        if gap is not None and not self.start < gap.start <= gap.end < self.end:
            raise ValueError(
                f"the {self.name} half-term break ({gap.start} to {gap.end}) is not inside the "
                f"{self.name} term ({self.start} to {self.end}); the break must start after the "
                "term's first day and end before its last day"
            )
        return self

    def halves(self) -> tuple[tuple[str, date, date], ...]:
        """The term's half terms as (name, first day, last day); a term without a break is one."""
        gap = self.half_term
        if gap is None:
            return ((self.name, self.start, self.end),)
        return (
            (f"{self.name} 1", self.start, gap.start - timedelta(days=1)),
            (f"{self.name} 2", gap.end + timedelta(days=1), self.end),
        )

    def is_term_time(self, d: date) -> bool:
        gap = self.half_term
        in_gap = gap is not None and gap.start <= d <= gap.end
        return self.start <= d <= self.end and not in_gap


class Closure(_Frozen):
    """A term-time weekday the school is shut, such as an INSET day; the reason goes on record."""

    day: date
    reason: str = Field(min_length=1)


class OpenDay(_Frozen):
    """A bank holiday on which the school opens as a school day (some Scottish and Northern
    Irish schools keep local holidays instead of every national one); the reason goes on record,
    and it counts as a school day though it stays off the working-day count."""

    day: date
    reason: str = Field(min_length=1)


class SubmissionDeadlines(_Frozen):
    """Paperwork deadlines a school publishes for one academic year; one not yet published is
    left out.

    ReFocus (000 §4 NB) says "the deadline for the submission by staff of completed paperwork for
    both the Mid-Year and End-of-Cycle review will be agreed and published annually": the dates
    are the school's and change every year, like its terms, so they are kept beside them.
    """

    mid_year_1: date | None = None
    mid_year_2: date | None = None
    end_of_cycle: date | None = None

    def published(self) -> list[tuple[str, date]]:
        """(name, date) of each published deadline, in the order the cycle reaches them."""
        return [(name, day) for name, day in self.model_dump().items() if day is not None]


class SchoolYear(_Frozen):
    """One academic year of one school's terms and closure days."""

    academic_year: str
    terms: tuple[Term, ...]
    closures: tuple[Closure, ...] = ()
    open_on_bank_holidays: tuple[OpenDay, ...] = ()
    submission_deadlines: SubmissionDeadlines = SubmissionDeadlines()

    @field_validator("academic_year")
    @classmethod
    def _label_names_consecutive_years(cls, label: str) -> str:
        match = _ACADEMIC_YEAR.fullmatch(label)
        if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(
                f"academic year {label!r} must be written YYYY-YY for two consecutive years, "
                "e.g. '2024-25'"
            )
        return label

    @model_validator(mode="after")
    def _terms_fit_the_year(self) -> Self:
        problems = [
            *self._terms_outside_year(),
            *self._terms_out_of_order(),
            *self._bad_closures(),
            *self._bad_open_days(),
            *self._bad_deadlines(),
        ]
        if not self.terms:
            problems.append("no terms are listed; add the year's terms")
        if problems:
            raise _Problems(problems)
        return self

    @property
    def start_year(self) -> int:
        return int(self.academic_year[:4])

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Self:
        return _validated(cls, data, source=f"academic year {data.get('academic_year', '?')}")

    def _terms_outside_year(self) -> list[str]:
        first, last = date(self.start_year, _FIRST_MONTH, 1), date(self.start_year + 1, 7, 31)
        return [
            f"the {term.name} term ({term.start} to {term.end}) is not within academic year "
            f"{self.academic_year} ({first} to {last}); move it to the year it belongs to or "
            "correct the year in its dates"
            for term in self.terms
            if term.start < first or term.end > last
        ]

    def _terms_out_of_order(self) -> list[str]:
        problems = []
        for earlier, later in pairwise(self.terms):
            if later.start < earlier.start:
                problems.append(
                    f"the {later.name} term (starting {later.start}) is listed after the "
                    f"{earlier.name} term (starting {earlier.start}); list terms in date order"
                )
            elif later.start <= earlier.end:
                problems.append(
                    f"the {later.name} term ({later.start} to {later.end}) overlaps the "
                    f"{earlier.name} term ({earlier.start} to {earlier.end}); a term must start "
                    "after the previous one ends"
                )
        names = [term.name for term in self.terms]
        problems.extend(
            f"two terms are called {name!r}; give each term its own name"
            for name in sorted({name for name in names if names.count(name) > 1})
        )
        return problems

    def _bad_closures(self) -> list[str]:
        problems = []
        seen: set[date] = set()
        for closure in self.closures:
            day = closure.day
            if day in seen:
                problems.append(f"closure day {day} is listed twice; keep one entry")
            seen.add(day)
            if day.weekday() >= 5:
                problems.append(
                    f"closure day {day} ({closure.reason}) is a {day:%A}; only a weekday can "
                    "close the school, so check the date"
                )
            elif not any(term.is_term_time(day) for term in self.terms):
                problems.append(
                    f"closure day {day} ({closure.reason}) is not in term time; a closure must "
                    "fall inside a term and outside its half-term break, so check the date"
                )
        return problems

    def _bad_open_days(self) -> list[str]:
        """Where an open day falls; whether it is a bank holiday at all depends on the nation,
        which only the whole file knows (TermDates checks that)."""
        closed = {closure.day for closure in self.closures}
        return [
            f"open day {open_day.day} ({open_day.reason}) is "
            + (
                "also listed as a closure; keep one of the two"
                if open_day.day in closed
                else f"a {open_day.day:%A}, not a weekday in term time; check the date"
            )
            for open_day in self.open_on_bank_holidays
            if open_day.day in closed
            or open_day.day.weekday() >= 5
            or not any(term.is_term_time(open_day.day) for term in self.terms)
        ]

    def _bad_deadlines(self) -> list[str]:
        """A deadline outside its year, or out of the cycle's order, is almost always a mistyped
        year; the end-of-cycle one may run into the next autumn (000 §12: reviews that wait for
        student outcomes)."""
        first, last = date(self.start_year, _FIRST_MONTH, 1), date(self.start_year + 1, 12, 31)
        published = self.submission_deadlines.published()
        problems = [
            f"submission deadline {name} ({day}) is not between {first} and {last}; give the "
            f"date {self.academic_year} published, checking its year"
            for name, day in published
            if not first <= day <= last
        ]
        problems.extend(
            f"submission deadline {later} ({on}) is before {earlier} ({before}); the cycle "
            "reaches them in the order mid_year_1, mid_year_2, end_of_cycle, so check the dates"
            for (earlier, before), (later, on) in pairwise(published)
            if on < before
        )
        return problems


class TermDates(_Frozen):
    """A school's term-dates file: which school, which nation, and its academic years."""

    school: str = Field(min_length=1)
    nation: Nation
    years: tuple[SchoolYear, ...]

    @model_validator(mode="after")
    def _each_year_once(self) -> Self:
        if not self.years:
            raise ValueError("no academic years are listed; add a [[years]] entry for each year")
        labels = [year.academic_year for year in self.years]
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            raise ValueError(
                f"academic year {', '.join(repeated)} is given more than once; keep one entry "
                "per year"
            )
        not_holidays = [
            f"{year.academic_year}: open day {open_day.day} ({open_day.reason}) is not a bank "
            f"holiday in {self.nation.value.replace('_', ' ').title()}; list only the nation's "
            "bank holidays the school opens on, or check the file's nation"
            for year in self.years
            for open_day in year.open_on_bank_holidays
            if not is_bank_holiday(open_day.day, self.nation)
        ]
        if not_holidays:
            raise _Problems(not_holidays)
        return self

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Self:
        return _validated(cls, data, source=str(data.get("school", "a school")))

    @classmethod
    def from_toml(cls, text: str) -> Self:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise TermDataError(
                [f"the file is not valid TOML ({error}); fix the syntax"], source="a TOML file"
            ) from error
        return cls.from_dict(data)

    @classmethod
    def from_toml_file(cls, file: Traversable) -> Self:
        """Accepts a ``pathlib.Path`` or an ``importlib.resources`` file alike."""
        return cls.from_toml(file.read_text(encoding="utf-8"))


def _validated(model: type[_Model], data: Mapping[str, object], *, source: str) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [line for detail in error.errors() for line in _describe(detail)]
        raise TermDataError(problems, source=source) from error


def _describe(detail: ErrorDetails) -> list[str]:
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in detail["loc"])
    where = f"{where.lstrip('.')}: " if where else ""
    error = detail.get("ctx", {}).get("error")
    if isinstance(error, _Problems):
        return [where + problem for problem in error.problems]
    if detail["type"] == "extra_forbidden":
        return [f"{where}not a setting of this file; check its spelling and where it is placed"]
    message = str(error) if isinstance(error, ValueError) else detail["msg"]
    return [where + message]
