"""Reads never fail on the access log: one person reading in many threads at once, or in two
ledgers open on the same database, gets every answer, and every read is logged and verifies."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from threading import Barrier

from tests.core.helpers import ALICE, HR, open_ledger, seeded
from tests.reliability.harness import backend_name, tally

from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.policies.access import Operation

READS = 30
ON = date(2025, 11, 3)
DPO = Actor(person_id="dpo-1", role=Role.DPO)


def _reads_logged(ledger: Ledger) -> int:
    return sum(
        1
        for e in ledger.reader(DPO, ON).access_log(date(2025, 9, 1), ON)
        if e.actor.person_id == HR.person_id
        and e.entry.operation == Operation.READ_STATUS.value
        and e.entry.case_id == ALICE.case_id
    )


def test_thirty_concurrent_status_reads_by_one_person_all_succeed(backend: str) -> None:
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger, open_ledger(backend, keys) as other:
        ledger.register_person(DPO.person_id, (Role.DPO,), by=HR)
        start = Barrier(READS)

        def read(n: int) -> int:
            start.wait()
            where = ledger if n % 3 else other  # two ledgers open on one database too
            return where.reader(HR).status(ALICE, ON).version

        with ThreadPoolExecutor(READS) as pool:
            versions = list(pool.map(read, range(READS)))
        assert versions == [4] * READS
        assert _reads_logged(ledger) == READS, "every read is on the access log"
        report = ledger.verify()
        assert report.ok, report.failure
    tally("concurrent-reads", backend_name(backend), reads=READS)
