"""The performance management cycle: scope, length, reviews, statements, interim meetings,
observation feedback and the deadlines that go with them (002 Scope to Annual Assessment).

Deadlines that fall due while the Capability Policy runs are shown as suspended (¶10.30).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from pmledger.calendar import CalendarError, SchoolCalendar, last_day_of_period
from pmledger.events.case_acts import CaseOpened, ContractKind, CycleOpened
from pmledger.events.meeting_acts import ObservationHeld
from pmledger.events.record_acts import StatementKind, StatementRecorded
from pmledger.events.signed_event import Act
from pmledger.policies.case_file import CaseFile, Mark
from pmledger.policies.named_checks import RowsFn
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.rule import ActContext
from pmledger.policies.rules.due_after import Anchor
from pmledger.policies.rules.fixed_dates import FixedDue

from .facts import (
    CHECKS,
    INTERIM,
    cycles_in_order,
    date_fact,
    flag,
    is_headteacher,
    is_support,
    review_due,
    review_meetings,
    spelt,
    statement_due,
)
from .pay import on_upper_pay_range, pay_recommendation_due

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

ANNUAL_STATEMENT = "hp-annual-statement"
NEW_CYCLE_STATEMENT = "hp-new-cycle-statement"
CYCLE_MONTHS = DATA.limit("cycle-months")
_EMPLOYEE_STATEMENTS = frozenset({StatementKind.EMPLOYEE, StatementKind.EMPLOYEE_COMMENT})

AnchorsFn = Callable[[CaseFile], Iterable[Anchor]]


def _contract_end(file: CaseFile) -> date | None:
    return date_fact(file, "contract_ends_on", file.opened.contract_ends_on)


def _shorter_than_a_term(calendar: SchoolCalendar, start: date, end: date) -> bool:
    """Shorter than the term it starts in (or the next, if it starts in a holiday); without
    term dates for that time nothing can be said, so nothing is refused."""
    try:
        calendar.is_school_day(start)
    except CalendarError:
        return False
    terms = sorted(
        (term for year in calendar.school_years for term in year.terms if term.end >= start),
        key=lambda term: term.start,
    )
    if not terms:
        return False
    return (end - start) < (terms[0].end - terms[0].start)


@CHECKS.problem("out-of-scope", "002 Scope L11")
def _out_of_scope(ctx: ActContext) -> str | None:
    file, act = ctx.file, ctx.act
    opened = act if isinstance(act, CaseOpened) else file.opened
    ect = (
        opened.ect_induction
        if isinstance(act, CaseOpened)
        else flag(file, "ect_induction", opened.ect_induction)
    )
    if ect:
        return "this policy does not apply to employees undergoing formal induction (ECTs)"
    end = opened.contract_ends_on if isinstance(act, CaseOpened) else _contract_end(file)
    if opened.contract_kind is not ContractKind.FIXED_TERM or end is None:
        return None
    start = opened.employment_started_on or ctx.on
    if _shorter_than_a_term(ctx.calendar, start, end):
        return (
            f"a contract from {start} to {end} is shorter than one term: this policy does not "
            "apply to contracts of less than one term"
        )
    return None


@CHECKS.problem("cycle-length", "002 Cycle L27-28")
def _cycle_length(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, CycleOpened)
    want = last_day_of_period(act.starts_on, CYCLE_MONTHS)
    contract_end = _contract_end(ctx.file)
    if contract_end is not None and act.starts_on < contract_end < want:
        want = contract_end
    if act.ends_on == want:
        return None
    return (
        f"the cycle from {act.starts_on} should end on {want} ({spelt(CYCLE_MONTHS)} months, or "
        "the end of a "
        f"fixed-term contract of less than a year), not {act.ends_on}"
    )


def _first_decided(file: CaseFile, cycle_id: str) -> Mark | None:
    marks = [
        p.decided
        for p in file.pay.values()
        if p.recommendation.cycle_id == cycle_id and p.decided is not None
    ]
    return min(marks, key=lambda mark: (mark.on, mark.version), default=None)


def _first_recommended(file: CaseFile, cycle_id: str) -> Mark | None:
    marks = [p.recommended for p in file.pay.values() if p.recommendation.cycle_id == cycle_id]
    return min(marks, key=lambda mark: (mark.on, mark.version), default=None)


def _review_rows(*, headteacher: bool, support: bool = False) -> RowsFn:
    def rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
        if is_headteacher(file) is not headteacher or is_support(file) is not support:
            return
        reviews = review_meetings(file)
        for cycle_id, mark, cycle in cycles_in_order(file):
            due = review_due(file, cycle)
            unit = f"by {due:%d %B}"
            yield FixedDue(
                mark, f"end-of-year review of cycle {cycle_id}", due, unit, reviews.get(cycle_id)
            )
            if not support and pay_recommendation_due(file, cycle_id):
                yield FixedDue(
                    mark,
                    f"annual pay determination for cycle {cycle_id}",
                    due,
                    unit,
                    _first_decided(file, cycle_id),
                )

    return rows


@CHECKS.due_rows("annual-assessments", "002 Annual Assessment L77")
def _assessment_rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
    for cycle_id, mark, cycle in cycles_in_order(file):
        due = review_due(file, cycle)
        rating = file.ratings.get(cycle_id)
        yield FixedDue(
            mark,
            f"formal assessment (rating) for cycle {cycle_id}",
            due,
            f"by {due:%d %B}",
            rating[0] if rating else None,
        )


@CHECKS.due_rows("upr-recommendations", "002 L91")
def _upr_rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
    if not on_upper_pay_range(file):
        return
    for cycle_id, mark, cycle in cycles_in_order(file):
        due = pay_recommendation_due(file, cycle_id)
        if due is False:
            continue
        what = f"Upper Pay Range pay recommendation for cycle {cycle_id}"
        recommended = _first_recommended(file, cycle_id)
        if due is None:
            yield FixedDue(
                mark,
                what,
                None,
                "every other year",
                recommended,
                "the Upper Pay Range anchor year is unknown: record upr_since (D-hp-5)",
            )
        else:
            review = review_due(file, cycle)
            yield FixedDue(mark, what, review, f"every other year, by {review:%d %B}", recommended)


@CHECKS.due_rows("interim-meetings", "002 Annual Assessment L78")
def _interim_rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
    held = sorted(
        (m.held for m in file.meetings.values() if m.purpose in INTERIM and m.held is not None),
        key=lambda mark: (mark.on, mark.version),
    )
    for cycle_id, mark, cycle in cycles_in_order(file):
        # August holds no term time in England, so a cycle ending 31 August needs no data for
        # the academic year that formally begins on 1 August.
        last = date(cycle.ends_on.year, 7, 31) if cycle.ends_on.month == 8 else cycle.ends_on
        try:
            calendar.school_days_between(cycle.starts_on, max(last, cycle.starts_on))
        except CalendarError as exc:
            yield FixedDue(
                mark, f"interim meetings in cycle {cycle_id}", None, "once per term", None, str(exc)
            )
            continue
        for year in calendar.school_years:
            for term in year.terms:
                if not cycle.starts_on <= term.start <= cycle.ends_on:
                    continue
                done = next((h for h in held if term.start <= h.on <= term.end), None)
                yield FixedDue(
                    mark,
                    f"interim meeting in the {term.name} term {year.academic_year} "
                    f"(cycle {cycle_id})",
                    term.end,
                    "once per term, by the term's last day",
                    done,
                )


def _observation_anchors(medium: str) -> AnchorsFn:
    def anchors(file: CaseFile) -> Iterable[Anchor]:
        for observation in file.observations.values():
            if observation.held is None:
                continue
            done = observation.verbal if medium == "verbal" else observation.written
            yield Anchor(
                observation.held,
                f"{medium} feedback on observation {observation.observation_id}",
                done,
            )

    return anchors


def _reviewed_cycle(file: CaseFile, act: StatementRecorded, on: date) -> CycleOpened | None:
    """The cycle a statement reports on: the one it names, else the last to end before it."""
    if act.cycle_id is not None:
        found = file.cycles.get(act.cycle_id)
        return found[1] if found else None
    ended = [cycle for _, _, cycle in cycles_in_order(file) if cycle.ends_on < on]
    return max(ended, key=lambda cycle: cycle.ends_on, default=None)


def _is_annual_statement(act: StatementRecorded) -> bool:
    return act.form == ANNUAL_STATEMENT and act.statement_kind not in _EMPLOYEE_STATEMENTS


def annual_statements(file: CaseFile) -> list[tuple[Mark, CycleOpened]]:
    """Each annual statement the reviewer issued, with the cycle it reports on."""
    found = []
    for record in file.recorded("statement_recorded"):
        act = record.act
        if isinstance(act, StatementRecorded) and _is_annual_statement(act):
            cycle = _reviewed_cycle(file, act, record.mark.on)
            if cycle is not None:
                found.append((record.mark, cycle))
    return found


def _statement_for(issued: list[tuple[Mark, CycleOpened]], cycle_id: str) -> Mark | None:
    """The first annual statement reporting on `cycle_id`: the one that meets its rows."""
    return next((mark for mark, reported in issued if reported.cycle_id == cycle_id), None)


def _statement_rows(*, support: bool) -> RowsFn:
    def rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
        if is_support(file) is not support:
            return
        issued = annual_statements(file)
        for cycle_id, mark, cycle in cycles_in_order(file):
            due = statement_due(file, cycle)
            yield FixedDue(
                mark,
                f"written performance management statement for cycle {cycle_id}",
                due,
                f"by {due:%d %B}",
                _statement_for(issued, cycle_id),
            )

    return rows


@CHECKS.due_rows("statement-asap", "002 Annual Assessment L79")
def _statement_asap_rows(file: CaseFile, calendar: SchoolCalendar) -> Iterable[FixedDue]:
    """L79: "as soon as practicable following the end of each performance management cycle".

    The phrase sets no limit, so no date is invented and nothing here is ever a finding: each
    cycle's row is open, counting the days since the cycle ended, until the reviewer's annual
    statement meets it. The bound L79 does give (31 October, 31 December) is judged by
    hp-statement-teacher / -support; between the two, the days elapsed are what a reader weighs.
    """
    issued = annual_statements(file)
    for cycle_id, mark, cycle in cycles_in_order(file):
        yield FixedDue(
            mark,
            f"written performance management statement for cycle {cycle_id}, as soon as "
            f"practicable after it ended on {cycle.ends_on}",
            None,
            "as soon as practicable (no fixed limit; days elapsed since the cycle ended)",
            _statement_for(issued, cycle_id),
            counted_from=cycle.ends_on,
        )


@CHECKS.problem("observer-without-qts", "002 Observation L48")
def _unqualified_observer(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, ObservationHeld)
    observation = ctx.file.observations.get(act.observation_id)
    plan = observation.plan if observation is not None else None
    if is_support(ctx.file) or plan is None or plan.observer_has_qts is not False:
        return None
    return (
        f"classroom observation of teachers is normally carried out by those with QTS; "
        f"{plan.observer_person_id} has none"
    )


@CHECKS.problem("external-observations-cited", "002 Observation L52")
def _external_evidence(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, StatementRecorded)
    problems = []
    for observation_id in act.evidence_observation_ids:
        observation = ctx.file.observations.get(observation_id)
        plan = observation.plan if observation is not None else None
        if observation is None or plan is None:
            continue
        if plan.observer_kind == "ofsted":
            problems.append(f"{observation_id} was an Ofsted inspection observation")
        elif plan.observer_kind == "la_officer":
            on = observation.held.on if observation.held is not None else plan.planned_for
            if plan.communicated_on is None or plan.communicated_on >= on:
                problems.append(
                    f"{observation_id}, by a local authority officer on {on}, was not "
                    "communicated to all parties in advance"
                    + (f" (communicated {plan.communicated_on})" if plan.communicated_on else "")
                )
    if not problems:
        return None
    return "observations not usable for performance management are cited: " + "; ".join(problems)


STATEMENT_CONTENTS = {
    key: entry.meaning
    for key, entry in DATA.required["statement_recorded (hp-annual-statement)"].items()
}
"""L80-83: what the annual statement assesses and summarises, in the pack file's words."""


