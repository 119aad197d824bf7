"""Redactions the exporter chooses on a legal ground (issue 20, "A bundle solicitors file"):
a record's content or a document, shown as "Redacted — ground: …" in its place and in the
index and listed with its ground; the redacted text is in neither the PDF nor the zip, and the
bundle still verifies. A ground not on the fixed list, or a target the case does not have, is
a typed error and writes nothing."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from tests.core.helpers import HR
from tests.export.cases import CaseLedger, seeded_case
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.errors import InvalidInput
from pmledger.events.documents import PDF
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.export.exporter import export_case
from pmledger.export.redaction import ChosenRedaction, RedactionGround
from pmledger.export.verify_bundle import verify_bundle
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.attachments import Attachment
from pmledger.ledger.facade import Ledger

AS_OF = "2026-01-31"
PRIVILEGED_SUMMARY = "Counsel advised the dismissal risk is high zebracorn"
PRIVILEGED_PDF = "Advice of counsel quokkafig"
WITNESS_PDF = "Statement of Jane Pupilparent wombatquill"
KEPT_PDF = "Lesson plan narwhalpeach"


def _pdf(text: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "pw")


@pytest.fixture
def case(tmp_path: Path) -> tuple[CaseLedger, dict[str, str]]:
    """The seeded case with three documented records: v5 legal advice (its summary and
    document privileged), v6 a witness statement (a third party's), v7 a lesson plan."""
    case = seeded_case(tmp_path, EncryptedFileKeyStore(tmp_path / "keys", b"pw"))
    digests: dict[str, str] = {}
    with Ledger.open(case.db, keystore=case.keys) as ledger:
        for day, name, text, summary in (
            (date(2025, 11, 3), "advice.pdf", PRIVILEGED_PDF, PRIVILEGED_SUMMARY),
            (date(2025, 11, 4), "statement.pdf", WITNESS_PDF, "Witness statement filed"),
            (date(2025, 11, 5), "plan.pdf", KEPT_PDF, "Lesson plan filed"),
        ):
            document = Attachment(_pdf(text), PDF, name)
            digests[name] = document.ref().sha256
            ledger.record(
                case.employee,
                HrAdviceObtained(
                    topic="evidence", provider="HR", summary=summary,
                    attachments=(document.ref(),),
                ),
                occurred_on=day, actor=HR, documents=[document],
            )  # fmt: skip
    return case, digests


def _zip_text(path: Path) -> str:
    """Every member of the zip, uncompressed, and any PDF streams inside them, as text."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            found.append(data.decode("latin-1"))
    return "\n".join(found)


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    raw = path.read_bytes()
    return " ".join(text.split()) + raw.decode("latin-1") + _inflated(raw)


def _inflated(raw: bytes) -> str:
    """Every Flate stream of a PDF inflated: redacted text must not hide in one."""
    found = []
    for part in raw.split(b"stream")[1:]:
        try:
            found.append(zlib.decompressobj().decompress(part.lstrip(b"\r\n")).decode("latin-1"))
        except zlib.error:
            continue
    return " ".join(found)


def test_a_record_and_a_document_redacted_on_their_grounds_are_gone_and_the_bundle_verifies(
    case: tuple[CaseLedger, dict[str, str]], tmp_path: Path
) -> None:
    ledger_case, digests = case
    chosen = [
        ChosenRedaction.parse("v5=legal_privilege"),
        ChosenRedaction.parse(f"{digests['statement.pdf'][:12]}=third_party_data"),
    ]
    with Ledger.open(ledger_case.db, keystore=ledger_case.keys) as ledger:
        result = export_case(
            ledger.reader(HR, date(2026, 1, 31)), ledger_case.employee, tmp_path / "out",
            date(2026, 1, 31), redactions=chosen,
        )  # fmt: skip
    text = _pdf_text(result.pdf)
    for secret in ("zebracorn", "quokkafig", "wombatquill", "Pupilparent"):
        assert secret not in text, secret
        assert secret not in _zip_text(result.zip), secret
    assert KEPT_PDF in text, "a document not redacted is inserted as it is"
    flat = " ".join(text.split())
    privilege = "Redacted — ground: legal professional privilege (DPA 2018 Sch. 2 para 19)"
    third = "Redacted — ground: third-party personal data (UK GDPR Art. 15(4); DPA 2018 Sch. 2"
    index = " ".join(
        " ".join(p.extract_text() or "" for p in PdfReader(result.pdf).pages[1:4]).split()
    )
    assert privilege in index, "the advice document's index entry says why it is not there"
    assert third in index
    assert f"[{privilege}]" in flat, "in place of the record's summary"
    reader = PdfReader(result.pdf)
    placed = [
        n for n, page in enumerate(reader.pages, start=1)
        if "page 1 of 1" in (page.extract_text() or "") and privilege in (page.extract_text() or "")
    ]  # fmt: skip
    assert placed, "a page in the redacted document's place says so"
    with zipfile.ZipFile(result.zip) as archive:
        names = archive.namelist()
        listed = json.loads(archive.read("redactions.json"))["redactions"]
    assert not any(digests["advice.pdf"] in n or digests["statement.pdf"] in n for n in names)
    assert any(digests["plan.pdf"] in n for n in names)
    grounds = {(r["version"], r.get("document")): r["ground"] for r in listed}
    assert grounds == {
        (5, None): "legal_privilege",
        (5, digests["advice.pdf"]): "legal_privilege",
        (6, digests["statement.pdf"]): "third_party_data",
    }
    report = verify_bundle(result.zip, result.pdf)
    assert report.ok, report.problem


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


def test_pmledger_export_redact_takes_a_ground_from_the_list_and_refuses_others(
    case: tuple[CaseLedger, dict[str, str]], tmp_path: Path
) -> None:
    ledger_case, digests = case
    common = ("export", "E-001", "--db", str(ledger_case.db), "--as-of", AS_OF,
              "--actor", "hr-1:hr", "--keys", str(tmp_path / "keys"))  # fmt: skip
    code, text = _cli(*common, "--out", str(tmp_path / "bad"), "--redact", "v5=confidential")
    assert code == 2, text
    assert "'confidential' is not a redaction ground" in text
    assert "third_party_data, legal_privilege, without_prejudice" in text
    code, text = _cli(*common, "--out", str(tmp_path / "bad"), "--redact", "v99=legal_privilege")
    assert code == 2, text
    assert "the case has no record v99" in text
    assert not (tmp_path / "bad").exists()
    out = tmp_path / "out"
    code, text = _cli(*common, "--out", str(out), "--redact", "v5=legal_privilege",
                      "--redact", f"{digests['statement.pdf']}=third_party_data")  # fmt: skip
    assert code == 0, text
    code, text = _cli("verify-bundle", str(out / "bundle.zip"), "--pdf", str(out / "bundle.pdf"))
    assert code == 0, text
    assert "zebracorn" not in _pdf_text(out / "bundle.pdf")


def test_an_unknown_ground_or_target_is_a_typed_error_saying_what_to_give() -> None:
    with pytest.raises(InvalidInput) as unknown:
        ChosenRedaction.parse("v5=commercial")
    assert unknown.value.details[0].field == "redact.ground"
    assert "legal_privilege" in str(unknown.value)
    with pytest.raises(InvalidInput) as no_target:
        ChosenRedaction.parse("minutes=legal_privilege")
    assert no_target.value.details[0].field == "redact.target"
    with pytest.raises(InvalidInput):
        ChosenRedaction.parse("legal_privilege")
    assert ChosenRedaction.parse(" V5 = third_party_data ") == ChosenRedaction(
        "v5", RedactionGround.THIRD_PARTY_DATA
    )
