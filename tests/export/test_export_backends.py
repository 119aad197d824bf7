"""The same case exports to a bundle that verifies, whichever store the ledger is on."""

from __future__ import annotations

from pathlib import Path

from tests.core.helpers import ALICE, HR, seeded
from tests.export.cases import AS_OF

from pmledger.export.exporter import export_case
from pmledger.export.verify_bundle import verify_bundle
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger


def test_a_case_exports_and_verifies_on_each_backend(backend: str, tmp_path: Path) -> None:
    keys = MemoryKeyStore()
    seeded(backend, keys).close()
    with Ledger.open(backend, keystore=keys) as ledger:
        result = export_case(ledger.reader(HR, AS_OF), ALICE, tmp_path, AS_OF)
    report = verify_bundle(result.zip, result.pdf)
    assert report.ok, report.problem
    assert report.case_events == 4
