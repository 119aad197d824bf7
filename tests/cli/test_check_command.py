"""`pmledger check EMPLOYEE ACT.json` on a real SQLite ledger: it says what `record` would
decide — findings and deadlines, or the refusal with exit 2 — and stores no record: every
table's row count is the same after, but for the access log's entries (a check reads the case,
so it is logged like any read, allowed or refused)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import SteppingClock, seeded
from tests.policies.improving_performance_case import PACK, to_first_formal
from tests.policies.ledger_script import ADMIN, LedgerScript
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.events.actors import Role
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

PASSPHRASE = "cli tests only"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    db, keys = str(tmp_path / "l.sqlite"), tmp_path / "keys"
    with seeded(db, EncryptedFileKeyStore(keys, PASSPHRASE.encode())):
        pass
    for name in ("PMLEDGER_ACTOR", "PMLEDGER_KEYS", "PMLEDGER_DB", "PMLEDGER_JSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    return db, keys


@pytest.fixture
def before_first_formal(world: tuple[str, Path], tmp_path: Path) -> tuple[str, Path]:
    """An Improving Performance case (004) whose PIP failed, ready for the first formal
    meeting's invitation, whose notice period is a deadline the invitation starts."""
    db, keys = str(tmp_path / "ip.sqlite"), tmp_path / "ip-keys"
    store = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    with Ledger.open(db, keystore=store, clock=SteppingClock(), create=True) as ledger:
        ledger.bootstrap(ADMIN.person_id, (Role.ADMINISTRATOR, Role.HR))
        script = LedgerScript(
            ledger,
            PACK,
            opening={"line_manager_person_id": "lm-1", "employment_started_on": date(2015, 9, 1)},
        )
        to_first_formal(script)
    return db, keys


def _rows(db: str) -> dict[str, int]:
    """Every table's row count, access-log entries left out: what "no record stored" means,
    checked table by table."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: conn.execute(
                f'SELECT count(*) FROM "{t}"'
                + (" WHERE topic NOT LIKE 'pmledger.access/%'" if t == "stored_events" else "")
            ).fetchone()[0]
            for t in tables
        }


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _act(tmp_path: Path, **fields: object) -> str:
    path = tmp_path / f"{fields['kind']}.json"
    path.write_text(json.dumps(fields))
    return str(path)


def test_check_shows_findings_and_deadlines_and_stores_nothing(
    before_first_formal: tuple[str, Path], tmp_path: Path
) -> None:
    db, keys = before_first_formal
    act = _act(tmp_path, kind="meeting_invited", meeting_id="ff-1", purpose="first_formal",
               scheduled_for="2025-10-22")  # fmt: skip
    as_manager = ("--db", db, "--actor", "lm-1:line_manager", "--keys", str(keys))
    as_hr = ("--db", db, "--actor", "admin-1:hr", "--keys", str(keys))
    before = _rows(db)
    code, text = _run("check", "E-1", act, "--on", "2025-10-15", *as_manager, "--json")
    assert code == 0, text
    clean = json.loads(text)
    assert clean["would_record"] is True
    assert "ip-who-manages" not in {f["rule"]["id"] for f in clean["findings"]}
    assert [d["rule"]["id"] for d in clean["deadlines"]] == ["ip-first-invite-notice"]
    code, text = _run("check", "E-1", act, "--on", "2025-10-15", *as_hr, "--json")
    assert code == 0, text
    by_hr = json.loads(text)
    assert ("ip-who-manages", "major") in {
        (f["rule"]["id"], f["severity"]) for f in by_hr["findings"]
    }, "HR inviting in the manager's place is a breach, recorded with its severity"
    code, text = _run("check", "E-1", act, "--on", "2025-10-15", *as_hr)
    assert code == 0, text
    lines = text.splitlines()
    assert lines[0].startswith("would record meeting_invited on employee E-1")
    count = len(by_hr["findings"])
    assert lines[0].endswith(f"with {count} findings; nothing stored")
    assert any(line.startswith("  major ip-who-manages (004") for line in lines)
    assert "it would start 1 deadline:" in lines
    assert _rows(db) == before, "check stored nothing"


def test_a_refusal_exits_2_with_its_reason_and_stores_nothing(
    world: tuple[str, Path], tmp_path: Path
) -> None:
    db, keys = world
    act = _act(tmp_path, kind="meeting_invited", meeting_id="m-2", purpose="first_formal",
               scheduled_for="2025-11-20")  # fmt: skip
    before = _rows(db)
    stale = ("--expected-version", "2")
    as_head = ("--db", db, "--actor", "ht-1:headteacher", "--keys", str(keys))
    code, text = _run("check", "E-001", act, "--on", "2025-11-10", *stale, *as_head, "--json")
    assert code == 2, text
    error = json.loads(text)["error"]
    assert error.startswith("would be refused: "), error
    assert "version" in error
    as_stranger = ("--db", db, "--actor", "hr-1:monitor", "--keys", str(keys))
    code, text = _run("check", "E-001", act, "--on", "2025-11-10", *as_stranger, "--json")
    assert code == 2, text
    assert _rows(db) == before, "a refusal by check stores no record"


def test_an_actor_claims_the_authority_level_of_their_key(
    before_first_formal: tuple[str, Path], tmp_path: Path
) -> None:
    db, keys = before_first_formal
    act = _act(tmp_path, kind="meeting_invited", meeting_id="ff-1", purpose="first_formal",
               scheduled_for="2025-10-22")  # fmt: skip
    rules: dict[str, set[str]] = {}
    for actor in ("lm-1:line_manager", "lm-1:line_manager:1"):
        as_manager = ("--db", db, "--actor", actor, "--keys", str(keys), "--json")
        code, text = _run("check", "E-1", act, "--on", "2025-10-15", *as_manager)
        assert code == 0, text
        rules[actor] = {f["rule"]["id"] for f in json.loads(text)["findings"]}
    assert "ip-first-formal-authority" in rules["lm-1:line_manager"]
    assert "ip-first-formal-authority" not in rules["lm-1:line_manager:1"]
    as_level_2 = ("--db", db, "--actor", "lm-1:line_manager:2", "--keys", str(keys), "--json")
    code, text = _run("check", "E-1", act, "--on", "2025-10-15", *as_level_2)
    assert code == 2, "a level the key does not hold is refused"
    assert "authority level 2" in json.loads(text)["error"]
    code, text = _run("check", "E-1", act, "--actor", "lm-1:line_manager:3", "--db", db,
                      "--keys", str(keys), "--json")  # fmt: skip
    assert code == 2
    assert "PERSON:ROLE[:LEVEL]" in json.loads(text)["error"]
