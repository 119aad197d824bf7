"""bundle.pdf, read back with pypdf: pages, outline, index, chronology, statuses."""

from __future__ import annotations

import re

import pytest
from tests.export.conftest import Exported
from tests.export.pdf_text import ReadPdf, read_pdf
from tests.export.zip_members import member_contents

from pmledger.export.chronology import Chronology, printed_row_key, visible
from pmledger.export.manifest import CHRONOLOGY
from pmledger.export.pdf.context import APPENDIX, RECORDS, SECTIONS
from pmledger.export.presentation import moment, record_heading
from pmledger.export.proofs import HEAD
from pmledger.integrity.merkle import leaf_hash
from pmledger.integrity.tree_head import SignedTreeHead


@pytest.fixture(scope="module")
def pdf(pack_bundle: Exported) -> ReadPdf:
    return read_pdf(pack_bundle.result.pdf)


def _chronology(bundle: Exported) -> Chronology:
    return Chronology.model_validate_json(member_contents(bundle.result.zip)[CHRONOLOGY])


def test_every_page_is_numbered_page_n_of_m(pack_bundle: Exported, pdf: ReadPdf) -> None:
    total = len(pdf.pages)
    assert total == pack_bundle.result.pages
    for number, text in enumerate(pdf.pages, 1):
        assert f"Page {number} of {total}" in text


def test_the_outline_has_every_section_and_every_record(
    pack_bundle: Exported, pdf: ReadPdf
) -> None:
    top = [entry.title for entry in pdf.outline if entry.level == 0]
    assert top == [section.title for section in SECTIONS]
    documents = [e for e in pdf.outline if e.level == 1 and re.match(r"D\d+ ", e.title)]
    records = [e for e in pdf.outline if e.level == 1 and e not in documents]
    assert len(records) == len(pack_bundle.result.extract.records)
    headings = {"Cover": "Hearing bundle"}
    for entry in pdf.outline:
        label = entry.title.split(" ", 1)[0]
        if entry in documents:
            heading = f"{label} — "
        else:
            heading = entry.title if entry.level == 0 else f"Record {label}"
        assert visible(headings.get(heading, heading)) in visible(pdf.pages[entry.page - 1])


def test_index_page_numbers_point_at_each_sections_heading(pdf: ReadPdf) -> None:
    printed = pdf.index_pages()
    assert set(printed) == {section.title for section in SECTIONS}
    for section in SECTIONS:
        page = printed[section.title]
        assert page == pdf.page_of(section.title)
        heading = "Hearing bundle" if section.title == "Cover" else section.title
        assert visible(heading) in visible(pdf.pages[page - 1])


def test_the_chronology_prints_every_record_with_the_page_of_its_record(
    pack_bundle: Exported, pdf: ReadPdf
) -> None:
    chronology = _chronology(pack_bundle)
    assert len(chronology.rows) == len(pack_bundle.result.extract.records)
    text = visible("".join(pdf.pages))
    dates = [row.occurred_on for row in chronology.rows]
    assert dates == sorted(dates)
    for entry in chronology.rows:
        assert printed_row_key(entry.row, entry.page) in text, entry
        record = pack_bundle.result.extract.records[entry.version - 1].event
        heading = record_heading(entry.version, record.occurred_on, record.kind)
        assert visible(heading) in visible(pdf.pages[entry.page - 1])
        assert entry.page >= pdf.page_of(RECORDS.title)


def test_records_show_signature_and_countersignature_status(
    pack_bundle: Exported, pdf: ReadPdf
) -> None:
    extract = pack_bundle.result.extract
    text = " ".join(" ".join(pdf.pages).split())
    assert text.count("verified — Ed25519 key") == len(extract.records)
    assert "NOT verified" not in text
    awaiting = [r for r in extract.records if r.needs_acknowledgement and not r.acknowledgement]
    assert ("awaiting the employee's countersignature" in text) == bool(awaiting)
    acknowledged = [r for r in extract.records if r.acknowledgement]
    for record in acknowledged:
        ack = record.acknowledgement
        assert ack is not None
        assert f"countersigned by the employee at version {ack.version}" in text


def test_cover_and_appendix_carry_the_as_of_date_and_the_chain_head(
    pack_bundle: Exported, pdf: ReadPdf
) -> None:
    head = pack_bundle.result.manifest.case_head
    assert "Generated on 31 Jan 2026" in " ".join(pdf.pages[0].split())
    appendix = "".join(pdf.pages[pdf.page_of(APPENDIX.title) - 1 :])
    assert head.digest in visible(appendix)
    assert "pmledger verify-bundle bundle.zip" in " ".join(appendix.split())
    assert pdf.metadata["/CreationDate"].startswith("D:20260131")


def test_appendix_prints_the_checkpoint_that_bundle_zip_carries(
    pack_bundle: Exported, pdf: ReadPdf
) -> None:
    head = SignedTreeHead.model_validate_json(member_contents(pack_bundle.result.zip)[HEAD])
    appendix = visible("".join(pdf.pages[pdf.page_of(APPENDIX.title) - 1 :]))
    assert visible(f"signed tree head of size {head.size}") in appendix
    assert head.root in appendix
    assert head.cases_root is not None
    assert head.cases_root in appendix
    last = pack_bundle.result.extract.head
    entry = f"newest record at size {head.size}: version {last.version}"
    assert visible(entry) in appendix
    assert leaf_hash(last.row.state).hex() in appendix
    assert visible(f"{moment(head.at)} by {head.actor.person_id}") in appendix
    assert head.key_id in appendix
    assert visible("pmledger verify-bundle bundle.zip --head FILE") in appendix


def test_warnings_and_findings_are_listed(pack_bundle: Exported, pdf: ReadPdf) -> None:
    status = pack_bundle.result.extract.status
    text = visible("".join(pdf.pages))
    for warning in status.warnings:
        assert visible(f"{warning.warning_id} (v{warning.version})") in text
    for finding in status.compliance:
        assert visible(finding.rule.id) in text


def test_personal_content_is_printed_readable_never_as_ciphertext(
    pack_bundle: Exported, pdf: ReadPdf
) -> None:
    text = " ".join(" ".join(pdf.pages).split())
    assert "sealed:v1" not in text
    sealed_events = [
        name
        for name, data in member_contents(pack_bundle.result.zip).items()
        if name.startswith("case/") and b"sealed:v1:" in data
    ]
    assert sealed_events, "the example case should hold some personal content"


def test_exporting_again_gives_identical_files(
    pack_bundle: Exported, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from tests.export.cases import export

    again = export(pack_bundle.case, tmp_path_factory.mktemp("again"))
    assert again.pdf.read_bytes() == pack_bundle.result.pdf.read_bytes()
    assert again.zip.read_bytes() == pack_bundle.result.zip.read_bytes()


def test_page_numbers_in_the_index_are_in_order(pdf: ReadPdf) -> None:
    pages = list(pdf.index_pages().values())
    assert pages == sorted(pages)
    assert re.search(r"Page 1 of \d+", pdf.pages[0])
