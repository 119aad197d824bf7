"""When each category of a case's personal content must be destroyed, and what blocks it.

Content is sealed per case and category, so a category is disposed as a whole: it is due once
every one of its records is due (the latest record decides), and only when the event its rule
runs from has happened. Only records with personal content count: a record without any has
nothing to destroy. A legal hold in force blocks every category of the case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache

from pmledger.events.sanction_acts import WarningKind
from pmledger.policies.case_file import CaseFile
from pmledger.projections.disposal_facts import DisposalFacts, KeptRecord, disposed_by
from pmledger.retention.categories import act_field
from pmledger.retention.schedule import RecordCategory, RetentionRule, RetentionSchedule, Trigger


class DisposalStatus(StrEnum):
    WAITING_FOR_TRIGGER = "waiting_for_trigger"
    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    HELD = "held"
    DISPOSED = "disposed"


@dataclass(frozen=True)
class DisposalItem:
    case_id: str
    organisation: str
    employee_ref: str
    category: RecordCategory
    rule: str
    """The schedule rule in words, with its source, as written on the certificate."""
    records: int
    due_on: date | None
    """None while the event the rule runs from has not happened for every record."""
    held_by: tuple[str, ...]
    disposed_on: date | None
    certified: bool
    status: DisposalStatus


@cache
def rule_words(rule: RetentionRule) -> str:
    """The rule as a certificate states it (worked out once per rule: a plan states it for
    every category of every case)."""
    period = " ".join(f"{n} {unit}" for unit, n in rule.period.model_dump().items() if n)
    return f"{rule.category.value}: {period} after {rule.trigger.value} ({rule.source})"[:300]


def disposal_items(
    facts: DisposalFacts,
    schedule: RetentionSchedule,
    warning_months: Mapping[WarningKind, int],
    as_of: date,
    disposed_on: Callable[[str], date | None],
) -> list[DisposalItem]:
    """Each category of the case's personal content with its disposal date and status on
    `as_of` (`facts`: from the dates pass, or `facts_of` a folded case)."""
    file = facts.file
    held = holds_in_force(file, as_of)
    by_category: dict[RecordCategory, list[KeptRecord]] = {}
    for record in facts.records:
        by_category.setdefault(record.category, []).append(record)
    items = []
    for category, records in sorted(by_category.items()):
        rule = schedule.rule(category)
        triggers = [_trigger_date(rule.trigger, r, file, warning_months) for r in records]
        # A period counted from a later day never ends earlier, so the latest trigger
        # decides: one date sum a category, not one a record.
        due = (
            rule.due_date(max(t for t in triggers if t is not None))
            if all(t is not None for t in triggers)
            else None
        )
        disposed = disposed_on(category.value)
        certified = category.value in facts.certified
        items.append(
            DisposalItem(
                case_id=str(facts.case_id),
                organisation=facts.opened.organisation,
                employee_ref=facts.opened.employee_ref,
                category=category,
                rule=rule_words(rule),
                records=len(records),
                due_on=due,
                held_by=held,
                disposed_on=disposed,
                certified=certified,
                status=_status(due, held, disposed, certified, as_of),
            )
        )
    return items


def holds_in_force(file: CaseFile, as_of: date) -> tuple[str, ...]:
    """The ids of the case's legal holds placed by `as_of` and not released by then (a
    purge asks this of every case up to three times; nearly all have no hold)."""
    if not file.holds:
        return ()
    return tuple(
        hold_id
        for hold_id, (placed, released) in sorted(file.holds.items())
        if placed.on <= as_of and (released is None or released.on > as_of)
    )


def certified_disposals(file: CaseFile) -> dict[str, tuple[date, str]]:
    """Category → (day, rule) of the first signed certificate of the case that disposes of
    it (`disposed_by`)."""
    return disposed_by([r.act for r in file.recorded("records_disposed")])


def _status(
    due: date | None, held: tuple[str, ...], disposed: date | None, certified: bool, as_of: date
) -> DisposalStatus:
    if disposed is not None and certified:
        return DisposalStatus.DISPOSED
    if due is None:
        return DisposalStatus.WAITING_FOR_TRIGGER
    if due > as_of:
        return DisposalStatus.NOT_YET_DUE
    return DisposalStatus.HELD if held else DisposalStatus.DUE


def _trigger_date(
    trigger: Trigger, record: KeptRecord, file: CaseFile, months: Mapping[WarningKind, int]
) -> date | None:
    if trigger is Trigger.END_OF_EMPLOYMENT:
        return file.employment_ended_on
    if trigger is Trigger.CASE_CLOSURE:
        return file.closed_on or file.employment_ended_on
    if trigger is Trigger.WARNING_EXPIRY:
        warning = file.warnings.get(str(act_field(record.act, "warning_id", "")))
        if warning is None:
            return record.occurred_on
        if warning.rescinded is not None:
            return warning.rescinded.on
        return warning.expires_on(months)
    if trigger is Trigger.END_OF_CYCLE:
        return _cycle_end(file, record)
    return _decision_date(file, record)


def _cycle_end(file: CaseFile, record: KeptRecord) -> date:
    cycle_id = act_field(record.act, "cycle_id")
    if isinstance(cycle_id, str) and cycle_id in file.cycles:
        return file.cycles[cycle_id][1].ends_on
    for _, cycle in file.cycles.values():
        if cycle.starts_on <= record.occurred_on <= cycle.ends_on:
            return cycle.ends_on
    year = record.occurred_on.year + (1 if record.occurred_on.month >= 9 else 0)
    return date(year, 8, 31)


def _decision_date(file: CaseFile, record: KeptRecord) -> date | None:
    appeal_id = act_field(record.act, "appeal_id")
    if isinstance(appeal_id, str) and appeal_id in file.appeals:
        decided = file.appeals[appeal_id].decided
        return decided.on if decided else None
    hold_id = act_field(record.act, "hold_id")
    if isinstance(hold_id, str) and hold_id in file.holds:
        released = file.holds[hold_id][1]
        return released.on if released else None
    return record.occurred_on
