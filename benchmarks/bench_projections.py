"""Stored read models: full rebuild and incremental update vs a bare fold that only decodes.

The ledger (N events over M employees) is built once per backend, untimed. Rebuild clears the
views and applies the whole log (re-judging every act under its pack, as the views must);
the baseline reads the same rows and only decodes them into events. Incremental appends a page
of new events per round (untimed) and times bringing the views up to date.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import (
    CaseDraft,
    Cast,
    SteppingClock,
    cases_ledger,
    enrol,
    mixed_history,
    open_ledger,
    save_in_batches,
)

from pmledger.ledger.facade import Ledger
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.views.updater import HELD_EVENTS

REBUILD_TARGET = 0.5
"""rebuild should run at ≥ 0.5 of a bare decode of the same events."""


def grow(
    ledger: Ledger, cast: Cast, clock: SteppingClock, first_case: int, cases: int, per_case: int
) -> int:
    """Append `cases` new cases of `per_case` signed events in large batches; returns events."""
    return save_in_batches(
        ledger,
        (
            event
            for case_no in range(first_case, first_case + cases)
            for event in mixed_history(CaseDraft(case_no, cast, clock), per_case)
        ),
    )


def grow_interleaved(
    ledger: Ledger, cast: Cast, clock: SteppingClock, cases: int, per_case: int
) -> int:
    """`cases` cases that progress together: one event of each in turn, as a school's log
    looks when many cases run at once (every page of the catch-up touches every case)."""
    histories = [mixed_history(CaseDraft(n, cast, clock), per_case) for n in range(cases)]
    return save_in_batches(
        ledger, (next(history) for _ in range(per_case) for history in histories)
    )


def decode_rows(ledger: Ledger, start: int = 1) -> int:
    count = 0
    for row in ledger._store.rows(start=start):
        decode_event(row.topic, row.state)
        count += 1
    return count


def rebuild_vs_decode(
    ctx: Context,
    name: str,
    ledger: Ledger,
    target: float | None,
    *,
    params: dict[str, int],
    note: str,
) -> Result:
    """`Ledger.rebuild_views()` against a bare decode of the same stored events."""

    @contextlib.contextmanager
    def rebuild() -> Iterator[Body]:
        yield ledger.rebuild_views

    @contextlib.contextmanager
    def decode_all() -> Iterator[Body]:
        yield lambda: decode_rows(ledger)

    return ctx.compare(
        name,
        Contender("Ledger.rebuild_views()", rebuild),
        [Baseline(Contender("bare decode of every stored event", decode_all), target)],
        params=params,
        notes=[note],
        rounds=1 if not ctx.quick else None,
    )


def run_projections(ctx: Context) -> list[Result]:
    employees = ctx.size(quick=400, full=20_000)
    per_case = ctx.size(quick=25, full=50)
    ctx.log(f"{employees:,} cases x {per_case} events (built once per backend per run) …")
    with cases_ledger(ctx.stores, employees, per_case) as (ledger, built, clock):
        cast, events = built.cast, built.case_events
        total = ledger._store.recorder.max_notification_id() or 0

        results = [
            rebuild_vs_decode(
                ctx,
                "projection-rebuild",
                ledger,
                REBUILD_TARGET,
                params={
                    "events": total,
                    "case_events": events,
                    "cases": employees,
                    "events_per_case": per_case,
                },
                note="rebuild re-judges every act under its recorded pack version",
            )
        ]
        page = 1000
        next_case = [employees]

        @contextlib.contextmanager
        def incremental() -> Iterator[Body]:
            ledger.update_views()
            start = ledger.views_position() + 1
            grow(ledger, cast, clock, next_case[0], page // per_case, per_case)
            next_case[0] += page // per_case
            yield ledger.update_views
            assert ledger.views_position() >= start

        @contextlib.contextmanager
        def decode_new() -> Iterator[Body]:
            start = (ledger._store.recorder.max_notification_id() or 0) + 1
            grow(ledger, cast, clock, next_case[0], page // per_case, per_case)
            next_case[0] += page // per_case
            ledger.update_views()
            yield lambda: decode_rows(ledger, start)

        results.append(
            ctx.compare(
                "projection-update",
                Contender(f"Ledger.update_views() after {page} new events", incremental),
                [Baseline(Contender(f"bare decode of the {page} new events", decode_new))],
                params={"events_per_round": page, "ledger_events": total},
            )
        )
    return results


def run_interleaved(ctx: Context) -> list[Result]:
    cases = ctx.size(quick=400, full=2_000)
    per_case = ctx.size(quick=25, full=50)
    with ctx.stores.fresh("projections-interleaved") as target:
        ledger = open_ledger(target, SteppingClock())
        cast = enrol(ledger, 50)
        ctx.log(f"building {cases:,} cases x {per_case} events, one event of each in turn")
        events = grow_interleaved(ledger, cast, SteppingClock(), cases, per_case)
        total = ledger._store.recorder.max_notification_id() or 0

        result = rebuild_vs_decode(
            ctx,
            "projection-rebuild-interleaved",
            ledger,
            None,
            params={
                "events": total,
                "case_events": events,
                "cases": cases,
                "events_per_case": per_case,
                "held_events": HELD_EVENTS,
            },
            note="diagnostic: cases interleaved one event at a time; when they do not all fit "
            "in the folds held between pages, cases are stored and re-read as they are "
            "let go and taken up again",
        )
        ledger.close()
    return [result]


BENCHMARKS = [
    Benchmark(
        "projections",
        "stored read models: rebuild from scratch and incremental update vs bare decode",
        run_projections,
    ),
    Benchmark(
        "projections.interleaved",
        "stored read models: rebuild of a log whose cases progress together vs bare decode",
        run_interleaved,
        diagnostic=True,
    ),
]
