"""Recording, loading and listing cases; bad input is refused and changes nothing."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest
from eventsourcing.persistence import IntegrityError
from tests.core.helpers import ALICE, EMPLOYEE, HEAD, HR, held, invite, open_ledger, opened, seeded

from pmledger.aggregates.case_snapshot import CaseSnapshot
from pmledger.canonical import canonical_bytes
from pmledger.commands import EmployeeRef, RecordAct
from pmledger.errors import (
    AccessDenied,
    ActRefused,
    CaseAlreadyOpen,
    ConcurrencyConflict,
    InvalidInput,
    KeyStoreError,
    UnknownEmployee,
    UnknownKey,
)
from pmledger.events.actors import Actor, Role
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.integrity.signing import unb64
from pmledger.integrity.snapshot_seal import snapshot_message
from pmledger.ledger.facade import Ledger


def test_a_recorded_case_loads_with_its_chain_head_and_acknowledgements(backend: str) -> None:
    with seeded(backend) as ledger:
        case = ledger.reader(HR).case(ALICE)
        events = list(ledger.reader(HR).records(ALICE))
        assert case.version == 4
        assert case.head == events[-1].digest
        assert [e.kind for e in events] == [
            "case_opened",
            "meeting_invited",
            "meeting_held",
            "record_acknowledged",
        ]
        assert case.acknowledged_by == {3: 4}
        assert case.awaiting_acknowledgement() == []
        assert events[1].prev == events[0].digest


def test_a_case_at_a_past_version_is_the_shorter_fold(backend: str) -> None:
    with seeded(backend) as ledger:
        assert ledger.reader(HR).case(ALICE, 2).version == 2
        assert ledger.reader(HR).case(ALICE, 2).records.keys() == {1, 2}


def test_cases_are_listed_in_the_order_opened(backend: str) -> None:
    with seeded(backend) as ledger:
        bob = EmployeeRef(organisation="trust", employee_ref="E-002")
        ledger.record(bob, opened(bob), occurred_on=date(2025, 9, 2), actor=HR)
        assert [c.employee_ref for c in ledger.reader(HR).cases()] == ["E-001", "E-002"]


def test_a_ledger_reopened_from_disk_keeps_everything(tmp_path: object) -> None:
    target = str(tmp_path) + "/l.sqlite"
    keys = MemoryKeyStore()
    seeded(target, keys).close()
    with Ledger.open(target, keystore=keys) as reader:
        assert reader.reader(HR).case(ALICE).version == 4
        assert reader.verify().ok


def _snapshot(ledger: Ledger) -> list[str]:
    return [e.digest for e in ledger.reader(HR).records(ALICE)]


@pytest.mark.parametrize(
    ("command", "error", "words"),
    [
        ({"employee": {"organisation": "trust"}}, InvalidInput, "employee.employee_ref"),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "E-001"},
                "act": {
                    "kind": "meeting_invited",
                    "meeting_id": "m",
                    "purpose": "tea party",
                    "scheduled_for": "2025-10-01",
                },
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "ht-1", "role": "headteacher"},
            },
            InvalidInput,
            "purpose",
        ),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "E-001"},
                "act": {
                    "kind": "meeting_invited",
                    "meeting_id": "m",
                    "purpose": "planning",
                    "scheduled_for": "not a date",
                },
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "ht-1", "role": "headteacher"},
            },
            InvalidInput,
            "scheduled_for",
        ),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "E-001"},
                "act": {"kind": "no_such_act"},
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "ht-1", "role": "headteacher"},
            },
            InvalidInput,
            "act",
        ),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "NOBODY"},
                "act": {"kind": "meeting_held", "meeting_id": "m", "chair_person_id": "ht-1"},
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "hr-1", "role": "hr"},
            },
            UnknownEmployee,
            "case_opened",
        ),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "NOBODY"},
                "act": {"kind": "meeting_held", "meeting_id": "m", "chair_person_id": "ht-1"},
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "ht-1", "role": "headteacher"},
            },
            AccessDenied,
            "no relationship to this case",
        ),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "E-001"},
                "act": {"kind": "meeting_held", "meeting_id": "m", "chair_person_id": "x"},
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "stranger", "role": "headteacher"},
            },
            UnknownKey,
            "register one",
        ),
        (
            {
                "employee": {"organisation": "trust", "employee_ref": "E-001"},
                "act": {"kind": "meeting_held", "meeting_id": "m", "chair_person_id": "x"},
                "occurred_on": "2025-09-30",
                "actor": {"person_id": "emp-1", "role": "headteacher"},
            },
            AccessDenied,
            "emp-1 acting as headteacher has no relationship",
        ),
    ],
)
def test_bad_commands_get_typed_errors_and_store_nothing(
    backend: str, command: dict[str, object], error: type[Exception], words: str
) -> None:
    with seeded(backend) as ledger:
        before = _snapshot(ledger)
        with pytest.raises(error, match=words):
            ledger.execute(command)
        assert _snapshot(ledger) == before
        assert ledger.verify().ok


def test_wrong_python_types_are_refused_before_any_lookup(backend: str) -> None:
    with seeded(backend) as ledger:
        with pytest.raises(InvalidInput, match="occurred_on"):
            ledger.record(ALICE, invite(), occurred_on="yesterday", actor=HEAD)  # type: ignore[arg-type]
        with pytest.raises(InvalidInput):
            ledger.record("E-001", invite(), occurred_on=date(2025, 1, 1), actor=HEAD)  # type: ignore[arg-type]


def test_opening_a_case_twice_is_refused(backend: str) -> None:
    with seeded(backend) as ledger, pytest.raises(CaseAlreadyOpen, match="already has a case"):
        ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)


def test_acknowledgement_must_match_the_record_digest_and_come_from_the_employee(
    backend: str,
) -> None:
    with seeded(backend) as ledger:
        receipt = ledger.record(ALICE, held(2), occurred_on=date(2025, 10, 20), actor=HEAD)
        wrong = RecordAcknowledged(record_version=receipt.version, record_digest="0" * 64)
        with pytest.raises(ActRefused, match="does not match"):
            ledger.record(ALICE, wrong, occurred_on=date(2025, 10, 21), actor=EMPLOYEE)
        right = RecordAcknowledged(record_version=receipt.version, record_digest=receipt.digest)
        with pytest.raises(ActRefused, match="only the employee"):
            ledger.record(ALICE, right, occurred_on=date(2025, 10, 21), actor=HEAD)
        assert [r.version for r in ledger.reader(HR).case(ALICE).awaiting_acknowledgement()] == [5]
        ledger.record(ALICE, right, occurred_on=date(2025, 10, 21), actor=EMPLOYEE)
        assert ledger.reader(HR).case(ALICE).awaiting_acknowledgement() == []
        with pytest.raises(ActRefused, match="already acknowledged"):
            ledger.record(ALICE, right, occurred_on=date(2025, 10, 22), actor=EMPLOYEE)


def test_a_stale_expected_version_is_a_conflict(backend: str) -> None:
    with seeded(backend) as ledger:
        command = {
            "employee": ALICE.model_dump(),
            "act": held(9).model_dump(mode="json"),
            "occurred_on": "2025-11-01",
            "actor": HEAD.model_dump(mode="json"),
            "expected_version": 3,
        }
        with pytest.raises(ConcurrencyConflict, match="reload the case"):
            ledger.execute(command)
        command["expected_version"] = 4
        assert ledger.execute(command).version == 5


def test_a_read_only_ledger_can_verify_but_not_sign(tmp_path: object) -> None:
    target = str(tmp_path) + "/l.sqlite"
    seeded(target).close()
    with Ledger.open(target) as reader, pytest.raises(KeyStoreError, match="read"):
        reader.record(ALICE, held(7), occurred_on=date(2025, 11, 1), actor=HEAD)


def test_revoked_keys_cannot_sign_new_acts(backend: str) -> None:
    with seeded(backend) as ledger:
        key = ledger.keyring().signing_key_for("ht-1", ledger._clock())
        assert key is not None
        ledger.revoke_key(key.key_id, reason="laptop stolen", by=HR)
        with pytest.raises(UnknownKey, match="no valid signing key"):
            ledger.record(ALICE, held(8), occurred_on=date(2025, 11, 1), actor=HEAD)


def test_rotation_gives_a_new_key_and_the_old_one_stops(backend: str) -> None:
    with seeded(backend) as ledger:
        old = ledger.keyring().signing_key_for("ht-1", ledger._clock())
        assert old is not None
        new_id = ledger.rotate_key("ht-1", by=HR)
        ledger.record(ALICE, held(8), occurred_on=date(2025, 11, 1), actor=HEAD)
        assert list(ledger.reader(HR).records(ALICE))[-1].key_id == new_id != old.key_id
        assert ledger.keyring().keys[old.key_id].revoked_at is not None
        assert ledger.verify().ok


def test_only_key_managers_change_the_keyring(backend: str) -> None:
    with seeded(backend) as ledger, pytest.raises(ActRefused, match="may not change"):
        ledger.register_person(
            "intruder", (Role.HR,), by=Actor(person_id="ht-1", role=Role.HEADTEACHER)
        )


def test_an_unknown_storage_address_is_a_clear_error() -> None:
    from pmledger.errors import StorageError

    with pytest.raises(StorageError, match="SQLite file path or a postgresql"):
        open_ledger("mysql://db/x")
    with pytest.raises(StorageError, match="does not exist"):
        open_ledger("/no/such/folder/l.sqlite")


def test_long_cases_load_from_a_snapshot_that_matches_the_chain(backend: str) -> None:
    with seeded(backend) as ledger:
        for n in range(5, 206):
            ledger.record(ALICE, held(n), occurred_on=date(2025, 11, 1), actor=HEAD)
        events = list(ledger.reader(HR).records(ALICE))
        case_id = str(ALICE.case_id)
        seals = ledger._store.all_snapshot_seals()
        assert {at: seal.head for at, seal in seals.items() if seal} == {
            (case_id, 100): events[99].digest,
            (case_id, 200): events[199].digest,
        }
        assert {seal.key_id for seal in seals.values() if seal} == {events[99].key_id}
        case = ledger.reader(HR).case(ALICE)
        assert case.version == 205
        assert case.head == events[-1].digest
        assert case.acknowledged_by == {3: 4}
        assert ledger.reader(HR).case(ALICE, 150).version == 150


def test_a_batch_taking_a_case_past_a_snapshot_version_stores_that_version_as_loaded(
    backend: str,
) -> None:
    """The snapshot is taken as the batch's act leaves the case, not read back and folded
    again after the commit: its state, signature and stored bytes must be what a snapshot of
    the case loaded at that version gives, each byte as the model's canonical dump."""
    with seeded(backend) as ledger:
        ledger.record_batch(
            [
                RecordAct(employee=ALICE, act=held(n), occurred_on=date(2025, 11, 3), actor=HEAD)
                for n in range(5, 131)  # versions 5-130: 100 is inside the batch
            ]
        )
        assert ledger._store.snapshots is not None
        (row,) = ledger._store.snapshots.recorder.select_events(ALICE.case_id)
        stored = CaseSnapshot.model_validate_json(row.state)
        assert row.state == canonical_bytes(stored.model_dump(mode="json"))
        loaded = ledger._archive.load(ALICE.case_id, 100)
        assert loaded is not None
        assert stored.originator_version == 100
        assert stored.key_id is not None
        assert (
            stored.state
            == CaseSnapshot.take(
                loaded, stored.timestamp, stored.key_id, ledger._store._signer
            ).state
        )
        assert ledger._snapshot_holds(stored)
        assert ledger.reader(HR).case(ALICE).version == 130
        assert ledger.verify().ok


