"""Stored read models agree with the pure fold, apply each event once, and resume after a crash."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.core.helpers import HEAD, HR, enrol, open_ledger, opened
from tests.policies.test_stage_machines import _acts

from pmledger.commands import EmployeeRef
from pmledger.errors import PmLedgerError
from pmledger.events.signed_event import CaseEvent
from pmledger.ledger.facade import Ledger
from pmledger.ledger.views.rows import rows_of
from pmledger.projections.case_status import FoldState

START = date(2025, 9, 1)


def _history(ledger: Ledger, seed: int, cases: int = 3, acts: int = 15) -> None:
    """Record random acts on several cases; refused acts are simply not recorded."""
    import random

    rng = random.Random(seed)
    for n in range(cases):
        who = EmployeeRef(organisation="trust", employee_ref=f"E-{n}")
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
    for summary in ledger.list_cases(actor=HR):
        state = FoldState()
        for event in ledger.store.events.get(summary.case_id):
            assert isinstance(event, CaseEvent)
            state.apply(event, ledger.calendars.for_case)
        states[state.case_id] = state
    return states


def _stored(ledger: Ledger) -> dict[str, FoldState]:
    return {s.case_id: s for s in ledger._read_models().stored_states()}


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
        assert ledger.rebuild_views() == first + 1
        assert _stored(ledger) == incremental == _pure_states(ledger)


def test_a_crash_between_pages_resumes_where_it_stopped(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmledger.ledger.views import tables

    with open_ledger(backend) as ledger:
        enrol(ledger)
        _history(ledger, seed=11, cases=4)
        real_write = tables.CaseViews.write
        calls = {"n": 0}

        def crash_on_second_page(self: tables.CaseViews, *args: object) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("killed")
            real_write(self, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(tables.CaseViews, "write", crash_on_second_page)
        from pmledger.ledger.views.updater import catch_up

        with pytest.raises(RuntimeError, match="killed"):
            catch_up(ledger.store, ledger._read_models(), ledger.calendars, page_size=10)
        monkeypatch.setattr(tables.CaseViews, "write", real_write)
        assert 0 < ledger._read_models().position() < ledger.store.recorder.max_notification_id()
        ledger.update_views()
        assert _stored(ledger) == _pure_states(ledger)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10_000), page=st.integers(1, 50))
def test_views_agree_with_the_fold_over_generated_histories(
    tmp_path_factory: pytest.TempPathFactory, seed: int, page: int
) -> None:
    from pmledger.ledger.views.updater import catch_up

    target = str(tmp_path_factory.mktemp("views") / "l.sqlite")
    with open_ledger(target) as ledger:
        enrol(ledger)
        _history(ledger, seed=seed, cases=3, acts=12)
        catch_up(ledger.store, ledger._read_models(), ledger.calendars, page_size=page)
        assert _stored(ledger) == _pure_states(ledger)
