"""verify-bundle: a good bundle passes; every kind of change is caught and named."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.export.cases import export, seeded_case
from tests.export.conftest import Exported
from tests.export.zip_members import member_contents, resealed, write_members
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.export.manifest import CHRONOLOGY, MANIFEST, ROWS, Manifest
from pmledger.export.verify_bundle import NotABundle, verify_bundle

Members = dict[str, bytes]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["verify-bundle", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, " ".join(result.output.split())


@pytest.fixture
def bundle(small_bundle: Exported, tmp_path: Path) -> Path:
    """A private copy of the small bundle (zip and PDF) to damage."""
    shutil.copy(small_bundle.result.pdf, tmp_path / "bundle.pdf")
    return Path(shutil.copy(small_bundle.result.zip, tmp_path / "bundle.zip"))


def _flip(path: Path, member: str, marker: bytes, skip: int = 0) -> None:
    """Flip one bit of `member`'s content, `skip` bytes after `marker`, in the zip file."""
    data = bytearray(path.read_bytes())
    content = member_contents(path)[member]
    at = data.index(content) + content.index(marker) + len(marker) + skip
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _rewrite(path: Path, change: Callable[[Members], Members], reseal: bool) -> None:
    members = change(member_contents(path))
    write_members(path, resealed(members) if reseal else members)


def test_a_good_bundle_verifies(bundle: Path) -> None:
    code, out = _run(str(bundle), "--pdf", str(bundle.with_name("bundle.pdf")))
    assert code == 0, out
    assert "OK" in out
    assert "keyring and 4 case events verified" in out
    code, out = _run(str(bundle), "--json")
    assert code == 0
    assert '"ok": true' in out


def test_a_changed_byte_in_an_event_names_its_member(bundle: Path) -> None:
    _flip(bundle, "case/000003.json", b'"payload":', skip=20)
    code, out = _run(str(bundle))
    assert code == 1
    assert "member case/000003.json: its SHA-256 differs from the manifest" in out


def test_a_changed_byte_in_the_keyring_names_its_member(bundle: Path) -> None:
    _flip(bundle, "keyring/000002.json", b'"person_id":"', skip=1)
    code, out = _run(str(bundle))
    assert code == 1
    assert "member keyring/000002.json" in out


def test_a_changed_byte_in_the_manifest_is_named(bundle: Path) -> None:
    _flip(bundle, MANIFEST, b'"sha256": "', skip=5)
    code, out = _run(str(bundle))
    assert code == 1
    assert "manifest.json: its seal does not match its content" in out


def test_whitespace_added_to_the_manifest_is_caught(bundle: Path) -> None:
    _rewrite(bundle, lambda m: {**m, MANIFEST: m[MANIFEST].replace(b"{", b"{ ", 1)}, False)
    code, out = _run(str(bundle))
    assert code == 1
    assert "manifest.json: not in the form pmledger writes it" in out


def test_a_dropped_event_member_is_named(bundle: Path) -> None:
    _rewrite(bundle, lambda m: {k: v for k, v in m.items() if k != "case/000003.json"}, False)
    code, out = _run(str(bundle))
    assert code == 1
    assert "member case/000003.json: listed in the manifest but missing" in out


def test_a_dropped_event_is_caught_even_with_a_rewritten_manifest(bundle: Path) -> None:
    def drop(members: Members) -> Members:
        rows = b"".join(
            line + b"\n"
            for line in members[ROWS].splitlines()
            if b'"member":"case/000003.json"' not in line
        )
        kept = {k: v for k, v in members.items() if k != "case/000003.json"}
        return {**kept, ROWS: rows}

    _rewrite(bundle, drop, reseal=True)
    code, out = _run(str(bundle))
    assert code == 1
    assert "member case/000004.json" in out
    assert "version 4 follows version 2" in out


def test_reordered_events_are_caught_even_with_a_rewritten_manifest(bundle: Path) -> None:
    def swap(members: Members) -> Members:
        a, b = members["case/000002.json"], members["case/000003.json"]
        return {**members, "case/000002.json": b, "case/000003.json": a}

    _rewrite(bundle, swap, reseal=True)
    code, out = _run(str(bundle))
    assert code == 1
    assert "member case/000002.json" in out
    assert "envelope says version 3, row is stored as version 2" in out


def test_reordered_zip_members_are_named(bundle: Path) -> None:
    def reorder(members: Members) -> Members:
        names = list(members)
        i, j = names.index("case/000002.json"), names.index("case/000003.json")
        names[i], names[j] = names[j], names[i]
        return {name: members[name] for name in names}

    _rewrite(bundle, reorder, reseal=False)
    code, out = _run(str(bundle))
    assert code == 1
    assert "out of the order the manifest lists" in out


