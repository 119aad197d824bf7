"""The DPO exports the access log; governors get anonymised counts; others are refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import open_ledger, opened
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.commands import EmployeeRef
from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import EncryptedFileKeyStore


def test_access_log_and_governor_counts_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, keys = str(tmp_path / "l.sqlite"), tmp_path / "keys"
    with open_ledger(db, EncryptedFileKeyStore(keys, b"pw")) as ledger:
        ledger.bootstrap("admin-1", (Role.ADMINISTRATOR, Role.HR))
        admin = Actor(person_id="admin-1", role=Role.HR)
        ledger.register_person("dpo-1", (Role.DPO,), by=admin)
        ledger.register_person("gov-1", (Role.GOVERNOR,), by=admin, schools=("oakfield",))
        who = EmployeeRef(organisation="trust", employee_ref="E-1")
        ledger.record(who, opened(who), occurred_on=date(2025, 9, 1), actor=admin)
        ledger.reader(admin, date(2025, 11, 3)).records(who)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", "pw")
    run = CliRunner().invoke
    log = run(
        app,
        [
            "access-log",
            "--db",
            db,
            "--actor",
            "dpo-1:dpo",
            "--keys",
            str(keys),
            "--from",
            "2025-11-01",
            "--to",
            "2025-11-30",
        ],
    )
    assert log.exit_code == 0, log.output
    entries = [json.loads(line) for line in log.output.splitlines()]
    assert [(e["person"], e["operation"], e["allowed"]) for e in entries] == [
        ("admin-1", "read_case", True),
        ("dpo-1", "read_access_log", True),
    ]
    refused = run(
        app,
        [
            "access-log",
            "--db",
            db,
            "--actor",
            "gov-1:governor",
            "--keys",
            str(keys),
            "--from",
            "2025-11-01",
            "--to",
            "2025-11-30",
        ],
    )
    assert refused.exit_code == 2
    assert "data protection officer" in refused.output
    counts = run(
        app,
        [
            "report",
            "governors",
            "--db",
            db,
            "--actor",
            "gov-1:governor",
            "--keys",
            str(keys),
            "--as-of",
            "2025-11-03",
            "--json",
        ],
    )
    assert counts.exit_code == 0, counts.output
    assert {(c["dimension"], c["count"]) for c in json.loads(counts.output)} == {
        ("stage", None),
        ("latest_outcome", None),
    }


def test_a_refusal_does_not_tell_an_outsider_whether_the_case_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unrelated person asking for a real case and for a made-up one gets the same refusal;
    HR, related to every case, is told plainly that a reference is unknown."""
    db, keys = str(tmp_path / "l.sqlite"), tmp_path / "keys"
    with open_ledger(db, EncryptedFileKeyStore(keys, b"pw")) as ledger:
        ledger.bootstrap("hr-1", (Role.HR,))
        hr = Actor(person_id="hr-1", role=Role.HR)
        ledger.register_person("lm-9", (Role.LINE_MANAGER,), by=hr, schools=("elsewhere",))
        who = EmployeeRef(organisation="trust", employee_ref="E-1")
        ledger.record(who, opened(who), occurred_on=date(2025, 9, 1), actor=hr)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", "pw")

    def status(ref: str, actor: str, *org: str) -> tuple[int, str]:
        args = ["case", "status", ref, "--db", db, "--actor", actor, "--keys", str(keys)]
        result = CliRunner().invoke(app, [*args, *org, "--as-of", "2025-10-01", "--json"])
        return result.exit_code, json.loads(result.output)["error"]

    real = status("E-1", "lm-9:line_manager")
    made_up = status("E-404", "lm-9:line_manager")
    assert real[0] == made_up[0] == 2
    assert real[1].replace("E-1", "E-404") == made_up[1]
    assert "no relationship" in real[1]
    with_org = status("E-1", "lm-9:line_manager", "--org", "trust")
    without_case = status("E-404", "lm-9:line_manager", "--org", "trust")
    assert with_org[1].replace("E-1", "E-404") == without_case[1]
    assert "no case" in status("E-404", "hr-1:hr")[1]
