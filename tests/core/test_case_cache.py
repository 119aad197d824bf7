"""The store keeps loaded cases (an LRU cache brought up to date from the log on each load),
and the ledger the cases it has just stored (checked against the stored rows on the next load).

A cached case must never hold anything the log does not: not the acts of a batch that was
refused, not a caller's changes to a case it was handed, not an act whose stored row was
rewritten since, and never miss what another writer stored in the meantime.
"""

from __future__ import annotations

from datetime import date
from threading import Barrier, Thread

import pytest
from tests.core.helpers import (
    ALICE,
    EMPLOYEE,
    HEAD,
    HR,
    SteppingClock,
    enrol,
    held,
    invite,
    open_ledger,
    opened,
    seeded,
)
from tests.core.raw_rows import RawRows

from pmledger.commands import RecordAct
from pmledger.errors import BatchRejected, ConcurrencyConflict, InvalidInput
from pmledger.events.meeting_acts import MeetingRescheduled
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger

INVITED_ON = date(2025, 11, 3)
RACE_ROUNDS = 8


def test_a_refused_batch_leaves_the_cached_case_as_stored(backend: str) -> None:
    with seeded(backend) as ledger:
        before = ledger.reader(HR).case(ALICE)
        commands = [
            RecordAct(employee=ALICE, act=invite(2), occurred_on=INVITED_ON, actor=HEAD),
            RecordAct(
                employee=ALICE,
                act=RecordAcknowledged(record_version=3, record_digest="0" * 64),
                occurred_on=INVITED_ON,
                actor=EMPLOYEE,
            ),
        ]
        with pytest.raises(BatchRejected):
            ledger.record_batch(commands)
        after = ledger.reader(HR).case(ALICE)
        assert (after.version, after.head) == (before.version, before.head)
        receipt = ledger.record(ALICE, invite(2), occurred_on=INVITED_ON, actor=HEAD)
        assert receipt.version == before.version + 1
        report = ledger.verify()
        assert report.ok, report.failure


def test_an_act_that_fails_after_judging_leaves_no_trace_in_the_next_read(backend: str) -> None:
    """Judging folds each act into the command's own case (a meeting moved, a record added)
    while the cached case stays as stored: when the act then fails (a later act of its batch
    refused, or a document given that no act names), the next read shows the meeting where it
    was, no extra record, history or stage."""
    with seeded(backend) as ledger:
        ledger.record(ALICE, invite(2), occurred_on=INVITED_ON, actor=HEAD)
        before = ledger.reader(HR).case(ALICE)  # loaded, so cached
        moved = MeetingRescheduled(
            meeting_id="m-2", new_date=date(2025, 10, 20), requested_by="Alice", reason="ill"
        )
        refused = RecordAcknowledged(record_version=3, record_digest="0" * 64)
        with pytest.raises(BatchRejected) as rejected:
            ledger.record_batch(
                [
                    RecordAct(employee=ALICE, act=moved, occurred_on=INVITED_ON, actor=HEAD),
                    RecordAct(employee=ALICE, act=refused, occurred_on=INVITED_ON, actor=EMPLOYEE),
                ]
            )
        assert rejected.value.index == 1
        stray = Attachment(b"%PDF-1.4 not named by any act", "application/pdf", "stray.pdf")
        with pytest.raises(InvalidInput, match="no act names it"):
            ledger.record(ALICE, moved, occurred_on=INVITED_ON, actor=HEAD, documents=[stray])
        after = ledger.reader(HR).case(ALICE)
        meeting = after.file.meetings["m-2"]
        assert (meeting.scheduled_for, meeting.rescheduled) == (date(2025, 10, 9), ())
        assert (after.version, after.head, after.records) == (
            before.version,
            before.head,
            before.records,
        )
        assert after.file.history == before.file.history
        assert after.file.kinds == before.file.kinds
        assert after.file.stage_history == before.file.stage_history
        receipt = ledger.record(ALICE, moved, occurred_on=INVITED_ON, actor=HEAD)
        assert receipt.version == before.version + 1
        moved_to = ledger.reader(HR).case(ALICE).file.meetings["m-2"].scheduled_for
        assert moved_to == date(2025, 10, 20)


def test_changing_a_case_handed_out_does_not_change_the_next_load(backend: str) -> None:
    with seeded(backend) as ledger:
        case = ledger.reader(HR).case(ALICE)
        version, head, records = case.version, case.head, dict(case.records)
        meetings = set(case.file.meetings)
        case.version += 5
        case.head = "f" * 64
        case.records.clear()
        case.file.meetings.clear()
        again = ledger.reader(HR).case(ALICE)
        assert (again.version, again.head, again.records) == (version, head, records)
        assert set(again.file.meetings) == meetings


def test_a_cached_case_sees_acts_another_ledger_stored(backend: str) -> None:
    keys, clock = MemoryKeyStore(), SteppingClock()
    first = open_ledger(backend, keys, clock)
    try:
        enrol(first)
        first.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
        version = first.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD).version
        assert first.reader(HR).case(ALICE).version == version  # loaded, so cached
        second = open_ledger(backend, keys, clock)
        try:
            second.record(ALICE, invite(2), occurred_on=INVITED_ON, actor=HEAD)
        finally:
            second.close()
        assert first.reader(HR).case(ALICE).version == version + 1
        receipt = first.record(ALICE, held(2), occurred_on=INVITED_ON, actor=HEAD)
        assert receipt.version == version + 2
        report = first.verify()
        assert report.ok, report.failure
    finally:
        first.close()


