"""`pmledger verify` and documents through the command line: a changed document fails verify
(exit 1, naming it); `--no-documents` skips the documents and says so (exit 0)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from tests.core.helpers import ALICE, HEAD, open_ledger
from tests.documents.test_documents_on_records import MINUTES_PDF, _minutes, _opened_case
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.events.documents import PDF
from pmledger.ledger.attachments import Attachment


def _verify(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


def test_verify_checks_documents_unless_told_not_to(tmp_path: Path) -> None:
    target = str(tmp_path / "ledger.sqlite")
    with open_ledger(target) as ledger:
        _opened_case(ledger)
        pdf = Attachment(MINUTES_PDF, PDF, "minutes.pdf")
        ledger.record(
            ALICE, _minutes(pdf), occurred_on=date(2025, 10, 9), actor=HEAD, documents=[pdf]
        )
    code, text = _verify("--db", target)
    assert code == 0, text
    assert "1 document " in text
    with sqlite3.connect(target) as db:
        (data,) = db.execute("SELECT data FROM pml_document_chunk WHERE seq=0").fetchone()
        db.execute(
            "UPDATE pml_document_chunk SET data=? WHERE seq=0", (bytes([data[0] ^ 1]) + data[1:],)
        )
    code, text = _verify("--db", target)
    assert code == 1, text
    assert "does not open" in text
    code, text = _verify("--db", target, "--no-documents")
    assert code == 0, text
    assert "documents not checked: --no-documents" in text
