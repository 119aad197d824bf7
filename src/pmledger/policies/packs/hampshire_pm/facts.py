"""What the Hampshire rules ask of a case: staff group, cycles, due dates, capability, support.

The policy gives teachers, the Headteacher and support staff different calendars and pay
scales, and suspends performance management while the Capability Policy runs, so most rules
start by asking which group the employee is in and whether capability is running.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

from pmledger.calendar import SchoolCalendar
from pmledger.events.actors import Role
from pmledger.events.case_acts import CycleOpened, StaffGroup
from pmledger.events.meeting_acts import MeetingPurpose
from pmledger.events.record_acts import ConcernRaised, RecordCopyProvided
from pmledger.events.support_acts import Outcome, PlanKind
from pmledger.policies.case_file import CaseFile, Mark, PlanFacts
from pmledger.policies.named_checks import NamedChecks
from pmledger.policies.packfile.binding import pack_data
from pmledger.policies.packfile.errors import PackFileError
from pmledger.policies.rules.suspension import capability_spans

DATA = pack_data(__package__)
"""This procedure's data, from its pack file."""

SOURCE = "002"
"""The seed number, as who.py cites its sections."""

CHECKS = NamedChecks()
"""This procedure's named checks: the questions no rule kind asks, cited by its pack file."""

SUSTAIN = DATA.time_limit("sustain")
"""¶10.23: improvement "sustained independently over a six month period"."""


def _month(name: str) -> int:
    """A month of the year the pack file names (``[limits.<name>]``, 1 = January)."""
    value = DATA.limit(name)
    if not 1 <= value <= 12:
        raise PackFileError(
            [f"[limits.{name}] value = {value}: give a month, 1 (January) to 12 (December)"],
            origin=DATA.id,
        )
    return value


TEACHER_REVIEW_MONTH = _month("teacher-review-month")
"""Cycle L29: teachers' end-of-year review and pay determination "by the end of October"."""
HEADTEACHER_REVIEW_MONTH = _month("headteacher-review-month")
"""Cycle L27, L29: "(December for the Headteacher)"; statement "31 December" (L79)."""
SUPPORT_REVIEW_MONTH = _month("support-review-month")
"""Cycle L29: support staff's review "completed by December"."""
SUPPORT_STATEMENT_MONTH = _month("support-statement-month")
"""Setting `support_statement_due` (D-hp-1): L79 "by the end of the academic." is truncated;
the end of December keeps the statement with the December review it reports."""
PAY_EFFECTIVE_MONTH = _month("support-pay-effective-month")
"""Cycle L29: support staff pay decisions "effective from 1 April"."""

_NUMBERS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def spelt(amount: int) -> str:
    """A small count as the policy writes it ("three members", "six months")."""
    return _NUMBERS[amount] if 0 <= amount < len(_NUMBERS) else str(amount)


def limit_words(name: str) -> str:
    """A [time_limits] entry of the pack file as the policy words it ("six months")."""
    entry = DATA.time_limits[name]
    return f"{spelt(entry.amount)} {entry.words.removeprefix(f'{entry.amount} ')}"


INTERIM = frozenset({MeetingPurpose.INTERIM_REVIEW, MeetingPurpose.MID_YEAR_REVIEW})
"""Annual Assessment L78: the interim meetings held through the year."""
SMS_DISCUSSION = MeetingPurpose.INITIAL_SUPPORT
"""¶10.17: the structured managerial support discussion (the meeting that sets it up)."""
CONCERN_DISCUSSIONS = frozenset(
    {
        MeetingPurpose.EARLY_CONVERSATION,
        MeetingPurpose.CONCERNS,
        MeetingPurpose.ONE_TO_ONE,
        MeetingPurpose.SUPERVISION,
        MeetingPurpose.INITIAL_SUPPORT,
        MeetingPurpose.SMS_REVIEW,
    }
)
"""Meetings at which a concern is taken up with the employee (¶10.3, ¶10.11)."""
PM_MEETINGS = frozenset(
    {
        MeetingPurpose.PLANNING,
        MeetingPurpose.MID_YEAR_REVIEW,
        MeetingPurpose.INTERIM_REVIEW,
        MeetingPurpose.END_OF_CYCLE_REVIEW,
    }
)
"""Performance management meetings, which stop while capability runs (¶10.30)."""

