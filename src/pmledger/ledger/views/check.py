"""Holding the stored read models to the events: `pmledger projections verify`.

The read models are a cache that reports and deadlines read for speed; whoever holds the
database can edit them (a live warning deleted makes `report warnings` say "(none)") or move
their tracking row forward (so no later event is ever applied, silently). Neither is in the
signed log, so `verify` cannot see it. This check folds every case's events up to the
position the views claim, exactly as the updater does, and compares each stored row with the
row the fold gives, naming the first difference; `projections rebuild` is the repair.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore
from pmledger.ledger.views.rows import CaseRows, rows_of
from pmledger.projections.case_status import CalendarFor, FoldState
from pmledger.storage.views import CaseViews
from pmledger.storage.views_sql import COLUMNS, ROW_ORDER

_WHAT = {
    "pml_case": "case row",
    "pml_warning": "warning",
    "pml_deadline": "deadline number",
    "pml_finding": "finding number",
    "pml_awaiting": "signature awaited on version",
}


@dataclass(frozen=True)
class ViewsCheck:
    """What `projections verify` found: where the views stand, and their first difference
    from the fold of the events (None: they agree)."""

    position: int
    """The log position the views' tracking row claims they were brought to."""
    log_end: int
    cases: int
    """Cases folded from the events up to `position`."""
    difference: str | None

    @property
    def ok(self) -> bool:
        return self.difference is None

    @property
    def behind(self) -> bool:
        """Agreeing, but not yet brought to the end of the log (`projections update`)."""
        return self.position < self.log_end

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "position": self.position,
            "log_end": self.log_end,
            "cases": self.cases,
            "difference": self.difference,
        }


def check_views(store: CaseStore, views: CaseViews, calendar_for: CalendarFor) -> ViewsCheck:
    position, end = views.position(), store.last_position()
    if position > end:
        return ViewsCheck(
            position,
            end,
            0,
            f"the views' tracking row says they were brought to log position {position}, but "
            f"the log ends at {end}: it was moved forward, so no later event would ever be "
            "applied",
        )
    folded = _fold(store, position, calendar_for)
    expected = _rows(folded)
    stored = views.every_row()
    names = {
        row["case_id"]: f"{row['organisation']}/{row['employee_ref']}"
        for row in expected["pml_case"]
    }
    for table in ROW_ORDER:
        difference = _first_difference(table, stored[table], expected[table], names)
        if difference is not None:
            return ViewsCheck(position, end, len(folded), difference)
    return ViewsCheck(position, end, len(folded), None)


def _fold(store: CaseStore, until: int, calendar_for: CalendarFor) -> list[CaseRows]:
    """Every case folded from its events up to log position `until`, one case at a time."""
    if until == 0:
        return []
    found: list[CaseRows] = []
    case_id, state = "", FoldState()
    for page in store.case_pages(until):
        for row in page:
            if row.aggregate_id != case_id:
                if state.version:
                    found.append(rows_of(state, calendar_for, with_state=False))
                case_id, state = row.aggregate_id, FoldState()
            event = decode_event(row.topic, row.state)
            assert isinstance(event, CaseEvent)
            state.apply(event, calendar_for)
    if state.version:
        found.append(rows_of(state, calendar_for, with_state=False))
    return found


def _rows(folded: list[CaseRows]) -> dict[str, list[dict[str, Any]]]:
    """The fold's rows as the tables hold them, by column name."""
    values: dict[str, list[tuple[Any, ...]]] = {
        "pml_case": [r.case[:-1] for r in folded],
        "pml_warning": [w for r in folded for w in r.warnings],
        "pml_deadline": [d for r in folded for d in r.deadlines],
        "pml_finding": [f for r in folded for f in r.findings],
        "pml_awaiting": [a for r in folded for a in r.awaiting],
    }
    return {
        table: [dict(zip(COLUMNS[table], row, strict=True)) for row in rows]
        for table, rows in values.items()
    }


def _key(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[column.strip()] for column in ROW_ORDER[table].split(","))


def _first_difference(
    table: str,
    stored: list[dict[str, Any]],
    expected: list[dict[str, Any]],
    names: dict[str, str],
) -> str | None:
    """The first row, in key order, that the table and the fold do not hold alike, named by
    its case, its key and the columns that differ: never by the values, which may be case
    content (the command runs without a reader to decide and log who may see them)."""
    by_key = {_key(table, row): row for row in stored}
    wanted = {_key(table, row): row for row in expected}
    for key in sorted(by_key.keys() | wanted.keys()):
        have, want = by_key.get(key), wanted.get(key)
        if have == want:
            continue
        case = names.get(str(key[0]), f"case {key[0]}")
        what = _WHAT[table] + "".join(f" {part}" for part in key[1:])
        if have is None:
            return f"{case}: the events give a {what} that the stored views lack"
        if want is None:
            return f"{case}: the stored views hold a {what} that the events do not give"
        changed = ", ".join(c for c in want if have.get(c) != want[c])
        return f"{case}: the stored {what} differs from the events in {changed}"
    return None
