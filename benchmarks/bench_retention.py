"""Retention plan and purge over a ledger of many employees, vs a bare decode of its events.

The ledger is built through Ledger.record_batch, so personal content is sealed under real data
keys. The plan reads every case and computes each category's disposal date; the purge then
destroys every due key and signs one certificate per case (it changes the ledger, so it runs
once, on its own copy).

Both sides are timed as a host process runs them: the harness collects the set-up's garbage and
freezes the heap then alive before every timed body (`harness.time_body`, as the CLI's `main`
and the web host freeze theirs after start-up, `pmledger.start_up`). Without it a full garbage
collection, ≈ 100 ms over the modules' objects, fell inside the purge's single timed pass in
about four runs of ten and moved its ratio by a third (0.15 ↔ 0.22 for the same code).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date

from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import (
    HEAD,
    HELD_ON,
    HR,
    OPENED_ON,
    employee_ref,
    enrol,
    held,
    invited,
    open_ledger,
    opened,
)

from pmledger.commands import RecordAct
from pmledger.events.actors import Actor, Role
from pmledger.events.governance_acts import CaseClosed
from pmledger.ledger.facade import Ledger
from pmledger.ledger.mapper import decode_event
from pmledger.ledger.retention_jobs import plan, purge
from pmledger.retention import load_default

AS_OF = date(2040, 1, 1)
"""Far enough ahead that every category whose trigger happened is due."""

ADMIN = Actor(person_id=HR.person_id, role=Role.ADMINISTRATOR)
"""Retention plan and purge are the administrator's (or DPO's): `workload.enrol` registers
the HR key with the administrator role too."""


def _build(ledger: Ledger, employees: int) -> int:
    cast = enrol(ledger, 50)
    commands: list[RecordAct] = []
    for n in range(employees):
        who = employee_ref(n)
        person = cast.employee_for_case(n).person_id
        commands += [
            RecordAct(employee=who, act=opened(n, person), occurred_on=OPENED_ON, actor=HR),
            RecordAct(employee=who, act=invited(1), occurred_on=OPENED_ON, actor=HEAD),
            RecordAct(employee=who, act=held(1), occurred_on=HELD_ON, actor=HEAD),
            RecordAct(employee=who, act=CaseClosed(reason="closed"), occurred_on=HELD_ON, actor=HR),
        ]
    for start in range(0, len(commands), 400):
        ledger.record_batch(commands[start : start + 400])
    return len(commands)


def _decode(ledger: Ledger) -> int:
    count = 0
    for row in ledger._store.rows():
        decode_event(row.topic, row.state)
        count += 1
    return count


def run_retention(ctx: Context) -> list[Result]:
    employees = ctx.size(quick=300, full=20_000)
    schedule = load_default()
    with ctx.stores.fresh("retention") as target:
        ledger = open_ledger(target)
        ctx.log(f"recording {employees:,} cases through record_batch …")
        events = _build(ledger, employees)

        @contextlib.contextmanager
        def planning() -> Iterator[Body]:
            def body() -> int:
                items = list(plan(ledger, schedule, AS_OF, ADMIN))
                assert items
                return events

            yield body

        @contextlib.contextmanager
        def purging() -> Iterator[Body]:
            def body() -> int:
                report = purge(ledger, schedule, AS_OF, ADMIN)
                assert not report.failures, report.failures[:3]
                return events

            yield body

        @contextlib.contextmanager
        def decode_all() -> Iterator[Body]:
            yield lambda: _decode(ledger)

        decode = Baseline(Contender("bare decode of every stored event", decode_all))
        params = {"employees": employees, "case_events": events, "as_of": AS_OF.isoformat()}
        results = [
            ctx.compare(
                "retention-plan", Contender("retention plan", planning), [decode], params=params
            ),
            ctx.compare(
                "retention-purge",
                Contender("retention purge (once)", purging),
                [decode],
                params=params,
                rounds=1,
                notes=["peak memory is traced on a second run, which finds it done"],
            ),
        ]
        ledger.close()
    return results


BENCHMARKS = [
    Benchmark(
        "retention",
        "retention plan and purge over many employees vs bare decode of the same events",
        run_retention,
    ),
]
