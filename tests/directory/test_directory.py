"""People as people: the directory of names and job titles is sealed, read only through the
guard, kept as the retention schedule says and shredded by the purge, and verified."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from pypdf import PdfReader
from tests.core.helpers import (
    ADMIN,
    ALICE,
    EMPLOYEE,
    HEAD,
    HR,
    enrol,
    invite,
    open_ledger,
    opened,
)

from pmledger.errors import AccessDenied, ContentDisposed, InvalidInput
from pmledger.events.actors import Actor, Role
from pmledger.events.directory_acts import PersonDetailsRecorded
from pmledger.events.governance_acts import HoldReason, LegalHoldPlaced
from pmledger.events.signed_event import DirectoryEvent
from pmledger.export.exporter import export_case
from pmledger.ids import directory_id
from pmledger.integrity.envelope import GENESIS
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import purge
from pmledger.retention import load_default
from pmledger.retention.schedule import RecordCategory

NAME = "Thomasina Quigley-Baker"
TODAY = date(2025, 9, 2)
OUTSIDER = Actor(person_id="ht-elm", role=Role.HEADTEACHER)
DPO = Actor(person_id="dpo-1", role=Role.DPO)


def _ledger(backend: str) -> Ledger:
    ledger = open_ledger(backend)
    enrol(ledger)
    ledger.register_person("ht-elm", (Role.HEADTEACHER,), by=HR, schools=("elm",))
    ledger.register_person(
        "dpo-1", (Role.DPO,), by=HR, name="Dana Price", job_title="Data Protection Officer"
    )
    ledger.update_person(
        "emp-1",
        by=HR,
        name=NAME,
        job_title="Year 4 teacher, Oakfield Primary",
        salutation="Ms Quigley-Baker",
        address=("12 Larkspur Close", "Milton Keynes MK5 6AB"),
    )
    ledger.update_person("ht-1", by=HR, name="Ann Whitfield", job_title="Headteacher")
    ledger.record(ALICE, opened(), occurred_on=date(2025, 9, 1), actor=HR)
    return ledger


def test_the_case_reader_sees_names_and_job_titles_of_the_people_in_the_case(
    backend: str,
) -> None:
    with _ledger(backend) as ledger:
        people = ledger.reader(EMPLOYEE, TODAY).people(ALICE)
        assert people["emp-1"].name == NAME
        assert people["emp-1"].address == ("12 Larkspur Close", "Milton Keynes MK5 6AB")
        assert people.label("emp-1") == f"{NAME} (Year 4 teacher, Oakfield Primary)"
        assert people.label("hr-1") == "hr-1", "no entry: the id, never a guess"
        with pytest.raises(AccessDenied):
            ledger.reader(OUTSIDER, TODAY).people(ALICE)


def test_directory_entries_outside_a_case_are_for_hr_the_dpo_and_the_person(backend: str) -> None:
    with _ledger(backend) as ledger:
        assert ledger.reader(HR, TODAY).person("emp-1").salutation == "Ms Quigley-Baker"
        assert ledger.reader(DPO, TODAY).person("emp-1").name == NAME
        assert ledger.reader(EMPLOYEE, TODAY).person("emp-1").name == NAME
        with pytest.raises(AccessDenied, match="directory entries outside a case"):
            ledger.reader(EMPLOYEE, TODAY).person("ht-1")
        log = list(ledger.reader(DPO, TODAY).access_log(TODAY, TODAY))
        refused = [e for e in log if e.entry.operation == "read_directory" and not e.entry.allowed]
        assert [e.actor.person_id for e in refused] == ["emp-1"]


def test_an_update_keeps_what_it_does_not_change_and_only_hr_may_make_one(backend: str) -> None:
    with _ledger(backend) as ledger:
        ledger.update_person("emp-1", by=HR, job_title="Year 5 teacher, Oakfield Primary")
        entry = ledger.reader(HR, TODAY).person("emp-1")
        assert (entry.name, entry.job_title) == (NAME, "Year 5 teacher, Oakfield Primary")
        assert entry.address == ("12 Larkspur Close", "Milton Keynes MK5 6AB")
        with pytest.raises(AccessDenied, match="hr or administrator"):
            ledger.update_person("emp-1", by=HEAD, name="Someone Else")
        with pytest.raises(InvalidInput, match="name= and job_title="):
            ledger.update_person("new-1", by=HR, name="No Title")
        with pytest.raises(InvalidInput, match="control character"):
            ledger.update_person("emp-1", by=HR, name="Tom\x00")
        assert ledger.reader(HR, TODAY).person("emp-1").name == NAME


def test_names_are_sealed_at_rest(backend: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    with _ledger(backend) as ledger:
        assert ledger.verify().ok
    if backend.startswith("postgresql"):
        dsn, schema = backend.split("?schema=")
        with psycopg.connect(dsn) as conn:
            rows = conn.execute(f'SELECT state FROM "{schema}".pmledger_events').fetchall()
        stored = b"".join(bytes(row[0]) for row in rows)
    else:
        stored = open(backend, "rb").read()  # noqa: SIM115 - the whole file, as an attacker
    assert NAME.encode() not in stored
    assert b"Larkspur" not in stored
    assert b"Dana Price" not in stored
    assert b"person_details_recorded" in stored, "the entries are there, only sealed"


def test_a_purge_shreds_an_entry_six_years_after_the_person_left(backend: str) -> None:
    schedule = load_default()
    assert schedule.rule(RecordCategory.DIRECTORY).period.years == 6
    with _ledger(backend) as ledger:
        ledger.person_left("emp-1", date(2026, 3, 31), by=HR)
        early = purge(ledger, schedule, date(2032, 3, 30), ADMIN)
        assert early.people_disposed == []
        report = purge(ledger, schedule, date(2032, 3, 31), ADMIN)
        assert report.people_disposed == ["emp-1"]
        assert purge(ledger, schedule, date(2032, 4, 1), ADMIN).people_disposed == []
        entry = ledger.reader(HR, date(2032, 4, 1)).person("emp-1")
        assert entry.name is None
        assert entry.disposed is not None
        assert entry.disposed.startswith("disposed on 2032-03-31")
        people = ledger.reader(EMPLOYEE, date(2032, 4, 1)).people(ALICE)
        assert people.label("emp-1").startswith("emp-1 (directory entry disposed on 2032-03-31")
        others = ledger.reader(HR, date(2032, 4, 1)).person("ht-1")
        assert others.name == "Ann Whitfield", "only the entry that was due"
        with pytest.raises(ContentDisposed):
            ledger.update_person("emp-1", by=HR, name="Back Again", job_title="Teacher")
        assert ledger.verify().ok


def test_an_entry_named_in_a_case_under_a_legal_hold_is_kept(backend: str) -> None:
    with _ledger(backend) as ledger:
        ledger.record(
            ALICE,
            LegalHoldPlaced(hold_id="et-1", reason=HoldReason.TRIBUNAL_CLAIM, details="ET/1"),
            occurred_on=date(2026, 4, 1),
            actor=HR,
        )
        ledger.person_left("emp-1", date(2026, 3, 31), by=HR)
        report = purge(ledger, load_default(), date(2033, 1, 1), ADMIN)
        assert report.people_held == ["emp-1"]
        assert ledger.reader(HR, date(2033, 1, 1)).person("emp-1").name == NAME


def test_only_the_dpo_or_an_administrator_disposes_of_an_entry(backend: str) -> None:
    with _ledger(backend) as ledger:
        with pytest.raises(AccessDenied, match="dpo or administrator"):
            ledger.dispose_person("emp-1", date(2030, 1, 1), "early", by=HR)
        assert ledger.dispose_person("emp-1", date(2030, 1, 1), "erasure request", by=DPO)
        assert not ledger.dispose_person("emp-1", date(2030, 1, 2), "again", by=DPO)
        assert ledger.verify().ok


def test_the_bundle_names_people_and_shows_a_disposed_entry_as_disposed(
    tmp_path: Path,
) -> None:
    with _ledger(str(tmp_path / "l.sqlite")) as ledger:
        ledger.record(ALICE, invite(), occurred_on=date(2025, 10, 1), actor=HEAD)
        named = export_case(ledger.reader(HR, TODAY), ALICE, tmp_path / "before", TODAY)
        text = _text(named.pdf)
        assert "Thomasina" in text
        assert "Ann Whitfield" in text
        ledger.person_left("emp-1", date(2026, 3, 31), by=HR)
        purge(ledger, load_default(), date(2032, 3, 31), ADMIN)
        later = date(2032, 4, 1)
        disposed = export_case(ledger.reader(HR, later), ALICE, tmp_path / "after", later)
        text = _text(disposed.pdf)
        assert "Thomasina" not in text
        assert "directory entry disposed on 2032-03-31" in text
        assert "Ann Whitfield" in text


def _text(pdf: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)


@pytest.mark.parametrize(
    ("signer", "stream_of", "failure"),
    [
        (HEAD, "emp-1", "may not sign directory entries"),
        (HR, "ht-1", "stored in another person's stream"),
    ],
)
def test_verify_names_a_directory_entry_signed_by_a_non_keeper_or_in_another_stream(
    tmp_path: Path, signer: Actor, stream_of: str, failure: str
) -> None:
    """Written past the Ledger (straight to the store, signed with a real key): verify holds
    every directory entry to who may sign it and to whose stream it is in."""
    with _ledger(str(tmp_path / "l.sqlite")) as ledger:
        forged = PersonDetailsRecorded(person_id="emp-1", name="Someone Else", job_title="Spy")
        now = ledger.now()
        stream = directory_id(stream_of)
        entry = ledger._store.events.get(stream, desc=True, limit=1)
        last = next(iter(entry), None)
        ledger._store.save(
            DirectoryEvent(
                originator_id=stream,
                originator_version=(last.originator_version if last else 0) + 1,
                timestamp=now,
                prev=last.digest if last else GENESIS,
                key_id=ledger.signing_key(signer, now).key_id,
                actor=signer,
                change=forged,
            )
        )
        report = ledger.verify()
        assert report.failure is not None
        assert failure in report.failure.reason
