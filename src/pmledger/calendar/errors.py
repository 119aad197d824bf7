"""Typed refusals, so callers can tell bad term data from a question the data cannot answer."""

from collections.abc import Sequence


class CalendarError(ValueError):
    """Any refusal by the calendar; a ValueError because it is always caused by the input."""


class TermDataError(CalendarError):
    """Term dates that contradict themselves; the ledger must not compute deadlines from them."""

    def __init__(self, problems: Sequence[str], *, source: str) -> None:
        self.problems = tuple(problems)
        self.source = source
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"invalid term dates for {source}:\n{listed}")


class NoTermDatesError(CalendarError):
    """A school-time question about a year whose term dates were never loaded.

    Guessing term dates would put a wrong deadline into a legal record, so the calendar refuses
    and says which year to load.
    """

    def __init__(self, *, school: str, academic_year: str) -> None:
        self.school = school
        self.academic_year = academic_year
        super().__init__(
            f"no term dates for {academic_year} at {school}; load them with "
            f"SchoolCalendar(nation, school_years=[..., SchoolYear.from_dict({{'academic_year': "
            f"'{academic_year}', 'terms': [...]}})]) or add a [[years]] entry with "
            f"academic_year = '{academic_year}' to the school's term-dates TOML file"
        )
