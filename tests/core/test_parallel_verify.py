"""`verify` shared out over several processes says exactly what one process says.

A ledger of twelve cases (so every shard holds some) with two checkpoints; each tampering
below is verified with one, two and three processes, and the reports (the failure named, the
counts of events, cases, keys and checkpoints up to it) must be identical. The tamper suite
(`test_tamper.py`) and the reliability corruption tests compare the same way.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson
import pytest
from tests.core.helpers import HEAD, HR, held, invite, open_ledger, opened
from tests.core.raw_rows import RawRows

from pmledger.commands import EmployeeRef, RecordAct
from pmledger.events.actors import Role
from pmledger.ids import KEYRING_ID
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.parallel_verify import _Bound, _received, _Shares, _widen
from pmledger.storage.factory import PAGE

CASES = [EmployeeRef(organisation="trust", employee_ref=f"E-{n:03}") for n in range(12)]


def _build(target: str, keys: MemoryKeyStore | None = None) -> None:
    """Cases opened, a checkpoint, a meeting on each, a checkpoint, one more act on each; the
    keyring names the organisation (which a failing report states as of its failure)."""
    ledger = open_ledger(target, keys or MemoryKeyStore())
    ledger.bootstrap("hr-1", (Role.HR, Role.ADMINISTRATOR), organisation="trust")
    ledger.register_person(
        "ht-1", (Role.HEADTEACHER,), by=HR, schools=("oakfield",), authority_level=1
    )
    for n, ref in enumerate(CASES):
        ledger.register_person(f"emp-{n}", (Role.EMPLOYEE,), by=HR)
        ledger.record(ref, opened(ref, f"emp-{n}"), occurred_on=date(2025, 9, 1), actor=HR)
    ledger.checkpoint(HR)
    for ref in CASES:
        ledger.record(ref, invite(), occurred_on=date(2025, 9, 2), actor=HEAD)
    ledger.checkpoint(HR)
    for ref in CASES:
        ledger.record(ref, held(), occurred_on=date(2025, 10, 9), actor=HEAD)
    ledger.close()


def _reports(target: str) -> list[dict[str, Any]]:
    with Ledger.open(target) as ledger:
        return [ledger.verify(jobs=jobs).as_json() for jobs in (1, 2, 3)]


def _case(n: int) -> str:
    return str(CASES[n].case_id)


def _edit(rows: RawRows, aggregate: str, version: int, old: bytes, new: bytes) -> None:
    state = rows.state(aggregate, version)
    assert old in state, state[:300]
    rows.set_state(aggregate, version, state.replace(old, new, 1))


def _change_minutes(rows: RawRows, case: str, version: int) -> None:
    _edit(rows, case, version, b'"meeting_id":"m-1"', b'"meeting_id":"m-2"')


TAMPERINGS: dict[str, Callable[[RawRows], None]] = {
    "nothing": lambda rows: None,
    "a row between the checkpoints": lambda rows: _change_minutes(rows, _case(5), 2),
    "a row after the last checkpoint": lambda rows: _change_minutes(rows, _case(7), 3),
    "rows in two shards": lambda rows: (
        _change_minutes(rows, _case(9), 3),
        _change_minutes(rows, _case(2), 3),
    ),
    # A case's newest event before a checkpoint removed: its chain still holds, the signed
    # root does not (a head fails, then the later rows of that case would too).
    "an event a checkpoint covers": lambda rows: rows.delete(_case(4), 2),
    "a key registration": lambda rows: _edit(rows, str(KEYRING_ID), 6, b'"emp-2"', b'"emp-9"'),
    "the last events of the log": lambda rows: rows.delete(_case(11), 3),
}


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_sharded_verify_names_what_one_process_names(backend: str, tampering: str) -> None:
    _build(backend)
    TAMPERINGS[tampering](RawRows(backend))
    one, two, three = _reports(backend)
    assert one == two == three
    assert one["ok"] is (tampering in ("nothing", "the last events of the log"))
    assert one["organisation"] == "trust"


@pytest.mark.parametrize("processes", [2, 3])
def test_each_process_gets_whole_aggregates_and_the_whole_keyring(
    backend: str, processes: int
) -> None:
    """What the comparisons above rest on: every process is handed every keyring row, each
    other aggregate's rows all go to one process, each process's rows come in log order, and
    every process gets cases (otherwise nothing would be shared out)."""
    _build(backend)
    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe(duplex=False) for _ in range(processes)]
    for _, send in pipes:
        _widen(send)
    with Ledger.open(backend) as ledger:
        log = list(ledger._store.rows())
    shares = _Shares([send for _, send in pipes])
    shares.hand_out(log)
    shares.flush()
    for _, send in pipes:
        send.close()
    bound = _Bound(context)
    handed = [[row.position for row in _received(receive, bound)] for receive, _ in pipes]
    keyring = [row.position for row in log if row.aggregate_id == str(KEYRING_ID)]
    owners: dict[str, set[int]] = {}
    for process, positions in enumerate(handed):
        assert positions == sorted(positions)
        assert set(keyring) <= set(positions)
        for row in log:
            if row.position in positions and row.aggregate_id != str(KEYRING_ID):
                owners.setdefault(row.aggregate_id, set()).add(process)
    assert all(len(owner) == 1 for owner in owners.values())
    assert set(owners) == {row.aggregate_id for row in log} - {str(KEYRING_ID)}
    for process in range(processes):
        assert any(_case(n) in owners and owners[_case(n)] == {process} for n in range(12))


def test_the_default_verify_of_a_small_ledger_reports_what_a_sharded_one_does(
    backend: str,
) -> None:
    """`jobs=None` (one process for a log this small) and two processes agree."""
    _build(backend)
    with Ledger.open(backend) as ledger:
        assert ledger.verify().as_json() == ledger.verify(jobs=2).as_json()


def test_a_bad_signature_comes_before_a_later_rows_failure(backend: str) -> None:
    """Signatures are checked a batch at a time, after the rows' other checks: a case
    opening whose signature was swapped for another's, then a later case's changed payload
    (found first, without a signature), is reported as one process checking each signature
    in turn reports it: the opening, named by its stream (its case was never opened), with
    the cases opened before it, whatever the number of processes."""
    _build(backend)
    rows = RawRows(backend)
    other = orjson.loads(rows.state(_case(4), 1))["sig"].encode()
    swapped = rows.state(_case(3), 1)
    own = orjson.loads(swapped)["sig"].encode()
    rows.set_state(_case(3), 1, swapped.replace(own, other))
    _edit(rows, _case(5), 1, b'"employee_ref":"E-005"', b'"employee_ref":"E-006"')
    reports = _reports(backend)
    assert reports[0] == reports[1] == reports[2]
    failure = reports[0]["failure"]
    assert (failure["aggregate_id"], failure["version"]) == (_case(3), 1)
    assert failure["reason"].startswith("signature does not verify"), failure
    assert failure["subject"] == "case"
    assert reports[0]["cases"] == 3


def test_a_sharded_verify_of_an_empty_log_finds_nothing_wrong(backend: str) -> None:
    """An empty log's only page of rows is empty: nothing to hand out, nothing failed."""
    with open_ledger(backend, MemoryKeyStore()) as ledger:
        one, two = ledger.verify(jobs=1), ledger.verify(jobs=2)
    assert one.ok
    assert one.events == 0
    assert two.as_json() == one.as_json()


def test_a_sharded_verify_of_a_log_of_whole_pages_reads_to_its_end(backend: str) -> None:
    """A log of exactly a page of rows is read as that page and then an empty one: the end
    of the log, not a page with a first row to compare."""
    keys = MemoryKeyStore()
    _build(backend, keys)
    with Ledger.open(backend, keystore=keys) as ledger:
        missing = PAGE - sum(1 for _ in ledger._store.rows())
        ledger.record_batch(
            [
                RecordAct(
                    employee=CASES[n % len(CASES)],
                    act=invite(100 + n),
                    occurred_on=date(2025, 10, 13),
                    actor=HEAD,
                )
                for n in range(missing)
            ]
        )
        assert sum(1 for _ in ledger._store.rows()) == PAGE
        one, two = ledger.verify(jobs=1), ledger.verify(jobs=2)
    assert one.ok, one.failure
    assert two.as_json() == one.as_json()