WHEN = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)


def test_a_snapshot_is_stored_as_the_canonical_dump_of_its_model() -> None:
    """`CaseSnapshot.take` builds its document from the state dump as it is, not from a dump
    of the model: the bytes and the signed message must be exactly the model's."""
    with seeded(":memory:") as ledger:
        case = ledger._archive.load(ALICE.case_id)
        assert case is not None
        key_id = ledger.signing_key(HEAD, WHEN, ledger.keyring()).key_id
        snapshot = CaseSnapshot.take(case, WHEN, key_id, ledger._store._signer)
        document = snapshot.model_dump(mode="json")
        assert snapshot.stored() == canonical_bytes(document)
        assert ledger._store._signer.sign(key_id, snapshot_message(document)) == unb64(
            snapshot.signature or ""
        )


def test_the_in_memory_ledger_records_and_verifies_for_unit_tests() -> None:
    with seeded(":memory:") as ledger:
        assert ledger.reader(HR).case(ALICE).version == 4
        assert ledger.verify().ok
        assert ledger.reader(HR).status(ALICE, date(2025, 10, 10)).version == 4
        with pytest.raises(Exception, match="need SQLite or PostgreSQL"):
            ledger.update_views()


def test_a_failed_snapshot_after_the_commit_is_logged_not_raised(
    backend: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with seeded(backend) as ledger:

        def rival_snapshot_first(*_: object) -> None:
            raise IntegrityError("another writer stored this snapshot first")

        monkeypatch.setattr(ledger._store, "put_snapshot", rival_snapshot_first)
        commands = [
            RecordAct(employee=ALICE, act=held(n), occurred_on=date(2025, 11, 3), actor=HEAD)
            for n in range(5, 106)
        ]
        with caplog.at_level(logging.WARNING, logger="pmledger.ledger.facade"):
            receipts = ledger.record_batch(commands)
        assert [r.version for r in receipts] == list(range(5, 106))
        assert "no snapshot of case" in caplog.text
        assert "version 100" in caplog.text
        assert ledger.reader(HR).case(ALICE).version == 105
        assert ledger.verify().ok
