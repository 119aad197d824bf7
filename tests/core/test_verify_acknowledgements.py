"""Every acknowledgement is held to the digest of the record it names, recent or old.

`verify` keeps the digests of recent unacknowledged records in memory and reads older ones
back from the store; either way a countersignature over the wrong digest is named.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.core.helpers import ALICE, EMPLOYEE, HEAD, held, seeded
from tests.core.raw_rows import RawRows

from pmledger.audit.verifier import PENDING_PER_CASE
from pmledger.events.record_acts import RecordAcknowledged
from pmledger.integrity.keystore import MemoryKeyStore

CASE = str(ALICE.case_id)
LATER = PENDING_PER_CASE + 5
"""Records after the acknowledged one: enough to push it out of verify's in-memory window."""


@pytest.mark.parametrize("records_after", [0, LATER], ids=["recent", "older-than-window"])
def test_an_acknowledgement_over_the_wrong_digest_is_named(
    backend: str, records_after: int
) -> None:
    keys = MemoryKeyStore()
    with seeded(backend, keys) as ledger:
        first = ledger.record(ALICE, held(5), occurred_on=date(2025, 10, 20), actor=HEAD)
        other = ledger.record(ALICE, held(6), occurred_on=date(2025, 10, 20), actor=HEAD)
        for n in range(records_after):
            ledger.record(ALICE, held(7 + n), occurred_on=date(2025, 10, 21), actor=HEAD)
        ack = ledger.record(
            ALICE,
            RecordAcknowledged(record_version=first.version, record_digest=first.digest),
            occurred_on=date(2025, 10, 22),
            actor=EMPLOYEE,
        )
        assert ledger.verify().ok

        def point_at_other(payload: dict[str, object]) -> None:
            payload["act"]["record_digest"] = other.digest  # type: ignore[index]

        RawRows(backend).rewrite_signed(CASE, ack.version, point_at_other, keys)
        report = ledger.verify()
    assert report.failure is not None
    assert report.failure.version == ack.version
    assert "does not match the digest of record version" in report.failure.reason
