"""bundle.zip: the stored rows byte for byte, the keyring, the manifest and the chronology."""

from __future__ import annotations

import zipfile

import orjson
from tests.export.conftest import Exported
from tests.export.zip_members import member_contents

from pmledger.canonical import sha256_hex
from pmledger.export.chronology import Chronology, chronology_rows
from pmledger.export.manifest import CHRONOLOGY, MANIFEST, MEDIA_TYPE, MIMETYPE, ROWS, Manifest
from pmledger.ids import KEYRING_ID
from pmledger.ledger.facade import Ledger


def test_events_and_keyring_are_exactly_as_stored_in_log_order(pack_bundle: Exported) -> None:
    members = member_contents(pack_bundle.result.zip)
    wanted = {str(pack_bundle.case.employee.case_id), str(KEYRING_ID)}
    with Ledger.open(pack_bundle.case.db) as ledger:
        stored = [row for row in ledger._store.rows() if row.aggregate_id in wanted]
    lines = [orjson.loads(line) for line in members[ROWS].splitlines()]
    assert [(r.position, r.aggregate_id, r.version, r.topic) for r in stored] == [
        (line["position"], line["aggregate_id"], line["version"], line["topic"]) for line in lines
    ]
    for row, line in zip(stored, lines, strict=True):
        assert members[line["member"]] == row.state


def test_the_manifest_lists_every_member_and_the_pdf(pack_bundle: Exported) -> None:
    members = member_contents(pack_bundle.result.zip)
    manifest = Manifest.model_validate_json(members[MANIFEST])
    assert list(members) == [m.name for m in manifest.members] + [MANIFEST]
    assert next(iter(members)) == MIMETYPE
    assert members[MIMETYPE] == MEDIA_TYPE
    for entry in manifest.members:
        assert sha256_hex(members[entry.name]) == entry.sha256
    assert manifest.pdf.sha256 == sha256_hex(pack_bundle.result.pdf.read_bytes())
    assert manifest.seal == manifest.expected_seal()
    extract = pack_bundle.result.extract
    assert manifest.case_id == pack_bundle.case.employee.case_id
    assert manifest.as_of.isoformat() == "2026-01-31"
    assert manifest.case_head.version == len(extract.records)
    assert manifest.case_head.digest == extract.records[-1].stored.digest
    assert manifest.pmledger_version


def test_chronology_json_is_the_printed_chronology_with_pages(pack_bundle: Exported) -> None:
    members = member_contents(pack_bundle.result.zip)
    chronology = Chronology.model_validate_json(members[CHRONOLOGY])
    stored = [record.stored for record in pack_bundle.result.extract.records]
    assert [entry.row for entry in chronology.rows] == chronology_rows(stored)
    assert all(entry.page > 2 for entry in chronology.rows)


def test_any_zip_tool_reads_the_bundle(pack_bundle: Exported) -> None:
    with zipfile.ZipFile(pack_bundle.result.zip) as archive:
        assert archive.testzip() is None
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
