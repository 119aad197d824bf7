"""Read models held to the events: the stored views are edited by SQL so that `report
warnings` hides a live warning, or their tracking row is moved forward so they silently
freeze. `pmledger projections verify` folds the events and names the first difference (exit
1); `projections update` leaves an edit in place; `projections rebuild` is the repair.

Before: `projections verify` did not exist (exit 2, "No such command 'verify'"); the edited
views answered "(none)" beside a live warning and nothing said so.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from tests.core.helpers import enrol, open_ledger
from tests.core.raw_rows import RawRows
from tests.reliability.harness import (
    PASSPHRASE,
    backend_name,
    closed_capability_case,
    employee,
    keystore,
    tally,
)
from typer.testing import CliRunner

from pmledger.cli.main import app

WHO = employee("P-000")
CASE = str(WHO.case_id)
LIVE = "2024-03-15"
"""A day on which the case's written warning (issued 2024-02-29) is live."""


class ViewRows(RawRows):
    """The read-model tables, as someone holding the database would reach them."""

    def execute(self, sql: str, *params: object) -> None:
        self._run(sql, sql, params)

    def move_tracking(self, by: int) -> None:
        """Move the views' tracked log position forward (eventsourcing's tracking table)."""
        table = "tracking"
        if self._pg:
            with psycopg.connect(self.target.split("?", 1)[0]) as conn:
                row = conn.execute(
                    "SELECT table_name FROM information_schema.columns WHERE table_schema=%s "
                    "AND column_name='application_name' AND table_name LIKE %s",
                    (self._schema(), "%tracking%"),
                ).fetchone()
            assert row is not None
            table = f'"{row[0]}"'
        self.execute(
            f"UPDATE {table} SET notification_id=notification_id+? WHERE application_name=?",
            by,
            "pmledger",
        )


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("PMLEDGER_ACTOR", "PMLEDGER_KEYS", "PMLEDGER_DB", "PMLEDGER_JSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    return tmp_path / "keys"


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _live_warnings(backend: str, keys: Path) -> list[str]:
    code, out = _cli("report", "warnings", "--db", backend, "--as-of", LIVE,
                     "--actor", "hr-1:hr", "--keys", str(keys), "--json")  # fmt: skip
    assert code == 0, out
    return [row["warning_id"] for row in json.loads(out)]


def _views_verify(backend: str) -> tuple[int, dict[str, object]]:
    code, out = _cli("projections", "verify", "--db", backend, "--json")
    assert code in (0, 1), out
    return code, json.loads(out)


def test_an_edited_view_hiding_a_live_warning_is_named(backend: str, keys: Path) -> None:
    with open_ledger(backend, keystore(keys)) as ledger:
        enrol(ledger)
        closed_capability_case(ledger, WHO)
    assert _live_warnings(backend, keys) == ["w-1"]
    code, found = _views_verify(backend)
    assert (code, found["cases"], found["difference"]) == (0, 1, None)
    ViewRows(backend).execute("DELETE FROM pml_warning WHERE case_id=?", CASE)
    assert _live_warnings(backend, keys) == [], "the edit hides the live warning"
    code, found = _views_verify(backend)
    assert code == 1
    assert found["difference"] == (
        "trust/P-000: the events give a warning w-1 that the stored views lack"
    )
    code, out = _cli("projections", "update", "--db", backend)
    assert code == 0, out
    assert _views_verify(backend)[0] == 1, "an update leaves the edit in place"
    code, out = _cli("projections", "rebuild", "--db", backend)
    assert code == 0, out
    assert _views_verify(backend)[0] == 0
    assert _live_warnings(backend, keys) == ["w-1"]
    tally("views-edited", backend_name(backend), attacks=1, named=1)


def test_a_tracking_row_moved_forward_is_named(backend: str, keys: Path) -> None:
    with open_ledger(backend, keystore(keys)) as ledger:
        enrol(ledger)
        ledger.update_views()
        ViewRows(backend).move_tracking(1000)
        closed_capability_case(ledger, WHO)
    assert _live_warnings(backend, keys) == [], "the frozen views miss the case"
    code, found = _views_verify(backend)
    assert code == 1
    assert "was moved forward" in str(found["difference"])
    code, out = _cli("projections", "verify", "--db", backend)
    assert code == 1
    assert "projections rebuild" in out
    code, out = _cli("projections", "rebuild", "--db", backend)
    assert code == 0, out
    assert _views_verify(backend)[0] == 0
    assert _live_warnings(backend, keys) == ["w-1"]
    tally("views-tracking-moved", backend_name(backend), attacks=1, named=1)
