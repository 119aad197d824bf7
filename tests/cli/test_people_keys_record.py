"""A ledger's people, keys and acts administered from the command line, on a real SQLite
ledger: `people add|list|roles`, `keys list|rotate|revoke`, `record EMPLOYEE ACT.json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HR, seeded
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.errors import AuthorityNotRegistered
from pmledger.events.actors import Actor, Role
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


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_people_are_added_listed_and_change_roles(world: tuple[str, Path], tmp_path: Path) -> None:
    db, keys = world
    as_hr = ("--db", db, "--actor", "hr-1:hr", "--keys", str(keys))
    own = tmp_path / "own-keys"
    code, text = _run(
        "people", "add", "dh-2", "--role", "line_manager", "--school", "oakfield",
        "--name", "Dana Hale", "--job-title", "Deputy Head", "--new-keys", str(own),
        *as_hr, "--json",
    )  # fmt: skip
    assert code == 0, text
    added = json.loads(text)
    assert Path(added["key_file"]).parent == own
    assert Path(added["key_file"]).exists(), "the new key is in its own folder"
    assert not (keys / Path(added["key_file"]).name).exists()
    code, text = _run("people", "list", *as_hr, "--json")
    assert code == 0, text
    listed = {p["person"]: p for p in json.loads(text)}
    assert listed["dh-2"]["name"] == "Dana Hale"
    assert listed["dh-2"]["roles"] == ["line_manager"]
    assert listed["dh-2"]["schools"] == ["oakfield"]
    code, text = _run(
        "people", "roles", "dh-2", "--role", "line_manager", "--role", "monitor",
        "--new-keys", str(own), *as_hr, "--json",
    )  # fmt: skip
    assert code == 0, text
    code, text = _run("keys", "list", "--db", db, "--keys", str(own), "--json")
    keys_of = [k for k in json.loads(text) if k["person"] == "dh-2"]
    assert [(k["roles"], k["revoked_at"] is not None) for k in keys_of] == [
        (["line_manager"], True),
        (["line_manager", "monitor"], False),
    ], "the old key is revoked; the new one carries the new roles"
    assert all(k["file"] for k in keys_of), "both files are in the person's folder"
    code, text = _run("people", "add", "x-1", "--role", "wizard", *as_hr)
    assert code == 2
    assert "wizard" in text


def test_keys_rotate_and_revoke(world: tuple[str, Path]) -> None:
    db, keys = world
    as_hr = ("--db", db, "--actor", "hr-1:hr", "--keys", str(keys))
    code, text = _run("keys", "rotate", "ht-1", *as_hr, "--json")
    assert code == 0, text
    new_key = json.loads(text)["key_id"]
    code, text = _run("keys", "revoke", new_key, "--reason", "laptop lost", *as_hr, "--json")
    assert code == 0, text
    with Ledger.open(db) as ledger:
        keyring = ledger.keyring()
        assert keyring.keys[new_key].revoked_at is not None
        assert keyring.signing_key_for("ht-1", ledger.now()) is None
    code, text = _run("keys", "revoke", "ed25519:" + "0" * 32, "--reason", "x", *as_hr)
    assert code == 2
    assert "is not registered" in text


def test_record_an_act_from_json(world: tuple[str, Path], tmp_path: Path) -> None:
    db, keys = world
    act = tmp_path / "invite.json"
    act.write_text(
        json.dumps(
            {
                "kind": "meeting_invited",
                "meeting_id": "m-2",
                "purpose": "first_formal",
                "scheduled_for": "2025-11-20",
            }
        )
    )
    as_head = ("--db", db, "--actor", "ht-1:headteacher", "--keys", str(keys))
    code, text = _run("record", "E-001", str(act), "--on", "2025-11-10", *as_head, "--json")
    assert code == 0, text
    receipt = json.loads(text)
    assert receipt["ok"] is True
    assert receipt["version"] == 5
    with Ledger.open(db, keystore=EncryptedFileKeyStore(keys, PASSPHRASE.encode())) as ledger:
        events = ledger.reader(HR).records(ALICE)
        assert events[-1].act.kind == "meeting_invited"
        assert str(events[-1].occurred_on) == "2025-11-10"


def test_a_wrong_act_names_the_field_and_stores_nothing(
    world: tuple[str, Path], tmp_path: Path
) -> None:
    db, keys = world
    act = tmp_path / "bad.json"
    act.write_text(json.dumps({"kind": "meeting_invited", "meeting_id": "m-2",
                               "purpose": "tea", "scheduled_for": "2025-11-20"}))  # fmt: skip
    as_head = ("--db", db, "--actor", "ht-1:headteacher", "--keys", str(keys))
    code, text = _run("record", "E-001", str(act), *as_head, "--json")
    assert code == 2
    error = json.loads(text)["error"]
    assert error.startswith(f"invalid act in {act} — meeting_invited.purpose: Input should be")
    act.write_text("{not json")
    code, text = _run("record", "E-001", str(act), *as_head)
    assert code == 2
    assert "invalid act" in text
    with Ledger.open(db, keystore=EncryptedFileKeyStore(keys, PASSPHRASE.encode())) as ledger:
        assert ledger.reader(HR).case(ALICE).version == 4, "nothing was stored"


def test_people_authority_sets_the_level_on_a_new_key(world: tuple[str, Path]) -> None:
    db, keys = world
    as_hr = ("--db", db, "--actor", "hr-1:hr", "--keys", str(keys))
    store = EncryptedFileKeyStore(keys, PASSPHRASE.encode())
    level_2 = Actor(person_id="ht-1", role=Role.HEADTEACHER, authority_level=2)
    with Ledger.open(db, keystore=store) as ledger:
        with pytest.raises(AuthorityNotRegistered):
            ledger.signing_key(level_2, ledger.now())
        old = ledger.keyring().signing_key_for("ht-1", ledger.now())
    assert old is not None
    assert old.authority_level == 1
    code, text = _run("people", "authority", "ht-1", "--level", "2", *as_hr, "--json")
    assert code == 0, text
    new_key = json.loads(text)["key_id"]
    with Ledger.open(db, keystore=store) as ledger:
        now = ledger.now()
        key = ledger.signing_key(level_2, now)
        assert key.key_id == new_key
        assert (key.roles, key.schools) == (old.roles, old.schools), "roles and schools kept"
        assert ledger.keyring().keys[old.key_id].revoked_at is not None
    code, text = _run("people", "list", *as_hr, "--json")
    levels = {p["person"]: p["authority_level"] for p in json.loads(text)}
    assert levels["ht-1"] == 2
    code, text = _run("people", "authority", "ht-1", "--level", "3", *as_hr)
    assert code == 2
    assert "--level" in text
    code, text = _run("people", "authority", "nobody", "--level", "1", *as_hr, "--json")
    assert code == 2
    assert "has no valid key" in json.loads(text)["error"]


def test_people_add_with_a_level(world: tuple[str, Path]) -> None:
    db, keys = world
    as_hr = ("--db", db, "--actor", "hr-1:hr", "--keys", str(keys))
    code, text = _run(
        "people", "add", "dir-1", "--role", "senior_manager", "--level", "2", *as_hr, "--json"
    )
    assert code == 0, text
    with Ledger.open(db) as ledger:
        key = ledger.keyring().signing_key_for("dir-1", ledger.now())
    assert key is not None
    assert key.authority_level == 2
