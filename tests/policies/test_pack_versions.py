"""Pack versions and old ledgers: a ledger judged under a pack version a newer file supersedes
still verifies, and says so; a content no file lists fails, naming the pack.

The ledgers in `fixtures/ledger_2025_1/` were written by main's code (ef31fd2) under its
improving-performance, hampshire-pm and star-developing-performance 2025.1 files, and those in
`fixtures/ledger_2025_2/` by 3f3d9cf under all five packs' 2025.2 files; 2025.3 replaced both
contents (`fixtures/make_ledgers.py` says how). Each test works on a copy of them.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.core.raw_rows import RawRows
from tests.policies.ledger_script import SCHOOL
from tests.policies.script import HR, example_term_dates
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.commands import EmployeeRef
from pmledger.events.record_acts import HrAdviceObtained
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.calendars import Calendars
from pmledger.ledger.facade import Ledger
from pmledger.policies.packfile import PackFileError, loads_pack_file
from pmledger.policies.registry import current_pack, pack_superseded

FIXTURES = Path(__file__).parent / "fixtures" / "ledger_2025_1"
FIXTURES_2025_2 = Path(__file__).parent / "fixtures" / "ledger_2025_2"
SUPERSEDED = ("improving-performance", "hampshire-pm", "star-developing-performance")
ALL = (*SUPERSEDED, "refocus-pm", "support-staff-pm")
"""The order `make_ledgers.py all` opened its cases in."""
MAIN_DIGESTS = {
    "improving-performance": "8c1258cd46807bd3b5fe6daa09f8a4ee469b6649e455608be760ad0eada021ae",
    "hampshire-pm": "36d8148e760c026cf3274d3659e338fd434a347f648da13d2efe9a29b7621b1e",
    "star-developing-performance": (
        "820f01bda0776cae9627b5ac3904a6e0d09da79bf362f221623df4986dc3a099"
    ),
}
"""The 2025.1 contents main recorded (`pmledger pack list` on main printed them)."""


@pytest.fixture
def old_ledger(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "main.sqlite", tmp_path / "main.sqlite")
    shutil.copytree(FIXTURES / "main-keys", tmp_path / "keys")
    return tmp_path / "main.sqlite"


def test_a_ledger_judged_under_superseded_2025_1_packs_verifies_and_says_which_version_reads_it(
    old_ledger: Path,
) -> None:
    with Ledger.open(str(old_ledger)) as ledger:
        report = ledger.verify()

    assert report.ok, report.describe_failure()
    assert report.cases == 3
    assert [note.split(" ")[0] for note in report.superseded_packs] == [
        f"{pack_id}@2025.1" for pack_id in SUPERSEDED
    ]
    assert all(
        f"superseded by {pack_id}@2025.3" in note
        for pack_id, note in zip(SUPERSEDED, report.superseded_packs, strict=True)
    )


@pytest.mark.parametrize("tampered", [False, True])
def test_verify_on_several_processes_states_the_superseded_packs_one_process_states(
    old_ledger: Path, tampered: bool
) -> None:
    """In log order, and on a failing ledger those of the rows before the failure: each
    process meets only its own cases' packs, the report states them all. The last case's
    last act is changed, so every case (and pack) comes before the failure."""
    if tampered:
        rows = RawRows(str(old_ledger))
        with Ledger.open(str(old_ledger)) as ledger:
            last = list(ledger._store.rows())[-1]
        state = rows.state(last.aggregate_id, last.version)
        rows.set_state(last.aggregate_id, last.version, state.replace(b'"HR"', b'"XX"', 1))

    with Ledger.open(str(old_ledger)) as ledger:
        one, two, three = (ledger.verify(jobs=jobs).as_json() for jobs in (1, 2, 3))

    assert one == two == three
    assert one["ok"] is not tampered
    assert [note.split(" ")[0] for note in one["superseded_packs"]] == [
        f"{pack_id}@2025.1" for pack_id in SUPERSEDED
    ]


def test_verify_on_the_command_line_prints_each_superseded_pack(old_ledger: Path) -> None:
    result = CliRunner().invoke(app, ["verify", "--db", str(old_ledger)])

    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("SUPERSEDED PACK")]
    assert [line.split(" ")[2] for line in lines] == [f"{p}@2025.1" for p in SUPERSEDED]


def test_an_act_recorded_now_on_a_case_opened_under_2025_1_is_judged_under_2025_3(
    old_ledger: Path,
) -> None:
    employee = EmployeeRef(organisation="trust", employee_ref="E-1")
    keys = EncryptedFileKeyStore(old_ledger.parent / "keys", b"fixture passphrase")
    with Ledger.open(
        str(old_ledger),
        keystore=keys,
        calendars=Calendars({SCHOOL: example_term_dates()}),
    ) as ledger:
        ledger.record(
            employee,
            HrAdviceObtained(topic="second opinion", provider="HR"),
            occurred_on=date(2025, 9, 3),
            actor=HR,
        )
        packs = [(e.pack.version, e.pack.digest) for e in ledger.reader(HR).records(employee)]
        report = ledger.verify()

    assert packs == [
        ("2025.1", MAIN_DIGESTS["improving-performance"]),
        ("2025.1", MAIN_DIGESTS["improving-performance"]),
        ("2025.3", current_pack("improving-performance").digest),
    ]
    assert report.ok, report.describe_failure()


def test_a_pack_content_no_version_lists_fails_verify_naming_the_pack(tmp_path: Path) -> None:
    """`edited.sqlite` was judged under an improving-performance@2025.1 file changed in place."""
    shutil.copy(FIXTURES / "edited.sqlite", tmp_path / "edited.sqlite")

    with Ledger.open(str(tmp_path / "edited.sqlite")) as ledger:
        report = ledger.verify()

    assert not report.ok
    reason = report.describe_failure()
    assert "improving-performance@2025.1 (content 9bdf2e81c689…)" in reason
    assert "no newer version lists as superseded" in reason
    assert report.superseded_packs == []


def test_only_the_listed_content_of_a_superseded_version_is_accepted() -> None:
    listed = MAIN_DIGESTS["improving-performance"]
    assert pack_superseded("improving-performance", "2025.1", listed) is not None
    assert pack_superseded("improving-performance", "2025.1", "0" * 64) is None
    assert pack_superseded("improving-performance", "2024.9", listed) is None
    assert pack_superseded("refocus-pm", "2025.1", listed) is None


_VARIANT = (
    'id = "ours"\nversion = "2025.1"\ntitle = "Ours"\nextends = "improving-performance@{parent}"\n'
    '[source]\nseed = "x"\ndocument = "x"\n'
)


def test_a_variant_extending_a_superseded_version_is_told_to_extend_the_new_one() -> None:
    with pytest.raises(PackFileError) as raised:
        loads_pack_file(_VARIANT.format(parent="2025.1"), origin="ours.toml")

    assert "ours.toml" in str(raised.value)
    assert "superseded by improving-performance@2025.3; extend improving-performance@2025.3" in str(
        raised.value
    )


def test_a_variant_states_its_own_superseded_contents_and_never_inherits_its_parents() -> None:
    own = loads_pack_file(_VARIANT.format(parent="2025.3"), origin="ours.toml")
    assert own.file.supersedes == ()

    listing = (
        _VARIANT.format(parent="2025.3").replace('version = "2025.1"', 'version = "2025.3"')
        + f'[[supersedes]]\nversion = "2025.1"\ndigest = "{"a" * 64}"\nwhy = "new parent"\n'
    )
    assert [old.version for old in loads_pack_file(listing).file.supersedes] == ["2025.1"]


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('version = "2025.3"\ndigest = "' + "a" * 64 + '"\nwhy = "x"', "this file's own version"),
        ('version = "2025.1"\ndigest = "abc"\nwhy = "x"', "digest"),
        ('version = "2025.1"\ndigest = "' + "a" * 64 + '"\nwhy = ""', "why"),
    ],
)
def test_a_supersedes_entry_that_cannot_be_is_refused_at_load(entry: str, complaint: str) -> None:
    text = (
        _VARIANT.format(parent="2025.3").replace('version = "2025.1"', 'version = "2025.3"')
        + f"[[supersedes]]\n{entry}\n"
    )
    with pytest.raises(PackFileError) as raised:
        loads_pack_file(text, origin="ours.toml")

    assert "ours.toml" in str(raised.value)
    assert complaint in str(raised.value)


def test_a_school_ledger_judged_under_its_earlier_variant_verifies_with_the_file_that_lists_it(
    tmp_path: Path,
) -> None:
    """`variant.sqlite` was judged under main's st-annes-improving-performance@2025.1; the
    school's 2025.3 file (extending improving-performance@2025.3) lists that content."""
    shutil.copy(FIXTURES / "variant.sqlite", tmp_path / "variant.sqlite")
    example = Path(__file__).parents[2] / "examples/packs/st-annes-improving-performance.toml"

    with Ledger.open(str(tmp_path / "variant.sqlite"), packs=[str(example)]) as ledger:
        report = ledger.verify()

    assert report.ok, report.describe_failure()
    (note,) = report.superseded_packs
    assert note.startswith("st-annes-improving-performance@2025.1 (content fc6a4992eddd…)")
    assert "superseded by st-annes-improving-performance@2025.3" in note


