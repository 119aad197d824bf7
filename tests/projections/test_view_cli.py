"""The school-wide commands read the stored views, brought up to date first."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HEAD, seeded
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.events.sanction_acts import CapabilityStarted, WarningIssued, WarningKind
from pmledger.integrity.keystore import EncryptedFileKeyStore


def _run(*args: str) -> dict[str, object] | list[dict[str, object]]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_reports_follow_new_events_without_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, keys = str(tmp_path / "l.sqlite"), tmp_path / "keys"
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", "pw")
    as_hr = ("--actor", "hr-1:hr", "--keys", str(keys))
    with seeded(db, EncryptedFileKeyStore(keys, b"pw")) as ledger:
        ledger.record(
            ALICE,
            CapabilityStarted(reason="Invoices", direct_entry_reason=None),
            occurred_on=date(2025, 10, 6),
            actor=HEAD,
            deviation_reason="service delivery significantly affected",
        )
        ledger.record(
            ALICE,
            WarningIssued(warning_id="w-1", warning_kind=WarningKind.WRITTEN),
            occurred_on=date(2024, 2, 29),
            actor=HEAD,
        )
    assert _run("projections", "rebuild", "--db", db) == {
        "ok": True,
        "events_applied": 9,
        "position": 9,
    }
    assert _run("report", "stages", "--db", db, *as_hr) == [
        {
            "pack_id": "star-developing-performance",
            "stage": "formal_stage_1",
            "stage_words": "Capability Procedure (separate policy)",
            "n": 1,
        }
    ]
    live = _run("report", "warnings", "--db", db, "--as-of", "2025-02-27", *as_hr)
    assert [(w["warning_id"], w["expires_on"]) for w in live] == [("w-1", "2025-02-28")]
    assert _run("report", "warnings", "--db", db, "--as-of", "2025-02-28", *as_hr) == []
    findings = _run("report", "findings", "--db", db, *as_hr)
    assert [(f["rule_id"], f["deviated"]) for f in findings] == [("st-direct-capability", 1)]
    after_reads = _run("projections", "update", "--db", db)
    assert after_reads["position"] > 9, "each report's read is logged in the ledger"  # type: ignore[call-overload]
    assert _run("projections", "update", "--db", db) == {
        "ok": True,
        "events_applied": 0,
        "position": after_reads["position"],  # type: ignore[call-overload]
    }
