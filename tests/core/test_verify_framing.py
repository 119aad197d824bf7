"""`verify` takes the payload's bytes as stored, between envelope and signature: a signature
of another length, or a payload changed by one byte, must still be named for what it is."""

from __future__ import annotations

import base64

import orjson
import pytest
from tests.core.helpers import ALICE, seeded
from tests.core.raw_rows import RawRows

from pmledger.canonical import canonical_bytes

CASE = str(ALICE.case_id)


def _with_signature(state: bytes, signature: bytes) -> bytes:
    doc = orjson.loads(state)
    doc["sig"] = base64.b64encode(signature).decode("ascii")
    return canonical_bytes(doc)


@pytest.mark.parametrize("length", [1, 62, 63, 65, 66, 96])
def test_a_signature_of_another_length_fails_as_a_signature(backend: str, length: int) -> None:
    with seeded(backend) as ledger:
        rows = RawRows(backend)
        rows.set_state(CASE, 3, _with_signature(rows.state(CASE, 3), b"\x01" * length))
        report = ledger.verify()
    assert report.failure is not None
    assert (report.failure.aggregate_id, report.failure.version) == (CASE, 3)
    assert "signature does not verify" in report.failure.reason, report.failure


def test_a_payload_that_grew_by_one_byte_fails_its_digest(backend: str) -> None:
    with seeded(backend) as ledger:
        rows = RawRows(backend)
        state = rows.state(CASE, 3)
        rows.set_state(CASE, 3, state.replace(b'"minutes":"', b'"minutes":"x', 1))
        report = ledger.verify()
    assert report.failure is not None
    assert report.failure.version == 3
    assert "payload bytes do not match" in report.failure.reason, report.failure
