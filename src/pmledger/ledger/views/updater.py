"""Bringing the read models up to the end of the log, a page of events at a time.

A page is applied to the few cases it touches and committed with its tracking position in one
transaction; memory holds one page and its cases, never the whole log. Two updaters running at
once are safe: the second one's commit is refused by the tracking position and it re-reads.
"""

from __future__ import annotations

from collections.abc import Callable

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore
from pmledger.ledger.views.rows import rows_of
from pmledger.ledger.views.tables import CaseViews
from pmledger.projections.case_status import FoldState

CASE_TOPIC_PREFIX = "pmledger.case/"
Progress = Callable[[int, int], None]
"""Called with (events applied so far, log position reached)."""


def catch_up(
    store: CaseStore,
    views: CaseViews,
    calendars: Calendars,
    *,
    page_size: int = 2000,
    on_progress: Progress | None = None,
) -> int:
    """Apply every event after the views' tracked position; returns how many were read."""
    applied = 0
    while True:
        position = views.position()
        page = store.recorder.select_notifications(
            start=position + 1, limit=page_size, inclusive_of_start=True
        )
        if not page:
            return applied
        touched: dict[str, FoldState] = {}
        events: list[CaseEvent] = []
        for n in page:
            if n.topic.startswith(CASE_TOPIC_PREFIX):
                event = decode_event(n.topic, n.state)
                assert isinstance(event, CaseEvent)
                events.append(event)
        stored = views.load_states({str(e.originator_id) for e in events})
        for event in events:
            key = str(event.originator_id)
            state = touched.get(key) or stored.get(key) or FoldState()
            state.apply(event, calendars.for_case)
            touched[key] = state
        rows = [rows_of(state, calendars.for_case) for state in touched.values()]
        try:
            views.write(rows, Tracking(views.application_name, page[-1].id))
        except IntegrityError:
            continue
        applied += len(page)
        if on_progress is not None:
            on_progress(applied, page[-1].id)