def test_two_ledgers_on_one_store_take_turns_on_a_case(backend: str) -> None:
    """Each ledger keeps the case it has just stored; the other's acts come after it in the
    log, so every load brings the kept case up to date, and a decision taken on a version
    the other ledger has moved past is refused. Whatever each ledger kept, both read exactly
    the case a ledger folding the log afresh reads."""
    target = backend
    keys, clock = MemoryKeyStore(), SteppingClock()
    first = open_ledger(target, keys, clock)
    second = open_ledger(target, keys, clock)
    try:
        enrol(first)
        version = first.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR).version
        for meeting in range(1, 7):
            writer = first if meeting % 2 else second
            receipt = writer.record(ALICE, held(meeting), occurred_on=INVITED_ON, actor=HEAD)
            assert receipt.version == version + 1
            version = receipt.version
        with pytest.raises(ConcurrencyConflict, match=f"at version {version}, not {version - 1}"):
            first.record(
                ALICE, held(7), occurred_on=INVITED_ON, actor=HEAD, expected_version=version - 1
            )
        with Ledger.open(target, keystore=keys, clock=clock) as fresh:
            stored = fresh.reader(HR).case(ALICE)
        for ledger in (first, second):
            case = ledger.reader(HR).case(ALICE)
            assert (case.version, case.head, case.records) == (
                stored.version,
                stored.head,
                stored.records,
            )
            assert case.file == stored.file
        report = second.verify()
        assert report.ok, report.failure
    finally:
        second.close()
        first.close()


def test_two_ledgers_racing_on_a_case_keep_no_act_of_a_lost_race(backend: str) -> None:
    """Two ledgers on one file record on one case at once, each trying again on a conflict.
    A ledger that loses a race at the save has kept nothing of its act, and one that won
    and kept its case sees the rival's acts after it: every act is stored once, the chain
    links, and both read the same case."""
    target = backend
    keys, clock = MemoryKeyStore(), SteppingClock()
    ledgers = [open_ledger(target, keys, clock), open_ledger(target, keys, clock)]
    try:
        enrol(ledgers[0])
        ledgers[0].record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
        start = Barrier(2, timeout=60)
        failures: list[BaseException] = []

        def write(ledger: Ledger, first: int) -> None:
            try:
                for meeting in range(first, first + RACE_ROUNDS):
                    start.wait()
                    while True:
                        try:
                            ledger.record(ALICE, held(meeting), occurred_on=INVITED_ON, actor=HEAD)
                            break
                        except ConcurrencyConflict:
                            continue
            except BaseException as exc:  # reported by the test thread
                start.abort()
                failures.append(exc)

        writers = [
            Thread(target=write, args=(ledger, 100 * (n + 1))) for n, ledger in enumerate(ledgers)
        ]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(timeout=120)
        assert not failures, failures
        stored = sorted(
            record.act.meeting_id  # type: ignore[union-attr]
            for record in ledgers[1].reader(HR).records(ALICE)
            if record.kind == "meeting_held"
        )
        assert stored == sorted(
            f"m-{100 * (n + 1) + i}" for n in range(2) for i in range(RACE_ROUNDS)
        )
        first, second = (ledger.reader(HR).case(ALICE) for ledger in ledgers)
        assert first.version == second.version == 1 + 2 * RACE_ROUNDS
        assert (first.head, first.file) == (second.head, second.file)
        report = ledgers[0].verify()
        assert report.ok, report.failure
    finally:
        for ledger in ledgers:
            ledger.close()


def test_a_ledger_recording_again_folds_what_another_ledger_stored_after_its_act(
    backend: str,
) -> None:
    """The first ledger keeps the case it stored; the second stores an act after it; the
    first records again straight away (no read between): its kept case is brought up to date
    with the second's act, so its act follows it (no conflict) and links to its digest."""
    keys, clock = MemoryKeyStore(), SteppingClock()
    first, second = open_ledger(backend, keys, clock), open_ledger(backend, keys, clock)
    try:
        enrol(first)
        first.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
        mine = first.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD)
        theirs = second.record(ALICE, invite(2), occurred_on=INVITED_ON, actor=HEAD)
        assert theirs.version == mine.version + 1
        again = first.record(ALICE, held(1), occurred_on=INVITED_ON, actor=HEAD)
        assert again.version == theirs.version + 1
        stored = first.reader(HR).records(ALICE)
        assert [record.digest for record in stored[-2:]] == [theirs.digest, again.digest]
        report = first.verify()
        assert report.ok, report.failure
    finally:
        second.close()
        first.close()


def test_a_row_rewritten_after_the_ledger_stored_it_is_what_the_next_act_links_to(
    backend: str,
) -> None:
    """A row this ledger has just stored is rewritten under it (as an older schema stored
    it, signed by the same key): the next record, with no read between, must chain to the
    stored digest, not to the one the ledger kept, so the ledger still verifies."""
    keys = MemoryKeyStore()
    ledger = open_ledger(backend, keys)
    try:
        enrol(ledger)
        ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
        ledger.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD)
        minutes = ledger.record(ALICE, held(), occurred_on=date(2025, 10, 9), actor=HEAD)
        stored_digest = RawRows(backend).rewrite_signed(
            str(ALICE.case_id),
            minutes.version,
            lambda payload: payload["act"].pop("within_working_hours"),
            keys,
        )
        assert stored_digest != minutes.digest
        ledger.record(ALICE, invite(2), occurred_on=INVITED_ON, actor=HEAD)
        assert ledger.reader(HR).case(ALICE).records[minutes.version].digest == stored_digest
        report = ledger.verify()
        assert report.ok, report.failure
    finally:
        ledger.close()
