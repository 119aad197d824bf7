"""`pmledger sar`: the DPO's answer written through the command line; anyone else is refused
with exit 2 and nothing written."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from tests.core.helpers import ALICE, HR
from tests.export.cases import seeded_case
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.events.actors import Actor, Role
from pmledger.events.documents import TEXT
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.events.subject_access_acts import SubjectAccessRequested
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger

DPO = Actor(person_id="dpo-1", role=Role.DPO)


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "pw")


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


def test_the_dpo_answers_a_request_and_the_answer_is_recorded(tmp_path: Path) -> None:
    keys = EncryptedFileKeyStore(tmp_path / "keys", b"pw")
    case = seeded_case(tmp_path, keys)
    with Ledger.open(case.db, keystore=keys) as ledger:
        ledger.register_person(DPO.person_id, (Role.DPO,), by=HR)
        ledger.record(
            ALICE, SubjectAccessRequested(request_id="r-7"), occurred_on=date(2026, 1, 5),
            actor=DPO,
        )  # fmt: skip
    db, out = str(case.db), tmp_path / "out"
    code, text = _run(
        "sar", "emp-1", "--db", db, "--out", str(out), "--actor", "hr-1:hr",
        "--keys", str(tmp_path / "keys"),
    )  # fmt: skip
    assert code == 2, text
    assert "data protection officer" in text
    assert not out.exists()
    code, text = _run(
        "sar", "emp-1", "--db", db, "--out", str(out), "--actor", "dpo-1:dpo",
        "--keys", str(tmp_path / "keys"), "--as-of", "2026-01-20", "--answers", "r-7", "--json",
    )  # fmt: skip
    assert code == 0, text
    summary = json.loads(text)
    assert summary["answered"] == "r-7"
    assert summary["records"] == 5
    with zipfile.ZipFile(out / "subject-access.zip") as archive:
        assert {"subject-access.pdf", "subject-access.json"} <= set(archive.namelist())
    with Ledger.open(case.db, keystore=keys) as ledger:
        status = ledger.reader(DPO).status(ALICE, date(2026, 1, 20))
        [deadline] = [d for d in status.deadlines if d.rule.id == "subject-access"]
        assert deadline.status.value == "met"


def test_the_dpo_releases_a_reviewed_document_and_withholds_one_on_a_ground_from_the_list(
    tmp_path: Path,
) -> None:
    """Issue 20: documents go as their text with other people withheld unless the DPO
    releases them as held; a withholding names a ground from the fixed list."""
    keys = EncryptedFileKeyStore(tmp_path / "keys", b"pw")
    case = seeded_case(tmp_path, keys)
    notes = Attachment(b"Notes of the meeting with Alice.\n", TEXT, "notes.txt")
    advice = Attachment(b"Advice of counsel on the case.\n", TEXT, "advice.txt")
    with Ledger.open(case.db, keystore=keys) as ledger:
        ledger.register_person(DPO.person_id, (Role.DPO,), by=HR)
        ledger.record(
            ALICE,
            HrAdviceObtained(topic="notes", provider="HR",
                             attachments=(notes.ref(), advice.ref())),
            occurred_on=date(2026, 1, 5), actor=HR, documents=[notes, advice],
        )  # fmt: skip
    common = ("sar", "emp-1", "--db", str(case.db), "--actor", "dpo-1:dpo",
              "--keys", str(tmp_path / "keys"), "--as-of", "2026-01-20")  # fmt: skip
    code, text = _run(*common, "--out", str(tmp_path / "bad"),
                      "--withhold", f"{advice.ref().sha256[:10]}=confidential")  # fmt: skip
    assert code == 2, text
    assert "'confidential' is not a redaction ground" in text
    assert not (tmp_path / "bad").exists()
    out = tmp_path / "out"
    code, text = _run(*common, "--out", str(out), "--release", notes.ref().sha256[:10],
                      "--withhold", f"{advice.ref().sha256[:10]}=legal_privilege")  # fmt: skip
    assert code == 0, text
    with zipfile.ZipFile(out / "subject-access.zip") as archive:
        names = set(archive.namelist())
        answer = json.loads(archive.read("subject-access.json"))
        released = archive.read(f"documents/{notes.ref().sha256}.txt")
    assert released == b"Notes of the meeting with Alice.\n", "released: as held"
    assert not [n for n in names if advice.ref().sha256 in n]
    [withheld] = [d for d in answer["documents"] if d["sha256"] == advice.ref().sha256]
    assert withheld["withheld"] == "legal professional privilege (DPA 2018 Sch. 2 para 19)"
