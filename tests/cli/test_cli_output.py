"""What the command line shows: one style, plain unwrapped lines when piped, every option
from a PMLEDGER_* variable, --json and --version everywhere."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli.command_walk import every_command
from tests.core.helpers import seeded
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = "cli tests only"
PMLEDGER = str(Path(sys.executable).with_name("pmledger"))

NOT_FROM_THE_ENVIRONMENT = {
    ("retention plan", "--as-of"),  # a disposal date is stated on each run (see its help)
    ("retention purge", "--as-of"),
}


def test_every_option_is_also_read_from_a_pmledger_variable() -> None:
    seen = 0
    for path, command in every_command():
        for param in command.params:  # type: ignore[attr-defined]
            if param.param_type_name != "option" or param.name == "help":
                continue
            flag = param.opts[0]
            if (path, flag) in NOT_FROM_THE_ENVIRONMENT:
                assert param.envvar is None
                continue
            seen += 1
            assert isinstance(param.envvar, str), f"{path} {flag}"
            assert param.envvar.startswith("PMLEDGER_"), f"{path} {flag}: {param.envvar}"
    assert seen > 80


def test_every_command_takes_json_and_required_options_are_marked() -> None:
    for path, command in every_command():
        options = {p.opts[0]: p for p in command.params if p.param_type_name == "option"}  # type: ignore[attr-defined]
        assert "--json" in options, path
        for flag in ("--actor", "--keys"):
            if flag in options and path != "keys list":
                assert options[flag].required, f"{path} {flag} shows as required"


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"pmledger \d+\.\d+\.\d+\S*\n", result.output)


@pytest.fixture
def ledger_files(tmp_path: Path) -> tuple[str, Path]:
    db, keys = str(tmp_path / "l.sqlite"), tmp_path / "keys"
    with seeded(db, EncryptedFileKeyStore(keys, PASSPHRASE.encode())):
        pass
    return db, keys


def _piped(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    variables = {**os.environ, "PMLEDGER_KEY_PASSPHRASE": PASSPHRASE, **env}
    variables.pop("PMLEDGER_JSON", None)
    return subprocess.run(
        [PMLEDGER, *args], capture_output=True, text=True, env=variables, check=False, timeout=120
    )


def test_piped_output_is_plain_lines_with_plurals_that_agree(
    ledger_files: tuple[str, Path],
) -> None:
    db, keys = ledger_files
    signed = _piped("checkpoint", "--db", db, "--actor", "hr-1:hr", "--keys", str(keys))
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout)["size"] > 0, "the head is JSON, for publishing"
    verified = _piped("verify", "--db", db)
    assert verified.returncode == 0, verified.stderr
    assert re.fullmatch(
        r"OK: \d+ events, 1 case, 3 keys, 1 checkpoint, 0 documents — every signature, chain "
        r"link, key validity, checkpoint, snapshot and data key holds, and every document has "
        r"its signed digest\.\nBut: no head held outside the ledger was given: [^\n]+\.\n",
        verified.stdout,
    ), verified.stdout
    assert "\x1b[" not in verified.stdout, "no colour codes in a pipe"


def test_piped_tables_are_tab_separated_under_human_headers(
    ledger_files: tuple[str, Path],
) -> None:
    db, keys = ledger_files
    status = _piped(
        "case", "status", "E-001", "--as-of", "2025-10-20",
        PMLEDGER_DB=db, PMLEDGER_ACTOR="hr-1:hr", PMLEDGER_KEYS=str(keys),
    )  # fmt: skip
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0] == "E-001 (trust) on 2025-10-20"
    assert lines[1].startswith("Procedure: STAR MAT Developing Performance Policy")
    assert len(lines[1]) > 80, "a long line stays whole, never wrapped"
    listed = _piped("keys", "list", "--db", db, "--keys", str(keys))
    assert listed.returncode == 0, listed.stderr
    table = listed.stdout.splitlines()
    assert table[:2] == [f"Keys in the keyring (files in {keys})",
                         "Person\tKey\tRoles\tValid from\tRevoked\tFile"]  # fmt: skip
    rows = [line.split("\t") for line in table[2:]]
    assert [(r[0], r[2]) for r in rows] == [
        ("emp-1", "employee"), ("hr-1", "hr, administrator"), ("ht-1", "headteacher"),
    ]  # fmt: skip
    assert all(r[5] == r[1].replace(":", "-") + ".pem" for r in rows), "whose file is whose"
    people = _piped("people", "list", "--db", db, "--actor", "hr-1:hr", "--keys", str(keys))
    assert people.returncode == 0, people.stderr
    assert people.stdout.splitlines()[1] == "Person\tName\tJob title\tRoles\tSchools\tLevel\tSince"


def test_usage_errors_are_json_when_json_was_asked_for(ledger_files: tuple[str, Path]) -> None:
    db, _ = ledger_files
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMLEDGER_")}
    done = subprocess.run(
        [PMLEDGER, "case", "status", "E-001", "--db", db, "--json"],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert json.loads(done.stdout) == {
        "ok": False,
        "error": "Missing option '--actor' (env var: 'PMLEDGER_ACTOR').",
    }
