"""Stored read models agree with the pure fold, apply each event once, and resume after a crash."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.core.helpers import HEAD, HR, enrol, open_ledger, opened
from tests.policies.test_stage_machines import _acts

from pmledger.commands import EmployeeRef
from pmledger.errors import PmLedgerError
from pmledger.events.meeting_acts import MeetingInvited, MeetingPurpose
from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.facade import Ledger
from pmledger.ledger.views import updater
from pmledger.ledger.views.rows import rows_of
from pmledger.ledger.views.updater import current_states
from pmledger.projections.case_status import FoldState

START = date(2025, 9, 1)


def _history(
    ledger: Ledger, seed: int, cases: int = 3, acts: int = 15, *, open_cases: bool = True
) -> None:
    """Record random acts on several cases (opened here, or already open); refused acts are
    simply not recorded."""
    import random

    rng = random.Random(seed)
    for n in range(cases):
        who = EmployeeRef(organisation="trust", employee_ref=f"E-{n}")
        if open_cases:
            ledger.record(who, opened(who), occurred_on=START, actor=HR)
        on = START
        for _ in range(acts):
            on += timedelta(days=rng.randint(0, 12))
            act = rng.choice(_acts(on))()
            reason = rng.choice([None, "exceptional circumstances recorded"])
            try:
                ledger.record(who, act, occurred_on=on, actor=HEAD, deviation_reason=reason)
            except PmLedgerError:
                continue


def _pure_states(ledger: Ledger) -> dict[str, FoldState]:
    """The fold over each case's events as stored (sealed), as the read models see them."""
    states = {}
    for summary in ledger.reader(HR).cases():
        state = FoldState()
        for event in ledger._store.events.get(summary.case_id):
            assert isinstance(event, CaseEvent)
            state.apply(event, ledger.calendars.for_case)
        states[state.case_id] = state
    return states


def _stored(ledger: Ledger) -> dict[str, FoldState]:
    """What the views hold: each case's rows, and the state the next catch-up resumes from."""
    assert _table_rows(ledger) == _rows_of(_pure_states(ledger), ledger)
    states = current_states(ledger._store, ledger._read_models(), ledger.calendars)
    return {s.case_id: s for s in states}


_TABLES = {
    "pml_case": "case_id",
    "pml_warning": "case_id, warning_id",
    "pml_deadline": "case_id, seq",
    "pml_finding": "case_id, seq",
    "pml_awaiting": "case_id, version",
}


