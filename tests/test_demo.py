"""The README's first command: `pmledger demo` records a case under each procedure, shows it,
verifies the ledger and writes a tribunal bundle that checks offline."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pmledger.cli.main import app


def test_the_demo_records_five_procedures_verifies_and_writes_a_bundle(tmp_path: Path) -> None:
    db = tmp_path / "demo" / "demo.sqlite"
    result = CliRunner().invoke(app, ["demo", "--db", str(db)], terminal_width=200)
    assert result.exit_code == 0, result.output
    out = result.output
    for ref in ("T-1042", "S-2201", "H-3307", "ST-0415", "RF-0098"):
        assert ref in out, f"the demo shows the case {ref}"
    assert "verify OK" in out
    assert "in 5 cases" in out
    bundle = db.parent / "bundle"
    checked = CliRunner().invoke(
        app,
        [
            "verify-bundle",
            str(bundle / "bundle.zip"),
            "--pdf",
            str(bundle / "bundle.pdf"),
            "--json",
        ],
    )
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["ok"] is True
