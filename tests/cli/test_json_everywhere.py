"""`--json` does what it says on every command: stdout is JSON (one document, or JSON lines),
whether the command succeeds or is refused. The commands come from the typer app itself, so
a new command that takes `--json` but prints text is caught; the option's presence alone is
pinned in test_cli_output.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.cli.command_walk import every_command
from tests.core.helpers import seeded
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.integrity.keystore import EncryptedFileKeyStore

PASSPHRASE = "json everywhere"
PACKS = Path(__file__).resolve().parents[2] / "packs"
SLOW = {"demo": "records and verifies the example cases; its --json is in tests/test_demo.py"}


COMMANDS = dict(every_command())


@pytest.fixture(scope="module")
def seeded_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("seeded")
    db, keys = folder / "l.sqlite", folder / "keys"
    with seeded(str(db), EncryptedFileKeyStore(keys, PASSPHRASE.encode())):
        pass
    return db, keys


def _values(folder: Path, seeded_files: tuple[Path, Path]) -> dict[str, str]:
    """A value for every parameter a command may require, on a copy of the seeded ledger."""
    db, keys = seeded_files
    shutil.copy(db, folder / "l.sqlite")
    shutil.copytree(keys, folder / "keys")
    act = folder / "act.json"
    act.write_text(
        '{"kind": "meeting_invited", "meeting_id": "m-9", "purpose": "first_formal", '
        '"scheduled_for": "2025-11-20"}'
    )
    (folder / "acts.jsonl").write_text("")
    pack = str(sorted((PACKS / "star-developing-performance").glob("*.toml"))[-1])
    return {
        "db": str(folder / "l.sqlite"),
        "actor": "hr-1:hr",
        "keys": str(folder / "keys"),
        "as_of": "2025-10-20",
        "since": "2025-09-01",
        "until": "2025-10-30",
        "out": str(folder / "out"),
        "employee": "E-001",
        "file": str(folder / "acts.jsonl"),
        "act_file": str(act),
        "person": "emp-1",
        "roles": "employee",
        "key_id": "k-1",
        "reason": "the test",
        "level": "1",
        "organisation": "oak-trust",
        "admin": "it-admin",
        "bundle": str(folder / "none.zip"),
        "pack": "star-developing-performance",
        "path": pack,
        "before": pack,
        "after": pack,
        "rule_id": "no-such-rule",
    }


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        try:
            return all(json.loads(line) is not None for line in text.splitlines() if line)
        except ValueError:
            return False
    return True


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - set(SLOW)))
def test_json_asked_for_is_json_answered(
    command: str,
    tmp_path: Path,
    seeded_files: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("PMLEDGER_NEW_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.chdir(tmp_path)
    given = _values(tmp_path, seeded_files)
    if command == "init":
        given["db"] = str(tmp_path / "new.sqlite")
    args = command.split()
    for param in COMMANDS[command].params:
        if not param.required:
            continue
        assert param.name in given, f"give the test a value for {command} {param.name}"
        value = given[param.name]
        args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.stdout.strip(), f"{command} --json printed nothing (exit {result.exit_code})"
    assert _is_json(result.stdout), f"{command} --json printed:\n{result.stdout}"
