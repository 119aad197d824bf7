"""The school-wide commands read the stored views, brought up to date first."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.core.helpers import ALICE, HEAD, seeded
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.events.sanction_acts import CapabilityStarted, WarningIssued, WarningKind


def _run(*args: str) -> dict[str, object] | list[dict[str, object]]:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_reports_follow_new_events_without_a_rebuild(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")
    with seeded(db) as ledger:
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
    assert _run("report", "stages", "--db", db) == [
        {
            "pack_id": "star-developing-performance",
            "stage": "formal_stage_1",
            "stage_words": "Capability Procedure (separate policy)",
            "n": 1,
        }
    ]
    live = _run("report", "warnings", "--db", db, "--as-of", "2025-02-27")
    assert [(w["warning_id"], w["expires_on"]) for w in live] == [("w-1", "2025-02-28")]
    assert _run("report", "warnings", "--db", db, "--as-of", "2025-02-28") == []
    findings = _run("report", "findings", "--db", db)
    assert [(f["rule_id"], f["deviated"]) for f in findings] == [("st-direct-capability", 1)]
    assert _run("projections", "update", "--db", db) == {
        "ok": True,
        "events_applied": 0,
        "position": 9,
    }