_TRUE = frozenset({"true", "yes", "1"})

HPMP_ROLES = frozenset({Role.HPMP, Role.HPMP_CHAIR})
"""The Headteacher Performance Management Panel acts through its members and its chair."""


def staff_group(file: CaseFile) -> StaffGroup:
    value = file.employment.get("staff_group")
    if value in {group.value for group in StaffGroup}:
        return StaffGroup(value)
    return file.opened.staff_group


def is_headteacher(file: CaseFile) -> bool:
    return staff_group(file) is StaffGroup.HEADTEACHER


def is_support(file: CaseFile) -> bool:
    return staff_group(file) is StaffGroup.SUPPORT_STAFF


def is_teacher(file: CaseFile) -> bool:
    """A teacher other than the Headteacher (senior leaders are teachers here)."""
    return staff_group(file) in (StaffGroup.TEACHER, StaffGroup.SENIOR_LEADER)


def flag(file: CaseFile, name: str, opened: bool) -> bool:
    """An employment flag as last changed (EmploymentStatusChanged), else as opened."""
    if name in file.employment:
        value = file.employment[name]
        return value is not None and value.strip().lower() in _TRUE
    return opened


def date_fact(file: CaseFile, name: str, opened: date | None) -> date | None:
    if name in file.employment:
        value = file.employment[name]
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None
    return opened


def line_manager(file: CaseFile) -> str | None:
    if "line_manager_person_id" in file.employment:
        return file.employment["line_manager_person_id"]
    return file.opened.line_manager_person_id


def cycles_in_order(file: CaseFile) -> list[tuple[str, Mark, CycleOpened]]:
    ordered = sorted(
        file.cycles.items(), key=lambda item: (item[1][1].starts_on, item[1][0].version)
    )
    return [(cycle_id, mark, cycle) for cycle_id, (mark, cycle) in ordered]


def cycle_for(
    file: CaseFile, cycle_id: str | None, on: date
) -> tuple[str, Mark, CycleOpened] | None:
    """The named cycle, or the latest one started by `on` when the act names none."""
    if cycle_id is not None:
        found = file.cycles.get(cycle_id)
        return (cycle_id, *found) if found else None
    started = [c for c in cycles_in_order(file) if c[2].starts_on <= on]
    return started[-1] if started else None


def end_of_month_on_or_after(d: date, month: int) -> date:
    """The last day of `month` on or after `d`: "by the end of October" after a year ends."""
    due = date(d.year, month, monthrange(d.year, month)[1])
    if due >= d:
        return due
    return date(d.year + 1, month, monthrange(d.year + 1, month)[1])


def start_of_month_on_or_after(d: date, month: int) -> date:
    """The first day of `month` on or after `d`: "effective from 1 April"."""
    due = date(d.year, month, 1)
    return due if due >= d else date(d.year + 1, month, 1)


def _reference_end(file: CaseFile, cycle: CycleOpened) -> date:
    """The day from which "by October/December" counts: the end of the academic year reviewed.

    A support-staff cycle on the financial year (ending 31 March, D-hp-2) is reviewed in the
    December inside it, "in reference to the ... current financial year" (L27).
    """
    end = cycle.ends_on
    if is_support(file) and (end.month, end.day) == (3, 31):
        return date(end.year - 1, 8, 31)
    return end


