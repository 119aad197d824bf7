"""Signed append: Ledger.record per event, by case length, and batched through CaseStore.save.

Baselines, each on a fresh store of the same kind (same SQLite settings / a fresh PostgreSQL
schema) in the same process:

* plain eventsourcing, load + append: `repository.get` the aggregate, trigger one event with
  the same payload fields, `save` it. This is the work Ledger.record must do (it has to load
  the case to know its version and chain head), without signing, canonical JSON or pydantic.
* plain eventsourcing, append only: the aggregate stays in memory, so only the event is
  built and saved. This is the floor of "one transaction per event" on that store.
* raw Ed25519 signing of the same envelopes (cryptography's Ed25519PrivateKey.sign).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import cast
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import (
    HEAD,
    HELD_ON,
    HR,
    OPENED_ON,
    CaseDraft,
    Cast,
    PlainCase,
    SteppingClock,
    check_equivalence,
    employee,
    employee_ref,
    enrol,
    held,
    meetings_history,
    open_cases,
    open_ledger,
    opened,
    plain_app,
    plain_case,
    plain_record_held,
)

from pmledger.commands import RecordAct
from pmledger.events.signed_event import CaseEvent

APPEND_TARGET = 0.5
"""Signed append should run at ≥ half the rate of plain eventsourcing append (on SQLite)."""

FAKE_KEY_ID = "ed25519:" + "0" * 32
"""Key ids are fixed-length fingerprints, so any id gives the same envelope size."""


def _draft_cast(employees: int) -> Cast:
    cast = Cast(employees=employees)
    for person in ("hr-1", HEAD.person_id, *(employee(n).person_id for n in range(employees))):
        cast.key_ids[person] = FAKE_KEY_ID
    return cast


def _round_robin_events(cases: int, events: int) -> list[CaseEvent]:
    """The meeting_held events `events` round-robin records would create, built in memory."""
    clock = SteppingClock()
    cast = _draft_cast(cases)
    drafts = [CaseDraft(n, cast, clock) for n in range(cases)]
    for draft in drafts:
        draft.open()
    return [drafts[i % cases].add(held(i), HEAD, HELD_ON) for i in range(events)]


def raw_signing(messages_of: list[bytes]) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        key = Ed25519PrivateKey.generate()

        def body() -> int:
            sign = key.sign
            for message in messages_of:
                sign(message)
            return len(messages_of)

        yield body

    return Contender("raw Ed25519 sign (same envelopes)", prepare)


# 1. one event per Ledger.record -------------------------------------------------------------


def signed_record(ctx: Context, cases: int, events: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-signed") as target:
            ledger = open_ledger(target)
            try:
                cast = enrol(ledger, cases)
                refs = open_cases(ledger, cast, cases)

                def body() -> int:
                    record = ledger.record
                    for i in range(events):
                        record(refs[i % cases], held(i), occurred_on=HELD_ON, actor=HEAD)
                    return events

                yield body
            finally:
                ledger.close()

    return Contender("Ledger.record (signed)", prepare)


def plain_append(ctx: Context, cases: int, events: int, *, reload: bool) -> Contender:
    """Plain eventsourcing append round-robin over `cases`: with `reload`, each append first
    gets the aggregate from the store (what a command handler does, as `Ledger.record` must);
    without, the aggregates stay in memory (the floor of one transaction per event)."""

    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-plain-get" if reload else "append-plain") as target:
            app = plain_app(target)
            try:
                clock = SteppingClock()
                created = [plain_case(n, employee(n).person_id, clock) for n in range(cases)]
                app.save(*created)
                ids: list[UUID] = [case.id for case in created]

                def body() -> int:
                    get = app.repository.get
                    for i in range(events):
                        case = (
                            cast(PlainCase, get(ids[i % cases])) if reload else created[i % cases]
                        )
                        plain_record_held(case, i, clock)
                        app.save(case)
                    return events

                yield body
            finally:
                app.close()

    label = "get+save (unsigned)" if reload else "save (unsigned, in memory)"
    return Contender(f"eventsourcing {label}", prepare)


def run_signed_append(ctx: Context) -> list[Result]:
    check_equivalence()
    cases = ctx.size(quick=10, full=40)
    events = ctx.size(quick=120, full=2000)
    messages = [event.sealed()[0].data for event in _round_robin_events(cases, events)]
    result = ctx.compare(
        "append.signed",
        signed_record(ctx, cases, events),
        [
            Baseline(plain_append(ctx, cases, events, reload=True), APPEND_TARGET),
            Baseline(plain_append(ctx, cases, events, reload=False), APPEND_TARGET),
            Baseline(raw_signing(messages)),
        ],
        params={
            "cases": cases,
            "events": events,
            "act": "meeting_held",
            "events_per_case_at_end": events // cases + 1,
            "envelope_bytes": round(sum(map(len, messages)) / len(messages)),
        },
        notes=[
            "one transaction per event; cases are opened before timing",
            "Ledger.record loads each case through the store's case cache, brought up to date "
            "from the log on every load (the baseline's get replays every event)",
        ],
        target_backends=("sqlite",),
    )
    return [result]


# 2. how the per-event cost grows with the case ----------------------------------------------


def signed_record_on_long_case(ctx: Context, length: int, events: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-long") as target:
            ledger = open_ledger(target)
            try:
                cast = enrol(ledger, 1)
                (ref,) = open_cases(ledger, cast, 1)
                # Grown through the Ledger (judged, snapshotted as in use), 100 acts per call.
                for start in range(1, length, 100):
                    ledger.record_batch(
                        [
                            RecordAct(employee=ref, act=held(n), occurred_on=HELD_ON, actor=HEAD)
                            for n in range(start, min(start + 100, length))
                        ]
                    )

                def body() -> int:
                    for i in range(events):
                        ledger.record(ref, held(length + i), occurred_on=HELD_ON, actor=HEAD)
                    return events

                yield body
            finally:
                ledger.close()

    return Contender("Ledger.record (signed)", prepare)


def plain_load_append_on_long_case(ctx: Context, length: int, events: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-long-plain") as target:
            app = plain_app(target)
            try:
                clock = SteppingClock()
                case = plain_case(0, employee(0).person_id, clock)
                for n in range(1, length):
                    plain_record_held(case, n, clock)
                app.save(case)
                case_id = case.id

                def body() -> int:
                    for i in range(events):
                        loaded = cast(PlainCase, app.repository.get(case_id))
                        plain_record_held(loaded, length + i, clock)
                        app.save(loaded)
                    return events

                yield body
            finally:
                app.close()

    return Contender("eventsourcing get+save (unsigned)", prepare)


def run_case_length(ctx: Context) -> list[Result]:
    # 80 + 20 records fold 80..99 events each: the worst case below the snapshot interval.
    lengths = (10, 80) if ctx.quick else (10, 80, 1000)
    events = 20
    results = []
    for length in lengths:
        results.append(
            ctx.compare(
                f"append.case_length[{length}]",
                signed_record_on_long_case(ctx, length, events),
                [Baseline(plain_load_append_on_long_case(ctx, length, events))],
                params={"events_already_in_case": length, "events": events},
                notes=[
                    "one case, grown through Ledger.record_batch before timing; every record "
                    "loads the case (from its latest snapshot, if any)"
                ],
            )
        )
    return results


# 3. many events in one call ----------------------------------------------------------------


def _batch_commands(batch: int, cases_per_batch: int, per_case: int, cast: Cast) -> list[RecordAct]:
    commands = []
    for c in range(cases_per_batch):
        n = batch * cases_per_batch + c
        ref = employee_ref(n)
        commands.append(
            RecordAct(
                employee=ref,
                act=opened(n, cast.employee_for_case(n).person_id),
                occurred_on=OPENED_ON,
                actor=HR,
            )
        )
        commands.extend(
            RecordAct(employee=ref, act=held(i), occurred_on=HELD_ON, actor=HEAD)
            for i in range(1, per_case)
        )
    return commands


def ledger_batches(ctx: Context, batches: int, cases_per_batch: int, per_case: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-batch") as target:
            ledger = open_ledger(target)
            try:
                cast = enrol(ledger, cases_per_batch)

                def body() -> int:
                    written = 0
                    for batch in range(batches):
                        commands = _batch_commands(batch, cases_per_batch, per_case, cast)
                        written += len(ledger.record_batch(commands))
                    return written

                yield body
            finally:
                ledger.close()

    return Contender("Ledger.record_batch (signed, judged)", prepare)


def store_batches(ctx: Context, batches: int, cases_per_batch: int, per_case: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-batch-store") as target:
            clock = SteppingClock()
            ledger = open_ledger(target, clock)
            try:
                cast = enrol(ledger, cases_per_batch)

                def body() -> int:
                    written = 0
                    for batch in range(batches):
                        events: list[CaseEvent] = []
                        for c in range(cases_per_batch):
                            draft = CaseDraft(batch * cases_per_batch + c, cast, clock)
                            events.extend(meetings_history(draft, per_case))
                        ledger._store.save(*events)
                        written += len(events)
                    return written

                yield body
            finally:
                ledger.close()

    return Contender("CaseStore.save(*events) (signed, not judged)", prepare)


def plain_batches(ctx: Context, batches: int, cases_per_batch: int, per_case: int) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        with ctx.stores.fresh("append-batch-plain") as target:
            app = plain_app(target)
            try:
                clock = SteppingClock()

                def body() -> int:
                    written = 0
                    for batch in range(batches):
                        cases = []
                        for c in range(cases_per_batch):
                            n = batch * cases_per_batch + c
                            case = plain_case(n, employee(c).person_id, clock)
                            for i in range(1, per_case):
                                plain_record_held(case, i, clock)
                            cases.append(case)
                        app.save(*cases)
                        written += cases_per_batch * per_case
                    return written

                yield body
            finally:
                app.close()

    return Contender("eventsourcing save(*aggregates) (unsigned)", prepare)


def run_batched(ctx: Context) -> list[Result]:
    per_case = 20
    cases_per_batch = 5
    batches = ctx.size(quick=6, full=200)
    clock = SteppingClock()
    cast = _draft_cast(cases_per_batch)
    messages = [
        event.sealed()[0].data
        for n in range(batches * cases_per_batch)
        for event in meetings_history(CaseDraft(n, cast, clock), per_case)
    ]
    params = {
        "events": batches * cases_per_batch * per_case,
        "events_per_call": cases_per_batch * per_case,
        "cases_per_call": cases_per_batch,
        "acts": "per case: case_opened + 19 meeting_held",
    }
    baselines = [
        Baseline(plain_batches(ctx, batches, cases_per_batch, per_case)),
        Baseline(raw_signing(messages)),
    ]
    judged = ctx.compare(
        "append.batched",
        ledger_batches(ctx, batches, cases_per_batch, per_case),
        baselines,
        params=params,
        notes=["one transaction per call; every act judged by its pack before anything is stored"],
    )
    unjudged = ctx.compare(
        "append.batched.store",
        store_batches(ctx, batches, cases_per_batch, per_case),
        baselines,
        params=params,
        notes=[
            "events built with new_case_event + project_case and stored with "
            "ledger._store.save: the floor under record_batch (no coherence, key or pack checks)"
        ],
    )
    return [judged, unjudged]


BENCHMARKS = [
    Benchmark(
        "append.signed",
        "Ledger.record of meeting_held acts across several cases vs plain eventsourcing "
        "append and raw Ed25519 signing",
        run_signed_append,
    ),
    Benchmark(
        "append.case_length",
        "Ledger.record on one case already holding N events vs plain eventsourcing get+save",
        run_case_length,
        diagnostic=True,  # explains append.signed's figure; no target of its own
    ),
    Benchmark(
        "append.batched",
        "100 signed events per Ledger.record_batch call (and per CaseStore.save call) vs "
        "plain eventsourcing batched save",
        run_batched,
    ),
]
