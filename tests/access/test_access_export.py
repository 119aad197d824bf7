"""Reads through every surface — reader, CLI, export — follow the policy, and exports redact.

The case (tests.access.test_access.record_case) holds a statement and meeting minutes; their
plaintext must never reach anyone the procedure does not let read them, by any route.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from tests.access.test_access import CASE, CAST, HR, SCHOOL, TODAY, record_case
from tests.core.helpers import open_ledger
from typer.testing import CliRunner

from pmledger.cli.main import app
from pmledger.cli.options import PASSPHRASE_ENV
from pmledger.commands import EmployeeRef
from pmledger.errors import AccessDenied
from pmledger.events.actors import Actor, Role
from pmledger.events.case_acts import CaseOpened, CycleOpened, StaffGroup
from pmledger.events.meeting_acts import MeetingHeld
from pmledger.export.exporter import export_case
from pmledger.export.verify_bundle import verify_bundle
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import plan
from pmledger.policies.access import DEFAULT_ACCESS, Operation, Relationship, relationships
from pmledger.policies.packs.support_staff_pm.access import ACCESS as SUPPORT_STAFF_ACCESS
from pmledger.retention import load_default

STATEMENT = "I would like more support with phonics."
MINUTES = "Private discussion of health."
PLAINTEXT = (STATEMENT, MINUTES)
AS_OF = "2025-11-03"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ledger, Path, Path]]:
    """The access tests' case in a SQLite file, with every person's key on disk for the CLI."""
    folder = tmp_path_factory.mktemp("access-export")
    keys = folder / "keys"
    db = folder / "l.sqlite"
    ledger = record_case(open_ledger(str(db), EncryptedFileKeyStore(keys, b"pw")))
    yield ledger, db, keys
    ledger.close()


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "pw")


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _files_text(folder: Path) -> str:
    """Everything a bundle folder holds, as text: the PDF's pages and every zip member."""
    if not folder.exists():
        return ""
    text = ""
    if (folder / "bundle.pdf").exists():
        text += " ".join(page.extract_text() for page in PdfReader(folder / "bundle.pdf").pages)
    if (folder / "bundle.zip").exists():
        with zipfile.ZipFile(folder / "bundle.zip") as bundle:
            text += " ".join(bundle.read(n).decode("utf-8", "replace") for n in bundle.namelist())
    return text


def _export(ledger: Ledger, person: str, role: Role, out: Path) -> None:
    export_case(ledger.reader(Actor(person_id=person, role=role), TODAY), CASE, out, TODAY)


def _redactions(out: Path) -> dict[str, object]:
    with zipfile.ZipFile(out / "bundle.zip") as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        assert "redactions.json" in [m["name"] for m in manifest["members"]]
        found: dict[str, object] = json.loads(bundle.read("redactions.json"))
        return found


def _pdf(out: Path) -> str:
    pages = PdfReader(out / "bundle.pdf").pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_dpo_exports_a_bundle_with_every_personal_record_redacted_and_listed(
    world: tuple[Ledger, Path, Path], tmp_path: Path
) -> None:
    ledger, _, _ = world
    _export(ledger, "dpo-1", Role.DPO, tmp_path)
    pdf = _pdf(tmp_path)
    assert not any(text in pdf for text in PLAINTEXT)
    assert "[redacted: not disclosed to the exporter]" in pdf
    assert "withheld from dpo-1 (dpo)" in pdf
    assert "Redactions" in pdf
    listed = _redactions(tmp_path)
    assert listed["exported_by"] == "dpo-1 (dpo)"
    assert listed["redactions"] == [
        {
            "version": version,
            "occurred_on": on,
            "kind": kind,
            "fields": 1,
            "reason": "dpo-1 is dpo to this case; read_case needs appeal_chair or employee or "
            "headteacher_of_school or hpmp_member or hr or line_manager or reviewer",
        }
        for version, on, kind in (
            (3, "2025-10-01", "statement_recorded"),
            (4, "2025-10-02", "meeting_held"),
        )
    ]
    assert not any(text in _files_text(tmp_path) for text in PLAINTEXT)
    report = verify_bundle(tmp_path / "bundle.zip", tmp_path / "bundle.pdf")
    assert report.ok, report.problem


