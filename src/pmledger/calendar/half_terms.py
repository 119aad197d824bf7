"""Half terms: the stretches of school time between holidays, and counting in them.

Guidance such as "four school weeks to half a term" of support before capability measures the
time in half terms. A half term runs from the first day of a term to the day before its half-term
break, or from the day after the break to the end of the term; a term with no break is a single
half term.

"n half terms after d" keeps ``d``'s place in its half term, like months keep the day of the
month: if ``d`` is the k-th school day of its half term, the answer is the k-th school day of the
n-th half term after it, or that half term's last school day when it is shorter. A ``d`` that falls
in a holiday counts as the end of the half term just finished, so half a term of support that
starts in the Christmas holidays ends on the last school day of the next half term. A ``d``
inside a half term but before its first school day (an INSET day) counts as its first school day.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from pmledger.calendar.errors import TermDataError
from pmledger.calendar.school_days import SchoolDays


@dataclass(frozen=True, slots=True)
class HalfTerm:
    """A half term with its school days, so callers can show both its span and what counts in it.

    ``start`` and ``end`` are calendar bounds taken from the term data (the half after a
    Monday-to-Friday break starts on the Saturday); ``school_days`` are the days that count.
    """

    academic_year: str
    name: str
    start: date
    end: date
    school_days: tuple[date, ...]

    @property
    def last_school_day(self) -> date:
        return self.school_days[-1]

    @property
    def school_weeks(self) -> int:
        """Its length as guidance counts it: Monday-to-Sunday weeks with at least one school day."""
        return len({day - timedelta(days=day.weekday()) for day in self.school_days})


class HalfTerms:
    """The loaded half terms in date order, each with its school days."""

    def __init__(self, school_days: SchoolDays) -> None:
        self._school_days = school_days
        half_terms = []
        for year in school_days.years.values():
            for term in year.terms:
                for name, start, end in term.halves():
                    days = school_days.in_range(start, end)
                    if not days:
                        raise TermDataError(
                            [
                                f"{year.academic_year} {name} ({start} to {end}) has no school "
                                "days once weekends, bank holidays and closures are taken out; "
                                "check its dates"
                            ],
                            source=school_days.school,
                        )
                    half_terms.append(HalfTerm(year.academic_year, name, start, end, days))
        self._half_terms = tuple(sorted(half_terms, key=lambda half_term: half_term.start))
        self._starts = tuple(half_term.start for half_term in self._half_terms)

    def containing(self, d: date) -> HalfTerm | None:
        """The half term ``d`` falls in, or None during a holiday."""
        self._school_days.require_loaded(d, d)
        index = bisect_right(self._starts, d) - 1
        if index >= 0 and d <= self._half_terms[index].end:
            return self._half_terms[index]
        return None

    def add(self, d: date, n: int) -> date:
        current = self.containing(d)
        if n == 0:
            return d
        index = bisect_right(self._starts, d) - 1 + n
        if index >= len(self._half_terms):
            raise self._school_days.missing_after(d)
        if index < 0:
            raise self._school_days.missing_before(d)
        target = self._half_terms[index].school_days
        if current is None:
            result = target[-1]
        else:
            place = max(bisect_right(current.school_days, d), 1)
            result = target[min(place, len(target)) - 1]
        if n > 0:
            self._school_days.require_loaded(d, result)
        else:
            self._school_days.require_loaded(result, d, forward=False)
        return result
