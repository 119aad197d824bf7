"""Bringing the read models up to the end of the log, a page of events at a time.

A page is applied to the few cases it touches and committed with its tracking position in one
transaction; memory holds one page and a bounded set of cases, never the whole log. Two
updaters running at once are safe: the second one's commit is refused by the tracking position
and it re-reads.

Each touched case's rows are rewritten with every page, but its fold state (what the next page
resumes from) only once the case has moved `RESUME_EVERY` events past the stored one, as
eventsourcing snapshots do for aggregates: a case is resumed from its stored state plus the few
events after it, read back from the log. Writing the whole state on every touch cost a dump of
everything the case holds (22 KB for 25 events) per page and a parse to take it up again, and
grew with the case. Between pages (and, for a ledger, between catch-ups) the cases just folded
stay in memory, so a catch-up whose cases fit there reads nothing back; a case let go while
the log goes on with it is stored then. Views at the start of the log are built case by case
instead (`_build_by_case`): a long catch-up over more cases in play at once than are held
would take each up again on every page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from eventsourcing.persistence import IntegrityError, Tracking

from pmledger.audit.stored_row import StoredRow
from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.collector import collector_paused
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.store import CaseStore
from pmledger.ledger.views.rows import CaseRows, rows_of
from pmledger.projections.case_status import FOLD_STATE, CalendarFor, FoldState
from pmledger.storage.factory import CASE_TOPICS
from pmledger.storage.views import CaseViews

RESUME_EVERY = 100
"""A case's stored fold state is rewritten once the case is this many events past it, so
resuming a case re-reads fewer than 100 of its events (the interval of case snapshots)."""
_CASES_PER_WRITE = 50
"""Cases whose rows a build case by case writes together (one transaction each)."""
HELD_EVENTS = 20_000
"""Fold states kept between pages, counted in the events they hold (a case's state grows with
its events): enough for the cases of several pages, flat in the size of the log."""
Progress = Callable[[int, int], None]
"""Called with (events applied so far, log position reached)."""


@dataclass
class _Fold:
    state: FoldState
    stored: int
    """The version of the state stored for the case (0: none yet)."""


class CaseFolds:
    """Cases' fold states, as recently folded or resumed from the views and the log.

    A ledger keeps one for its life, so recording an act and bringing the views up to date
    folds that one act onto the case held in memory. A held fold is used only when it stands
    exactly where the page takes the case up (its version is one before the page's first), so
    another process bringing the same views up to date in between costs a re-read, not a
    wrong row: the fold of a case's first n events is the same whoever made it.
    """

    def __init__(self, store: CaseStore, views: CaseViews, calendar_for: CalendarFor) -> None:
        self.lock = threading.Lock()
        """Held by the one catch-up using these folds (threads sharing a ledger take turns)."""
        self._store = store
        self._views = views
        self._calendar_for = calendar_for
        self._held: OrderedDict[str, _Fold] = OrderedDict()
        self._held_events = 0

    def before(self, firsts: dict[str, int]) -> dict[str, _Fold]:
        """Each case's fold just before `firsts[case]`, the first version a page brings."""
        folds: dict[str, _Fold] = {}
        for key, first in firsts.items():
            fold = self._held.pop(key, None)
            if fold is not None:
                self._held_events -= fold.state.version
                if fold.state.version == first - 1:
                    folds[key] = fold
        missing = [key for key in firsts if key not in folds]
        stored = self._views.load_states(missing)
        for key in missing:
            state = stored.get(key)
            if state is not None and state.version >= firsts[key]:
                state = None  # stored ahead of the log position (see `_build_by_case`)
            fold = _Fold(state or FoldState(), state.version if state else 0)
            _replay(self._store, self._calendar_for, key, fold.state, firsts[key] - 1)
            folds[key] = fold
        return folds

    def admit(self, folds: dict[str, _Fold]) -> list[tuple[bytes, str]]:
        """Hold a page's folds, letting go of the least recently folded beyond `HELD_EVENTS`.

        Returns the states to store with the page, as (state, case id) parameters: of the
        folds let go, those behind their stored state whose case the log goes on with (they
        will be folded again, and re-reading their events would cost more than storing them
        now). A case the log has nothing more of is let go unstored: if it is ever touched,
        its events are read back then (in a rebuild, most cases are done when let go).
        """
        for key, fold in folds.items():
            self._held[key] = fold
            self._held_events += fold.state.version
        let_go: list[_Fold] = []
        while self._held_events > HELD_EVENTS and len(self._held) > 1:
            _, oldest = self._held.popitem(last=False)
            self._held_events -= oldest.state.version
            if oldest.state.version > oldest.stored:
                let_go.append(oldest)
        going_on = self._store.continued({f.state.case_id: f.state.version for f in let_go})
        return [
            (FOLD_STATE.dump_json(fold.state), fold.state.case_id)
            for fold in let_go
            if fold.state.case_id in going_on
        ]

    def forget(self) -> None:
        """After a commit that did not happen (what was thought stored may not be), after the
        views were cleared, and at the end of a one-off catch-up (freed while the collector is
        still paused, it has nothing of them to walk)."""
        self._held.clear()
        self._held_events = 0


def catch_up(
    store: CaseStore,
    views: CaseViews,
    calendars: Calendars,
    *,
    folds: CaseFolds | None = None,
    page_size: int = 2000,
    on_progress: Progress | None = None,
) -> int:
    """Apply every event after the views' tracked position; returns how many were read.

    Views that stand at the start of the log are built case by case (`_build_by_case`), then
    brought on page by page like any others. `folds`: the cases held from earlier catch-ups
    (a ledger's own); without, the cases are held for this catch-up only.
    """
    held = folds or CaseFolds(store, views, calendars.for_case)
    applied = 0
    with held.lock, collector_paused():
        if views.position() == 0:
            applied = _build_by_case(store, views, calendars.for_case, page_size)
            if on_progress is not None and applied:
                on_progress(applied, views.position())
        pages = store.row_pages(views.position() + 1, page_size)
        while page := next(pages, None):
            touched = _fold_page(page, held, calendars.for_case)
            rows = []
            for fold in touched.values():
                resumes_here = fold.state.version - fold.stored >= RESUME_EVERY
                rows.append(rows_of(fold.state, calendars.for_case, with_state=resumes_here))
                if resumes_here:
                    fold.stored = fold.state.version
            states = held.admit(touched)
            last = page[-1].position
            try:
                views.write(rows, Tracking(views.application_name, last), states=states)
            except IntegrityError:
                held.forget()
                pages.close()
                pages = store.row_pages(views.position() + 1, page_size)
                continue
            applied += len(page)
            if on_progress is not None:
                on_progress(applied, last)
        if folds is None:
            held.forget()
    return applied


def _build_by_case(
    store: CaseStore, views: CaseViews, calendar_for: CalendarFor, page_size: int
) -> int:
    """Build the views from the start of the log to its current end, one whole case at a
    time; returns how many events of the log that covers (0 if it stopped for another
    catch-up).

    Read in log order, a log whose cases run side by side (as a school's do) touches every
    case on every page, and once more cases are in play than can be held each page takes them
    all up again (0.04 of a bare decode at 2,000 cases of 50 events, against 0.4 when they
    follow one another). Read in case order, each case is folded once and its rows written
    once. The rows belong to no log position until the last write names the end, so every
    write holds the views' lock and first checks that they still stand at the start: if
    another catch-up has moved them meanwhile, this one stops and the page-by-page catch-up
    takes over from there (the rows written so far are ahead of that position, never
    behind: `CaseFolds.before` does not resume from a stored state ahead of a page).
    """
    end = store.last_position()
    if end == 0:
        return 0
    case_id, state = "", FoldState()
    finished: list[CaseRows] = []
    try:
        for page in store.case_pages(end, page_size):
            for row in page:
                if row.aggregate_id != case_id:
                    if state.version:
                        finished.append(_final_rows(state, calendar_for))
                    case_id, state = row.aggregate_id, FoldState()
                event = decode_event(row.topic, row.state, envelope=False)
                assert isinstance(event, CaseEvent)
                state.apply(event, calendar_for)
            if len(finished) >= _CASES_PER_WRITE:
                views.write(finished, None, states=[], expect_position=0)
                finished = []
        if state.version:
            finished.append(_final_rows(state, calendar_for))
        views.write(finished, Tracking(views.application_name, end), states=[], expect_position=0)
    except IntegrityError:
        return 0
    return store.events_until(end)


def _final_rows(state: FoldState, calendar_for: CalendarFor) -> CaseRows:
    """A case folded to its last event: its state is stored if it is long enough that
    re-reading its events would cost more than reading the state back."""
    return rows_of(state, calendar_for, with_state=state.version >= RESUME_EVERY)


def _fold_page(
    page: list[StoredRow], folds: CaseFolds, calendar_for: CalendarFor
) -> dict[str, _Fold]:
    """Every case a page touches, folded on by the page's events."""
    events: list[tuple[str, CaseEvent]] = []
    firsts: dict[str, int] = {}
    for row in page:
        if row.topic.startswith(CASE_TOPICS):
            event = decode_event(row.topic, row.state, envelope=False)
            assert isinstance(event, CaseEvent)
            events.append((row.aggregate_id, event))
            firsts.setdefault(row.aggregate_id, row.version)
    touched = folds.before(firsts)
    for key, event in events:
        touched[key].state.apply(event, calendar_for)
    return touched


def current_states(store: CaseStore, views: CaseViews, calendars: Calendars) -> Iterator[FoldState]:
    """Every case's fold state at the views' position: its stored state, brought up to the
    version its rows show from the log (what the next page would resume from)."""
    for case_id, version, stored in views.resume_points():
        state = stored or FoldState()
        _replay(store, calendars.for_case, case_id, state, version)
        yield state


def _replay(
    store: CaseStore, calendar_for: CalendarFor, case_id: str, state: FoldState, until: int
) -> None:
    """Fold the case's events after `state`, up to version `until`, read back from the log."""
    if state.version >= until:
        return
    for topic, data in store.case_rows(case_id, state.version, until):
        event = decode_event(topic, data, envelope=False)
        assert isinstance(event, CaseEvent)
        state.apply(event, calendar_for)