def review_due(file: CaseFile, cycle: CycleOpened) -> date:
    if is_headteacher(file):
        month = HEADTEACHER_REVIEW_MONTH
    elif is_support(file):
        month = SUPPORT_REVIEW_MONTH
    else:
        month = TEACHER_REVIEW_MONTH
    return end_of_month_on_or_after(_reference_end(file, cycle), month)


def statement_due(file: CaseFile, cycle: CycleOpened) -> date:
    if is_support(file):
        return end_of_month_on_or_after(_reference_end(file, cycle), SUPPORT_STATEMENT_MONTH)
    return review_due(file, cycle)


def pay_effective_from(file: CaseFile, cycle: CycleOpened) -> date:
    return start_of_month_on_or_after(
        review_due(file, cycle) + timedelta(days=1), PAY_EFFECTIVE_MONTH
    )


def review_meetings(file: CaseFile) -> dict[str, Mark]:
    """Each cycle's end-of-year review: the first one held after the cycle's midpoint.

    Meetings carry no cycle id; a teacher's October review falls after the next cycle has
    started, so each cycle in turn claims the first unclaimed review past its own midpoint.
    """
    held = sorted(
        (
            m.held
            for m in file.meetings.values()
            if m.purpose is MeetingPurpose.END_OF_CYCLE_REVIEW and m.held is not None
        ),
        key=lambda mark: (mark.on, mark.version),
    )
    claimed: set[int] = set()
    found: dict[str, Mark] = {}
    for cycle_id, _, cycle in cycles_in_order(file):
        midpoint = cycle.starts_on + timedelta(days=(cycle.ends_on - cycle.starts_on).days // 2)
        for mark in held:
            if mark.version not in claimed and mark.on >= midpoint:
                found[cycle_id] = mark
                claimed.add(mark.version)
                break
    return found


def capability_during(file: CaseFile, first: date, last: date) -> bool:
    return any(
        start <= last and (end is None or end >= first) for start, end in capability_spans(file)
    )


def sms_plans(file: CaseFile) -> list[PlanFacts]:
    plans = [p for p in file.plans.values() if p.kind is PlanKind.STRUCTURED_MANAGERIAL_SUPPORT]
    return sorted(plans, key=lambda plan: plan.agreed.version)


def live_sms(file: CaseFile) -> PlanFacts | None:
    """The programme capability would follow from: the latest not confirmed successful, and
    agreed since capability last started."""
    last_capability = file.capability[-1][0].version if file.capability else 0
    plans = [p for p in sms_plans(file) if p.agreed.version > last_capability]
    if not plans or plans[-1].outcome in (Outcome.SUCCESSFUL, Outcome.NO_FURTHER_ACTION):
        return None
    return plans[-1]


def sustain_window(file: CaseFile, calendar: SchoolCalendar, on: date) -> tuple[date, date] | None:
    """(confirmed on, first day after the six months) of the improvement live on `on`."""
    for plan in reversed(sms_plans(file)):
        if plan.outcome is Outcome.SUCCESSFUL and plan.decided is not None:
            end = calendar.shift(plan.decided.on, SUSTAIN)
            return (plan.decided.on, end) if plan.decided.on <= on < end else None
    return None


def concern_for(file: CaseFile, concern_id: str | None) -> tuple[Mark, ConcernRaised] | None:
    """The concern an act names, else the latest one raised."""
    if concern_id is not None and concern_id in file.concerns:
        return file.concerns[concern_id]
    if not file.concerns:
        return None
    return max(file.concerns.values(), key=lambda item: item[0].version)


def recorded_since(file: CaseFile, kind: str, version: int) -> int:
    """How many acts of `kind` were recorded after `version`."""
    return sum(1 for v, k in file.kinds.items() if v > version and k == kind)


def copied_to(file: CaseFile, version: int) -> set[str]:
    """Where copies of the record at `version` went (employee, personal_file, ...)."""
    return {
        r.act.to
        for r in file.recorded("record_copy_provided")
        if isinstance(r.act, RecordCopyProvided) and r.act.record_version == version
    }
