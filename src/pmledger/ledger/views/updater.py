"""Bringing the read models up to the end of the log, a page of events at a time.

A page is applied to the few cases it touches and committed with its tracking position in one
transaction; memory holds one page and its cases, never the whole log. Two updaters running at
once are safe: the second one's commit is refused by the tracking position and it re-reads.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.audit.stored_row import StoredRow
from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore
from pmledger.ledger.views.rows import CaseRows, rows_of
from pmledger.ledger.views.tables import CaseViews
from pmledger.projections.case_status import FoldState

CASE_TOPIC_PREFIX = "pmledger.case/"
_gc_pauses = threading.Lock()
"""Held while a page is folded with the cyclic garbage collector paused."""
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
        page = store.row_page(position + 1, page_size)
        if not page:
            return applied
        with _collector_paused():
            rows = _fold_page(page, views, calendars)
        last = page[-1].position
        try:
            views.write(rows, Tracking(views.application_name, last))
        except IntegrityError:
            continue
        applied += len(page)
        if on_progress is not None:
            on_progress(applied, last)


def _fold_page(page: list[StoredRow], views: CaseViews, calendars: Calendars) -> list[CaseRows]:
    """The rows of every case a page touches, folded on from their stored states."""
    touched: dict[str, FoldState] = {}
    events: list[tuple[str, CaseEvent]] = []
    for row in page:
        if row.topic.startswith(CASE_TOPIC_PREFIX):
            event = decode_event(row.topic, row.state)
            assert isinstance(event, CaseEvent)
            events.append((str(event.originator_id), event))
    stored = views.load_states({key for key, _ in events})
    calendar_for = calendars.for_case
    for key, event in events:
        state = touched.get(key) or stored.get(key) or FoldState()
        state.apply(event, calendar_for)
        touched[key] = state
    return [rows_of(state, calendar_for) for state in touched.values()]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while one page is folded.

    Folding a page allocates tens of thousands of small objects that stay alive until the
    page is written (events, case files, findings), so the collector ran hundreds of times
    per rebuild, each pass walking them all again: 205-280 ms of a 0.9-1.1 s rebuild of the
    quick benchmark's 10,052 events. They hold no reference cycles (a collection after a
    whole rebuild with the collector off finds no garbage), so reference counting frees them
    when the page is done. Paused for one page at a time (a fraction of a second), then
    restored as it was; one pause at a time if several threads fold at once.
    """
    if not _gc_pauses.acquire(blocking=False):
        yield
        return
    try:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if was_enabled:
                gc.enable()
    finally:
        _gc_pauses.release()