def test_an_slt_moderator_exporting_sees_the_statements_and_nothing_else(
    world: tuple[Ledger, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were a school's policy to let SLT export (the default does not), the bundle would
    open only what SLT may read: statements, for moderation."""
    allowed = DEFAULT_ACCESS[Operation.EXPORT] | {Relationship.SLT_OF_SCHOOL}
    monkeypatch.setitem(DEFAULT_ACCESS, Operation.EXPORT, allowed)  # type: ignore[index]
    ledger, _, _ = world
    _export(ledger, "slt-oak", Role.SLT, tmp_path)
    pdf = _pdf(tmp_path)
    assert STATEMENT in pdf
    assert MINUTES not in pdf
    assert [r["version"] for r in _redactions(tmp_path)["redactions"]] == [4]  # type: ignore[index, union-attr]
    assert verify_bundle(tmp_path / "bundle.zip", tmp_path / "bundle.pdf").ok


def test_an_exporter_who_may_read_the_case_gets_it_whole(
    world: tuple[Ledger, Path, Path], tmp_path: Path
) -> None:
    ledger, _, _ = world
    _export(ledger, "hr-1", Role.HR, tmp_path)
    assert all(text in _pdf(tmp_path) for text in PLAINTEXT)
    assert "Nothing is redacted: hr-1 (hr) may read every record" in _pdf(tmp_path)
    assert _redactions(tmp_path)["redactions"] == []


def test_an_export_without_a_relationship_is_refused_and_writes_nothing(
    world: tuple[Ledger, Path, Path], tmp_path: Path
) -> None:
    ledger, _, _ = world
    out = tmp_path / "out"
    with pytest.raises(AccessDenied, match=r"export of .* refused: slt-elm acting as slt has no"):
        _export(ledger, "slt-elm", Role.SLT, out)
    assert not out.exists()


def _support_case(ledger: Ledger) -> EmployeeRef:
    """A support-staff case (001) at the access tests' school, recorded once per ledger: opened
    by HR, a cycle opened by the Headteacher, a meeting whose minutes are its content."""
    hr = Actor(person_id="hr-1", role=Role.HR)
    support = EmployeeRef(organisation="trust", employee_ref="S-1")
    if "ss-1" not in {k.person_id for k in ledger.keyring().keys.values()}:
        ledger.register_person(
            "ss-1", (Role.EMPLOYEE,), by=Actor(person_id="admin-1", role=Role.HR), schools=(SCHOOL,)
        )
        ledger.record(
            support,
            CaseOpened(
                organisation="trust", employee_ref="S-1", employee_person_id="ss-1", school=SCHOOL,
                staff_group=StaffGroup.SUPPORT_STAFF, pack_id="support-staff-pm",
            ),
            occurred_on=date(2025, 9, 1), actor=hr,
        )  # fmt: skip
        ledger.record(
            support,
            CycleOpened(
                cycle_id="2025-26", starts_on=date(2025, 9, 1), ends_on=date(2026, 8, 31),
                reviewer_person_id="rev-1",
            ),
            occurred_on=date(2025, 9, 1), actor=Actor(person_id="ht-oak", role=Role.HEADTEACHER),
        )  # fmt: skip
        ledger.record(
            support,
            MeetingHeld(meeting_id="p1", chair_person_id="rev-1", minutes=MINUTES),
            occurred_on=date(2025, 10, 2), actor=Actor(person_id="rev-1", role=Role.REVIEWER),
        )  # fmt: skip
    return support


def test_001_s7_only_the_headteacher_the_reviewer_and_the_reviewee_see_the_records(
    world: tuple[Ledger, Path, Path],
) -> None:
    """001 §7: "The Headteacher, the reviewer and the reviewee should be the only staff who
    have access to paperwork or computerised records" — HR, SLT and the DPO, who read a
    teacher's case, are refused a support-staff case's records (the DPO's own statutory part is
    tested in test_001_s7_the_dpo_counts_and_disposes_of_a_support_staff_case_unread)."""
    ledger, _, _ = world
    support = _support_case(ledger)
    may_read = {("ss-1", Role.EMPLOYEE), ("rev-1", Role.REVIEWER), ("ht-oak", Role.HEADTEACHER)}
    for person, role in [*may_read, ("hr-1", Role.HR), ("slt-oak", Role.SLT), ("dpo-1", Role.DPO)]:
        reader = ledger.reader(Actor(person_id=person, role=role), TODAY)
        if (person, role) in may_read:
            assert MINUTES in [getattr(e.act, "minutes", None) for e in reader.records(support)]
            continue
        with pytest.raises(AccessDenied, match="read_case of"):
            reader.records(support)
        with pytest.raises(AccessDenied):
            reader.statements(support)
    assert SUPPORT_STAFF_ACCESS[Operation.READ_CASE] == {
        Relationship.EMPLOYEE, Relationship.REVIEWER, Relationship.HEADTEACHER_OF_SCHOOL,
    }  # fmt: skip


def test_001_s7_the_dpo_counts_and_disposes_of_a_support_staff_case_unread(
    world: tuple[Ledger, Path, Path],
) -> None:
    """001 §7 keeps a support-staff case to the Headteacher, the reviewer and the reviewee; the
    DPO's statutory role needs no content. So the DPO may count the case in reports across
    cases and plan its disposal (categories, dates, holds), but is refused its status (its
    findings and deadlines say what happened), its records and a bundle of it, redacted or not."""
    ledger, _, _ = world
    support = _support_case(ledger)
    dpo_actor = Actor(person_id="dpo-1", role=Role.DPO)
    dpo = ledger.reader(dpo_actor, TODAY)
    with pytest.raises(AccessDenied, match=r"read_status of .*S-1.* refused: dpo-1 is dpo"):
        dpo.status(support, TODAY)
    with pytest.raises(AccessDenied, match=r"export of .*S-1.* refused"):
        dpo.disclosure(support)
    with pytest.raises(AccessDenied, match="read_case of"):
        dpo.records(support)
    assert "S-1" not in {c.employee.employee_ref for c in dpo.cases()}
    dpo.cases_by_stage()
    dpo.findings_by_procedure()
    with pytest.raises(AccessDenied, match="hr-1 as hr may not count 1 of them"):
        ledger.reader(Actor(person_id="hr-1", role=Role.HR), TODAY).cases_by_stage()
    planned = {i.employee_ref for i in plan(ledger, load_default(), TODAY, dpo_actor)}
    assert "S-1" in planned
    headteacher = ledger.reader(Actor(person_id="ht-oak", role=Role.HEADTEACHER), TODAY)
    assert headteacher.status(support, TODAY).pack_id == "support-staff-pm"
    for role in (Role.HR, Role.SLT):
        person = "hr-1" if role is Role.HR else "slt-oak"
        with pytest.raises(AccessDenied, match="read_status of"):
            ledger.reader(Actor(person_id=person, role=role), TODAY).status(support, TODAY)
    assert SUPPORT_STAFF_ACCESS[Operation.READ_COUNTS] >= {Relationship.DPO}
    assert Relationship.DPO not in SUPPORT_STAFF_ACCESS[Operation.READ_STATUS]


@pytest.mark.parametrize(("person", "role", "schools", "relation"), CAST)
def test_every_role_reads_a_case_from_the_command_line_exactly_as_the_policy_says(
    world: tuple[Ledger, Path, Path],
    tmp_path: Path,
    person: str,
    role: Role,
    schools: tuple[str, ...],
    relation: Relationship | None,
) -> None:
    """`case status` needs read_status, `export` needs export: allowed → exit 0; refused →
    exit 2 naming the refusal, no files, no content."""
    _, db, keys = world
    reader = ("--db", str(db), "--actor", f"{person}:{role.value}", "--keys", str(keys))
    out = tmp_path / "out"
    for operation, args in (
        (Operation.READ_STATUS, ("case", "status", "E-7", "--as-of", AS_OF, "--json")),
        (Operation.EXPORT, ("export", "E-7", "--out", str(out), "--as-of", AS_OF)),
    ):
        code, text = _cli(*args, *reader)
        if relation is not None and relation in DEFAULT_ACCESS[operation]:
            assert code == 0, text
        else:
            assert code == 2, text
            assert "refused" in text
            assert not out.exists()
        assert not any(secret in text for secret in PLAINTEXT)


def test_a_read_command_without_an_actor_says_what_to_pass(
    world: tuple[Ledger, Path, Path],
) -> None:
    _, db, keys = world
    for command in (
        ("case", "status", "E-7"), ("export", "E-7", "--out", "never"), ("deadlines",),
        ("report", "warnings"), ("report", "stages"), ("report", "findings"),
        ("report", "awaiting"),
    ):  # fmt: skip
        code, text = _cli(*command, "--db", str(db), "--keys", str(keys))
        assert code == 2, text
        assert "Missing option '--actor' (env var: 'PMLEDGER_ACTOR')" in text, text
    assert not Path("never").exists()


def test_school_wide_reports_show_only_what_the_reader_may_see(
    world: tuple[Ledger, Path, Path],
) -> None:
    _, db, keys = world

    def report(person: str, role: Role, *what: str) -> tuple[int, str]:
        return _cli(
            "report", *what, "--db", str(db), "--actor", f"{person}:{role.value}",
            "--keys", str(keys), "--as-of", AS_OF, "--json",
        )  # fmt: skip

    code, text = report("ht-elm", Role.HEADTEACHER, "awaiting")
    assert code == 0, text
    assert "E-7" not in text
    code, text = report("ht-elm", Role.HEADTEACHER, "stages")
    assert code == 2
    assert "report governors" in " ".join(text.split())
    code, text = report("dpo-1", Role.DPO, "stages")
    assert code == 0, text


UNRELATED_SCHOOLS = ("elm-academy", "birch-school")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    held=st.sampled_from(list(Role)),
    claimed=st.sampled_from(list(Role)),
    school=st.sampled_from(UNRELATED_SCHOOLS),
)
def test_no_one_without_a_relationship_reads_any_content_by_any_route(
    world: tuple[Ledger, Path, Path], tmp_path_factory: pytest.TempPathFactory,
    held: Role, claimed: Role, school: str,
) -> None:  # fmt: skip
    """Whatever role a person holds or claims, if it gives them no relationship to the case,
    no reader method, CLI command or export yields any of its content: each is AccessDenied
    (CLI exit 2, nothing written), and lists and reports leave the case out."""
    ledger, db, keys = world
    person = f"outsider-{held.value}-{school}"
    if person not in {k.person_id for k in ledger.keyring().keys.values()}:
        ledger.register_person(
            person, (held,), by=Actor(person_id="admin-1", role=Role.HR), schools=(school,)
        )
    actor = Actor(person_id=person, role=claimed)
    related = relationships(
        actor, ledger.reader(HR).case(CASE).file, frozenset({held}), frozenset({school})
    )
    assume(not related)
    reader = ledger.reader(actor, TODAY)
    for query in (
        lambda: reader.status(CASE, TODAY),
        lambda: reader.records(CASE),
        lambda: reader.statements(CASE),
        lambda: reader.disclosure(CASE),
    ):
        with pytest.raises(AccessDenied):
            query()
    for query in (
        lambda: ledger.reader(actor).case(CASE),
        lambda: ledger.reader(actor).records(CASE),
        lambda: ledger.reader(actor).status(CASE, TODAY),
        lambda: ledger.reader(actor).find_employee("E-7", None, Operation.READ_CASE),
    ):
        with pytest.raises(AccessDenied):
            query()
    assert CASE.employee_ref not in [c.employee_ref for c in reader.cases()]
    assert CASE.employee_ref not in [c.employee_ref for c in ledger.reader(actor).cases()]
    assert all(s.case_id != str(CASE.case_id) for s in ledger.reader(actor).statuses(TODAY))
    out = tmp_path_factory.mktemp("outsider") / "out"
    with pytest.raises(AccessDenied):
        export_case(reader, CASE, out, TODAY)
    as_them = ("--db", str(db), "--actor", f"{person}:{claimed.value}", "--keys", str(keys))
    for command, refused in (
        (("case", "status", "E-7", "--as-of", AS_OF), True),
        (("export", "E-7", "--out", str(out), "--as-of", AS_OF), True),
        (("deadlines", "--as-of", AS_OF, "--within", "260", "--json"), False),
        (("report", "warnings", "--as-of", AS_OF, "--json"), False),
        (("report", "awaiting", "--as-of", AS_OF, "--json"), False),
    ):
        code, text = _cli(*command, *as_them)
        assert code == (2 if refused else 0), text
        assert "E-7" not in text or refused
        assert not any(secret in text for secret in PLAINTEXT)
    assert not out.exists()
    assert not any(secret in _files_text(out) for secret in PLAINTEXT)