def test_a_ledger_judged_under_every_2025_2_pack_verifies_and_says_2025_3_reads_it(
    tmp_path: Path,
) -> None:
    shutil.copy(FIXTURES_2025_2 / "main.sqlite", tmp_path / "main.sqlite")

    with Ledger.open(str(tmp_path / "main.sqlite")) as ledger:
        report = ledger.verify()

    assert report.ok, report.describe_failure()
    assert report.cases == len(ALL)
    assert [note.split(" ")[0] for note in report.superseded_packs] == [
        f"{pack_id}@2025.2" for pack_id in ALL
    ]
    assert all(
        f"superseded by {pack_id}@2025.3" in note
        for pack_id, note in zip(ALL, report.superseded_packs, strict=True)
    )


def test_a_school_ledger_judged_under_its_2025_2_variant_verifies_with_its_2025_3_file(
    tmp_path: Path,
) -> None:
    shutil.copy(FIXTURES_2025_2 / "variant.sqlite", tmp_path / "variant.sqlite")
    example = Path(__file__).parents[2] / "examples/packs/st-annes-improving-performance.toml"

    with Ledger.open(str(tmp_path / "variant.sqlite"), packs=[str(example)]) as ledger:
        report = ledger.verify()

    assert report.ok, report.describe_failure()
    (note,) = report.superseded_packs
    assert note.startswith("st-annes-improving-performance@2025.2 (content cd942940ad30…)")
    assert "superseded by st-annes-improving-performance@2025.3" in note