def _table_rows(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row, without the case's state (compared through `current_states`)."""
    views = ledger._read_models()
    found = {}
    for table, order in _TABLES.items():
        rows = views._rows(f"SELECT * FROM {{t}}{table} ORDER BY {order}")
        found[table] = [tuple(v for k, v in row.items() if k != "state") for row in rows]
    return found


def _rows_of(states: dict[str, FoldState], ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    rows = [rows_of(states[key], ledger.calendars.for_case) for key in sorted(states)]
    return {
        "pml_case": [r.case[:-1] for r in rows],
        "pml_warning": sorted(w for r in rows for w in r.warnings),
        "pml_deadline": [d for r in rows for d in r.deadlines],
        "pml_finding": [f for r in rows for f in r.findings],
        "pml_awaiting": sorted(a for r in rows for a in r.awaiting),
    }


def test_stored_views_agree_with_the_pure_fold_for_every_case(backend: str) -> None:
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _history(ledger, seed=7)
        ledger.update_views()
        pure = _pure_states(ledger)
        assert _stored(ledger) == pure
        for state in pure.values():
            rows = rows_of(state, ledger.calendars.for_case)
            assert rows.case[13] is not None
        as_of = date(2025, 11, 1)
        expected_live = sorted(
            (s.file.opened.employee_ref, w.warning_id)  # type: ignore[union-attr]
            for s in pure.values()
            for w in s.status(as_of, ledger.calendars.for_case).live_warnings
        )
        stored_live = sorted(
            (r["employee_ref"], r["warning_id"]) for r in ledger._read_models().live_warnings(as_of)
        )
        assert stored_live == expected_live


def test_incremental_updates_equal_a_rebuild_and_apply_each_event_once(backend: str) -> None:
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _history(ledger, seed=3, cases=2)
        first = ledger.update_views()
        assert ledger.update_views() == 0, "nothing new: nothing applied again"
        _history(ledger, seed=4, cases=0)
        more = EmployeeRef(organisation="trust", employee_ref="E-late")
        ledger.record(more, opened(more), occurred_on=START, actor=HR)
        assert ledger.update_views() == 1
        incremental = _stored(ledger)
        assert first + 1 <= ledger.rebuild_views() == len(list(ledger._store.rows()))
        assert _stored(ledger) == incremental == _pure_states(ledger)


def _killed_at_second_write(real_write: Callable[..., None]) -> Callable[..., None]:
    """`CaseViews.write` of a process killed as it makes its second write."""
    calls = {"n": 0}

    def write(self: object, *args: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("killed")
        real_write(self, *args, **kwargs)

    return write


def test_a_crash_between_pages_resumes_where_it_stopped(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmledger.storage import views as tables

    with open_ledger(backend) as ledger:
        enrol(ledger)
        ledger.update_views()  # past the start: the catch-up below goes page by page
        _history(ledger, seed=11, cases=4)
        real_write = tables.CaseViews.write
        monkeypatch.setattr(tables.CaseViews, "write", _killed_at_second_write(real_write))
        from pmledger.ledger.views.updater import catch_up

        with pytest.raises(RuntimeError, match="killed"):
            catch_up(ledger._store, ledger._read_models(), ledger.calendars, page_size=10)
        monkeypatch.setattr(tables.CaseViews, "write", real_write)
        assert 0 < ledger._read_models().position() < ledger._store.recorder.max_notification_id()
        ledger.update_views()
        assert _stored(ledger) == _pure_states(ledger)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 10_000),
    page=st.integers(1, 50),
    resume_every=st.integers(1, 12),
    held_events=st.sampled_from([1, 10, 20_000]),
    shared=st.booleans(),
    from_start=st.booleans(),
)
def test_views_agree_with_the_fold_over_generated_histories(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    page: int,
    resume_every: int,
    held_events: int,
    shared: bool,
    from_start: bool,
) -> None:
    """However the log is paged, however often a case's state is stored, however few cases
    are held between pages, whether catch-ups share what they hold or start afresh, and
    whether the first one builds the views from the start (case by case) or page by page."""
    target = str(tmp_path_factory.mktemp("views") / "l.sqlite")
    with pytest.MonkeyPatch.context() as patch, open_ledger(target) as ledger:
        patch.setattr(updater, "RESUME_EVERY", resume_every)
        patch.setattr(updater, "HELD_EVENTS", held_events)
        views = ledger._read_models()
        folds = updater.CaseFolds(ledger._store, views, ledger.calendars.for_case)

        def catch_up() -> None:
            updater.catch_up(
                ledger._store,
                views,
                ledger.calendars,
                folds=folds if shared else None,
                page_size=page,
            )

        enrol(ledger)
        if not from_start:
            catch_up()
        _history(ledger, seed=seed, cases=3, acts=12)
        catch_up()
        _history(ledger, seed=seed + 1, cases=3, acts=8, open_cases=False)
        catch_up()
        assert _stored(ledger) == _pure_states(ledger)
        for case_id, version, stored in views.resume_points():
            if stored is not None:
                assert version - stored.version < resume_every
                assert stored == _pure_state(ledger, case_id, stored.version)
            else:
                assert version < resume_every


def _pure_state(ledger: Ledger, case_id: str, version: int) -> FoldState:
    state = FoldState()
    for event in ledger._store.events.get(UUID(case_id), lte=version):
        assert isinstance(event, CaseEvent)
        state.apply(event, ledger.calendars.for_case)
    return state


def test_a_case_is_resumed_from_its_stored_state_and_the_events_after_it(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case stores its state only every few events; between, the next catch-up (here a
    fresh process: another ledger on the same database) folds the missing events from the log."""
    monkeypatch.setattr(updater, "RESUME_EVERY", 5)
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _history(ledger, seed=21, cases=2, acts=20)
        ledger.update_views()
        stored = {case_id: state for case_id, _, state in ledger._read_models().resume_points()}
        assert all(state is not None and state.version >= 5 for state in stored.values())
        _history(ledger, seed=22, cases=2, acts=6, open_cases=False)
        with open_ledger(backend) as other:
            assert other.update_views() > 0
        assert _stored(ledger) == _pure_states(ledger)


def test_a_case_let_go_is_stored_only_if_the_log_goes_on_with_it(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holding one case at a time, a case let go while the log still holds more of its events
    is stored (re-reading it later would cost more); one the log is done with is not."""
    monkeypatch.setattr(updater, "RESUME_EVERY", 1000)
    monkeypatch.setattr(updater, "HELD_EVENTS", 1)
    with open_ledger(backend) as ledger:
        enrol(ledger)
        ledger.update_views()  # past the start: the catch-up below goes page by page
        _history(ledger, seed=51, cases=3, acts=8)
        _history(ledger, seed=52, cases=1, acts=8, open_cases=False)
        views = ledger._read_models()
        updater.catch_up(ledger._store, views, ledger.calendars, page_size=4)
        stored = {case_id: state for case_id, _, state in views.resume_points()}
        refs = [EmployeeRef(organisation="trust", employee_ref=f"E-{n}") for n in range(3)]
        first, *others = refs
        assert stored[str(first.case_id)] is not None, "E-0 goes on after E-1 and E-2"
        assert all(stored[str(o.case_id)] is None for o in others), "the log was done with them"
        assert _stored(ledger) == _pure_states(ledger)


def test_a_commit_refused_because_another_updater_went_ahead_reads_on_from_there(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small pages (read ahead on PostgreSQL); while the first page is being written another
    ledger brings the views to the end, so the tracking position refuses the commit and the
    catch-up reads on from where the other stopped."""
    from pmledger.storage import views as tables

    with open_ledger(backend) as ledger:
        enrol(ledger)
        ledger.update_views()  # past the start: the catch-up below goes page by page
        _history(ledger, seed=61, cases=3, acts=10)
        real_write = tables.CaseViews.write
        raced = {"done": False}

        def race(self: tables.CaseViews, *args: Any, **kwargs: Any) -> None:
            if not raced["done"]:
                raced["done"] = True
                with open_ledger(backend) as other:
                    other.update_views()
            real_write(self, *args, **kwargs)

        monkeypatch.setattr(tables.CaseViews, "write", race)
        views = ledger._read_models()
        applied = updater.catch_up(ledger._store, views, ledger.calendars, page_size=4)
        assert raced["done"]
        assert applied == 0, "the other ledger applied everything; nothing twice"
        assert views.position() == ledger._store.recorder.max_notification_id()
        monkeypatch.setattr(tables.CaseViews, "write", real_write)
        assert _stored(ledger) == _pure_states(ledger)


def test_a_ledger_holding_cases_sees_what_another_updater_did_in_between(backend: str) -> None:
    """Ledger A holds its cases between catch-ups; B brings the views on meanwhile; A's next
    catch-up starts past B's and must not fold from what it held (now behind)."""
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _history(ledger, seed=31, cases=2, acts=10)
        ledger.update_views()
        _history(ledger, seed=32, cases=2, acts=6, open_cases=False)
        with open_ledger(backend) as other:
            assert other.update_views() > 0
        _history(ledger, seed=33, cases=2, acts=6, open_cases=False)
        ledger.update_views()
        assert _stored(ledger) == _pure_states(ledger)


def test_a_rebuild_leaves_no_reference_cycles_for_the_paused_collector(backend: str) -> None:
    """The collector is paused while the views catch up, on the grounds that folding makes no
    reference cycles (reference counting frees everything): a collection finds none."""
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _history(ledger, seed=41, cases=3, acts=15)
        ledger.update_views()
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            ledger.rebuild_views()
            assert gc.collect() == 0
        finally:
            if was_enabled:
                gc.enable()


def _interleaved_history(ledger: Ledger, cases: int, rounds: int) -> None:
    """Cases that run side by side: each round records one act on every case in turn."""
    refs = [EmployeeRef(organisation="trust", employee_ref=f"E-{n}") for n in range(cases)]
    for ref in refs:
        ledger.record(ref, opened(ref), occurred_on=START, actor=HR)
    for n in range(rounds):
        for ref in refs:
            invite = MeetingInvited(
                meeting_id=f"m-{n}",
                purpose=MeetingPurpose.ONE_TO_ONE,
                scheduled_for=START + timedelta(days=n + 10),
            )
            ledger.record(ref, invite, occurred_on=START + timedelta(days=n), actor=HEAD)


def test_views_built_from_the_start_of_an_interleaved_log_agree_with_the_fold(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the start the views are built case by case, in writes of a few cases; what they
    hold is the fold of each case, however its events interleave with the others' in the log."""
    monkeypatch.setattr(updater, "_CASES_PER_WRITE", 2)
    monkeypatch.setattr(updater, "RESUME_EVERY", 3)
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _interleaved_history(ledger, cases=5, rounds=4)
        events = len(list(ledger._store.rows()))
        assert ledger.update_views() == events
        assert ledger.views_position() == ledger._store.recorder.max_notification_id()
        assert _stored(ledger) == _pure_states(ledger)
        assert all(state is not None for _, _, state in ledger._read_models().resume_points())


def test_a_build_from_the_start_stopped_midway_is_finished_by_the_next_catch_up(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after its first write: some cases' rows are stored, the views still stand at
    the start (no position was named), and the next catch-up builds them all again."""
    from pmledger.storage import views as tables

    monkeypatch.setattr(updater, "_CASES_PER_WRITE", 1)
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _interleaved_history(ledger, cases=3, rounds=3)
        real_write = tables.CaseViews.write
        monkeypatch.setattr(tables.CaseViews, "write", _killed_at_second_write(real_write))
        with pytest.raises(RuntimeError, match="killed"):
            ledger.update_views()
        monkeypatch.setattr(tables.CaseViews, "write", real_write)
        assert ledger.views_position() == 0
        written = len(list(ledger._read_models().resume_points()))
        assert 0 < written < 3, "some cases were written, not all"
        ledger.update_views()
        assert _stored(ledger) == _pure_states(ledger)


def test_a_build_from_the_start_gives_way_to_a_catch_up_that_moved_the_views(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between two writes of a build case by case, another process brings the views to a
    position short of the end, page by page. The build stops (its rows name no position,
    and would now claim one they do not match); the catch-up goes on page by page from the
    other's position, over rows the build wrote ahead of it (states stored at every event)."""
    from pmledger.storage import views as tables

    monkeypatch.setattr(updater, "_CASES_PER_WRITE", 1)
    monkeypatch.setattr(updater, "RESUME_EVERY", 1)
    with open_ledger(backend) as ledger:
        enrol(ledger)
        _interleaved_history(ledger, cases=3, rounds=4)
        end = ledger._store.recorder.max_notification_id()
        real_write = tables.CaseViews.write
        calls = {"n": 0}

        def other_process_between(self: tables.CaseViews, *args: Any, **kwargs: Any) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                with open_ledger(backend) as other:
                    views = other._read_models()
                    rows = next(other._store.row_pages(1, end - 6))
                    folds = updater.CaseFolds(other._store, views, other.calendars.for_case)
                    touched = updater._fold_page(rows, folds, other.calendars.for_case)
                    real_write(
                        views,
                        [rows_of(f.state, other.calendars.for_case) for f in touched.values()],
                        updater.Tracking(views.application_name, rows[-1].position),
                        states=[],
                    )
            real_write(self, *args, **kwargs)

        monkeypatch.setattr(tables.CaseViews, "write", other_process_between)
        ledger.update_views()
        monkeypatch.setattr(tables.CaseViews, "write", real_write)
        assert calls["n"] > 2, "the build stopped and the catch-up went on page by page"
        assert ledger.views_position() == end
        assert _stored(ledger) == _pure_states(ledger)
