"""Which appraisal cycle a date or a review meeting belongs to, and the cycle's month windows.

ReFocus times everything by month windows of the academic year (000 §4) rather than by day
counts, so every timing rule first has to place an act in its cycle. Meetings carry no cycle id
and no mid-year number, so both are derived here from the cycles the case has opened. The
windows' months are the pack file's `[limits]` (a school may hold its reviews in other months).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from pmledger.calendar import academic_year_label, academic_year_start
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import StatementRecorded
from pmledger.policies.case_file import CaseFile, Mark, MeetingFacts, Recorded
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.pack import ReviewPoint
from pmledger.policies.packfile.binding import loaded_for
from pmledger.policies.packfile.errors import PackFileError

CHECKS = NamedChecks()
"""This procedure's named checks: the questions only it asks, which its pack file cites."""

LOADED = loaded_for(__package__)
DATA = LOADED.file
"""This procedure's data, from its pack file."""

APP_B = "refocus-app-b"
APP_D = "refocus-app-d"


@dataclass(frozen=True)
class Window:
    """Whole months of an academic year (which starts in September): a month before September
    falls in its second calendar year."""

    first_month: int
    last_month: int

    @property
    def words(self) -> str:
        """As the procedure says it: 'September', 'November/December'."""
        names = calendar.month_name[self.first_month], calendar.month_name[self.last_month]
        return names[0] if names[0] == names[1] else "/".join(names)

    def dates(self, year: int) -> tuple[date, date]:
        first_year = year + (self.first_month < 9)
        last_year = year + (self.last_month < 9)
        days = calendar.monthrange(last_year, self.last_month)[1]
        return date(first_year, self.first_month, 1), date(last_year, self.last_month, days)


def _window(name: str) -> Window:
    """The window `[limits] <name>-first-month` to `<name>-last-month`, or a PackFileError
    naming the limit that is not a month of a window."""
    keys = (f"{name}-first-month", f"{name}-last-month")
    first, last = (DATA.limit(key) for key in keys)
    problems = [
        f"limits.{key} = {month}: not a month; give 1 (January) to 12 (December)"
        for key, month in ((keys[0], first), (keys[1], last))
        if not 1 <= month <= 12
    ]
    if not problems and (last - 9) % 12 < (first - 9) % 12:
        problems.append(
            f"limits.{keys[1]} = {last}: the window would end before it begins "
            f"({keys[0]} = {first}) in an academic year from September"
        )
    if problems:
        raise PackFileError(problems, origin=LOADED.origin)
    return Window(first, last)


TARGET_SETTING = _window("targets")
MID_YEAR = {1: _window("mid-year-1"), 2: _window("mid-year-2")}
END_OF_CYCLE = _window("end-of-cycle")


@dataclass(frozen=True)
class Span:
    """A cycle as the rules see it. Without a recorded cycle, the academic year containing the
    date stands in (1 September to 31 August), so acts are still placed; such a span has no
    mark, and so starts no deadline."""

    year: int
    starts_on: date
    ends_on: date
    mark: Mark | None = None
    cycle_id: str | None = None

    @property
    def label(self) -> str:
        return academic_year_label(self.year)

    def window(self, window: Window) -> tuple[date, date]:
        return window.dates(self.year)

    def applies(self, window: Window) -> bool:
        """A window that closed before the cycle began (a part-year starter) does not apply."""
        return self.window(window)[1] >= self.starts_on


def cycle_spans(file: CaseFile) -> list[Span]:
    spans = [
        Span(academic_year_start(c.starts_on), c.starts_on, c.ends_on, mark, c.cycle_id)
        for mark, c in file.cycles.values()
    ]
    return sorted(spans, key=lambda s: (s.starts_on, s.mark.version if s.mark else 0))


def span_of_cycle(file: CaseFile, cycle_id: str) -> Span | None:
    return next((s for s in cycle_spans(file) if s.cycle_id == cycle_id), None)


def span_on(file: CaseFile, on: date) -> Span:
    containing = [s for s in cycle_spans(file) if s.starts_on <= on <= s.ends_on]
    if containing:
        return containing[-1]
    year = academic_year_start(on)
    return Span(year, date(year, 9, 1), date(year + 1, 8, 31))


def held_on(meeting: MeetingFacts) -> Mark:
    assert meeting.held is not None
    return meeting.held


def _held(file: CaseFile, purpose: MeetingPurpose) -> list[MeetingFacts]:
    meetings = [m for m in file.meetings.values() if m.purpose is purpose and m.held]
    return sorted(meetings, key=lambda m: (held_on(m).on, held_on(m).version))


def mid_year_reviews(file: CaseFile, span: Span) -> list[MeetingFacts]:
    """Held mid-year reviews in the cycle, in order: the first is mid-point review 1."""
    return [
        m
        for m in _held(file, MeetingPurpose.MID_YEAR_REVIEW)
        if span.starts_on <= held_on(m).on <= span.ends_on
    ]