@CHECKS.problem("annual-statement-contents", "002 Annual Assessment L80-83")
def _statement_contents(ctx: ActContext) -> str | None:
    act = ctx.act
    assert isinstance(act, StatementRecorded)
    if not _is_annual_statement(act):
        return None
    problems = [
        f"it does not confirm {duty} ({key})"
        for key, duty in STATEMENT_CONTENTS.items()
        if key not in act.confirms
    ]
    ratings = [key.removeprefix("rating_") for key in act.confirms if key.startswith("rating_")]
    recorded = ctx.file.ratings.get(act.cycle_id) if act.cycle_id else None
    if len(ratings) != 1:
        problems.append("it must give one performance management rating (rating_<value>)")
    elif recorded is not None and recorded[1].value != ratings[0]:
        problems.append(
            f"its rating {ratings[0]!r} differs from the rating recorded, {recorded[1].value!r}"
        )
    return "the annual statement is incomplete: " + "; ".join(problems) if problems else None


@CHECKS.holds("new-cycle-statement", "002 Annual Assessment L84-88")
def _is_new_cycle_statement(file: CaseFile, act: Act) -> bool:
    return isinstance(act, StatementRecorded) and act.form == NEW_CYCLE_STATEMENT


CHECKS.due_rows("teacher-reviews", "002 Cycle L27, L29")(_review_rows(headteacher=False))
CHECKS.due_rows("headteacher-reviews", "002 Cycle L27, L29")(_review_rows(headteacher=True))
CHECKS.due_rows("support-reviews", "002 Cycle L29")(_review_rows(headteacher=False, support=True))
CHECKS.due_rows("teacher-statements", "002 Annual Assessment L79")(_statement_rows(support=False))
CHECKS.due_rows("support-statements", "002 Annual Assessment L79")(_statement_rows(support=True))
CHECKS.clocks("verbal-feedback", "002 Observation L50")(_observation_anchors("verbal"))
CHECKS.clocks("written-feedback", "002 Observation L50")(_observation_anchors("written"))
