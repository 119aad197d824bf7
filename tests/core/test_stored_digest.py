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
from pmledger.integrity.signing import b64

CASE = str(ALICE.case_id)


def _store_as_older_schema(rows: RawRows, keys: MemoryKeyStore, version: int, field: str) -> str:
    """Rewrite a stored event without `field`, re-signed by its own key, as a release that
    predated the field would have stored it; return the stored envelope's digest."""
    doc = orjson.loads(rows.state(CASE, version))
    del doc["payload"]["act"][field]
    env = doc["env"]
    env["payload"] = sha256_hex(canonical_bytes(doc["payload"]))
    env_bytes = canonical_bytes(env)
    doc["sig"] = b64(keys.sign(env["key"], env_bytes))
    rows.set_state(CASE, version, canonical_bytes(doc))
    return sha256_hex(env_bytes)


def test_acts_after_an_event_stored_by_an_older_schema_chain_to_its_stored_digest(
    backend: str,
) -> None:
    keys = MemoryKeyStore()
    ledger = open_ledger(backend, keys)
    enrol(ledger)
    ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
    ledger.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD)
    minutes = ledger.record(ALICE, held(), occurred_on=date(2025, 10, 9), actor=HEAD)
    stored_digest = _store_as_older_schema(
        RawRows(backend), keys, minutes.version, "within_working_hours"
    )
    assert stored_digest != minutes.digest
    assert ledger.verify().ok

    assert ledger.case(ALICE).head == stored_digest
    assert ledger.case(ALICE).records[minutes.version].digest == stored_digest
    ledger.record(ALICE, invite(2), occurred_on=date(2025, 10, 13), actor=HEAD)
    report = ledger.verify()
    assert report.ok, report.failure

    ack = ledger.record(
        ALICE,
        RecordAcknowledged(record_version=minutes.version, record_digest=stored_digest),
        occurred_on=date(2025, 10, 14),
        actor=EMPLOYEE,
    )
    assert ledger.case(ALICE).acknowledged_by == {minutes.version: ack.version}
    report = ledger.verify()
    assert report.ok, report.failure
    ledger.close()


def test_every_stored_event_is_the_canonical_json_of_its_envelope_payload_and_signature(
    backend: str,
) -> None:
    with seeded(backend) as ledger:
        rows = list(ledger.store.rows())
    assert len(rows) == 7
    for row in rows:
        doc = orjson.loads(row.state)
        assert list(doc) == ["env", "payload", "sig"]
        assert row.state == canonical_bytes(doc)
        assert doc["env"]["payload"] == sha256_hex(canonical_bytes(doc["payload"]))
