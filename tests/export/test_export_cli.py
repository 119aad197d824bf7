"""`pmledger export`: files, summary, exit codes; a damaged ledger exports visibly damaged."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.core.helpers import HEAD
from tests.core.raw_rows import RawRows
from tests.export.cases import CaseLedger, seeded_case
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.events.record_acts import ConcernRaised
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger

AS_HR = ("--actor", "hr-1:hr")


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "pw")


def _case(folder: Path) -> tuple[CaseLedger, tuple[str, ...]]:
    """The seeded case with its keys on disk, and the options that read it as HR."""
    keys = folder / "keys"
    return seeded_case(folder, EncryptedFileKeyStore(keys, b"pw")), (*AS_HR, "--keys", str(keys))


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


def test_export_writes_both_files_and_says_how_to_check_them(tmp_path: Path) -> None:
    case, reader = _case(tmp_path)
    out = tmp_path / "out"
    code, text = _run(
        "export", "E-001", "--db", str(case.db), "--out", str(out), "--as-of", "2026-01-31",
        *reader,
    )  # fmt: skip
    assert code == 0, text
    assert (out / "bundle.pdf").is_file()
    assert (out / "bundle.zip").is_file()
    assert "4 records" in text
    assert "pmledger verify-bundle" in text
    code, text = _run("verify-bundle", str(out / "bundle.zip"), "--pdf", str(out / "bundle.pdf"))
    assert code == 0, text


def test_export_json_summary(tmp_path: Path) -> None:
    case, reader = _case(tmp_path)
    out = tmp_path / "out"
    code, text = _run(
        "export", "E-001", "--org", "trust", "--db", str(case.db), "--out", str(out),
        "--as-of", "2026-01-31", "--json", *reader,
    )  # fmt: skip
    assert code == 0, text
    summary = json.loads(text)
    assert summary["ok"] is True
    assert summary["records"] == 4
    assert summary["redactions"] == 0
    assert summary["case_head"]["version"] == 4
    assert summary["as_of"] == "2026-01-31"


def test_bad_requests_exit_2_and_write_nothing(tmp_path: Path) -> None:
    case, reader = _case(tmp_path)
    out = tmp_path / "out"
    missing = tmp_path / "no-such.sqlite"
    for args, says in [
        (("E-999", "--db", str(case.db), *reader), "no case for employee reference"),
        (("E-001", "--db", str(missing), *reader), "no ledger at"),
        (
            ("E-001", "--db", str(case.db), "--as-of", "2020-01-01", *reader),
            "nothing in the case is dated",
        ),
        (("E-001", "--db", str(case.db)), "Missing option '--actor'"),
        (("E-001", "--db", str(case.db), *AS_HR), "Missing option '--keys'"),
    ]:
        code, text = _run("export", *args, "--out", str(out))
        assert code == 2, text
        assert says in text
        assert not out.exists()
    assert not missing.exists()
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    code, text = _run("export", "E-001", "--db", str(case.db), "--out", str(a_file), *reader)
    assert code == 2
    assert "is a file" in text


def test_a_damaged_ledger_exports_showing_the_damage(tmp_path: Path) -> None:
    case, reader = _case(tmp_path)
    rows = RawRows(str(case.db))
    case_id = str(case.employee.case_id)
    state = rows.state(case_id, 3)
    rows.set_state(case_id, 3, state.replace(b'"2025-10-09"', b'"2025-10-19"', 1))
    out = tmp_path / "out"
    code, text = _run(
        "export", "E-001", "--db", str(case.db), "--out", str(out), "--as-of", "2026-01-31",
        *reader,
    )  # fmt: skip
    assert code == 1, text
    assert "does not verify" in text
    pdf_text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(out / "bundle.pdf").pages).split()
    )
    assert "NOT VERIFIED" in pdf_text
    assert "NOT verified" in pdf_text
    code, text = _run("verify-bundle", str(out / "bundle.zip"))
    assert code == 1
    assert "member case/000003.json" in text


def test_export_puts_the_claim_on_the_cover_and_every_page_header(tmp_path: Path) -> None:
    case, reader = _case(tmp_path)
    out = tmp_path / "out"
    code, text = _run(
        "export", "E-001", "--db", str(case.db), "--out", str(out), "--as-of", "2026-01-31",
        "--claim-number", "6001234/2026", "--claimant", "Alice Example",
        "--respondent", "Trust Ltd", *reader,
    )  # fmt: skip
    assert code == 0, text
    pages = PdfReader(out / "bundle.pdf").pages
    assert all("6001234/2026" in page.extract_text() for page in pages)
    assert "Alice Example v Trust Ltd" in pages[0].extract_text()


def test_an_as_of_date_before_the_case_opened_is_refused_naming_the_opening(
    tmp_path: Path,
) -> None:
    """A case opened on 1 Sep 2025 with a concern recorded later but dated 20 Aug 2025 (a
    backfilled act): on 25 Aug the concern had occurred but the case did not exist, so there
    is no case state to show on that day. The export (and the status) say when the case opened
    and which date to give, and write nothing; a date from the opening on exports the concern
    dated before it."""
    case, reader = _case(tmp_path)
    with Ledger.open(case.db, keystore=case.keys) as ledger:
        concern = ConcernRaised(concern_id="c-1", areas=("planning",))
        ledger.record(case.employee, concern, occurred_on=date(2025, 8, 20), actor=HEAD)
    out = tmp_path / "out"
    code, text = _run(
        "export", "E-001", "--db", str(case.db), "--out", str(out), "--as-of", "2025-08-25",
        *reader,
    )  # fmt: skip
    assert code == 2, text
    assert "opened on 2025-09-01" in text
    assert "as of 2025-09-01 or later" in text
    assert not out.exists()
    code, text = _run(
        "case", "status", "E-001", "--db", str(case.db), "--as-of", "2025-08-25", *reader
    )  # fmt: skip
    assert code == 2, text
    assert "opened on 2025-09-01" in text
    code, text = _run(
        "export", "E-001", "--db", str(case.db), "--out", str(out), "--as-of", "2025-09-01",
        "--json", *reader,
    )  # fmt: skip
    assert code == 0, text
    assert json.loads(text)["records"] == 5
