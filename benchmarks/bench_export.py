"""Export of one case (bundle.pdf + bundle.zip) by case length, vs verifying the same ledger.

Each case is recorded through Ledger.record_batch on SQLite with the workload's stepping clock
(so every run writes the same acts at the same recorded times): case_opened, then cycles of
a one-to-one invitation, the meeting's minutes, the employee's countersignature, a letter and
the employee's statement, dated one day apart. The baseline is Ledger.verify() over the same
ledger (the keyring plus this one case): export runs that same verification and then lays out
and writes the bundle, so the ratio says what the bundle costs on top of checking the case.

    python benchmarks/run.py --only export --backend sqlite
    python benchmarks/bench_export.py            # one line per size, no harness
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from harness import Baseline, Benchmark, Body, Contender, Context, Result
from workload import HEAD, HR, MINUTES, employee, employee_ref, enrol, open_ledger, opened

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.events.meeting_acts import LetterSent, MeetingHeld, MeetingInvited, MeetingPurpose
from pmledger.events.record_acts import RecordAcknowledged, StatementKind, StatementRecorded
from pmledger.export.exporter import export_case
from pmledger.integrity.keystore import KeyStore, MemoryKeyStore
from pmledger.ledger.facade import Ledger

SIZES = (300, 2000)
KEYS = MemoryKeyStore()
"""The cast's private keys: the exporter reads as HR, whose key signs the access log."""
OPENED_ON = date(2024, 9, 2)
AS_OF = date(2030, 1, 1)
"""After the last act of the longest case, so every record counts in the bundle."""


def record_case(target: str, events: int, keystore: KeyStore = KEYS) -> EmployeeRef:
    """A case of exactly `events` events, judged and signed by the Ledger as in use (the
    cast's keys in `keystore`: one on disk when another process exports the case)."""
    ledger = open_ledger(target, keystore=keystore)
    try:
        enrol(ledger, 1)
        ref, person = employee_ref(0), employee(0)
        ledger.record(ref, opened(0, person.person_id), occurred_on=OPENED_ON, actor=HR)
        written, cycle = 1, 0
        while written < events:
            cycle += 1
            on = OPENED_ON + timedelta(days=cycle)
            meeting = f"m-{cycle}"
            invited = MeetingInvited(
                meeting_id=meeting, purpose=MeetingPurpose.ONE_TO_ONE, scheduled_for=on
            )
            minutes = MeetingHeld(
                meeting_id=meeting, chair_person_id=HEAD.person_id, minutes=MINUTES
            )
            first = [
                RecordAct(employee=ref, act=act, occurred_on=on, actor=HEAD)
                for act in (invited, minutes)
            ][: events - written]
            receipts = ledger.record_batch(first)
            written += len(receipts)
            held = receipts[-1]
            rest = [
                (
                    RecordAcknowledged(record_version=held.version, record_digest=held.digest),
                    person,
                ),
                (
                    LetterSent(letter_id=f"l-{cycle}", template="meeting-note", summary=MINUTES),
                    HEAD,
                ),
                (StatementRecorded(statement_kind=StatementKind.EMPLOYEE, text=MINUTES), person),
            ][: max(events - written, 0)]
            if len(first) == 2 and rest:
                ledger.record_batch(
                    [RecordAct(employee=ref, act=a, occurred_on=on, actor=who) for a, who in rest]
                )
                written += len(rest)
        return ref
    finally:
        ledger.close()


def exporter(target: str, ref: EmployeeRef, events: int, workdir: Path) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        out = Path(tempfile.mkdtemp(dir=workdir, prefix="export-"))
        ledger = Ledger.open(target, keystore=KEYS)
        try:

            def body() -> int:
                result = export_case(ledger.reader(HR, AS_OF), ref, out, AS_OF)
                if len(result.extract.records) != events or not result.extract.verified:
                    raise AssertionError(f"export did not cover the verified case: {result}")
                return events

            yield body
        finally:
            ledger.close()
            shutil.rmtree(out, ignore_errors=True)

    return Contender("export_case (PDF + zip)", prepare)


def verifier(target: str) -> Contender:
    @contextlib.contextmanager
    def prepare() -> Iterator[Body]:
        ledger = Ledger.open(target)
        try:

            def body() -> int:
                report = ledger.verify()
                if not report.ok:
                    raise AssertionError(f"the benchmark ledger does not verify: {report}")
                return report.events

            yield body
        finally:
            ledger.close()

    return Contender("Ledger.verify() (same ledger)", prepare)


def run_export(ctx: Context) -> list[Result]:
    sizes = (300,) if ctx.quick else SIZES
    results = []
    for events in sizes:
        with ctx.stores.fresh(f"export-{events}") as target:
            ctx.log(f"recording a case of {events} events …")
            ref = record_case(target, events)
            results.append(
                ctx.compare(
                    f"export[{events}]",
                    exporter(target, ref, events, ctx.stores.workdir),
                    [Baseline(verifier(target))],
                    params={"events": events, "as_of": AS_OF.isoformat()},
                    notes=[
                        "one export = extract + verify, PDF laid out twice (page numbers), "
                        "zip written; rate is events exported per second"
                    ],
                    rounds=min(ctx.rounds, 3),
                )
            )
    return results


BENCHMARKS = [
    Benchmark(
        "export",
        "export_case of one 300- and one 2,000-event case (bundle.pdf + bundle.zip) vs "
        "Ledger.verify() of the same ledger",
        run_export,
        backends=("sqlite",),
    ),
]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pmledger-bench-export-") as folder:
        for events in SIZES:
            target = str(Path(folder) / f"case-{events}.sqlite")
            ref = record_case(target, events)
            out = Path(folder) / f"out-{events}"
            with Ledger.open(target, keystore=KEYS) as ledger:
                timings = []
                for _ in range(3):
                    started = time.perf_counter()
                    result = export_case(ledger.reader(HR, AS_OF), ref, out, AS_OF)
                    timings.append(time.perf_counter() - started)
            print(
                f"export of a {events}-event case: best {min(timings):.2f}s of 3 "
                f"({result.pages} pages, PDF {result.pdf.stat().st_size / 2**20:.1f} MiB, "
                f"zip {result.zip.stat().st_size / 2**20:.1f} MiB)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
