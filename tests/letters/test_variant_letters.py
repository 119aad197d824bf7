"""Letters are the pack file's data: each pack file declares its letters, each template a file
beside it, and a school's variant sends its own wording of one letter from a file beside its
own pack file, through the front door: the Ledger renders and records it, and the case's bundle
holds it, while the letters the school did not change are its parent's."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.core.helpers import SteppingClock
from tests.policies.improving_performance_case import (
    PIP_121S,
    PIP_DECIDED,
    PIP_SET,
    WARNED,
    decide,
    one_to_one,
    pip,
)
from tests.policies.test_school_pack_variant import opened_at_oakfield

from pmledger.cli.demo import example_calendars
from pmledger.events.meeting_acts import Delivery
from pmledger.events.support_acts import Outcome
from pmledger.examples.cast import BY_ID, HR, enrol_everyone
from pmledger.export.exporter import export_case
from pmledger.integrity.keystore import MemoryKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.letters import shipped_templates, template_for
from pmledger.policies.packfile import PackFileError, load_pack_file
from pmledger.policies.packfile.catalogue import shipped_files

SCHOOL = "st-brigids-improving-performance"
WORDING = "The governors of St Brigid's thank you for the work you have put in."
LINE_MANAGER = BY_ID["dh-osei"].as_()


def _variant(folder: Path, *, with_template: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "st-brigids.toml"
    path.write_text(
        f'id = "{SCHOOL}"\nversion = "2025.1"\ntitle = "St Brigid\'s Improving Performance"\n'
        'extends = "improving-performance@2025.3"\n[source]\nseed = "St Brigid\'s IPP"\n'
        'document = "St Brigid\'s RC Primary, Improving Performance Policy (2025)"\n'
        "[letters.ip-pip-improved]\n"
        'template = "letters/ip-pip-improved.j2"\n'
    )
    if with_template:
        shipped = template_for("improving-performance", "ip-pip-improved").text
        own = shipped.replace('pack = "improving-performance"', f'pack = "{SCHOOL}"').replace(
            "Thank you for the work you have put into making these improvements.", WORDING
        )
        assert own.count(SCHOOL) == 1
        assert WORDING in own
        (folder / "letters").mkdir(exist_ok=True)
        (folder / "letters" / "ip-pip-improved.j2").write_text(own)
    return path


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(
        tmp_path / "ledger.sqlite",
        create=True,
        keystore=MemoryKeyStore(),
        clock=SteppingClock(),
        calendars=example_calendars(),
        packs=[_variant(tmp_path / "school")],
    ) as opened:
        enrol_everyone(opened)
        yield opened


def test_every_shipped_pack_file_declares_exactly_the_templates_beside_it() -> None:
    for found in shipped_files():
        loaded = load_pack_file(found)
        beside = {p.name for p in (Path(loaded.origin).parent / "letters").glob("*.j2")}
        declared = {Path(letter.template).name for letter in loaded.letters.values()}
        assert declared == beside, loaded.origin
        assert declared, f"{loaded.origin} declares no letter"
    assert {pack for pack, _ in shipped_templates()} == {
        "hampshire-pm",
        "improving-performance",
        "refocus-pm",
        "star-developing-performance",
        "support-staff-pm",
    }


def test_a_schools_own_template_is_its_letter_and_in_its_bundle(
    ledger: Ledger, tmp_path: Path
) -> None:
    s = opened_at_oakfield(ledger, SCHOOL, "T-1")
    s.act(WARNED, "dh-osei", one_to_one("121-1", warned=True))
    s.act(PIP_SET, "dh-osei", pip())
    for n, on in enumerate(PIP_121S, 2):
        s.act(on, "dh-osei", one_to_one(f"121-{n}", plan="pip-1"))
    s.act(PIP_DECIDED, "dh-osei", decide("pip-1", Outcome.IMPROVED))

    letters = ledger.letters(LINE_MANAGER)
    by_id = {t.id: t for t in letters.templates(s.employee, date(2025, 10, 14))}
    assert Path(by_id["ip-pip-improved"].origin).parent == tmp_path / "school" / "letters"
    inherited = Path(template_for("improving-performance", "ip-dismissal").origin)
    assert Path(by_id["ip-dismissal"].origin) == inherited, "the letters it did not change"

    letter = letters.render(s.employee, "ip-pip-improved", date(2025, 10, 14))
    assert WORDING in letter.text
    assert set(letter.confirmations) == {"no_further_action", "maintain_12_months"}
    letters.record(letter, delivery=Delivery.HAND)

    result = export_case(
        ledger.reader(HR.as_(), date(2025, 10, 20)), s.employee, tmp_path / "out",
        date(2025, 10, 20),
    )  # fmt: skip
    with zipfile.ZipFile(result.zip) as archive:
        assert f"documents/{letter.digest}.pdf" in archive.namelist()
        sent = archive.read(f"documents/{letter.digest}.pdf")
    assert sent == letter.pdf_bytes
    bundle = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(result.pdf).pages
    )
    assert "St Brigid's thank you for the work" in bundle


def test_a_variant_naming_a_template_it_does_not_have_is_refused_when_loaded(
    tmp_path: Path,
) -> None:
    variant = _variant(tmp_path / "school", with_template=False)
    target = tmp_path / "never.sqlite"
    with pytest.raises(PackFileError) as raised:
        Ledger.open(target, packs=[variant])
    message = str(raised.value)
    assert str(variant) in message
    assert "letter 'ip-pip-improved': template = 'letters/ip-pip-improved.j2' is not a file" in (
        message
    )
    assert not target.exists()


def test_a_template_edited_in_place_changes_the_digest_and_verify_names_the_pack(
    tmp_path: Path,
) -> None:
    """The pack's digest covers its letters' text: a template changed without a new version
    would change the letters that version sends, so a ledger judged before the edit no longer
    verifies against the file (read afresh, as the school's next run of pmledger reads it)."""
    variant = _variant(tmp_path / "school")
    judged = load_pack_file(variant).digest
    target = tmp_path / "ledger.sqlite"
    with Ledger.open(
        target, create=True, keystore=MemoryKeyStore(), clock=SteppingClock(), packs=[variant]
    ) as ledger:
        enrol_everyone(ledger)
        opened_at_oakfield(ledger, SCHOOL, "T-1")
        report = ledger.verify()
    assert report.ok, report.describe_failure()

    template = tmp_path / "school" / "letters" / "ip-pip-improved.j2"
    template.write_text(template.read_text().replace(WORDING, "St Brigid's thanks you."))
    assert load_pack_file(variant).digest != judged

    verified = subprocess.run(
        [sys.executable, "-m", "pmledger", "--packs", str(variant), "verify", "--db", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode != 0, verified.stdout
    said = " ".join((verified.stdout + verified.stderr).split())
    assert (
        f"judged under pack {SCHOOL}@2025.1 with content {judged[:12]}…, but that pack's file now "
        "has content"
    ) in said, said
    assert "the file was changed without a new version" in said
