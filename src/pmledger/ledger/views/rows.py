"""The rows a case's fold is stored as: what school-wide queries read.

Deadline and warning rows keep dates, not statuses, so one stored row answers "overdue on any
date" in SQL; the status rules are the same as the pure fold's. Advisory rows (a date a source
only suggests) are left out: a date column alone would list them as overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pmledger.events.signed_event import PackRef
from pmledger.policies.registry import pack_for
from pmledger.projections.case_status import FOLD_STATE, CalendarFor, FoldState

CaseRow = tuple[
    str, str, str, str, str, str, str, str, str, str | None, int, int, int, bytes | None
]
WarningRow = tuple[str, str, str, str, str, str | None]
DeadlineRow = tuple[
    str, int, str, str, str, int, str | None, str | None, int | None, str | None, str
]
FindingRow = tuple[str, int, int, str, str, str, str, str, str | None]
AwaitingRow = tuple[str, int, str, str]


@dataclass
class CaseRows:
    case: CaseRow
    warnings: list[WarningRow]
    deadlines: list[DeadlineRow]
    findings: list[FindingRow]
    awaiting: list[AwaitingRow]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def rows_of(state: FoldState, calendar_for: CalendarFor, *, with_state: bool = True) -> CaseRows:
    """`with_state=False` leaves the case's stored fold state as it is (its resume point)."""
    file = state.file
    assert file is not None
    pack = pack_for(PackRef(id=state.pack_id, version=state.pack_version))
    cid = state.case_id
    opened = file.opened
    case: CaseRow = (
        cid,
        opened.organisation,
        opened.employee_ref,
        opened.school,
        opened.nation.value,
        pack.id,
        pack.version,
        file.stage.value,
        pack.words(file.stage),
        _iso(file.stage_since),
        int(file.capability_active),
        int(file.appeal_pending),
        state.version,
        FOLD_STATE.dump_json(state) if with_state else None,
    )
    warnings: list[WarningRow] = []
    for w in file.warnings.values():
        kind = w.current_kind
        warnings.append(
            (
                cid,
                w.warning_id,
                kind.value,
                w.issued.on.isoformat(),
                w.expires_on(pack.warning_months).isoformat(),
                _iso(w.rescinded.on) if w.rescinded else None,
            )
        )
    deadlines: list[DeadlineRow] = [
        (
            cid,
            seq,
            d.rule.id,
            d.rule.source,
            d.description,
            d.anchor_version,
            _iso(d.due_on),
            _iso(d.done_on),
            d.done_version,
            d.reason,
            d.unit,
        )
        for seq, d in enumerate(
            d for d in pack.deadlines(file, calendar_for(opened), date.max) if not d.advisory
        )
    ]
    findings: list[FindingRow] = [
        (
            cid,
            seq,
            f.version,
            f.occurred_on.isoformat(),
            f.rule.id,
            f.rule.source,
            f.severity.value,
            f.message,
            f.deviation_reason,
        )
        for seq, f in enumerate(state.findings)
    ]
    awaiting: list[AwaitingRow] = [
        (cid, a.version, a.kind, a.occurred_on.isoformat())
        for a in state.countersignable
        if a.version not in file.acknowledged
    ]
    return CaseRows(case, warnings, deadlines, findings, awaiting)