def mid_year_number(file: CaseFile, span: Span, meeting_id: str) -> int:
    """The number a mid-year review being held now takes: its place among the cycle's."""
    held = [m.meeting_id for m in mid_year_reviews(file, span)]
    return held.index(meeting_id) + 1 if meeting_id in held else len(held) + 1


def end_of_cycle_reviews(file: CaseFile) -> list[tuple[Span, MeetingFacts]]:
    """Held end-of-cycle reviews with the cycle each belongs to (see end_of_cycle_span)."""
    placed: list[tuple[Span, MeetingFacts]] = []
    taken: set[str] = set()
    for meeting in _held(file, MeetingPurpose.END_OF_CYCLE_REVIEW):
        span = end_of_cycle_span(file, taken, held_on(meeting).on)
        if span.cycle_id is not None:
            taken.add(span.cycle_id)
        placed.append((span, meeting))
    return placed


def end_of_cycle_span(file: CaseFile, taken: set[str], on: date) -> Span:
    """The review may wait for student outcomes past the cycle's end (§12), so one held before
    the current cycle's June belongs to the previous cycle while that has none. Only one
    cycle back: a year never reviewed must not capture every later review."""
    current = span_on(file, on)
    earlier = [s for s in cycle_spans(file) if s.ends_on < current.starts_on]
    if earlier and earlier[-1].cycle_id not in taken and on < current.window(END_OF_CYCLE)[0]:
        return earlier[-1]
    return current


def meeting_held_at(
    file: CaseFile, version: int | None, purpose: MeetingPurpose
) -> MeetingFacts | None:
    """The held meeting of `purpose` recorded at `version` (what a form's date field names)."""
    return next(
        (m for m in _held(file, purpose) if held_on(m).version == version),
        None,
    )


def statement_span(file: CaseFile, act: StatementRecorded, on: date) -> Span:
    """The cycle a form part belongs to: the one it names, else the one it was recorded in."""
    span = span_of_cycle(file, act.cycle_id) if act.cycle_id else None
    return span or span_on(file, on)


def form_parts(file: CaseFile, form: str) -> list[tuple[Recorded, StatementRecorded]]:
    return [
        (r, r.act)
        for r in file.recorded("statement_recorded")
        if isinstance(r.act, StatementRecorded) and r.act.form == form
    ]


def form_meeting(file: CaseFile, record: Recorded) -> MeetingFacts | None:
    """The held review meeting an App B / App D part documents, or None (not held yet).

    The reviewer's part names its meeting (`about_version`); the employee's part says which
    mid-point review it is for (App B) or is the cycle's end-of-cycle form (App D).
    """
    act = record.act
    if not isinstance(act, StatementRecorded) or act.form not in (APP_B, APP_D):
        return None
    purpose = (
        MeetingPurpose.MID_YEAR_REVIEW if act.form == APP_B else MeetingPurpose.END_OF_CYCLE_REVIEW
    )
    if act.about_version is not None:
        return meeting_held_at(file, act.about_version, purpose)
    span = statement_span(file, act, record.mark.on)
    if act.form == APP_B:
        held = mid_year_reviews(file, span)
        number = act.mid_year_cycle or 0
        return held[number - 1] if 0 < number <= len(held) else None
    return next(
        (
            m
            for s, m in end_of_cycle_reviews(file)
            if (s.year, s.cycle_id) == (span.year, span.cycle_id)
        ),
        None,
    )


def record_at(file: CaseFile, version: int) -> Recorded | None:
    return next((r for r in file.history if r.mark.version == version), None)


def review_point(file: CaseFile) -> ReviewPoint | None:
    """§4's three-point cycle: the latest review held, as its number (mid-point reviews 1 and
    2, the end of cycle review 3) in the cycle it belongs to; None before the first."""
    held: list[tuple[Mark, int, str, Span]] = []
    for meeting in _held(file, MeetingPurpose.MID_YEAR_REVIEW):
        span = span_on(file, held_on(meeting).on)
        number = mid_year_number(file, span, meeting.meeting_id)
        if number in MID_YEAR:
            what = f"{MID_YEAR[number].words} mid-point review"
            held.append((held_on(meeting), number, what, span))
    for span, meeting in end_of_cycle_reviews(file):
        held.append((held_on(meeting), len(MID_YEAR) + 1, "end of cycle review", span))
    if not held:
        return None
    mark, number, what, span = max(held, key=lambda h: (h[0].on, h[0].version))
    return ReviewPoint(
        number=number,
        of=len(MID_YEAR) + 1,
        words=f"review {number} of {len(MID_YEAR) + 1}: the {what} of {span.label}, held "
        f"on {mark.on}",
        held_on=mark.on,
        cycle=span.cycle_id or span.label,
    )