def test_a_forged_payload_fails_its_signature_check(bundle: Path) -> None:
    def forge(members: Members) -> Members:
        forged = members["case/000002.json"].replace(b'"2025-10-09"', b'"2025-10-19"', 1)
        assert forged != members["case/000002.json"]
        return {**members, "case/000002.json": forged}

    _rewrite(bundle, forge, reseal=True)
    code, out = _run(str(bundle))
    assert code == 1
    assert "member case/000002.json" in out
    assert "payload bytes do not match the digest in the envelope" in out


def test_a_chronology_that_misstates_an_event_is_named(bundle: Path) -> None:
    def misstate(members: Members) -> Members:
        text = members[CHRONOLOGY].replace(b"Meeting held", b"Meeting cancelled", 1)
        return {**members, CHRONOLOGY: text}

    _rewrite(bundle, misstate, reseal=True)
    code, out = _run(str(bundle))
    assert code == 1
    assert "chronology.json: row 3 reads" in out
    assert "Meeting cancelled" in out


def test_a_manifest_listing_a_member_twice_is_named(bundle: Path) -> None:
    def duplicate(members: Members) -> Members:
        manifest = Manifest.model_validate_json(members[MANIFEST])
        listed = (*manifest.members, manifest.members[2])
        changed = manifest.model_copy(update={"members": listed})
        sealed = changed.model_copy(update={"seal": changed.expected_seal()})
        return {**members, MANIFEST: sealed.encode()}

    _rewrite(bundle, duplicate, reseal=False)
    code, out = _run(str(bundle))
    assert code == 1
    assert "manifest.json: lists member keyring/000001.json twice" in out


def test_a_changed_pdf_is_named(bundle: Path) -> None:
    pdf = bundle.with_name("bundle.pdf")
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    code, out = _run(str(bundle), "--pdf", str(pdf))
    assert code == 1
    assert "bundle.pdf: its SHA-256 differs from the one in the manifest" in out


def test_every_changed_byte_of_the_zip_is_caught(small_bundle: Exported, tmp_path: Path) -> None:
    """Header and directory bytes everywhere, content bytes sampled: none goes unnoticed."""
    original = small_bundle.result.zip.read_bytes()
    with zipfile.ZipFile(small_bundle.result.zip) as archive:
        infos = archive.infolist()
    headers = {
        offset
        for info in infos
        for offset in range(info.header_offset, info.header_offset + 30 + len(info.filename))
    }
    directory_start = infos[-1].header_offset + 30 + len(infos[-1].filename) + infos[-1].file_size
    positions = sorted(headers | set(range(directory_start, len(original))))
    positions += list(range(0, len(original), 97))
    damaged = tmp_path / "damaged.zip"
    for position in positions:
        data = bytearray(original)
        data[position] ^= 0x10
        damaged.write_bytes(bytes(data))
        report = verify_bundle(damaged)
        assert not report.ok, f"a change at byte {position} went unnoticed"


def test_a_truncated_bundle_never_verifies(small_bundle: Exported, tmp_path: Path) -> None:
    original = small_bundle.result.zip.read_bytes()
    cut = tmp_path / "cut.zip"
    for length in (10, 100, len(original) // 2, len(original) - 23, len(original) - 1):
        cut.write_bytes(original[:length])
        with contextlib.suppress(NotABundle):
            assert not verify_bundle(cut).ok


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_bytes(b"not a zip at all"), id="random bytes"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty file"),
        pytest.param(lambda p: p.mkdir(), id="a folder"),
        pytest.param(lambda p: None, id="missing"),
        pytest.param(
            lambda p: zipfile.ZipFile(p, "w").writestr("notes.txt", "hello"), id="another zip"
        ),
    ],
)
def test_a_file_that_is_not_a_bundle_exits_2(tmp_path: Path, make: Callable[[Path], None]) -> None:
    target = tmp_path / "thing.zip"
    make(target)
    code, out = _run(str(target))
    assert code == 2, out
    assert "error" in out


def test_the_pdf_given_as_the_bundle_exits_2(small_bundle: Exported) -> None:
    code, out = _run(str(small_bundle.result.pdf))
    assert code == 2
    assert "not a zip archive" in out


def test_verify_bundle_needs_no_database(tmp_path: Path) -> None:
    """In a fresh process, in an empty folder, with the ledger it came from deleted."""
    (tmp_path / "ledger").mkdir()
    case = seeded_case(tmp_path / "ledger")
    result = export(case, tmp_path / "out")
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    shutil.move(result.zip, folder / "bundle.zip")
    shutil.move(result.pdf, folder / "bundle.pdf")
    shutil.rmtree(tmp_path / "ledger")
    assert not case.db.exists()
    done = subprocess.run(
        [sys.executable, "-m", "pmledger", "verify-bundle", "bundle.zip", "--pdf", "bundle.pdf"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["bundle.pdf", "bundle.zip"]
