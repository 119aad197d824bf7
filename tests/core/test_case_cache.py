"""The store keeps loaded cases (an LRU cache brought up to date from the log on each load).

A cached case must never hold anything the log does not: not the acts of a batch that was
refused, not a caller's changes to a case it was handed, and never miss what another writer
stored in the meantime.
"""

from __future__ import annotations

from datetime import date

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

from pmledger.commands import RecordAct
from pmledger.errors import BatchRejected, InvalidInput
from pmledger.events.meeting_acts import MeetingRescheduled
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.attachments import Attachment

INVITED_ON = date(2025, 11, 3)


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
