"""A case's chain follows the digests that were stored and signed, not today's model dump.

Acts gain defaulted fields over time. An event stored before such a field existed dumps
differently once decoded by the newer model, so a digest rebuilt from the model would not be
the one that was signed: the next act would link to a head that never existed.
"""

from __future__ import annotations

from datetime import date

import orjson
from tests.core.helpers import (
    ALICE,
    EMPLOYEE,
    HEAD,
    HR,
    enrol,
    held,
    invite,
    open_ledger,
    opened,
    seeded,
)
from tests.core.raw_rows import RawRows

from pmledger.canonical import canonical_bytes, sha256_hex
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.integrity.keystore import MemoryKeyStore

CASE = str(ALICE.case_id)


def test_acts_after_an_event_stored_by_an_older_schema_chain_to_its_stored_digest(
    backend: str,
) -> None:
    keys = MemoryKeyStore()
    ledger = open_ledger(backend, keys)
    enrol(ledger)
    ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
    ledger.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD)
    minutes = ledger.record(ALICE, held(), occurred_on=date(2025, 10, 9), actor=HEAD)
    stored_digest = RawRows(backend).rewrite_signed(
        CASE, minutes.version, lambda payload: payload["act"].pop("within_working_hours"), keys
    )
    assert stored_digest != minutes.digest
    assert ledger.verify().ok

    assert ledger.reader(HR).case(ALICE).head == stored_digest
    assert ledger.reader(HR).case(ALICE).records[minutes.version].digest == stored_digest
    ledger.record(ALICE, invite(2), occurred_on=date(2025, 10, 13), actor=HEAD)
    report = ledger.verify()
    assert report.ok, report.failure

    ack = ledger.record(
        ALICE,
        RecordAcknowledged(record_version=minutes.version, record_digest=stored_digest),
        occurred_on=date(2025, 10, 14),
        actor=EMPLOYEE,
    )
    assert ledger.reader(HR).case(ALICE).acknowledged_by == {minutes.version: ack.version}
    report = ledger.verify()
    assert report.ok, report.failure
    ledger.close()


def test_every_stored_event_is_the_canonical_json_of_its_envelope_payload_and_signature(
    backend: str,
) -> None:
    with seeded(backend) as ledger:
        rows = list(ledger._store.rows())
    assert len(rows) == 7
    for row in rows:
        doc = orjson.loads(row.state)
        assert list(doc) == ["env", "payload", "sig"]
        assert row.state == canonical_bytes(doc)
        assert doc["env"]["payload"] == sha256_hex(canonical_bytes(doc["payload"]))
