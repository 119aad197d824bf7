"""`pmledger init --org` stores whose ledger it is: signed by the root key in the same write
as the first key, shown by `verify` (human and JSON), `keys list` and the bundle's cover, and
held by `verify` like every other signed row, so an edited name is named as tampering.
Before, `--org` was printed back and stored nowhere."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.export.pdf_text import read_pdf
from typer.testing import CliRunner

from pmledger.cli.main import app

PASSPHRASE = "cli tests only"


@pytest.fixture
def founded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    for name in ("PMLEDGER_ACTOR", "PMLEDGER_KEYS", "PMLEDGER_DB", "PMLEDGER_JSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", PASSPHRASE)
    db, keys = str(tmp_path / "ledger.sqlite"), tmp_path / "keys"
    code, text = _run("init", "--db", db, "--org", "oak-trust", "--admin", "it-admin",
                      "--role", "hr", "--keys", str(keys))  # fmt: skip
    assert code == 0, text
    return db, keys


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_init_stores_the_organisation_and_verify_shows_it(founded: tuple[str, Path]) -> None:
    db, keys = founded
    code, text = _run("verify", "--db", db, "--json")
    assert code == 0, text
    assert json.loads(text)["organisation"] == "oak-trust"
    code, text = _run("verify", "--db", db)
    assert code == 0, text
    assert text.startswith("Ledger of oak-trust"), text
    code, text = _run("keys", "list", "--db", db, "--keys", str(keys))
    assert code == 0, text
    assert "Ledger of oak-trust" in text


def test_an_edited_organisation_fails_verify(founded: tuple[str, Path]) -> None:
    db, _ = founded
    with sqlite3.connect(db) as conn:
        (state,) = conn.execute(
            "SELECT state FROM stored_events WHERE instr(state, ?) > 0", (b'"organisation_named"',)
        ).fetchone()
        forged = bytes(state).replace(b'"oak-trust"', b'"elm-trust"')
        conn.execute("UPDATE stored_events SET state=? WHERE state=?", (forged, state))
    code, text = _run("verify", "--db", db, "--json")
    assert code == 1, text
    failure = json.loads(text)["failure"]
    assert failure["subject"] == "keyring"
    assert failure["version"] == 2


def test_the_bundle_names_whose_ledger_it_is_and_its_root_key(
    founded: tuple[str, Path], tmp_path: Path
) -> None:
    db, keys = founded
    as_admin = ("--db", db, "--actor", "it-admin:hr", "--keys", str(keys))
    code, text = _run("people", "add", "emp-grant", "--role", "employee", "--school", "oakfield",
                      "--new-keys", str(tmp_path / "emp"), *as_admin)  # fmt: skip
    assert code == 0, text
    act = tmp_path / "opened.json"
    act.write_text(json.dumps({
        "kind": "case_opened", "organisation": "oak-trust", "employee_ref": "E-042",
        "employee_person_id": "emp-grant", "school": "oakfield", "staff_group": "teacher",
        "pack_id": "star-developing-performance",
    }))  # fmt: skip
    code, text = _run("record", "E-042", str(act), "--on", "2025-09-01", *as_admin)
    assert code == 0, text
    out = tmp_path / "bundle"
    code, text = _run("export", "E-042", "--out", str(out), "--as-of", "2025-09-02", *as_admin)
    assert code == 0, text
    pages = read_pdf(out / "bundle.pdf").pages
    cover, appendix = (" ".join(page.split()) for page in (pages[0], "".join(pages[-3:])))
    assert "Ledger of oak-trust (as its keyring signs)" in cover
    code, text = _run("keys", "list", "--db", db, "--json")
    (root,) = [k["key_id"] for k in json.loads(text) if k["person"] == "it-admin"]
    assert f"Root key {root}: check it is the organisation's" in cover
    assert f"rests on its first key, registered by itself: {root}" in appendix
    assert "pmledger verify-bundle bundle.zip --trust FINGERPRINT" in appendix
